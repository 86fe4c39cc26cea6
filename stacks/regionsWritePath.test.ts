/**
 * The cross-region write path of prod on AWS: the stamps' networks joined by an inter-region VPC peering, with a
 * route to the other stamp's block in every private route table of both networks. dev (one region) and prod-azure
 * (one Cosmos DB account with an endpoint per network) have none.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { resourceRegions } from "../engine/regions";
import { stackPlan } from "../engine/testing/plan";
import { planPeerings } from "./tiers/peering";
import { Cloud } from "../components/common";

const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter";

const named = (plan: Plan, name: string): PlannedResource => {
    const found = plan.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
};
const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);

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

    for (const stack of ["dev", "prod-azure"]) {
        it(`${stack} has no peering`, async () => {
            const other = await stackPlan(stack);
            assert.deepStrictEqual(other.resources.filter((r) => r.type.includes("vpcPeering")).map((r) => r.name), []);
        });
    }
});
