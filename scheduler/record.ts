/**
 * The restore record: per data store, what it was restored from, which final
 * snapshot its deletion takes, and which snapshot the next spin-up restores.
 *
 * It lives in the Pulumi backend as stack tags (`intergalactic:data.<store>`
 * and one per further field), not in the working copy: the workflow checks
 * out a fresh copy every run, and a run may die at any step. Tags survive a
 * destroy (the stack itself is kept) and need no history paging. Pulumi Cloud
 * limits tag names to 40 characters of `[a-zA-Z0-9-_.:]` and values to 256
 * (pulumi/pulumi#24428), counted in bytes: the CLI checks `len(v)` of the Go
 * string, its UTF-8 bytes (`ValidateStackTags`, pulumi/pulumi#3804). DIY
 * backends keep tags since CLI v3.211.0 (pulumi/pulumi#21203).
 */
import { Stack } from "@pulumi/pulumi/automation";

export const DATA_TAG_PREFIX = "intergalactic:data.";
const TAG_NAME = /^[a-zA-Z0-9-_.:]{1,40}$/;
const MAX_TAG_VALUE = 256;

const bytesOf = (text: string): number => Buffer.byteLength(text, "utf8");

/** `text` cut to at most `max` UTF-8 bytes at a character boundary, marked with "..." when cut. */
export function cutToBytes(text: string, max: number): string {
    if (bytesOf(text) <= max) return text;
    let out = "";
    for (const ch of text) {
        if (bytesOf(out) + bytesOf(ch) > max - 3) break;
        out += ch;
    }
    return `${out}...`;
}

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
/** `armed` when the state says the deletion keeps nothing (DocumentDB `skipFinalSnapshot`); "" means not known. */
export const NONE_KEPT = "-";

export interface StoreRecord {
    readonly state: StoreState;
    /** The snapshot the live (or last) incarnation was restored from; "" created empty, `?` created outside the scheduler. */
    readonly from: string;
    /** The final snapshot the store's deletion takes, as the state said when the scheduler last read it; `-` none; "" not known. */
    readonly armed: string;
    /** The history version that state reflected: a later update makes `armed` unreliable. */
    readonly armedAt: number;
    /** Config besides the snapshot that restoring `armed` needs (the outputs' `restoreSources.<store>.config`). */
    readonly armedConfig: ConfigEntries;
    /** Days `armed` stays restorable after the deletion (a Cosmos DB continuous-backup tier); 0 no limit. */
    readonly armedDays: number;
    /** The newest final snapshot of the store's lineage: what the next spin-up restores; "" start empty. */
    readonly final: string;
    /** What the incarnation that took `final` was restored from: the lineage one step back. */
    readonly finalFrom: string;
    readonly finalConfig: ConfigEntries;
    /** The last moment `final` can be restored (ISO time); "" no limit known. */
    readonly finalUntil: string;
    /** The final snapshot of an incarnation of unknown lineage: a person must choose between it and `final`. */
    readonly foreign: string;
    readonly foreignConfig: ConfigEntries;
    /** Why the last deletion's snapshot is unknown; "" when it is known. */
    readonly lost: string;
    /** A digest of the physical ids holding the live store's data, to notice a re-creation outside the scheduler. */
    readonly incarnation: string;
}

/** Full config keys (`intergalactic:snapshots.encryptionKeys.users`) to their values. */
export type ConfigEntries = Readonly<Record<string, string>>;

/** What a spin-up restores a store from: the snapshot ("" starts it empty) and the further config that restore needs. */
export interface Restore {
    readonly id: string;
    readonly config: ConfigEntries;
}

/** The `lost` reason of a store on a stack with neither history nor record: new, or moved while down. */
export const NEW_OR_MOVED_LOST = "the scheduler has no record of the stack (a new stack, or one moved, which keeps neither tags nor history)";

/** Stands for the deletion time in `armedConfig` until the deletion is seen (a point-in-time restore needs it). */
export const DELETION_TIME = "@deletion";

export const NEW_RECORD: StoreRecord = {
    state: StoreState.Down, from: "", armed: "", armedAt: 0, armedConfig: {}, armedDays: 0, final: "", finalFrom: "", finalConfig: {}, finalUntil: "", foreign: "", foreignConfig: {}, lost: "", incarnation: "",
};

export type Records = Readonly<Record<string, StoreRecord>>;

export class RecordError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RecordError";
    }
}

/**
 * One tag per field, so that long values (an Azure restorable account id is
 * an ARM path) fit the 256-character limit: `intergalactic:data.<store>` holds
 * the state, `intergalactic:data.<store>.<field>` each other field.
 */
const FIELDS = { f: "final", ff: "finalFrom", fu: "finalUntil", a: "armed", o: "from", x: "foreign", l: "lost" } as const;
const CONFIG_FIELDS = { fc: "finalConfig", ac: "armedConfig", xc: "foreignConfig" } as const;

function checkedName(name: string, store: string): string {
    if (!TAG_NAME.test(name)) {
        throw new RecordError(`data store ${store}: its record tag ${name} breaks Pulumi's tag name rule (1-40 of letters, digits, - _ . :); use a component name of at most 18 characters`);
    }
    return name;
}

function checkedValue(name: string, value: string, store: string): string {
    if (bytesOf(value) > MAX_TAG_VALUE) {
        throw new RecordError(`data store ${store}: ${name} would hold ${bytesOf(value)} bytes, more than a stack tag may (${MAX_TAG_VALUE}); use shorter snapshot names`);
    }
    return value;
}

