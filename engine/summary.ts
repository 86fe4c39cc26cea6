/**
 * A readable summary of a plan: resources per component and per type, and
 * the zones each tier and each component spans.
 */
import { Plan } from "./format";
import { PlanGraph } from "./graph";

export interface ZoneSpan {
    /** A tier (`public`, `app`, `data`) or a component (`HaRedis cache`). */
    readonly label: string;
    readonly zones: string[];
}

/** The zones each subnet tier spans, and each top-level component's resources span. */
export function zoneSpans(plan: Plan, graph = new PlanGraph(plan)): ZoneSpan[] {
    const tiers = new Map<string, Set<string>>();
    const components = new Map<string, Set<string>>();
    for (const subnet of graph.networkSubnets()) add(tiers, `tier ${subnet.tier}`, subnet.zone || "regional");
    for (const r of plan.resources.filter((r) => r.custom)) {
        const zones = graph.zonesOf(r);
        if (zones.length === 0) continue;
        const top = graph.topComponent(r);
        if (!top.custom) zones.forEach((z) => add(components, `${top.type.split(":").pop()} ${top.name}`, z));
    }
    // Zone-redundant services (e.g. Cosmos DB, Azure Managed Redis) create no per-zone resources;
    // their components export the zones the service spreads over.
    for (const top of plan.resources.filter((r) => !r.custom && r.parent !== "" && graph.byUrn.get(r.parent)?.type === "pulumi:pulumi:Stack")) {
        const exported = top.outputs.zones;
        if (Array.isArray(exported)) exported.filter((z): z is string => typeof z === "string").forEach((z) => add(components, `${top.type.split(":").pop()} ${top.name}`, z));
    }
    return [...tiers, ...components].map(([label, zones]) => ({ label, zones: [...zones].sort() }));
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key) ?? new Set<string>();
    set.add(value);
    map.set(key, set);
}

function countBy<T>(items: T[], key: (t: T) => string): [string, number][] {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}

/** The summary as text lines. */
export function summarize(plan: Plan): string {
    const graph = new PlanGraph(plan);
    const custom = plan.resources.filter((r) => r.custom);
    const lines = [
        `Stack ${plan.stack} (${plan.cloud}): ${plan.resources.length} resources, ${custom.length} cloud resources`,
        "",
        "By component:",
        ...countBy(custom, (r) => {
            const top = graph.topComponent(r);
            return top.custom ? "(stack)" : `${top.type.split(":").pop()} ${top.name}`;
        }).map(([k, n]) => `  ${k.padEnd(40)} ${String(n).padStart(4)}`),
        "",
        "By type:",
        ...countBy(custom, (r) => r.type).map(([k, n]) => `  ${k.padEnd(60)} ${String(n).padStart(4)}`),
        "",
        "Zones spanned:",
        ...zoneSpans(plan, graph).map((s) => `  ${s.label.padEnd(40)} ${s.zones.length} zones: ${s.zones.join(", ")}`),
    ];
    return lines.join("\n");
}
