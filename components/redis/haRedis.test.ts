import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/dataStore";
import { Plan, REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, planSnippet, rejection } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { HaRedis, HaRedisArgs } from "./haRedis";
import { SubnetTier, factsOfPlan, selectSubnets } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: ZONES }), { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
const DATA_SUBNET_IDS = selectSubnets(NETWORK, { tier: SubnetTier.Data }).map((s) => s.id);
const BASE: HaRedisArgs = {
    cloud: "aws", network: NETWORK,
    allowedClientCidrs: ["10.0.0.0/20", "10.0.32.0/20"], tags: { team: "cookies" },
};
const planRedis = (args: Partial<HaRedisArgs> = {}) => planSnippet(() => new HaRedis("cache", { ...BASE, ...args }));

/** The replication group settings ElastiCache rejects or silently weakens when combined wrongly. */
function assertProviderConstraints(inputs: Record<string, unknown>): void {
    if (inputs.automaticFailoverEnabled && inputs.clusterMode !== "enabled") {
        assert.ok((inputs.numCacheClusters as number) >= 2, "automatic failover needs at least 2 cache clusters");
    }
    if (inputs.multiAzEnabled) assert.strictEqual(inputs.automaticFailoverEnabled, true, "Multi-AZ needs automatic failover");
    if (inputs.authToken !== undefined) assert.strictEqual(inputs.transitEncryptionEnabled, true, "an AUTH token needs transit encryption");
    if (inputs.preferredCacheClusterAzs !== undefined) {
        assert.strictEqual((inputs.preferredCacheClusterAzs as string[]).length, inputs.numCacheClusters, "one preferred AZ per cache cluster");
        assert.strictEqual(inputs.nodeGroupConfigurations, undefined, "preferredCacheClusterAzs conflicts with nodeGroupConfigurations");
    }
    if (inputs.replicasPerNodeGroup !== undefined) {
        assert.ok(inputs.numNodeGroups !== undefined && inputs.numCacheClusters === undefined, "replicasPerNodeGroup needs numNodeGroups, not numCacheClusters");
        assert.ok((inputs.replicasPerNodeGroup as number) <= 5, "at most 5 replicas per node group");
    }
    assert.ok((inputs.snapshotRetentionLimit as number) >= 0 && (inputs.snapshotRetentionLimit as number) <= 35, "retention 0-35");
}

describe("HaRedis on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planRedis();
    });

    it("registers as intergalactic:index:HaRedis and parents every child to itself", () => {
        const component = named(plan, "intergalactic:index:HaRedis", "cache");
        const children = plan.resources.filter((r) => r.custom);
        assert.deepStrictEqual(children.map((r) => r.type).sort(), [
            SG, "aws:elasticache/subnetGroup:SubnetGroup", RG, "random:index/randomPassword:RandomPassword", "aws:kms/key:Key",
        ].sort());
        for (const child of children) assert.strictEqual(child.parent, component.urn, child.name);
    });

    it("creates a Multi-AZ valkey replication group with a primary and a replica in each of three distinct zones", () => {
        const group = named(plan, RG, "cache-rg");
        assert.deepStrictEqual(
            [group.inputs.engine, group.inputs.engineVersion, group.inputs.automaticFailoverEnabled, group.inputs.multiAzEnabled, group.inputs.numCacheClusters],
            ["valkey", "8.0", true, true, 3]);
        assert.deepStrictEqual(group.inputs.preferredCacheClusterAzs, ZONES);
        assert.deepStrictEqual(new PlanGraph(plan).zonesOf(group), ZONES);
        assert.strictEqual(group.inputs.clusterMode, undefined);
    });

    it("encrypts at rest and in transit and sets a generated AUTH token that the plan shows only as a secret", () => {
        const group = named(plan, RG, "cache-rg");
        assert.deepStrictEqual([group.inputs.atRestEncryptionEnabled, group.inputs.transitEncryptionEnabled, group.inputs.authToken], [true, true, REDACTED]);
        const token = named(plan, "random:index/randomPassword:RandomPassword", "cache-auth-token");
        assert.deepStrictEqual([token.inputs.length, token.inputs.overrideSpecial, token.inputs.special], [64, "!&#$^<>-", true]);
        assert.strictEqual(token.outputs.result, REDACTED);
    });

    it("places the group in a subnet group over the given data subnets", () => {
        const subnets = named(plan, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
        assert.deepStrictEqual(subnets.inputs.subnetIds, DATA_SUBNET_IDS);
        assert.strictEqual(named(plan, RG, "cache-rg").inputs.subnetGroupName, subnets.outputs.name);
    });

    it("opens only the Redis port, only to the allowed client ranges, and allows no egress", () => {
        const sg = named(plan, SG, "cache-sg");
        assert.deepStrictEqual(sg.inputs.ingress, [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: BASE.allowedClientCidrs, description: "Redis from client ranges" }]);
        assert.deepStrictEqual([sg.inputs.egress, sg.inputs.vpcId], [[], "vpc-0123"]);
        assert.deepStrictEqual(named(plan, RG, "cache-rg").inputs.securityGroupIds, [sg.id]);
    });

    it("admits client security groups by reference when given", async () => {
        const withGroups = await planRedis({ allowedClientCidrs: [], allowedClientSecurityGroupIds: ["sg-workers"] });
        const ingress = named(withGroups, SG, "cache-sg").inputs.ingress as { securityGroups?: string[]; cidrBlocks?: string[] }[];
        assert.deepStrictEqual(ingress.map((r) => [r.securityGroups, r.cidrBlocks]), [[["sg-workers"], undefined]]);
    });

    it("admits the client groups alone when they are given and no range is: the app tier is not added unasked", async () => {
        const groupsOnly = await planRedis({ allowedClientCidrs: undefined, aws: { allowedClientSecurityGroupIds: ["sg-workers"] } });
        const ingress = named(groupsOnly, SG, "cache-sg").inputs.ingress as { securityGroups?: string[]; cidrBlocks?: string[] }[];
        assert.deepStrictEqual(ingress.map((r) => [r.securityGroups, r.cidrBlocks]), [[["sg-workers"], undefined]]);
        const byDefault = await planRedis({ allowedClientCidrs: undefined });
        const defaultIngress = named(byDefault, SG, "cache-sg").inputs.ingress as { cidrBlocks?: string[] }[];
        assert.deepStrictEqual(defaultIngress.map((r) => r.cidrBlocks), [["10.0.0.0/20", "10.0.32.0/20", "10.0.64.0/20"]]);
    });

    it("keeps backups for 7 days, takes a final snapshot on delete and protects the group by default", () => {
        const group = named(plan, RG, "cache-rg");
        assert.deepStrictEqual([group.inputs.snapshotRetentionLimit, group.inputs.finalSnapshotIdentifier, group.options.protect], [7, "cache-final", true]);
        assert.strictEqual(group.inputs.snapshotName, undefined);
    });

    it("restores from a snapshot, suffixes the final snapshot and drops protection when asked", async () => {
        const restored = await planRedis({ restoreFromSnapshot: "cache-20261101", finalSnapshotSuffix: "20261123", deletionProtection: false, backupRetentionDays: 1 });
        const group = named(restored, RG, "cache-rg");
        assert.deepStrictEqual(
            [group.inputs.snapshotName, group.inputs.finalSnapshotIdentifier, group.options.protect, group.inputs.snapshotRetentionLimit],
            ["cache-20261101", "cache-20261123", false, 1]);
    });

    it("exports a TLS connection to the primary and reader endpoints and secret credentials", () => {
        const outputs = named(plan, "intergalactic:index:HaRedis", "cache").outputs;
        const connection = outputs.connection as { host: string; endpoints: string[]; port: number; tls: boolean; authMechanism: string };
        assert.match(connection.host, /^master\.cache-rg-[0-9a-f]{7}\.[0-9a-f]{6}\.use1\.cache\.amazonaws\.com$/);
        assert.deepStrictEqual([connection.port, connection.tls, connection.authMechanism, connection.endpoints.length], [6379, true, "password", 2]);
        assert.match(connection.endpoints[1], /^replica\..*:6379$/);
        assert.strictEqual(outputs.credentials, REDACTED);
    });

    it("exports the replication group's id as resourceId, and under the deprecated name cacheId for one release", () => {
        const outputs = named(plan, "intergalactic:index:HaRedis", "cache").outputs;
        const group = named(plan, RG, "cache-rg");
        assert.deepStrictEqual([outputs.resourceId, outputs.cacheId], [group.id, group.id]);
    });

    it("builds secret credentials whose token follows ElastiCache's AUTH rules and whose URI carries it encoded", async () => {
        let credentials: Credentials | undefined;
        let secret: boolean | undefined;
        await planSnippet(async () => {
            const redis = new HaRedis("cache", BASE);
            redis.credentials.apply((c) => { credentials = c; });
            secret = await pulumi.isSecret(redis.credentials);
        });
        assert.ok(secret);
        assert.match(credentials!.password, /^[A-Za-z0-9!&#$^<>-]{16,128}$/);
        const uri = new URL(credentials!.connectionString);
        assert.deepStrictEqual([uri.protocol, decodeURIComponent(uri.password), uri.port], ["rediss:", credentials!.password, "6379"]);
    });

    it("maps sizes to Graviton node types", async () => {
        assert.strictEqual(named(plan, RG, "cache-rg").inputs.nodeType, "cache.r7g.large");
        assert.strictEqual(named(await planRedis({ size: "small" }), RG, "cache-rg").inputs.nodeType, "cache.t4g.small");
    });

    it("turns on cluster mode for several shards, with every node group's nodes in all three zones", async () => {
        const sharded = await planRedis({ shards: 3, engine: "redis", engineVersion: "7.1" });
        const group = named(sharded, RG, "cache-rg");
        assert.deepStrictEqual(
            [group.inputs.clusterMode, group.inputs.numNodeGroups, group.inputs.replicasPerNodeGroup, group.inputs.parameterGroupName, group.inputs.numCacheClusters],
            ["enabled", 3, 2, "default.redis7.cluster.on", undefined]);
        const groups = group.inputs.nodeGroupConfigurations as { primaryAvailabilityZone: string; replicaAvailabilityZones: string[] }[];
        assert.deepStrictEqual(groups.map((g) => g.primaryAvailabilityZone), ZONES);
        for (const g of groups) assert.deepStrictEqual(new Set([g.primaryAvailabilityZone, ...g.replicaAvailabilityZones]), new Set(ZONES));
        const connection = named(sharded, "intergalactic:index:HaRedis", "cache").outputs.connection as { host: string };
        assert.match(connection.host, /^clustercfg\./);
    });

    it("never combines replication group settings that ElastiCache rejects", async () => {
        const variants: Partial<HaRedisArgs>[] = [{}, { replicasPerShard: 3 }, { replicasPerShard: 5 }, { shards: 2 }, { shards: 4, replicasPerShard: 5 }];
        for (const variant of variants) {
            assertProviderConstraints(named(await planRedis(variant), RG, "cache-rg").inputs);
        }
    });

    it("merges user tags under the component's own tags", () => {
        assert.deepStrictEqual(named(plan, RG, "cache-rg").inputs.tags, {
            Name: "cache", team: "cookies", "intergalactic:component": "cache", "intergalactic:tier": "data",
        });
    });
});