/** The tags that hold `record`; empty fields have no tag. */
function encode(store: string, record: StoreRecord): Record<string, string> {
    const base = `${DATA_TAG_PREFIX}${store}`;
    const tags: Record<string, string> = {};
    const core = { s: record.state, at: record.armedAt, inc: record.incarnation, d: record.armedDays };
    tags[checkedName(base, store)] = JSON.stringify(Object.fromEntries(Object.entries(core).filter(([, v]) => v !== "" && v !== 0)));
    for (const [code, field] of Object.entries(FIELDS)) {
        // A lost-snapshot reason is prose: cut it rather than fail the run that records it.
        const value = field === "lost" ? cutToBytes(record.lost, MAX_TAG_VALUE) : record[field];
        if (value !== "") tags[checkedName(`${base}.${code}`, store)] = checkedValue(`${base}.${code}`, value, store);
    }
    for (const [code, field] of Object.entries(CONFIG_FIELDS)) {
        if (Object.keys(record[field]).length > 0) tags[checkedName(`${base}.${code}`, store)] = checkedValue(`${base}.${code}`, JSON.stringify(record[field]), store);
    }
    return tags;
}

function parseJson(tag: string, text: string): Record<string, unknown> {
    try {
        const value = JSON.parse(text);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
    } catch {
        // reported below
    }
    throw new RecordError(`the record tag ${tag} holds ${JSON.stringify(text)}, which is not a JSON object; fix or remove the tag`);
}

const stringsOf = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));

/**
 * The newest history version at which the scheduler read the state and recorded every data store in it:
 * a store without a record did not exist then, so only a destroy after it can have deleted one unrecorded.
 */
export const SEEN_TAG = "intergalactic:scheduler.seen";

export async function writeSeen(stack: Stack, version: number): Promise<void> {
    await stack.setTag(SEEN_TAG, String(version));
}

/** Every store's record and the seen version (0: none recorded) in one `stack tag ls`. */
export async function readRecordTags(stack: Stack): Promise<{ records: Record<string, StoreRecord>; seen: number }> {
    const all = await stack.listTags();
    const seen = Number(all[SEEN_TAG] ?? 0);
    return { records: recordsOf(all), seen: Number.isInteger(seen) && seen > 0 ? seen : 0 };
}

/** Every store's record (`stack tag ls`). */
export async function readRecords(stack: Stack): Promise<Record<string, StoreRecord>> {
    return recordsOf(await stack.listTags());
}

function recordsOf(all: Record<string, string>): Record<string, StoreRecord> {
    const tags = Object.entries(all).filter(([k]) => k.startsWith(DATA_TAG_PREFIX));
    const out: Record<string, StoreRecord> = {};
    for (const [tag, value] of tags.filter(([k]) => !k.slice(DATA_TAG_PREFIX.length).includes("."))) {
        const core = parseJson(tag, value);
        const state = Object.values(StoreState).find((v) => v === core.s) ?? StoreState.Down;
        out[tag.slice(DATA_TAG_PREFIX.length)] = {
            ...NEW_RECORD, state, armedAt: typeof core.at === "number" ? core.at : 0, incarnation: typeof core.inc === "string" ? core.inc : "",
            armedDays: typeof core.d === "number" ? core.d : 0,
        };
    }
    for (const [tag, value] of tags) {
        const rest = tag.slice(DATA_TAG_PREFIX.length);
        const dot = rest.lastIndexOf(".");
        if (dot < 0 || !out[rest.slice(0, dot)]) continue;
        const store = rest.slice(0, dot);
        const code = rest.slice(dot + 1);
        if (code in FIELDS) out[store] = { ...out[store], [FIELDS[code as keyof typeof FIELDS]]: value };
        if (code in CONFIG_FIELDS) out[store] = { ...out[store], [CONFIG_FIELDS[code as keyof typeof CONFIG_FIELDS]]: stringsOf(parseJson(tag, value)) };
    }
    return out;
}

/** Writes the tags that differ from `before` and removes those no longer needed; the state tag last, so a half-written record reads as before. */
export async function writeRecords(stack: Stack, before: Records, after: Records): Promise<void> {
    for (const [store, record] of Object.entries(after)) {
        const old = before[store] ? encode(store, before[store]) : {};
        const next = encode(store, record);
        const core = `${DATA_TAG_PREFIX}${store}`;
        for (const [tag, value] of Object.entries(next)) if (tag !== core && old[tag] !== value) await stack.setTag(tag, value);
        for (const tag of Object.keys(old)) if (!(tag in next)) await stack.removeTag(tag);
        if (old[core] !== next[core]) await stack.setTag(core, next[core]);
    }
}

export function describeRecord(store: string, r: StoreRecord): string {
    const parts = [`${store}: ${r.state}`];
    if (r.from) parts.push(r.from === UNKNOWN_LINEAGE ? "created outside the scheduler" : `restored from ${r.from}`);
    if (r.armed) parts.push(r.armed === NONE_KEPT ? "deletion keeps nothing" : `deletion takes ${r.armed}`);
    parts.push(r.final ? `restores ${r.final}${r.finalUntil ? ` (restorable until ${r.finalUntil})` : ""}` : "starts empty");
    if (r.foreign) parts.push(`unconfirmed-lineage snapshot ${r.foreign}`);
    if (r.lost) parts.push(`last snapshot unknown: ${r.lost}`);
    return parts.join(", ");
}
