import * as assert from "assert";
import { EKS_UNSUPPORTED_ZONE_IDS } from "../../components/network/zones";
import { DependencyGraph } from "../../engine/dependencies";
import { Plan } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { awsZoneId } from "../../engine/invokes";
import { named, ofType, stackNames, stackRegion, stackStampPlan } from "../../engine/testing/plan";

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's network on AWS`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it("puts no subnet in a zone whose ID EKS rejects (us-east-1c is use1-az3 in the plan's account)", () => {
            const zones = [...new Set(ofType(plan, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone as string))];
            assert.strictEqual(zones.length, 3, zones.join(", "));
            for (const zone of zones) {
                const id = awsZoneId(zone);
                assert.ok(id, `no zone ID known for ${zone}`);
                assert.ok(!EKS_UNSUPPORTED_ZONE_IDS.includes(id), `${zone} is ${id}, which EKS rejects`);
            }
            const cluster = named(plan, "aws:eks/cluster:Cluster", "cluster-eks");
            const graph = new PlanGraph(plan);
            for (const zone of graph.zonesOf(cluster)) assert.ok(!EKS_UNSUPPORTED_ZONE_IDS.includes(awsZoneId(zone)!), zone);
        });

        it("keeps the way out of the subnets (associations, default routes, NAT and internet gateways) until the nodes, charts and Ingress are gone", () => {
            const graph = new DependencyGraph(plan);
            const egress = [
                ...ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((r) => /-(app|public)-/.test(r.name)),
                // The default routes; a route through a peering to another stamp (stacks/tiers/peering.ts) is no way out.
                ...ofType(plan, "aws:ec2/route:Route").filter((r) => r.inputs.vpcPeeringConnectionId === undefined),
                ...ofType(plan, "aws:ec2/natGateway:NatGateway"),
                ...ofType(plan, "aws:ec2/internetGateway:InternetGateway"),
            ];
            assert.ok(egress.filter((r) => r.type === "aws:ec2/route:Route").length >= 6, "default routes of the app and public subnets");
            const needers = [
                ...ofType(plan, "aws:eks/nodeGroup:NodeGroup"),
                ...ofType(plan, "kubernetes:helm.sh/v3:Release"),
                ...ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress"),
            ];
            assert.ok(needers.some((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress"), "the plan has an Ingress");
            const missing = needers.flatMap((r) => egress.filter((e) => !graph.dependsOn(r.urn, e.urn)).map((e) => `${r.name} -> ${e.name}`));
            assert.deepStrictEqual(missing, []);
        });

        it("starts the EKS control plane as soon as its subnets exist: only the nodes wait for a way out (the node-egress gate)", () => {
            const graph = new DependencyGraph(plan);
            const egress = [
                ...ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation"),
                ...ofType(plan, "aws:ec2/route:Route"),
                ...ofType(plan, "aws:ec2/natGateway:NatGateway"),
            ];
            const cluster = named(plan, "aws:eks/cluster:Cluster", "cluster-eks");
            assert.deepStrictEqual(egress.filter((e) => graph.dependsOn(cluster.urn, e.urn)).map((e) => e.name), []);
            const appSubnets = ofType(plan, "aws:ec2/subnet:Subnet").filter((s) => /-app-/.test(s.name));
            assert.deepStrictEqual(cluster.inputs.vpcConfig && (cluster.inputs.vpcConfig as { subnetIds: string[] }).subnetIds, appSubnets.map((s) => s.id));
            // Only with the control plane's egress left to AWS (the default, AWS_MANAGED): CUSTOMER_ROUTED sends it
            // through these subnets, which would then need their routes first (API_VpcConfigRequest).
            assert.ok([undefined, "AWS_MANAGED"].includes((cluster.inputs.vpcConfig as { controlPlaneEgressMode?: string }).controlPlaneEgressMode));
            for (const group of ofType(plan, "aws:eks/nodeGroup:NodeGroup")) {
                const routes = ofType(plan, "aws:ec2/route:Route").filter((r) => graph.dependsOn(group.urn, r.urn));
                assert.ok(routes.some((r) => r.inputs.natGatewayId !== undefined), `${group.name} waits for its subnet's NAT route`);
            }
        });

        it("makes the apps' Kubernetes provider wait for the load balancer controller (its webhooks) but not for the cluster autoscaler, which registers none", () => {
            const graph = new DependencyGraph(plan);
            const provider = named(plan, "pulumi:providers:kubernetes", "cluster-apps");
            assert.ok(graph.dependsOn(provider.urn, named(plan, "kubernetes:helm.sh/v3:Release", "cluster-lb-controller").urn));
            assert.ok(!graph.dependsOn(provider.urn, named(plan, "kubernetes:helm.sh/v3:Release", "cluster-autoscaler").urn));
            for (const type of ["aws:eks/nodeGroup:NodeGroup", "aws:eks/addon:Addon"]) {
                for (const r of ofType(plan, type)) assert.ok(graph.dependsOn(provider.urn, r.urn), `${provider.name} -> ${r.name}`);
            }
        });

        it("lets the flow-logs service assume the flow-log role only for this account's flow logs in this region", () => {
            const trust = JSON.parse(named(plan, "aws:iam/role:Role", "net-flow-logs").inputs.assumeRolePolicy as string);
            const region = stackRegion(stack);
            assert.deepStrictEqual(trust.Statement[0].Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": `arn:aws:ec2:${region}:123456789012:vpc-flow-log/*` },
            });
        });
    });
}