/** Runs `args` through HaRedis and returns the error and the URNs the mock monitor holds afterwards. */
async function rejected(args: Partial<HaRedisArgs>, name = "cache"): Promise<{ error: Error; registered: string[] }> {
    const error = await rejection(planSnippet(() => new HaRedis(name, { ...BASE, ...args })));
    const { getMonitor } = await import("@pulumi/pulumi/runtime");
    const registered = [...((getMonitor() as unknown as { resources: Map<string, unknown> }).resources?.keys() ?? [])];
    return { error, registered };
}

describe("HaRedis with bad input", () => {
    const cases: [string, Partial<HaRedisArgs>, RegExp, string?][] = [
        ["one replica for three zones", { replicasPerShard: 1 }, /replicasPerShard: 1 must be at least 2 so that each of the 3 zones holds a copy of every shard/],
        ["six replicas per shard", { replicasPerShard: 6 }, /replicasPerShard: 6 must be an integer from 1 to 5/],
        ["a retention above 35 days", { backupRetentionDays: 40 }, /backupRetentionDays: 40 must be an integer from 1 to 35/],
        ["data subnets in two zones", { subnets: selectSubnets(NETWORK, { tier: SubnetTier.Data, zones: ZONES.slice(0, 2) }) },
            /subnets: 2 subnet\(s\) in zones \["us-east-1a","us-east-1b"\] must span at least 3 zones: the cache keeps a copy of every shard in each zone/],
        ["the app subnets instead of the data subnets", { subnets: selectSubnets(NETWORK, { tier: SubnetTier.App }) },
            /subnets\[0\]: \{"tier":"app","zone":"us-east-1a","cidr":"10.0.0.0\/20"\} is in the app tier: a data store belongs in the data tier/],
        ["a world-open client range", { allowedClientCidrs: ["0.0.0.0/0"] }, /allowedClientCidrs\[0\]: "0.0.0.0\/0" is outside the network 10.0.0.0\/16: a data store admits only clients inside its network/],
        ["the whole network as a client range (the public and data tiers too)", { allowedClientCidrs: ["10.0.0.0/16"] },
            /allowedClientCidrs\[0\]: "10.0.0.0\/16" is wider than the app tier: a data store admits only the workloads that use it, so each range must lie inside one app subnet \(10.0.0.0\/20, 10.0.32.0\/20, 10.0.64.0\/20\); it also covers the public and data tiers/],
        ["no network (the args before network facts)", { network: undefined }, /network: undefined is required: pass the network's facts/],
        ["no clients", { allowedClientCidrs: [] }, /allowedClientCidrs: \[\] and allowedClientSecurityGroupIds are both empty/],
        ["a name that is no replication group id", {}, /name: "Cache_1" must make a valid ElastiCache replication group id/, "Cache_1"],
    ];
    for (const [what, args, pattern, name] of cases) {
        it(`rejects ${what} with an InvalidArgumentsError before registering anything but the stack`, async () => {
            const { error, registered } = await rejected(args, name);
            assert.ok(error instanceof InvalidArgumentsError, String(error));
            assert.match(error.message, pattern);
            assert.deepStrictEqual(registered.map((urn) => urn.split("::")[2]), ["pulumi:pulumi:Stack"]);
        });
    }

    it("reports every problem in one error", async () => {
        const { error } = await rejected({ replicasPerShard: 0, backupRetentionDays: 0, size: "huge" as HaRedisArgs["size"] });
        assert.ok(error instanceof InvalidArgumentsError);
        assert.strictEqual(error.problems.length, 3, error.message);
    });
});

describe("HaRedis given the subnets of a second Vpc3Az of the same layout", () => {
    // Every Vpc3Az with the default /16 and the same zones has subnets of the same tier, zone and range; a subnet of the
    // other one would only fail at the provider, after both networks are built (review R3 of #15).
    it("is refused while planning, naming the arg, the subnet and the network it belongs to, and registers no store", async () => {
        const { Vpc3Az } = await import("../network/vpc3az");
        const { planFailure } = await import("../../engine/testing/plan");
        const { error, registered } = await planFailure(() => {
            const a = new Vpc3Az("a", { cloud: "aws", availabilityZones: ZONES });
            const b = new Vpc3Az("b", { cloud: "aws", availabilityZones: ZONES });
            new HaRedis("cache", { cloud: "aws", network: a.facts(), subnets: b.selectSubnets({ tier: SubnetTier.Data }), allowedClientCidrs: ["10.0.0.0/20"] });
        });
        assert.ok(error instanceof InvalidArgumentsError, String(error));
        assert.match(error.message, /Invalid arguments for HaRedis "cache"/);
        assert.match(error.message, /subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10\.0\.20\.0\/22"\} is a subnet of another network, Vpc3Az "b" \(10\.0\.0\.0\/16\), not of this one 10\.0\.0\.0\/16/);
        assert.ok(!registered.some((t) => t.startsWith("aws:elasticache")), registered.join(", "));
    });

    it("accepts the same network's own subnets, selected from it", async () => {
        const { Vpc3Az } = await import("../network/vpc3az");
        const plan = await planSnippet(() => {
            const a = new Vpc3Az("a", { cloud: "aws", availabilityZones: ZONES });
            new Vpc3Az("b", { cloud: "aws", availabilityZones: ZONES });
            new HaRedis("cache", { cloud: "aws", network: a.facts(), subnets: a.selectSubnets({ tier: SubnetTier.Data }), allowedClientCidrs: ["10.0.0.0/20"] });
        });
        assert.ok(plan.resources.some((r) => r.type === RG));
    });
});
