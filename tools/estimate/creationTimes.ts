/**
 * The table of typical creation times (creation-times.json): how long a
 * resource type takes to create, and the public source of each figure.
 */
import * as fs from "fs";
import * as path from "path";

/** How a figure was obtained. */
export const Basis = {
    /** The vendor or provider documents the wait (and the length, where it gives one). */
    Documented: "documented",
    /** A public report of measured times. */
    Reported: "reported",
    /** The mechanism is documented; the figure is a typical value. */
    Estimate: "estimate",
} as const;
export type Basis = (typeof Basis)[keyof typeof Basis];
const BASES: readonly string[] = Object.values(Basis);

/** One figure and where it comes from. */
export interface CreationTime {
    readonly seconds: number;
    readonly basis: Basis;
    /** A public URL backing the figure. */
    readonly source: string;
    readonly note: string;
}

export interface PrefixCreationTime extends CreationTime {
    /** Applies to every type token starting with this, e.g. `random:`. */
    readonly prefix: string;
}

/** Figures for one kind of operation (create, update or delete) by type token. */
export interface TimeTable {
    /** For types with no entry: API-only resources. */
    readonly default: CreationTime;
    /** Families priced together, checked in order after the exact types. */
    readonly prefixes: readonly PrefixCreationTime[];
    /** Exact type tokens. */
    readonly types: Readonly<Record<string, CreationTime>>;
}

/** The whole creation table. */
export interface CreationTimes extends TimeTable {
    /** `pulumi up`'s documented default for `--parallel`. */
    readonly cliDefaultParallelism: { readonly value: number; readonly source: string; readonly note: string };
}

/** Which part of the table priced a type. */
export const PricedBy = {
    Type: "type",
    Prefix: "prefix",
    Default: "default",
} as const;
export type PricedBy = (typeof PricedBy)[keyof typeof PricedBy];

/** A type's duration and which part of the table gave it. */
export interface PricedType {
    readonly seconds: number;
    readonly via: PricedBy;
}

export const CREATION_TIMES_FILE = path.join(__dirname, "creation-times.json");

/** Every problem of one figure: no number, basis, public source or note. */
export function figureProblems(label: string, entry: CreationTime | undefined): string[] {
    const problems: string[] = [];
    if (typeof entry?.seconds !== "number" || !Number.isFinite(entry.seconds) || entry.seconds < 0) problems.push(`${label}: seconds ${entry?.seconds} must be a number >= 0`);
    if (!BASES.includes(entry?.basis as string)) problems.push(`${label}: basis ${entry?.basis} must be one of ${BASES.join(", ")}`);
    if (typeof entry?.source !== "string" || !/^https:\/\/\S+$/.test(entry.source)) problems.push(`${label}: source ${entry?.source} must be a public https URL`);
    if (typeof entry?.note !== "string" || entry.note.trim() === "") problems.push(`${label}: note must say what the figure rests on`);
    return problems;
}

/** Every problem of a time table, each label prefixed with `prefix`. */
export function timeTableProblems(table: TimeTable, prefix = ""): string[] {
    return [
        ...figureProblems(`${prefix}default`, table?.default),
        ...(table?.prefixes ?? []).flatMap((entry, i) => figureProblems(`${prefix}prefixes[${i}] ${entry.prefix}`, entry)),
        ...Object.entries(table?.types ?? {}).flatMap(([type, entry]) => figureProblems(`${prefix}${type}`, entry)),
    ];
}

/** Every problem in a table: a figure without a number, basis or public source. Empty when valid. */
export function tableProblems(table: CreationTimes): string[] {
    const problems: string[] = [];
    const p = table.cliDefaultParallelism;
    if (!Number.isInteger(p?.value) || p.value < 1 || !/^https:\/\//.test(p?.source ?? "")) problems.push(`cliDefaultParallelism: needs an integer value >= 1 and an https source`);
    return [...problems, ...timeTableProblems(table)];
}

/** Reads and checks the table; throws listing every problem. */
export function loadCreationTimes(file = CREATION_TIMES_FILE): CreationTimes {
    const table = JSON.parse(fs.readFileSync(file, "utf8")) as CreationTimes;
    const problems = tableProblems(table);
    if (problems.length > 0) throw new Error(`${path.basename(file)} is invalid:\n  ${problems.join("\n  ")}`);
    return table;
}

/** The typical time of a resource type in a table (creation times by default). */
export function priceType(table: TimeTable, type: string): PricedType {
    const exact = table.types[type];
    if (exact) return { seconds: exact.seconds, via: PricedBy.Type };
    const family = table.prefixes.find((p) => type.startsWith(p.prefix));
    if (family) return { seconds: family.seconds, via: PricedBy.Prefix };
    return { seconds: table.default.seconds, via: PricedBy.Default };
}
