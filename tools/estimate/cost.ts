/**
 * What a state of a stack costs per hour, from the price table
 * (prices.json): the meters of every resource the state keeps, plus what a
 * deletion leaves behind (final snapshots). The states are plans: running,
 * nothing (after a teardown: only retained resources and snapshots remain),
 * or any other plan of the stack (a hibernated one).
 */
import * as fs from "fs";
import * as path from "path";
import { Plan, PlannedResource } from "../../engine/format";

export const Unit = { Hour: "hour", Month: "month", GbMonth: "GB-month" } as const;
export type Unit = (typeof Unit)[keyof typeof Unit];
const UNITS: readonly string[] = Object.values(Unit);

/** One billing meter of a resource type. */
export interface Meter {
    readonly type: string;
    readonly name: string;
    readonly unit: Unit;
    /** `exists` (default): billed while the resource exists; `deleted`: what its deletion leaves (a snapshot). */
    readonly when?: "exists" | "deleted";
    /** Factors multiplied: numbers, input paths, `$assumption`s. */
    readonly quantity: readonly (number | string)[];
    /** An input path that must be set (truthy) for the meter to apply. */
    readonly if?: string;
    /** `path=value`: the meter does not apply while that input has that value (a stopped pool bills no compute). */
    readonly unless?: string;
    /** One rate per region, or `rateBy` an input path whose value picks a row of `rates`. */
    readonly rate?: Readonly<Record<string, number>>;
    readonly rateBy?: string;
    readonly rates?: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly source: string;
    /** False when the figure could not be checked against a copy of its source on the date read. */
    readonly confirmed: boolean;
    /** Regions whose figure was entered without a readable copy of the source page: unconfirmed there whatever `confirmed` says. */
    readonly unconfirmedRegions?: readonly string[];
    readonly note: string;
}

export interface PriceTable {
    readonly read: string;
    readonly currency: string;
    readonly hoursPerMonth: { readonly value: number; readonly source: string; readonly note: string };
    readonly assumptions: Readonly<Record<string, { readonly value: number; readonly note: string }>>;
    readonly meters: readonly Meter[];
}

export const PRICES_FILE = path.join(__dirname, "prices.json");

/** Thrown when a state cannot be priced: no rate for a size or region, an input a meter needs is missing. */
export class PriceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PriceError";
    }
}

/** Every problem of a price table; empty when valid. */
export function priceTableProblems(table: PriceTable): string[] {
    const problems: string[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(table?.read ?? "")) problems.push(`read: ${table?.read} must be the date the prices were read, YYYY-MM-DD`);
    if (!(table?.hoursPerMonth?.value > 0) || !/^https:\/\//.test(table?.hoursPerMonth?.source ?? "")) problems.push("hoursPerMonth: needs a value > 0 and an https source");
    (table?.meters ?? []).forEach((m, i) => {
        const label = `meters[${i}] ${m?.type} ${m?.name}`;
        if (!UNITS.includes(m?.unit)) problems.push(`${label}: unit ${m?.unit} must be one of ${UNITS.join(", ")}`);
        if (!Array.isArray(m?.quantity) || m.quantity.length === 0) problems.push(`${label}: quantity must list its factors`);
        for (const f of m?.quantity ?? []) {
            if (typeof f === "string" && f.startsWith("$") && !table.assumptions?.[f.slice(1)]) problems.push(`${label}: quantity ${f} names no assumption`);
        }
        const rates = m?.rateBy ? Object.values(m.rates ?? {}).flatMap((r) => Object.values(r)) : Object.values(m?.rate ?? {});
        if ((m?.rateBy === undefined) === (m?.rates !== undefined) || rates.length === 0 || rates.some((r) => typeof r !== "number" || !(r >= 0))) {
            problems.push(`${label}: needs rate (per region) or rateBy with rates (per value, per region), every rate a number >= 0`);
        }
        if (typeof m?.source !== "string" || !/^https:\/\/\S+$/.test(m.source)) problems.push(`${label}: source ${m?.source} must be a public https URL`);
        if (typeof m?.confirmed !== "boolean") problems.push(`${label}: confirmed must say whether the figure was checked against its source`);
        const priced = new Set(m?.rateBy ? Object.values(m.rates ?? {}).flatMap((r) => Object.keys(r)) : Object.keys(m?.rate ?? {}));
        if (m?.unconfirmedRegions !== undefined && (!Array.isArray(m.unconfirmedRegions) || m.unconfirmedRegions.some((r) => !priced.has(r)))) {
            problems.push(`${label}: unconfirmedRegions ${JSON.stringify(m.unconfirmedRegions)} must list regions the meter has a rate for`);
        }
        if (typeof m?.note !== "string" || m.note.trim() === "") problems.push(`${label}: note must say what the figure covers`);
    });
    return problems;
}

export function loadPrices(file = PRICES_FILE): PriceTable {
    const table = JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
    const problems = priceTableProblems(table);
    if (problems.length > 0) throw new Error(`${path.basename(file)} is invalid:\n  ${problems.join("\n  ")}`);
    return table;
}

/** The value at a dot path (`a.0.b`) of a resource's inputs. */
function at(inputs: Record<string, unknown>, dotPath: string): unknown {
    return dotPath.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), inputs);
}

