/** The cache tier of a stack: one HaRedis in the network's data subnets, open to the app tier only. */
import { HaRedis } from "../../components/redis/haRedis";
import { StackConfig } from "../config";
import { NetworkFacts } from "../../components/network/facts";
import { dataPlacement } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";

/** The stack's HaRedis, or undefined when `intergalactic:redis.enabled` is false; it spans the network's zones. */
export function redisTier(config: StackConfig, network: NetworkFacts, snapshots: SnapshotsConfig): HaRedis | undefined {
    const redis = config.redis;
    if (!redis.enabled) return undefined;
    return new HaRedis(redis.name, {
        ...dataPlacement(config, network),
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
