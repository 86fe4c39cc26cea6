import * as assert from "assert";
import * as fc from "fast-check";
import { InvalidArgumentsError } from "../common/validation";
import { AuthToken } from "./layout";
import { RedisPlanInput, clusterParameterGroupName, placeShards, planRedis } from "./redisPlan";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const AWS: RedisPlanInput = { cloud: "aws", subnetCount: 3, zones: ZONES, allowedClientCidrs: ["10.0.0.0/20"] };
const AZURE: RedisPlanInput = { cloud: "azure", subnetCount: 1, zones: ["1", "2", "3"] };

function problemsOf(input: RedisPlanInput, name = "cache"): readonly string[] {
    try {
        planRedis(name, input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, String(err));
        return err.problems;
    }
    throw new Error("expected the plan to be rejected");
}

describe("clusterParameterGroupName", () => {
    it("names the engine's default cluster-mode group by engine and major version, with Redis OSS 6's family redis6.x", () => {
        assert.deepStrictEqual(
            [clusterParameterGroupName("valkey", "8.0"), clusterParameterGroupName("valkey", "7.2"), clusterParameterGroupName("redis", "7.1"), clusterParameterGroupName("redis", "6.2")],
            ["default.valkey8.cluster.on", "default.valkey7.cluster.on", "default.redis7.cluster.on", "default.redis6.x.cluster.on"]);
    });
});

