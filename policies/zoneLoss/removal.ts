/**
 * Taking zones out of a plan: every resource that lives wholly in the lost
 * zone (its own zone fields, zone tag, or the subnets it references) is
 * removed. Resources spread over several zones stay; the tier checks judge
 * what they lose.
 */
import { Plan, PlannedResource } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";

/** The zones the plan's network spans: its subnets' zones, sorted. */
export function planZones(plan: Plan): string[] {
    const graph = new PlanGraph(plan);
    const fromNetwork = graph.networkSubnets().map((s) => s.zone);
    const fromSubnets = plan.resources.filter((r) => /:Subnet$/.test(r.type)).flatMap((r) => graph.zonesOf(r));
    return [...new Set([...fromNetwork, ...fromSubnets].filter((z) => z !== ""))].sort();
}

/** True when every zone the resource lives in is among `zones`. */
export function isWhollyIn(graph: PlanGraph, resource: PlannedResource, zones: readonly string[]): boolean {
    const own = graph.zonesOf(resource);
    return resource.custom && own.length > 0 && own.every((z) => zones.includes(z));
}

/** The plan without the zonal resources of `zones`; the network's exported subnets of those zones go too. */
export function withoutZones(plan: Plan, zones: readonly string[]): Plan {
    const graph = new PlanGraph(plan);
    const resources = plan.resources
        .filter((r) => !isWhollyIn(graph, r, zones))
        .map((r) => r.type !== "intergalactic:index:Vpc3Az" ? r : {
            ...r,
            outputs: {
                ...r.outputs,
                zones: ((r.outputs.zones as string[] | undefined) ?? []).filter((z) => !zones.includes(z)),
                subnets: ((r.outputs.subnets as { zone: string }[] | undefined) ?? []).filter((s) => !zones.includes(s.zone)),
            },
        });
    return { ...plan, resources };
}
