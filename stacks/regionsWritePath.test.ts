/**
 * The cross-region write path of prod on AWS: the stamps' networks joined by an inter-region VPC peering, with a
 * route to the other stamp's block in every private route table of both networks, each cluster admitting the other
 * stamp's app subnets, and every stamp's services told the writer (intergalactic:mongo.writerRegion). dev (one
 * region) and prod-azure (one Cosmos DB account with an endpoint per network) have none of it.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { ROOT, loadProgram } from "../engine/planStack";
import { runPlan } from "../engine/runPlan";
import { resourceRegions } from "../engine/regions";
import { loadStackFiles } from "../engine/stackFiles";
import { rejection, stackPlan } from "../engine/testing/plan";
import { planPeerings } from "./tiers/peering";
import { Cloud } from "../components/common";

const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter";

const named = (plan: Plan, name: string): PlannedResource => {
    const found = plan.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
};
/** The stack's own `intergalactic:mongo` with `extra` keys over it. */
const withMongo = (stack: string, extra: Record<string, unknown>): Record<string, string> =>
    ({ "intergalactic:mongo": JSON.stringify({ ...JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:mongo"]), ...extra }) });
const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);
const GLOBAL_CLUSTER = "aws:docdb/globalCluster:GlobalCluster";
/** The deployed global cluster of `plan` with `writer` (a DocumentDB cluster's name) as the member that writes, the others read. */
const writerIs = (plan: Plan, writer: string): PlannedResource[] => ofType(plan, GLOBAL_CLUSTER).map((g) => ({
    ...g,
    outputs: {
        ...g.outputs,
        globalClusterMembers: ofType(plan, "aws:docdb/cluster:Cluster").map((c) => ({ dbClusterArn: c.outputs.arn, isWriter: c.name === writer })),
    },
}));
/** A stack's plan over `deployed`, the state the provider last read. */
const planWithState = (stack: string, overrides: Record<string, string>, deployed: PlannedResource[]): Promise<Plan> => {
    const files = loadStackFiles(ROOT, stack);
    return runPlan({ ...files, config: { ...files.config, ...overrides }, program: loadProgram(files.main), deployed });
};

describe("the cross-region write path (prod on AWS)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod");
    });

    it("requests one inter-region peering from eu-west-1 and accepts it in us-east-1, without autoAccept on the request", () => {
        const regions = resourceRegions(plan.resources);
        const [request] = ofType(plan, PEERING);
        const [accept] = ofType(plan, ACCEPTER);
        assert.deepStrictEqual([ofType(plan, PEERING).length, ofType(plan, ACCEPTER).length], [1, 1]);
        assert.strictEqual(request.name, "peering-euw1-use1");
        assert.strictEqual(regions.get(request.urn), "");
        assert.strictEqual(request.inputs.vpcId, named(plan, "net-vpc").outputs.id);
        assert.strictEqual(request.inputs.peerVpcId, named(plan, "net-use1-vpc").outputs.id);
        assert.strictEqual(request.inputs.peerRegion, "us-east-1");
        // An inter-region request must leave autoAccept unset (the provider's peerRegion documentation).
        assert.strictEqual(request.inputs.autoAccept, undefined);
        assert.strictEqual(accept.name, "peering-euw1-use1-accept");
        assert.strictEqual(regions.get(accept.urn), "us-east-1");
        assert.strictEqual(accept.inputs.vpcPeeringConnectionId, request.outputs.id);
        assert.strictEqual(accept.inputs.autoAccept, true);
    });

    it("routes the other stamp's block through the accepted peering in every private route table of both networks, and no public one", () => {
        const regions = resourceRegions(plan.resources);
        const [accept] = ofType(plan, ACCEPTER);
        const routes = ofType(plan, "aws:ec2/route:Route").filter((r) => r.inputs.vpcPeeringConnectionId !== undefined);
        const privateTables = ofType(plan, "aws:ec2/routeTable:RouteTable").filter((t) => /-rt-(app|data)-/.test(t.name));
        assert.strictEqual(privateTables.length, 12);
        for (const table of privateTables) {
            const through = routes.filter((r) => r.inputs.routeTableId === table.outputs.id);
            assert.strictEqual(through.length, 1, table.name);
            const [route] = through;
            const own = regions.get(table.urn);
            assert.strictEqual(regions.get(route.urn), own, route.name);
            assert.strictEqual(route.inputs.destinationCidrBlock, own === "" ? "10.21.0.0/16" : "10.20.0.0/16", route.name);
            // Created once the connection is active (after its accepter), deleted before it.
            assert.ok(route.dependencies.includes(accept.urn), route.name);
        }
        assert.strictEqual(routes.length, privateTables.length);
        for (const table of ofType(plan, "aws:ec2/routeTable:RouteTable").filter((t) => /-rt-public-/.test(t.name))) {
            assert.strictEqual(routes.some((r) => r.inputs.routeTableId === table.outputs.id), false, table.name);
        }
    });

    it("joins every pair of stamps, named by region keys, so a third region adds pairs and renames none", () => {
        const stamps = [
            { region: "eu-west-1", cidrBlock: "10.20.0.0/16", routeTables: ["net-rt-app-a"] },
            { region: "us-east-1", cidrBlock: "10.21.0.0/16", routeTables: ["net-use1-rt-app-a"] },
        ];
        const two = planPeerings(Cloud.Aws, stamps);
        const three = planPeerings(Cloud.Aws, [...stamps, { region: "ap-southeast-2", cidrBlock: "10.22.0.0/16", routeTables: ["net-apse2-rt-app-a"] }]);
        assert.deepStrictEqual(three.map((p) => p.name), ["peering-euw1-use1", "peering-euw1-apse2", "peering-use1-apse2"]);
        assert.deepStrictEqual(three[0], two[0]);
        assert.deepStrictEqual(three[2].routes.map((r) => [r.name, r.destination]), [
            ["net-use1-rt-app-a-to-apse2", "10.22.0.0/16"], ["net-apse2-rt-app-a-to-use1", "10.21.0.0/16"],
        ]);
    });

    it("lets each cluster's security group admit the other stamp's app subnets on 27017 and their path MTU ICMP, by range, and nothing more", () => {
        const regions = resourceRegions(plan.resources);
        const appCidrs = (region: string) => ofType(plan, "aws:ec2/subnet:Subnet")
            .filter((s) => regions.get(s.urn) === region && /-app-[a-z]$/.test(s.name)).map((s) => String(s.inputs.cidrBlock));
        assert.deepStrictEqual([appCidrs(""), appCidrs("us-east-1")], [["10.20.0.0/20", "10.20.32.0/20", "10.20.64.0/20"], ["10.21.0.0/20", "10.21.32.0/20", "10.21.64.0/20"]]);
        for (const [group, own, other] of [["users-sg", "", "us-east-1"], ["users-use1-sg", "us-east-1", ""]] as const) {
            const ingress = named(plan, group).inputs.ingress as { protocol: string; cidrBlocks: string[]; fromPort: number; toPort: number; securityGroups?: string[] }[];
            // ICMP type 3 code 4 ("fragmentation needed") from the peer's clients: the peering's MTU is 8500, the pods' 9001
            // (network_mtu.html, path_mtu_discovery.html), so a large reply needs path MTU discovery to get through.
            assert.deepStrictEqual(ingress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
                [["tcp", 27017, 27017, appCidrs(own)], ["tcp", 27017, 27017, appCidrs(other)], ["icmp", 3, 4, appCidrs(other)]], group);
            // No security-group reference across regions (the VPC peering guide: use the peer VPC's CIDR block instead).
            assert.deepStrictEqual(ingress[1].securityGroups ?? [], [], group);
        }
        assert.doesNotMatch(JSON.stringify([named(plan, "users-sg").inputs, named(plan, "users-use1-sg").inputs]), /0\.0\.0\.0\/0|10\.2[01]\.0\.0\/16/);
    });

    it("gives us-east-1's services a writer string of the primary in eu-west-1, beside the local reader, and opens its data subnets on 27017", () => {
        const outputs = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs;
        assert.deepStrictEqual(outputs.mongoWriter, { region: "eu-west-1", host: named(plan, "users-cluster").outputs.endpoint });
        const deployment = named(plan, "cookies-use1-get-cookie-deployment");
        const env = ((deployment.inputs.spec as any).template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[]);
        assert.deepStrictEqual(env.filter((e) => e.name === "MONGO_WRITER_URL").map((e) => e.valueFrom!.secretKeyRef), [{ name: "mongo-connection", key: "writer-connection-string", optional: false }]);
        // The reader stays the local secondary.
        assert.ok(named(plan, "cookies-use1-mongo-secret").dependencies.some((d) => d.endsWith("::users-use1-cluster")));
        const egress = (named(plan, "cookies-use1-get-cookie-policy").inputs.spec as any).egress as { to: { ipBlock?: { cidr: string } }[]; ports: unknown }[];
        const remote = egress.filter((r) => r.to.some((p) => p.ipBlock?.cidr.startsWith("10.20.")));
        assert.deepStrictEqual(remote, [{ to: ["10.20.20.0/22", "10.20.52.0/22", "10.20.84.0/22"].map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 27017 }] }]);
        // The primary's own services write where they read: the writer's keys, no rule beyond their data tier.
        const primary = (named(plan, "cookies-get-cookie-policy").inputs.spec as any).egress as { to: { ipBlock?: { cidr: string } }[] }[];
        assert.strictEqual(JSON.stringify(primary).includes("10.21."), false);
    });

    it("moves every stamp's writer with intergalactic:mongo.writerRegion, after a global failover", async () => {
        // The state after `failover-global-cluster` and a refresh: the us-east-1 member writes.
        const failedOver = await planWithState("prod", withMongo("prod", { writerRegion: "us-east-1" }), writerIs(plan, "users-use1-cluster"));
        const outputs = failedOver.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs;
        assert.deepStrictEqual(outputs.mongoWriter, { region: "us-east-1", host: named(failedOver, "users-use1-cluster").outputs.endpoint });
        const egress = JSON.stringify((named(failedOver, "cookies-get-cookie-policy").inputs.spec as any).egress);
        assert.ok(egress.includes("10.21.20.0/22"), egress);
        assert.strictEqual(JSON.stringify((named(failedOver, "cookies-use1-get-cookie-policy").inputs.spec as any).egress).includes("10.20."), false);
    });

    it("fails the up when the writer region's cluster is not the global cluster's writer in the state, leading with a refresh", async () => {
        const primaryArn = named(plan, "users-cluster").outputs.arn as string;
        const secondaryArn = named(plan, "users-use1-cluster").outputs.arn as string;
        // The error reaches the test wrapped in the serialization of what awaited it; the message itself leads with the refresh.
        const refreshFirst = /(^|: )the state may be stale: run `pulumi up --refresh` first\. /;
        // writerRegion committed after a failover, the state read before it (every member, eu-west-1 the writer): the
        // message must not send the operator to remove the key, which would point every stamp at the read-only cluster.
        const stale = await rejection(planWithState("prod", withMongo("prod", { writerRegion: "us-east-1" }), writerIs(plan, "users-cluster")));
        assert.match(stale.message, refreshFirst);
        assert.ok(stale.message.includes(`intergalactic:mongo.writerRegion: "us-east-1" names the cluster ${secondaryArn}, ` +
            `but the state names ${primaryArn} (eu-west-1) as the global cluster's writer`), stale.message);
        assert.match(stale.message, /check the live writer with `aws docdb describe-global-clusters --global-cluster-identifier \S+ --region us-east-1` before changing the key: only if .*remove intergalactic:mongo\.writerRegion/);
        // After a failover, an up from a repository without the key would send every write to the read-only eu-west-1 cluster.
        const reverted = await rejection(planWithState("prod", {}, writerIs(plan, "users-use1-cluster")));
        assert.match(reverted.message, refreshFirst);
        assert.match(reverted.message, /intergalactic:mongo\.writerRegion: "eu-west-1" names the cluster .*but the state names .*users-use1-cluster.* \(us-east-1\).*describe-global-clusters.*set intergalactic:mongo\.writerRegion to us-east-1 in the stack's file/);
    });

    it("names a writer region's cluster the global cluster no longer holds as detached, advising no key change", async () => {
        // After remove-from-global-cluster and a refresh, the global cluster holds eu-west-1 only, still its writer.
        const detached = writerIs(plan, "users-cluster").map((g) => ({
            ...g, outputs: { ...g.outputs, globalClusterMembers: (g.outputs.globalClusterMembers as { isWriter: boolean }[]).filter((m) => m.isWriter) },
        }));
        const error = await rejection(planWithState("prod", withMongo("prod", { writerRegion: "us-east-1" }), detached));
        assert.match(error.message, /which is not a member of the global cluster .* in the state\. .*detached by remove-from-global-cluster.*Do not point writes at another member without checking which one is writable/);
        assert.doesNotMatch(error.message, /(remove|set) intergalactic:mongo\.writerRegion/);
    });

    it("fails a first up that names a writer region other than the global cluster's source, naming the key (in a real up, at apply)", async () => {
        // The mocks read the new global cluster's members at registration. A real preview of a first up has them unknown and
        // passes; the up then fails at apply, once the provider's read after the create lists the source cluster alone,
        // before any Secret takes the writer.
        const error = await rejection(stackPlan("prod", withMongo("prod", { writerRegion: "us-east-1" })));
        assert.match(error.message, /intergalactic:mongo\.writerRegion: "us-east-1" names the cluster \S*users-use1\S*, which is not a member of the global cluster/);
    });

    it("lowers both clusters' VPC CNI MTU to the peering's 8500, and leaves a one-region stack's at its default", async () => {
        const cniConfig = (p: Plan) => ofType(p, "aws:eks/addon:Addon").filter((a) => a.inputs.addonName === "vpc-cni")
            .map((a) => [a.name, JSON.parse(a.inputs.configurationValues as string).env]);
        // network_mtu.html: 8500 bytes across an inter-region peering, 9001 the VPC CNI's default.
        assert.deepStrictEqual(cniConfig(plan), [["cluster-vpc-cni", { AWS_VPC_ENI_MTU: "8500" }], ["cluster-use1-vpc-cni", { AWS_VPC_ENI_MTU: "8500" }]]);
        assert.deepStrictEqual(cniConfig(await stackPlan("dev")), [["cluster-vpc-cni", undefined]]);
    });

    it("refuses a writer region that holds no stamp, naming the key", async () => {
        const error = await rejection(stackPlan("prod", withMongo("prod", { writerRegion: "ap-south-1" })));
        assert.match(error.message, /intergalactic:mongo\.writerRegion: "ap-south-1" is not one of the stack's regions \(eu-west-1, us-east-1\)/);
    });

    for (const stack of ["dev", "prod-azure"]) {
        it(`${stack} has no peering, no peered clients and no writer string`, async () => {
            const other = await stackPlan(stack);
            assert.deepStrictEqual(other.resources.filter((r) => r.type.includes("vpcPeering")).map((r) => r.name), []);
            const text = JSON.stringify(other.resources.map((r) => r.inputs));
            assert.doesNotMatch(text, /MONGO_WRITER_|peered networks/);
            assert.strictEqual(other.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs.mongoWriter, undefined);
        });
    }
    it("refuses intergalactic:mongo.writerRegion on Azure, where Cosmos DB moves its write region itself", async () => {
        const error = await rejection(stackPlan("prod-azure", withMongo("prod-azure", { writerRegion: "eastus2" })));
        assert.match(error.message, /intergalactic:mongo\.writerRegion/);
    });
});
