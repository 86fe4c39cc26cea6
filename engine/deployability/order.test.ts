/**
 * A property of every stack plan, independent of how the rules find their gates: in any order the
 * engine may choose (any topological order of the dependency graph, forwards for `up`, backwards for
 * `destroy`), every Kubernetes object is created after, and deleted before, what it needs to exist:
 * the cluster, the nodes, the network, the deployer's grant and the controllers.
 */
import * as assert from "assert";
import fc from "fast-check";
import { DependencyGraph } from "../dependencies";
import { Plan, PlannedResource } from "../format";
import { stackNames, stackStampPlan } from "../testing/plan";
import { AKS_DATA_PLANE_ROLES } from "./gates";

/** The stacks, from the Pulumi.<stack>.yaml files, so a new stack is covered without listing it here. */
const STACKS = stackNames();

/** A small deterministic generator, seeded by fast-check, to pick among ready resources. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** One order the engine may run: `forward` waits for dependencies (up), otherwise for dependents (destroy). */
function engineOrder(graph: DependencyGraph, seed: number, forward: boolean): Map<string, number> {
    const nodes = graph.ordered().map((r) => r.urn);
    const waitsFor = (u: string) => (forward ? graph.direct(u) : graph.dependents(u));
    const pending = new Map(nodes.map((u) => [u, waitsFor(u).length]));
    const ready = nodes.filter((u) => pending.get(u) === 0);
    const pick = random(seed);
    const order = new Map<string, number>();
    while (ready.length > 0) {
        const [next] = ready.splice(Math.floor(pick() * ready.length), 1);
        order.set(next, order.size);
        for (const later of forward ? graph.dependents(next) : graph.direct(next)) {
            const left = pending.get(later)! - 1;
            pending.set(later, left);
            if (left === 0) ready.push(later);
        }
    }
    assert.strictEqual(order.size, nodes.length, "the graph has a cycle");
    return order;
}

const isKubernetesObject = (r: PlannedResource) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:");

/** What must exist while each Kubernetes object does, by kind: found by type alone, one cluster per stack. */
function keepers(plan: Plan): { object: PlannedResource; keeper: PlannedResource; what: string }[] {
    const of = (...types: string[]) => plan.resources.filter((r) => r.custom && types.includes(r.type));
    const cluster = of("aws:eks/cluster:Cluster", "azure-native:containerservice:ManagedCluster");
    const nodes = [...of("aws:eks/nodeGroup:NodeGroup"), ...of("azure-native:containerservice:AgentPool").filter((p) => p.inputs.mode === "User")];
    const network = of("aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "azure-native:network:VirtualNetwork", "azure-native:network:Subnet")
        .filter((n) => !String(n.name).includes("data") && !String(n.name).includes("bastion"));
    const grants = [...of("aws:eks/accessPolicyAssociation:AccessPolicyAssociation"),
        ...of("azure-native:authorization:RoleAssignment").filter((a) => AKS_DATA_PLANE_ROLES.some((id) => String(a.inputs.roleDefinitionId).endsWith(id)))];
    const releases = of("kubernetes:helm.sh/v3:Release");
    const controller = releases.filter((r) => r.inputs.chart === "aws-load-balancer-controller");
    // The cluster autoscaler's chart registers no admission webhook and puts no finalizer on app objects
    // (kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/templates at cluster-autoscaler-chart-9.52.1), so the app tier neither waits for it nor
    // outlives it; every other release (webhooks, finalizers, CRDs) must exist while the app tier does.
    const appControllers = releases.filter((r) => r.inputs.chart !== "cluster-autoscaler");
    const pairs: { object: PlannedResource; keeper: PlannedResource; what: string }[] = [];
    for (const object of plan.resources.filter((r) => r.custom && isKubernetesObject(r))) {
        const add = (what: string, list: PlannedResource[]) => list.forEach((keeper) => keeper.urn !== object.urn && pairs.push({ object, keeper, what }));
        add("cluster", cluster);
        add("grant", grants);
        if (object.type === "kubernetes:helm.sh/v3:Release") {
            add("nodes", nodes);
            add("network", network);
            if (object.inputs.chart !== "aws-load-balancer-controller") add("webhook controller", controller);
        } else {
            // Objects of the app tier: the controllers, nodes and network outlive them.
            add("controller", appControllers);
            add("nodes", nodes);
            add("network", network);
        }
    }
    return pairs;
}

describe("every order the engine may choose for a stack", () => {
    for (const stack of STACKS) {
        it(`creates ${stack}'s Kubernetes objects after, and deletes them before, their cluster, grant, controllers, nodes and network`, async () => {
            const plan = await stackStampPlan(stack, "");
            const graph = new DependencyGraph(plan);
            const pairs = keepers(plan);
            assert.ok(pairs.length > 50, `only ${pairs.length} pairs`);
            fc.assert(fc.property(fc.integer(), fc.integer(), (upSeed, destroySeed) => {
                const up = engineOrder(graph, upSeed, true);
                const destroy = engineOrder(graph, destroySeed, false);
                for (const { object, keeper, what } of pairs) {
                    assert.ok(up.get(keeper.urn)! < up.get(object.urn)!, `up creates ${object.name} before its ${what} ${keeper.name}`);
                    assert.ok(destroy.get(keeper.urn)! > destroy.get(object.urn)!, `destroy deletes ${what} ${keeper.name} before ${object.name}`);
                }
            }), { numRuns: 20 });
        });
    }
});
