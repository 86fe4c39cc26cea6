/** The cache tier of a stack: one HaRedis in the network's data subnets, open to the app tier only. */
import { HaRedis } from "../../components/redis/haRedis";
import { StackConfig } from "../config";
import { DataTierNetwork, dataPlacement } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";

/** What this data tier takes from the network tier. */
export type RedisNetwork = DataTierNetwork;

/**
 * The stack's HaRedis, or undefined when `intergalactic:redis.enabled` is false. `zones` are the
 * region's zones as given to the network; the cache uses the same ones the network spans.
 */
export function redisTier(config: StackConfig, network: RedisNetwork, zones: string[], snapshots: SnapshotsConfig): HaRedis | undefined {
    const redis = config.redis;
    if (!redis.enabled) return undefined;
    return new HaRedis(redis.name, {
        ...dataPlacement(config, network, zones),
        size: redis.size,
        engine: redis.engine,
        engineVersion: redis.engineVersion,
        shards: redis.shards,
        replicasPerShard: redis.replicasPerShard,
        backupRetentionDays: redis.backupRetentionDays,
        deletionProtection: redis.deletionProtection,
        finalSnapshot: redis.finalSnapshot,
        finalSnapshotSuffix: snapshots.finalSnapshotSuffix,
        restoreFromSnapshot: snapshots.restore[redis.name],
        encryptionKeyId: snapshots.encryptionKeys[redis.name],
    });
}
