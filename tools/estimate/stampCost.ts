/**
 * What each regional stamp of a stack costs per month while it runs, from the price table
 * (prices.json): the meters of the stamp's resources at its own region's rates. A stamp the table
 * has no rate for (a region or size nobody priced yet) is reported as not priced, naming the
 * missing rate, rather than guessed. `npm run plan -- --estimate` prints it.
 */
import { Plan } from "../../engine/format";
import { planRegions, resourceRegions, stampPlan } from "../../engine/regions";
import { ownRegionName } from "../../policies/regionLoss/fromPlan";
import { PriceError, PriceTable, costOfState, usd } from "./cost";

export interface StampCost {
    readonly region: string;
    /** USD per month, undefined when the table cannot price the stamp. */
    readonly monthly?: number;
    /** Why it is not priced (the first missing rate). */
    readonly missing?: string;
    /** Meters whose figure was not checked against its source. */
    readonly unconfirmed: readonly string[];
}

/** Each stamp's running cost per month, in the plan's region order (the stack's own first). */
export function stampCosts(plan: Plan, table: PriceTable): StampCost[] {
    const own = ownRegionName(plan, resourceRegions(plan.resources));
    return planRegions(plan).map((region): StampCost => {
        const name = region === "" ? own : region;
        const stamp = stampPlan(plan, region);
        try {
            const cost = costOfState("running", stamp, stamp, name, table);
            return { region: name, monthly: cost.hourly * table.hoursPerMonth.value, unconfirmed: [...new Set(cost.lines.filter((l) => !l.confirmed).map((l) => l.meter))].sort() };
        } catch (err) {
            if (!(err instanceof PriceError)) throw err;
            return { region: name, missing: err.message, unconfirmed: [] };
        }
    });
}

/** The report's lines. */
export function formatStampCosts(costs: readonly StampCost[], table: PriceTable): string {
    const lines = [`Running cost per stamp and month (on-demand list prices read ${table.read}, ${table.hoursPerMonth.value} h; data transfer, requests and I/O left out):`];
    for (const c of costs) {
        lines.push(`  ${c.region.padEnd(12)} ${c.monthly === undefined ? `not priced: ${c.missing}` : usd(c.monthly).padStart(10)}`);
    }
    const unconfirmed = [...new Set(costs.flatMap((c) => c.unconfirmed))].sort();
    if (unconfirmed.length > 0) lines.push(`  not yet checked against their source page: ${unconfirmed.join("; ")} (tools/estimate/prices.json)`);
    return lines.join("\n");
}
