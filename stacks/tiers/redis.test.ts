import * as assert from "assert";
import { stackStampPlan } from "../../engine/testing/plan";
import { Plan, PlannedResource, REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, ofType, stackNames } from "../../engine/testing/plan";
import { AZURE_ZONE_REGIONS } from "../config/regions";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "azure-native:redisenterprise:RedisEnterprise";
const STACKS = [
    { stack: "dev", cloud: "aws", size: "cache.t4g.small", protect: false, retention: 1 },
    { stack: "prod", cloud: "aws", size: "cache.r7g.large", protect: true, retention: 14 },
    { stack: "dev-azure", cloud: "azure", size: "Balanced_B3", protect: false },
    { stack: "prod-azure", cloud: "azure", size: "Balanced_B10", protect: true },
] as const;

type SubnetInfo = { id: string; tier: string; zone: string; cidr: string };
const networkSubnets = (plan: Plan, tier: string) => new PlanGraph(plan).networkSubnets().filter((s: SubnetInfo) => s.tier === tier);

describe("the cache tier's expectations", () => {
    it("name every stack of the repository, so a new stack file cannot go untested", () => {
        assert.deepStrictEqual(STACKS.map((s) => s.stack).sort(), stackNames().sort());
    });
});

for (const expected of STACKS) {
    describe(`the cache tier of the ${expected.stack} stack`, () => {
        let plan: Plan;
        let component: PlannedResource;
        before(async () => {
            plan = await stackStampPlan(expected.stack, "");
            component = named(plan, "intergalactic:index:HaRedis", "cache");
        });

        it("exports the TLS connection and keeps the credentials secret everywhere in the plan", () => {
            const connection = plan.stackOutputs.redisConnection as { tls: boolean; host: string };
            assert.deepStrictEqual([connection.tls, typeof connection.host], [true, "string"]);
            assert.strictEqual(component.outputs.credentials, REDACTED);
            assert.doesNotMatch(JSON.stringify(plan), /rediss:\/\/[^"@]*:[^"@]+@/);
            assert.doesNotMatch(JSON.stringify(plan), /PrimaryKey/);
        });

        if (expected.cloud === "aws") {
            it("places the primary and replicas in 3 distinct zones, the zones of the network's data subnets", () => {
                const group = named(plan, RG, "cache-rg");
                const zones = new PlanGraph(plan).zonesOf(group);
                assert.strictEqual(new Set(zones).size, 3);
                assert.deepStrictEqual(zones, networkSubnets(plan, "data").map((s) => s.zone));
                assert.strictEqual(group.inputs.numCacheClusters, 3);
            });

            it("uses the network's data subnets and admits only the app tier's ranges", () => {
                const subnetGroup = named(plan, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
                assert.deepStrictEqual(subnetGroup.inputs.subnetIds, networkSubnets(plan, "data").map((s) => s.id));
                const ingress = named(plan, "aws:ec2/securityGroup:SecurityGroup", "cache-sg").inputs.ingress as { cidrBlocks: string[] }[];
                assert.deepStrictEqual(ingress.map((r) => r.cidrBlocks), [networkSubnets(plan, "app").map((s) => s.cidr)]);
            });

            it(`sizes, keeps backups and protects the cache as a ${expected.stack} stack should`, () => {
                const group = named(plan, RG, "cache-rg");
                assert.deepStrictEqual([group.inputs.nodeType, group.inputs.snapshotRetentionLimit, group.options.protect], [expected.size, expected.retention, expected.protect]);
                assert.strictEqual(group.inputs.finalSnapshotIdentifier, "cache-final");
            });
        } else {
            it("runs a highly available cluster in a zone-redundant region, with the zones it spans exported", () => {
                const cluster = named(plan, CLUSTER, "cache-cluster");
                assert.strictEqual(cluster.inputs.highAvailability, "Enabled");
                assert.ok(AZURE_ZONE_REGIONS.includes(cluster.outputs.location as string), String(cluster.outputs.location));
                const zones = component.outputs.zones as string[];
                assert.strictEqual(new Set(zones).size, 3);
                assert.deepStrictEqual(zones, networkSubnets(plan, "app").map((s) => s.zone));
            });

            it("puts the private endpoint in the network's data subnet and resource group", () => {
                const [data] = networkSubnets(plan, "data");
                const endpoint = named(plan, "azure-native:network:PrivateEndpoint", "cache-pe");
                assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, data.id);
                assert.strictEqual(endpoint.inputs.resourceGroupName, named(plan, "azure-native:resources:ResourceGroup", "net-rg").outputs.name);
            });

            it(`sizes and protects the cache as a ${expected.stack} stack should`, () => {
                const cluster = named(plan, CLUSTER, "cache-cluster");
                assert.deepStrictEqual([(cluster.inputs.sku as { name: string }).name, cluster.options.protect], [expected.size, expected.protect]);
                assert.strictEqual(ofType(plan, "azure-native:authorization:ManagementLockByScope").filter((l) => l.name === "cache-lock").length, expected.protect ? 1 : 0);
            });
        }
    });
}