/** One priced meter of one resource. */
export interface CostLine {
    readonly resource: string;
    readonly meter: string;
    /** USD per hour. */
    readonly hourly: number;
    readonly source: string;
    readonly confirmed: boolean;
}

export interface StateCost {
    readonly label: string;
    readonly hourly: number;
    readonly lines: CostLine[];
}

function priceMeter(table: PriceTable, meter: Meter, r: PlannedResource, region: string): CostLine | undefined {
    if (meter.unless !== undefined) {
        const [pathOf, value] = meter.unless.split("=");
        if (String(at(r.inputs, pathOf)) === value) return undefined;
    }
    if (meter.if !== undefined) {
        const flag = at(r.inputs, meter.if);
        if (flag === undefined || flag === false || flag === "false" || flag === "") return undefined;
    }
    let rates = meter.rate;
    if (meter.rateBy) {
        const key = at(r.inputs, meter.rateBy);
        if (key === undefined) return undefined;
        rates = meter.rates?.[String(key)];
        if (!rates) throw new PriceError(`${r.type} ${r.name}: no ${meter.name} price for ${meter.rateBy} ${String(key)} (prices.json has ${Object.keys(meter.rates ?? {}).join(", ")})`);
    }
    const rate = rates?.[region];
    if (rate === undefined) throw new PriceError(`${r.type} ${r.name}: no ${meter.name} price for region ${region} (prices.json has ${Object.keys(rates ?? {}).join(", ")})`);
    let quantity = 1;
    for (const factor of meter.quantity) {
        const value = typeof factor === "number" ? factor : factor.startsWith("$") ? table.assumptions[factor.slice(1)].value : Number(at(r.inputs, factor));
        if (!Number.isFinite(value)) throw new PriceError(`${r.type} ${r.name}: ${meter.name} needs the input ${factor}, which the plan does not set`);
        quantity *= value;
    }
    const perHour = meter.unit === Unit.Hour ? rate : rate / table.hoursPerMonth.value;
    const confirmed = meter.confirmed && !(meter.unconfirmedRegions ?? []).includes(region);
    return { resource: `${r.type} ${r.name}`, meter: meter.name, hourly: perHour * quantity, source: meter.source, confirmed };
}

/**
 * The hourly cost of `state` (undefined: nothing) of a stack whose running plan is `running`:
 * meters of what the state holds and of the retained resources, plus what the
 * deletions of the running plan's other resources leave behind.
 */
export function costOfState(label: string, running: Plan, state: Plan | undefined, region: string, table: PriceTable): StateCost {
    const held = new Map((state?.resources ?? []).filter((r) => r.custom).map((r) => [r.urn, r]));
    const gone: PlannedResource[] = [];
    for (const r of running.resources.filter((x) => x.custom && !held.has(x.urn))) {
        if (r.options.retainOnDelete) held.set(r.urn, r);
        else gone.push(r);
    }
    const lines: CostLine[] = [];
    const add = (resources: Iterable<PlannedResource>, when: "exists" | "deleted") => {
        for (const r of resources) {
            for (const meter of table.meters.filter((m) => m.type === r.type && (m.when ?? "exists") === when)) {
                const line = priceMeter(table, meter, r, region);
                if (line && line.hourly > 0) lines.push(line);
            }
        }
    };
    add(held.values(), "exists");
    add(gone, "deleted");
    return { label, hourly: lines.reduce((s, l) => s + l.hourly, 0), lines };
}

/** `$12.34`. */
export const usd = (amount: number): string => `$${amount.toFixed(2)}`;
