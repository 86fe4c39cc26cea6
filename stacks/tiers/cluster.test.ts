import * as assert from "assert";
import { stackStampPlan } from "../../engine/testing/plan";
import { Plan, PlannedResource } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { projectStacks } from "../../engine/testing/plan";

/** Every stack with its cloud, from the Pulumi.<stack>.yaml files. */
const STACKS = projectStacks().map((s) => [s.stack, s.cloud as keyof typeof WORKER_GROUPS] as const);
/** The resources that hold the workers, per cloud. */
const WORKER_GROUPS = { aws: "aws:eks/nodeGroup:NodeGroup", azure: "azure-native:containerservice:AgentPool" } as const;

const only = (plan: Plan, type: string): PlannedResource => {
    const found = plan.resources.filter((r) => r.type === type);
    assert.strictEqual(found.length, 1, `one ${type}`);
    return found[0];
};

for (const [stack, cloud] of STACKS) {
    describe(`the ${stack} stack's compute tier`, () => {
        let plan: Plan;
        let graph: PlanGraph;
        before(async () => {
            plan = await stackStampPlan(stack, "");
            graph = new PlanGraph(plan);
        });

        it("runs one KubernetesCluster whose worker groups span 3 distinct zones in the app subnets", () => {
            const component = only(plan, "intergalactic:index:KubernetesCluster");
            const groups = plan.resources.filter((r) => r.type === WORKER_GROUPS[cloud]);
            assert.strictEqual(groups.length, 3);
            const zones = groups.flatMap((g) => graph.zonesOf(g));
            assert.strictEqual(new Set(zones).size, 3, `zones: ${zones.join(", ")}`);
            const appSubnets = graph.networkSubnets().filter((s) => s.tier === "app");
            const subnetOf = (g: PlannedResource) => (cloud === "aws" ? (g.inputs.subnetIds as string[])[0] : g.inputs.vnetSubnetID as string);
            for (const group of groups) {
                assert.ok(appSubnets.some((s) => s.id === subnetOf(group)), `${group.name} is outside the app tier`);
                assert.strictEqual(graph.topComponent(group).urn, component.urn);
            }
            assert.deepStrictEqual(component.outputs.workerCidrs, appSubnets.map((s) => s.cidr));
        });

        it("opens the API server only to the declared deployer ranges, and the private endpoint only to the app and public (bastion) subnets, on the API's own security group", () => {
            if (cloud === "aws") {
                const eks = only(plan, "aws:eks/cluster:Cluster");
                const vpc = eks.inputs.vpcConfig as Record<string, unknown>;
                assert.deepStrictEqual([vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs], [true, true, ["203.0.113.0/28"]]);
                const component = only(plan, "intergalactic:index:KubernetesCluster");
                const rules = plan.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.parent === component.urn);
                // The callers' tiers only (docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html): not the whole
                // network, so neither the data tier nor the unallocated space.
                const subnets = graph.networkSubnets();
                const callers = [...subnets.filter((s) => s.tier === "app"), ...subnets.filter((s) => s.tier === "public")].map((s) => s.cidr);
                assert.strictEqual(callers.length, 6);
                assert.deepStrictEqual(rules.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]), callers.map((c) => [c, 443, 443]));
                const network = only(plan, "intergalactic:index:Vpc3Az").outputs.cidrBlock;
                assert.ok(!rules.some((r) => r.inputs.cidrIpv4 === network), `the whole network ${network} is admitted`);
                // Not the cluster security group, which EKS puts on every managed node and so on the pods.
                const clusterGroup = (eks.outputs.vpcConfig as Record<string, unknown>).clusterSecurityGroupId;
                assert.ok(rules.every((r) => r.inputs.securityGroupId !== clusterGroup && (vpc.securityGroupIds as string[]).includes(r.inputs.securityGroupId as string)));
            } else {
                const access = only(plan, "azure-native:containerservice:ManagedCluster").inputs.apiServerAccessProfile as Record<string, unknown>;
                // The deployers' ranges, and the nodes' own NAT addresses (MicrosoftDocs/azure-docs#97437).
                const natIps = plan.resources.filter((r) => r.type === "azure-native:network:PublicIPAddress" && r.name.includes("nat-ip"))
                    .map((r) => `${r.outputs.ipAddress}/32`);
                assert.ok(natIps.length > 0);
                assert.deepStrictEqual(access, { authorizedIPRanges: ["203.0.113.0/28", ...natIps] });
            }
        });

        it("exports the cluster name", () => {
            const component = only(plan, "intergalactic:index:KubernetesCluster");
            assert.strictEqual(plan.stackOutputs.clusterName, component.outputs.clusterName);
            assert.ok(String(plan.stackOutputs.clusterName).length > 0);
        });
    });
}
