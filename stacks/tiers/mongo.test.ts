import * as assert from "assert";
import { stackStampPlan } from "../../engine/testing/plan";
import { Plan, REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, ofType } from "../../engine/testing/plan";
import { projectStacks } from "../../engine/testing/plan";
import { planStack } from "../../engine/planStack";

const CLUSTER = "aws:docdb/cluster:Cluster";
const ACCOUNT = "azure-native:cosmosdb:DatabaseAccount";
/** Every stack with its cloud, from the Pulumi.<stack>.yaml files. */
const STACKS = projectStacks().map((s) => [s.stack, s.cloud] as const);

for (const [stack, cloud] of STACKS) {
    describe(`the ${stack} stack's document tier`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it("has one HaMongo whose credentials stay secret, and exports only its connection from the stack", () => {
            const [store] = ofType(plan, "intergalactic:index:HaMongo");
            assert.strictEqual(store.outputs.credentials, REDACTED);
            assert.strictEqual((plan.stackOutputs.mongoConnection as { tls: boolean }).tls, true);
            assert.ok(!JSON.stringify(plan.stackOutputs).includes("mongodb://"), "no connection string among the stack outputs");
        });

        if (cloud === "aws") {
            it("runs a DocumentDB instance in each of 3 distinct zones, inside the network's data subnets", () => {
                const graph = new PlanGraph(plan);
                const zones = ofType(plan, "aws:docdb/clusterInstance:ClusterInstance").map((i) => graph.zonesOf(i)[0]);
                assert.strictEqual(new Set(zones).size, 3, zones.join(", "));
                const dataSubnets = graph.networkSubnets().filter((s) => s.tier === "data").map((s) => s.id);
                assert.deepStrictEqual(named(plan, "aws:docdb/subnetGroup:SubnetGroup", "users-subnets").inputs.subnetIds, dataSubnets);
            });

            it("admits only the app tier's ranges on 27017", () => {
                const appCidrs = new PlanGraph(plan).networkSubnets().filter((s) => s.tier === "app").map((s) => s.cidr);
                const [rule] = named(plan, "aws:ec2/securityGroup:SecurityGroup", "users-sg").inputs.ingress as { cidrBlocks: string[]; fromPort: number }[];
                assert.deepStrictEqual([rule.cidrBlocks, rule.fromPort], [appCidrs, 27017]);
            });
        } else {
            it("spans the region's 3 zones with a zone-redundant account, its endpoint in the network's data subnet", () => {
                const account = named(plan, ACCOUNT, "users-db");
                assert.ok((account.inputs.locations as { isZoneRedundant: boolean }[]).every((l) => l.isZoneRedundant));
                assert.deepStrictEqual(named(plan, "intergalactic:index:HaMongo", "users").outputs.zones, ["1", "2", "3"]);
                const dataSubnet = new PlanGraph(plan).networkSubnets().find((s) => s.tier === "data");
                const endpoint = named(plan, "azure-native:network:PrivateEndpoint", "users-endpoint");
                assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, dataSubnet?.id);
            });
        }

        if (stack.startsWith("prod")) {
            it("protects the store from deletion and keeps at least a week of backups", () => {
                const store = cloud === "aws" ? named(plan, CLUSTER, "users-cluster") : named(plan, ACCOUNT, "users-db");
                assert.strictEqual(store.options.protect, true);
                if (cloud === "aws") {
                    assert.deepStrictEqual([store.inputs.deletionProtection, store.inputs.skipFinalSnapshot, store.inputs.finalSnapshotIdentifier], [true, false, "users-final"]);
                    assert.ok((store.inputs.backupRetentionPeriod as number) >= 7);
                } else {
                    assert.strictEqual(named(plan, "azure-native:authorization:ManagementLockByScope", "users-lock").inputs.scope, store.id);
                }
            });
        } else {
            it("is small and can be torn down, still taking a final snapshot", () => {
                const store = cloud === "aws" ? named(plan, CLUSTER, "users-cluster") : named(plan, ACCOUNT, "users-db");
                assert.strictEqual(store.options.protect, false);
                if (cloud === "aws") {
                    assert.deepStrictEqual([store.inputs.deletionProtection, store.inputs.skipFinalSnapshot, store.inputs.backupRetentionPeriod], [false, false, 1]);
                    assert.ok(ofType(plan, "aws:docdb/clusterInstance:ClusterInstance").every((i) => i.inputs.instanceClass === "db.t4g.medium"));
                } else {
                    const database = named(plan, "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase", "users-database");
                    assert.deepStrictEqual(database.inputs.options, { autoscaleSettings: { maxThroughput: 1000 } });
                }
            });
        }
    });
}

describe("the dev-azure stack after a change of azure-native:location", () => {
    // azure-native fills a missing location from the resource's old inputs before the config (pulumi-azure-native
    // provider.go getDefaultLocation), so the deployed network stays where it is; a Cosmos DB account cannot move,
    // and a changed location would replace it with an empty one.
    let deployed: Plan;
    let after: Plan;
    let fresh: Plan;
    const MOVED = { "azure-native:location": "northeurope" };
    const VNET = "azure-native:network:VirtualNetwork";
    const GROUP = "azure-native:resources:ResourceGroup";
    const where = (plan: Plan) => ofType(plan, ACCOUNT).map((a) => [a.name, a.inputs.location, a.inputs.locations]);
    before(async () => {
        deployed = await planStack("dev-azure");
        after = await planStack("dev-azure", undefined, undefined, MOVED, deployed.resources);
        fresh = await planStack("dev-azure", undefined, undefined, MOVED);
    });

    it("keeps every Cosmos DB account's location inputs where its network is, so nothing replaces the account", () => {
        assert.ok(ofType(deployed, ACCOUNT).length > 0);
        assert.deepStrictEqual(where(after), where(deployed));
        assert.deepStrictEqual(ofType(after, VNET).map((v) => v.outputs.location), ofType(deployed, VNET).map((v) => v.outputs.location));
        assert.deepStrictEqual(ofType(after, GROUP).map((g) => g.outputs.location), ofType(deployed, GROUP).map((g) => g.outputs.location));
        assert.strictEqual(ofType(deployed, ACCOUNT)[0].inputs.location, "westeurope");
    });

    it("puts the account in the new location on a first up, with its network", () => {
        assert.deepStrictEqual(ofType(fresh, ACCOUNT).map((a) => a.inputs.location), ofType(fresh, ACCOUNT).map(() => "northeurope"));
    });
});
