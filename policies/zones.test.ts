/**
 * The plan graph (offline plan, zone-loss analysis, summary) and the policy pack's topology read zones
 * through one reader (`engine/zones.ts`); on every stack they must place every resource alike, though
 * the pack sees a resource's outputs and the plan graph what the program set.
 */
import * as assert from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { Plan } from "../engine/format";
import { PlanGraph } from "../engine/graph";
import { stackNames, stackPlan } from "../engine/testing/plan";
import { Topology } from "./pack/topology";

/** The plan's resources as `analyzeStack` receives them: outputs as props, property dependencies as resources. */
function policyResources(plan: Plan): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    for (const r of plan.resources) byUrn.set(r.urn, { type: r.type, name: r.name, urn: r.urn, props: r.outputs, propertyDependencies: {} } as unknown as PolicyResource);
    for (const r of plan.resources) {
        const deps = byUrn.get(r.urn)!.propertyDependencies;
        for (const [key, urns] of Object.entries(r.propertyDependencies)) deps[key] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
    }
    return [...byUrn.values()];
}

describe("one zone reader", () => {
    for (const stack of stackNames()) {
        it(`places every resource of ${stack} in the same zones for the plan graph and the policy pack`, async () => {
            const plan = await stackPlan(stack);
            const graph = new PlanGraph(plan);
            const resources = policyResources(plan);
            const topology = new Topology(resources);
            const differ = plan.resources.map((r, i) => [r, graph.zonesOf(r), topology.zonesOf(resources[i])] as const)
                .filter(([, a, b]) => [...a].sort().join() !== [...b].sort().join())
                .map(([r, a, b]) => `${r.type} ${r.name}: plan [${a}] policy [${b}]`);
            assert.deepStrictEqual(differ, []);
            assert.ok(plan.resources.some((r) => graph.zonesOf(r).length > 0), "some resource is zonal");
        });
    }
});
