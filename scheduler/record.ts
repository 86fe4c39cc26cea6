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
import { createHash } from "crypto";
import type { StackReads } from "./cliRead";
import type { TagWrites } from "./cliWrite";

export const DATA_TAG_PREFIX = "intergalactic:data.";

/**
 * How a backend marks its history entries, which the record's marks (`armedAt`, the seen entry) are:
 * Pulumi Cloud numbers them (versions 1, 2, ...); a self-managed backend numbers none (version 0,
 * pulumi/pulumi#6049), so its entries are keyed by end time in whole seconds times 1000 plus their place
 * in that second (state.ts), at least 1e12 for any time since 2001. The two never compare: a stack's tags
 * copied to another backend (`stack export`/`import`, `stack rename`, `stack migrate` keep no history,
 * pulumi/pulumi#10339) would make a key look newer than every version there, so no update after it is
 * ever seen, and a version older than every key. Each is kept in its own field, and a mark from another
 * backend reads as 0: before every entry of this backend's history, since the move came after it.
 */
export const Numbering = { Version: "version", Key: "key" } as const;
export type Numbering = (typeof Numbering)[keyof typeof Numbering];
/** The smallest self-managed key: 2001-09-09 in seconds times 1000; Pulumi Cloud versions stay far below it. */
export const KEY_FLOOR = 1e12;
export const numberingOfMark = (mark: number): Numbering => (mark >= KEY_FLOOR ? Numbering.Key : Numbering.Version);

/** A mark in `numbering` from its two fields (an older record kept both kinds in the first); 0 when absent or unknown. */
function markIn(numbering: Numbering | undefined, version: unknown, key: unknown): number {
    const v = typeof version === "number" && version > 0 ? version : undefined;
    const k = typeof key === "number" && key > 0 ? key : v !== undefined && v >= KEY_FLOOR ? v : undefined;
    if (numbering === Numbering.Key) return k ?? 0;
    if (numbering === Numbering.Version) return v !== undefined && v < KEY_FLOOR ? v : 0;
    return 0;
}
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

/**
 * A digest of a record's field tags (code to value), kept in its state tag as `h`: each field is its own
 * `stack tag set`, so a run that dies between them leaves some fields new and some old under the old state
 * tag, written last. A record whose fields do not match their digest was left half-written.
 */
function digestOf(fields: Readonly<Record<string, string>>): string {
    const sorted = Object.keys(fields).sort().map((code) => [code, fields[code]]);
    return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 12);
}

/** The `lost` reason of a record whose fields do not match its state tag's digest. */
export const TORN_LOST = "a run stopped while writing the restore record, so its fields mix two writes and which snapshot (and restore config) it restores is unknown";

