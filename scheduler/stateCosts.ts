/**
 * The cost of each state a scheduled stack can be in (running, torn down,
 * hibernated), from its plan and the price table, and the weekly cost of each
 * way to run it: always on, the schedule with full teardown, the schedule with
 * hibernation.
 */
import { Plan } from "../engine/format";
import { loadStackFiles } from "../engine/stackFiles";
import { PriceTable, StateCost, costOfState, usd } from "../tools/estimate/cost";
import { HOURS_PER_WEEK } from "./report";

export interface StackCosts {
    readonly region: string;
    readonly running: StateCost;
    readonly tornDown: StateCost;
    /** Absent when the stack has no hibernated plan. */
    readonly hibernated?: StateCost;
    readonly table: PriceTable;
}

/** Prices a stack's states from its running plan (and its hibernated plan, if any). */
export function stackCosts(running: Plan, region: string, table: PriceTable, hibernated?: Plan): StackCosts {
    return {
        region,
        running: costOfState("running", running, running, region, table),
        tornDown: costOfState("torn down", running, undefined, region, table),
        hibernated: hibernated ? costOfState("hibernated", running, hibernated, region, table) : undefined,
        table,
    };
}

export interface WeeklyCosts {
    readonly alwaysOn: number;
    readonly teardown: number;
    /** Absent without a hibernated plan. */
    readonly hibernate?: number;
    readonly hoursUp: number;
}

/** The week's cost of each way to run the stack, for `hoursUp` hours up (spin-up lead included). */
export function weeklyCosts(costs: StackCosts, hoursUp: number): WeeklyCosts {
    const down = HOURS_PER_WEEK - hoursUp;
    return {
        alwaysOn: HOURS_PER_WEEK * costs.running.hourly,
        teardown: hoursUp * costs.running.hourly + down * costs.tornDown.hourly,
        hibernate: costs.hibernated ? hoursUp * costs.running.hourly + down * costs.hibernated.hourly : undefined,
        hoursUp,
    };
}

/** The report's cost lines. */
export function formatWeeklyCosts(costs: StackCosts, weekly: WeeklyCosts): string {
    const down = HOURS_PER_WEEK - weekly.hoursUp;
    const perHour = (c: StateCost) => `$${c.hourly.toFixed(c.hourly < 1 ? 4 : 2)}/h`;
    const unconfirmed = new Set([...costs.running.lines, ...costs.tornDown.lines, ...(costs.hibernated?.lines ?? [])].filter((l) => !l.confirmed).map((l) => l.meter));
    const lines = [
        `Cost per week (on-demand list prices of ${costs.region}, read ${costs.table.read}; data transfer, requests and I/O left out):`,
        `  always on:                ${usd(weekly.alwaysOn).padStart(9)}  (${HOURS_PER_WEEK} h running at ${perHour(costs.running)})`,
        `  schedule, full teardown:  ${usd(weekly.teardown).padStart(9)}  (${weekly.hoursUp.toFixed(1)} h running, ${down.toFixed(1)} h torn down at ${perHour(costs.tornDown)}: ${describeKept(costs.tornDown)})`,
        weekly.hibernate === undefined || !costs.hibernated
            ? "  schedule, hibernation:    not available: the stack has no hibernated plan (intergalactic:schedule.teardown: hibernate)"
            : `  schedule, hibernation:    ${usd(weekly.hibernate).padStart(9)}  (${weekly.hoursUp.toFixed(1)} h running, ${down.toFixed(1)} h hibernated at ${perHour(costs.hibernated)}; intergalactic:schedule.teardown: hibernate)`,
    ];
    if (unconfirmed.size > 0) lines.push(`  not yet checked against their source page: ${[...unconfirmed].sort().join("; ")} (tools/estimate/prices.json)`);
    return lines.join("\n");
}

function describeKept(cost: StateCost): string {
    const meters = [...new Set(cost.lines.map((l) => l.meter))];
    return meters.length === 0 ? "nothing kept" : meters.join(", ");
}

/** The region a stack's config deploys to (`aws:region` or `azure-native:location`). */
export function stackRegion(root: string, stack: string): string {
    const config = loadStackFiles(root, stack).config;
    return config["aws:region"] ?? config["azure-native:location"] ?? "";
}
