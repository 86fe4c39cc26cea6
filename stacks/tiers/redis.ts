/** The cache tier of a stack: one HaRedis in the network's data subnets, open to the app tier only. */
import { PerCloud } from "../../components/common";
import { HaRedis, HaRedisArgs } from "../../components/redis";
import { NetworkFacts } from "../../components/network";
import { StackConfig } from "../config";
import { dataPlacement } from "./layout";
import { PRIMARY_SCOPE, StampScope } from "./stamp";
import { SnapshotsConfig } from "../config/snapshots";

/** The stack's HaRedis, or undefined when `intergalactic:redis.enabled` is false; it spans the network's zones. */
export function redisTier(config: StackConfig, network: NetworkFacts, snapshots: SnapshotsConfig, scope: StampScope = PRIMARY_SCOPE): HaRedis | undefined {
    const redis = config.redis;
    if (!redis.enabled) return undefined;
    return new HaRedis(redis.name, {
        ...dataPlacement(config, network),
        size: redis.size,
        shards: redis.shards,
        deletionProtection: redis.deletionProtection,
        finalSnapshot: redis.finalSnapshot,
        finalSnapshotSuffix: snapshots.finalSnapshotSuffix,
        restoreFromSnapshot: snapshots.restore[redis.name],
        ...CLOUD_ARGS[config.cloud](config, snapshots),
    }, scope.opts);
}

/** The args only one cloud's cache takes: the config keys of the other cloud are refused by the config parser. */
const CLOUD_ARGS: PerCloud<(config: StackConfig, snapshots: SnapshotsConfig) => Partial<HaRedisArgs>> = {
    aws: ({ redis }, snapshots) => ({
        backupRetentionDays: redis.backupRetentionDays,
        aws: {
            engine: redis.engine,
            engineVersion: redis.engineVersion,
            replicasPerShard: redis.replicasPerShard,
            encryptionKeyId: snapshots.encryptionKeys[redis.name],
        },
    }),
    azure: () => ({}),
};