/** The tags that hold `record`; empty fields have no tag. */
function encode(store: string, record: StoreRecord): Record<string, string> {
    const base = `${DATA_TAG_PREFIX}${store}`;
    checkedName(base, store);
    const fields: Record<string, string> = {};
    for (const [code, field] of Object.entries(FIELDS)) {
        // A lost-snapshot reason is prose: cut it rather than fail the run that records it.
        const value = field === "lost" ? cutToBytes(record.lost, MAX_TAG_VALUE) : record[field];
        if (value !== "") fields[code] = checkedValue(checkedName(`${base}.${code}`, store), value, store);
    }
    for (const [code, field] of Object.entries(CONFIG_FIELDS)) {
        if (Object.keys(record[field]).length > 0) fields[code] = checkedValue(checkedName(`${base}.${code}`, store), JSON.stringify(record[field]), store);
    }
    // `at` a Pulumi Cloud version, `ak` a self-managed key (Numbering); `h` the fields' digest.
    const mark = numberingOfMark(record.armedAt) === Numbering.Key ? { ak: record.armedAt } : { at: record.armedAt };
    const core = { s: record.state, ...mark, inc: record.incarnation, d: record.armedDays, h: digestOf(fields) };
    const tags: Record<string, string> = { [base]: JSON.stringify(Object.fromEntries(Object.entries(core).filter(([, v]) => v !== "" && v !== 0))) };
    for (const [code, value] of Object.entries(fields)) tags[`${base}.${code}`] = value;
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
 * The newest history entry at which the scheduler read the state and recorded every data store in it:
 * a store without a record did not exist then, so only a destroy after it can have deleted one unrecorded.
 * `SEEN_TAG` holds a Pulumi Cloud version, `SEEN_KEY_TAG` a self-managed key (Numbering; older records kept
 * keys in `SEEN_TAG` too).
 */
export const SEEN_TAG = "intergalactic:scheduler.seen";
export const SEEN_KEY_TAG = "intergalactic:scheduler.seenKey";

/** Writes `mark` into its numbering's tag; `present` (the tags read) says whether the other one must go. */
export async function writeSeen(stack: TagWrites, mark: number, present?: Readonly<Record<string, string>>): Promise<void> {
    const [tag, other] = numberingOfMark(mark) === Numbering.Key ? [SEEN_KEY_TAG, SEEN_TAG] : [SEEN_TAG, SEEN_KEY_TAG];
    await stack.setTag(tag, String(mark));
    if (present?.[other] !== undefined) await stack.removeTag(other);
}

const numberOf = (text: string | undefined): number | undefined => {
    const n = Number(text ?? "");
    return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * Every store's record and the seen entry (0: none recorded) in one `stack tag ls`, their marks in `numbering`,
 * the one of the history they are compared with (undefined: the stack has no history, so all read 0); `all` is every tag.
 */
export async function readRecordTags(stack: Pick<StackReads, "listTags">, numbering?: Numbering): Promise<{ records: Record<string, StoreRecord>; seen: number; all: Record<string, string> }> {
    const all = await stack.listTags();
    return { records: recordsOf(all, numbering), seen: markIn(numbering, numberOf(all[SEEN_TAG]), numberOf(all[SEEN_KEY_TAG])), all };
}

/** Every store's record (`stack tag ls`), its marks in `numbering`. */
export async function readRecords(stack: Pick<StackReads, "listTags">, numbering?: Numbering): Promise<Record<string, StoreRecord>> {
    return recordsOf(await stack.listTags(), numbering);
}

function recordsOf(all: Record<string, string>, numbering: Numbering | undefined): Record<string, StoreRecord> {
    const tags = Object.entries(all).filter(([k]) => k.startsWith(DATA_TAG_PREFIX));
    const out: Record<string, StoreRecord> = {};
    for (const [tag, value] of tags.filter(([k]) => !k.slice(DATA_TAG_PREFIX.length).includes("."))) {
        const core = parseJson(tag, value);
        const state = Object.values(StoreState).find((v) => v === core.s) ?? StoreState.Down;
        out[tag.slice(DATA_TAG_PREFIX.length)] = {
            ...NEW_RECORD, state, armedAt: markIn(numbering, core.at, core.ak), incarnation: typeof core.inc === "string" ? core.inc : "",
            armedDays: typeof core.d === "number" ? core.d : 0,
        };
    }
    const fields: Record<string, Record<string, string>> = {};
    for (const [tag, value] of tags) {
        const rest = tag.slice(DATA_TAG_PREFIX.length);
        const dot = rest.lastIndexOf(".");
        if (dot < 0 || !out[rest.slice(0, dot)]) continue;
        const store = rest.slice(0, dot);
        const code = rest.slice(dot + 1);
        if (code in FIELDS) out[store] = { ...out[store], [FIELDS[code as keyof typeof FIELDS]]: value };
        if (code in CONFIG_FIELDS) out[store] = { ...out[store], [CONFIG_FIELDS[code as keyof typeof CONFIG_FIELDS]]: stringsOf(parseJson(tag, value)) };
        if (code in FIELDS || code in CONFIG_FIELDS) (fields[store] ??= {})[code] = value;
    }
    for (const store of Object.keys(out)) {
        const h = parseJson(`${DATA_TAG_PREFIX}${store}`, all[`${DATA_TAG_PREFIX}${store}`]).h;
        const read = fields[store] ?? {};
        // A record written before the digest has none: it is read as it is.
        const torn = typeof h === "string" && h !== digestOf(read);
        // A stopped store's fields are what a spin-up restores: half-written, they may pair one snapshot with another's
        // restore config or window, so the spin-up asks, and no inventory settles it (an older `lost` it replaces might).
        // A live store's are rebuilt from `armed` and `at` at its deletion.
        if (torn && out[store].state !== StoreState.Up) out[store] = { ...out[store], lost: TORN_LOST };
    }
    return out;
}

/** The tags of `store`'s record among `all`. */
function tagsOf(all: Readonly<Record<string, string>>, store: string): Record<string, string> {
    const base = `${DATA_TAG_PREFIX}${store}`;
    return Object.fromEntries(Object.entries(all).filter(([k]) => k === base || (k.startsWith(`${base}.`) && (k.slice(base.length + 1) in FIELDS || k.slice(base.length + 1) in CONFIG_FIELDS))));
}

/**
 * Writes the tags that differ from `before` and removes those no longer needed; the state tag last, with
 * the fields' digest, so a half-written record has the old state tag and fields that do not match its
 * digest (read as lost when the store is not up: the spin-up asks). `present`: the tags as read, when they may hold more than `before`
 * says (a mark from another backend, which reads as 0), so that nothing stale stays behind.
 */
export async function writeRecords(stack: TagWrites, before: Records, after: Records, present?: Readonly<Record<string, string>>): Promise<void> {
    for (const [store, record] of Object.entries(after)) {
        const old = present ? tagsOf(present, store) : before[store] ? encode(store, before[store]) : {};
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
