/**
 * A recorded plan as the readers' regional resources: every resource placed by `engine/regions.ts`,
 * with the stack's own region (which the plan records as "", the default provider's) named by
 * what its resources say: an Azure location, else the region of the AWS ARNs and zones they carry.
 */
import { Plan, PlannedResource } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { planRegions, resourceRegions } from "../../engine/regions";
import { RegionalResource, regionNamedBy } from "./readers";

/** The name of the stack's own region, read from its resources; "" when none tells. */
export function ownRegionName(plan: Plan, regions: ReadonlyMap<string, string> = resourceRegions(plan.resources)): string {
    return regionNamedBy(plan.resources.filter((x) => x.custom && regions.get(x.urn) === "").map((r) => ({ ...r.inputs, arn: r.outputs.arn })));
}

/** The plan's resources in named regions, and its regions in plan order (the stack's own first). */
export function regionalPlan(plan: Plan): { resources: RegionalResource[]; regions: string[] } {
    const regions = resourceRegions(plan.resources);
    const own = ownRegionName(plan, regions);
    const name = (region: string) => (region === "" ? own : region);
    const resources = plan.resources.map((r: PlannedResource): RegionalResource => ({
        urn: r.urn, type: r.type, name: r.name, region: name(regions.get(r.urn) ?? ""), inputs: r.inputs, dependencies: r.dependencies,
    }));
    return { resources, regions: planRegions(plan).map(name) };
}

/** The zones of each resource of the plan, by URN: `engine/zones.ts`' answer, the one the plan graph and the pack give. */
export function planZones(plan: Plan): (urn: string) => readonly string[] {
    const graph = new PlanGraph(plan);
    return (urn) => {
        const r = graph.byUrn.get(urn);
        return r ? graph.zonesOf(r) : [];
    };
}
