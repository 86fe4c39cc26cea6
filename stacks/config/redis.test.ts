import * as assert from "assert";
import { InvalidArgumentsError } from "../../components/common/validation";
import { parseStackConfig } from "./index";

const base = { "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1" };
const withRedis = (redis: unknown) => ({ ...base, "intergalactic:redis": JSON.stringify(redis) });

describe("intergalactic:redis", () => {
    it("defaults to an enabled, protected, medium valkey 8.0 cache called cache, leaving the final snapshot to the cloud's default", () => {
        assert.deepStrictEqual(parseStackConfig(base).redis, {
            enabled: true, name: "cache", size: "medium", engine: "valkey", engineVersion: "8.0", shards: 1,
            replicasPerShard: undefined, backupRetentionDays: 7, deletionProtection: true, finalSnapshot: undefined,
        });
    });

    it("reads every key", () => {
        const redis = parseStackConfig(withRedis({
            enabled: false, name: "sessions", size: "small", engine: "redis", engineVersion: "7.1", shards: 2,
            replicasPerShard: 3, backupRetentionDays: 1, deletionProtection: false, finalSnapshot: false,
        })).redis;
        assert.deepStrictEqual(redis, {
            enabled: false, name: "sessions", size: "small", engine: "redis", engineVersion: "7.1", shards: 2,
            replicasPerShard: 3, backupRetentionDays: 1, deletionProtection: false, finalSnapshot: false,
        });
    });

    it("rejects unknown keys and bad values, naming the full key, the value and what is allowed", () => {
        let error: unknown;
        try {
            parseStackConfig(withRedis({ size: "huge", engine: "memcached", shards: "two", replicas: 2 }));
        } catch (err) {
            error = err;
        }
        assert.ok(error instanceof InvalidArgumentsError);
        assert.match(error.message, /intergalactic:redis\.size: "huge" is not allowed: use one of small, medium, large/);
        assert.match(error.message, /intergalactic:redis\.engine: "memcached" is not allowed: use one of valkey, redis/);
        assert.match(error.message, /intergalactic:redis\.shards: "two" must be a number/);
        assert.match(error.message, /intergalactic:redis\.replicas: unknown key: allowed keys are .*replicasPerShard/);
    });
});