describe("planRedis", () => {
    it("plans the cluster-mode parameter group only for several shards on aws, and carries the user's tags", () => {
        assert.deepStrictEqual(
            [planRedis("cache", AWS).clusterParameterGroupName, planRedis("cache", { ...AWS, shards: 2 }).clusterParameterGroupName,
                planRedis("cache", { ...AZURE, shards: 2 }).clusterParameterGroupName],
            [undefined, "default.valkey8.cluster.on", undefined]);
        assert.deepStrictEqual(planRedis("cache", { ...AWS, tags: { team: "cookies" } }).tags, { team: "cookies" });
    });

    it("resolves safe defaults: valkey 8.0, medium, one shard with a replica in each other zone, 7 days of backups, protected", () => {
        const plan = planRedis("cache", AWS);
        assert.deepStrictEqual(
            [plan.engine, plan.engineVersion, plan.size, plan.replicasPerShard, plan.clustered, plan.backupRetentionDays, plan.deletionProtection, plan.port],
            ["valkey", "8.0", "medium", 2, false, 7, true, 6379]);
        assert.deepStrictEqual(plan.shards, [{ id: "0001", primaryZone: "us-east-1a", replicaZones: ["us-east-1b", "us-east-1c"] }]);
        assert.strictEqual(plan.finalSnapshotName, "cache-final");
    });

    it("names the final snapshot after the component and the teardown's suffix, or takes none", () => {
        assert.strictEqual(planRedis("Cache", { ...AWS, finalSnapshotSuffix: "20261123t0900" }).finalSnapshotName, "cache-20261123t0900");
        assert.strictEqual(planRedis("cache", { ...AWS, finalSnapshot: false }).finalSnapshotName, undefined);
    });

    it("uses Azure Managed Redis' port 10000 on azure and needs no client list there (the data subnet's NSG decides)", () => {
        const plan = planRedis("cache", AZURE);
        assert.deepStrictEqual([plan.port, plan.zones], [10000, ["1", "2", "3"]]);
    });

    it("ignores replicasPerShard on Azure, where the service keeps one replica per shard, but still wants a positive shard count", () => {
        assert.doesNotThrow(() => planRedis("cache", { ...AZURE, replicasPerShard: 1 }));
        assert.deepStrictEqual(problemsOf({ ...AZURE, shards: 0 }), ["shards: 0 must be an integer >= 1"]);
    });

    it("puts each shard in every zone and spreads the primaries over the zones", () => {
        fc.assert(fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 12 }), (zoneCount, extra, shardCount) => {
            const zones = Array.from({ length: zoneCount }, (_, i) => `z${i}`);
            const replicas = Math.min(5, zoneCount - 1 + extra);
            const shards = placeShards(shardCount, replicas, zones);
            const primaries = new Map<string, number>();
            for (const shard of shards) {
                const nodes = [shard.primaryZone, ...shard.replicaZones];
                assert.strictEqual(nodes.length, replicas + 1);
                assert.deepStrictEqual(new Set(nodes), new Set(zones));
                primaries.set(shard.primaryZone, (primaries.get(shard.primaryZone) ?? 0) + 1);
            }
            const counts = [...primaries.values()];
            assert.ok(Math.max(...counts) - Math.min(...counts) <= 1);
        }));
    });

    it("numbers node groups 0001, 0002, ... as ElastiCache does", () => {
        assert.deepStrictEqual(placeShards(3, 2, ZONES).map((s) => s.id), ["0001", "0002", "0003"]);
    });

    it("lists every problem at once, each naming the arg, the value and the rule", () => {
        const problems = problemsOf({ ...AWS, size: "huge", backupRetentionDays: 0, replicasPerShard: 9 });
        assert.deepStrictEqual(problems, [
            'size: "huge" is not allowed: use one of small, medium, large',
            "replicasPerShard: 9 must be an integer from 1 to 5",
            "backupRetentionDays: 0 must be an integer from 1 to 35",
        ]);
    });

    it("adopts a retained key given by ARN as its bare id, the id Pulumi imports a key by", () => {
        const plan = planRedis("cache", { ...AWS, encryptionKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" });
        assert.strictEqual(plan.encryptionKeyId, "1234abcd-12ab-34cd-56ef-1234567890ab");
    });

    const rules: [string, RedisPlanInput, RegExp, string?][] = [
        ["an unknown cloud", { ...AWS, cloud: "gcp" }, /^cloud: "gcp" is not a supported cloud/],
        ["fewer than three zones", { ...AWS, zones: ZONES.slice(0, 2), subnetCount: 2, replicasPerShard: 1 }, /^network.zones: \["us-east-1a","us-east-1b"\] must list at least 3 zones/],
        ["a zone twice", { ...AWS, zones: ["us-east-1a", "us-east-1a", "us-east-1b"] }, /^network.zones: .* must be distinct, non-empty zone names/],
        ["Azure zones outside 1-3", { ...AZURE, zones: ["1", "2", "4"] }, /^network.zones: \["1","2","4"\] are not Azure zones/],
        ["fewer AWS data subnets than zones", { ...AWS, subnetCount: 2 }, /^subnets: "2 subnets" must include a data subnet in each of the 3 zones/],
        ["no Azure data subnet", { ...AZURE, subnetCount: 0 }, /^subnets: "0 subnets" must include the regional data subnet/],
        ["no replica (automatic failover needs two or more cache clusters)", { ...AWS, replicasPerShard: 0 }, /^replicasPerShard: 0 must be an integer from 1 to 5/],
        ["more than 5 replicas per shard", { ...AWS, replicasPerShard: 6 }, /^replicasPerShard: 6 must be an integer from 1 to 5/],
        ["too few replicas to reach every zone", { ...AWS, replicasPerShard: 1 }, /^replicasPerShard: 1 must be at least 2 so that each of the 3 zones holds a copy/],
        ["zero shards", { ...AWS, shards: 0 }, /^shards: 0 must be an integer from 1 to 500/],
        ["more than 500 nodes", { ...AWS, shards: 200 }, /^shards: 200 times 3 nodes per shard is 600 nodes; ElastiCache allows at most 500/],
        ["an unknown engine", { ...AWS, engine: "memcached" }, /^engine: "memcached" is not allowed: use one of valkey, redis/],
        ["an engine version without its minor", { ...AWS, engineVersion: "8" }, /^engineVersion: "8" must be major.minor/],
        ["a Valkey version ElastiCache does not offer", { ...AWS, engineVersion: "6.2" }, /^engineVersion: "6.2" is older than ElastiCache offers for valkey/],
        ["an unknown size", { ...AWS, size: "xl" }, /^size: "xl" is not allowed/],
        ["a malformed client CIDR", { ...AWS, allowedClientCidrs: ["10.0.0.1/16"] }, /^allowedClientCidrs\[0\]: "10.0.0.1\/16" has host bits set/],
        ["a world-open client CIDR", { ...AWS, allowedClientCidrs: ["0.0.0.0/0"] }, /^allowedClientCidrs\[0\]: "0.0.0.0\/0" is not private address space/],
        ["no client at all on AWS", { ...AWS, allowedClientCidrs: [] }, /^allowedClientCidrs: \[\] and allowedClientSecurityGroupIds are both empty/],
        ["no backups (retention 0)", { ...AWS, backupRetentionDays: 0 }, /^backupRetentionDays: 0 must be an integer from 1 to 35/],
        ["a retention above ElastiCache's 35 days", { ...AWS, backupRetentionDays: 36 }, /^backupRetentionDays: 36 must be an integer from 1 to 35/],
        ["a key alias instead of a key id", { ...AWS, encryptionKeyId: "alias/cache" }, /^encryptionKeyId: "alias\/cache" must be a KMS key id or key ARN/],
        ["a KMS key on Azure", { ...AZURE, encryptionKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }, /^encryptionKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" is only for aws/],
        ["a snapshot suffix with capitals", { ...AWS, finalSnapshotSuffix: "Final" }, /^finalSnapshotSuffix: "Final" must be 1-40 lowercase letters/],
        ["a name that cannot start a replication group id", { ...AWS }, /^name: "1cache" must make a valid ElastiCache replication group id/, "1cache"],
        ["a name too long for a 40-character replication group id", { ...AWS }, /^name: "a-very-long-cache-name-over-limit" must make a valid ElastiCache replication group id: .* at most 29 characters/, "a-very-long-cache-name-over-limit"],
        ["a name with a double hyphen", { ...AWS }, /^name: "my--cache" must make a valid ElastiCache replication group id/, "my--cache"],
        ["a name that makes no Azure Managed Redis cluster name", { ...AZURE }, /^name: "my_cache" must make a valid Azure Managed Redis cluster name: letters, digits and single hyphens, at most 44 characters/, "my_cache"],
        ["a restore on Azure, which has no snapshot restore", { ...AZURE, restoreFromSnapshot: "cache-final" }, /^restoreFromSnapshot: "cache-final" is not supported on azure/],
        ["a restore from a malformed snapshot name", { ...AWS, restoreFromSnapshot: "bad name" }, /^restoreFromSnapshot: "bad name" must be an ElastiCache snapshot name/],
    ];
    for (const [what, input, pattern, name] of rules) {
        it(`rejects ${what}`, () => {
            const problems = problemsOf(input, name);
            assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in:\n${problems.join("\n")}`);
        });
    }

    it("accepts a name of exactly 29 characters, whose autonamed id is 40", () => {
        const name = "a".repeat(29);
        assert.strictEqual(`${name}-rg-abcdefg`.length, 40);
        assert.doesNotThrow(() => planRedis(name, AWS));
        assert.ok(problemsOf(AWS, "a".repeat(30)).some((p) => p.startsWith("name:")));
    });

    it("generates AUTH tokens inside ElastiCache's documented length and character rules", () => {
        assert.ok(AuthToken.length >= AuthToken.minLength && AuthToken.length <= AuthToken.maxLength);
        assert.match(AuthToken.specialCharacters, /^[!&#$^<>-]+$/);
        assert.doesNotMatch(AuthToken.specialCharacters, /[/"@ ]/);
    });
});

describe("planRedis on Azure", () => {
    it("refuses backupRetentionDays, which Azure Managed Redis has nothing to apply to", () => {
        assert.deepStrictEqual(problemsOf({ ...AZURE, backupRetentionDays: 7 }),
            ["backupRetentionDays: 7 does nothing on azure: Azure Managed Redis keeps no backups (its RDB persistence is not a backup); remove it"]);
        assert.doesNotThrow(() => planRedis("cache", AZURE));
    });
});
