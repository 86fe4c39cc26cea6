/**
 * The restore record: per data store, what it was restored from, which final
 * snapshot its deletion takes, and which snapshot the next spin-up restores.
 *
 * It lives in the Pulumi backend as stack tags (one per store,
 * `intergalactic:data.<store>`), not in the working copy: the workflow checks
 * out a fresh copy every run, and a run may die at any step. Tags survive a
 * destroy (the stack itself is kept) and need no history paging. Pulumi Cloud
 * limits tag names to 40 characters of `[a-zA-Z0-9-_.:]` and values to 256
 * characters (pulumi/pulumi#24428); DIY backends keep tags since CLI v3.211.0
 * (pulumi/pulumi#21203).
 */
import { Stack } from "@pulumi/pulumi/automation";

export const DATA_TAG_PREFIX = "intergalactic:data.";
const TAG_NAME = /^[a-zA-Z0-9-_.:]{1,40}$/;
const MAX_TAG_VALUE = 256;

export const StoreState = {
    /** Not in the stack. */
    Down: "down",
    /** A spin-up has asked for it; it may or may not exist yet. */
    Creating: "creating",
    Up: "up",
} as const;
export type StoreState = (typeof StoreState)[keyof typeof StoreState];

/** `from` of a store the scheduler did not create: its data may not be the lineage's. */
export const UNKNOWN_LINEAGE = "?";

export interface StoreRecord {
    readonly state: StoreState;
    /** The snapshot the live (or last) incarnation was restored from; "" created empty, `?` created outside the scheduler. */
    readonly from: string;
    /** The final snapshot the store's deletion takes, as the last `up` the scheduler saw set it; "" none. */
    readonly armed: string;
    /** The history version of that `up`: a later update outside the scheduler makes `armed` unreliable. */
    readonly armedAt: number;
    /** The newest final snapshot of the store's lineage: what the next spin-up restores; "" start empty. */
    readonly final: string;
    /** The final snapshot of an incarnation of unknown lineage: a person must choose between it and `final`. */
    readonly foreign: string;
    /** Why the last deletion's snapshot is unknown; "" when it is known. */
    readonly lost: string;
    /** A digest of the physical ids holding the live store's data, to notice a re-creation outside the scheduler. */
    readonly incarnation: string;
}

export const NEW_RECORD: StoreRecord = { state: StoreState.Down, from: "", armed: "", armedAt: 0, final: "", foreign: "", lost: "", incarnation: "" };

export type Records = Readonly<Record<string, StoreRecord>>;

export class RecordError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RecordError";
    }
}

export function tagName(store: string): string {
    const name = `${DATA_TAG_PREFIX}${store}`;
    if (!TAG_NAME.test(name)) {
        throw new RecordError(`data store ${store}: its record tag ${name} breaks Pulumi's tag name rule (1-40 of letters, digits, - _ . :); use a shorter component name`);
    }
    return name;
}

function encode(store: string, record: StoreRecord): string {
    const short = { s: record.state, from: record.from, armed: record.armed, at: record.armedAt, final: record.final, foreign: record.foreign, lost: record.lost, inc: record.incarnation };
    const text = JSON.stringify(Object.fromEntries(Object.entries(short).filter(([, v]) => v !== "" && v !== 0)));
    if (text.length > MAX_TAG_VALUE) {
        throw new RecordError(`data store ${store}: its record (${text.length} characters) is longer than a stack tag may hold (${MAX_TAG_VALUE}); use shorter snapshot names`);
    }
    return text;
}

function decode(store: string, text: string): StoreRecord {
    let raw: Record<string, unknown>;
    try {
        raw = JSON.parse(text);
    } catch {
        throw new RecordError(`data store ${store}: its record tag holds ${JSON.stringify(text)}, which is not JSON; fix or remove the tag ${DATA_TAG_PREFIX}${store}`);
    }
    const str = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : "");
    const state = Object.values(StoreState).find((s) => s === raw.s) ?? StoreState.Down;
    return { state, from: str("from"), armed: str("armed"), armedAt: typeof raw.at === "number" ? raw.at : 0, final: str("final"), foreign: str("foreign"), lost: str("lost"), incarnation: str("inc") };
}

/** Every store's record (`stack tag ls`). */
export async function readRecords(stack: Stack): Promise<Record<string, StoreRecord>> {
    const tags = await stack.listTags();
    return Object.fromEntries(Object.entries(tags)
        .filter(([k]) => k.startsWith(DATA_TAG_PREFIX))
        .map(([k, v]) => [k.slice(DATA_TAG_PREFIX.length), decode(k.slice(DATA_TAG_PREFIX.length), v)]));
}

/** Writes the records that differ from `before`. */
export async function writeRecords(stack: Stack, before: Records, after: Records): Promise<void> {
    for (const [store, record] of Object.entries(after)) {
        const text = encode(store, record);
        if (before[store] && encode(store, before[store]) === text) continue;
        await stack.setTag(tagName(store), text);
    }
}

export function describeRecord(store: string, r: StoreRecord): string {
    const parts = [`${store}: ${r.state}`];
    if (r.from) parts.push(r.from === UNKNOWN_LINEAGE ? "created outside the scheduler" : `restored from ${r.from}`);
    if (r.armed) parts.push(`deletion takes ${r.armed}`);
    parts.push(r.final ? `restores ${r.final}` : "starts empty");
    if (r.foreign) parts.push(`unconfirmed-lineage snapshot ${r.foreign}`);
    if (r.lost) parts.push(`last snapshot unknown: ${r.lost}`);
    return parts.join(", ");
}
