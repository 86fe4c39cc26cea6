/** The cache tier of a stack: one HaRedis in the network's data subnets, open to the app tier only. */
import { Cloud } from "../../components/common/cloud";
import { HaRedis } from "../../components/redis/haRedis";
import { Tier } from "../../components/network/layout";
import { subnetsOf } from "../../components/network/networkPlan";
import { StackConfig } from "../config";
import { DataTierNetwork, networkLayout } from "./layout";
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
    // The layout is pure, so the tier knows the data subnets' count and the app ranges as plain values
    // (HaRedis plans with them before anything exists); it is the very plan Vpc3Az builds from.
    const layout = networkLayout(config, zones);
    const dataSubnetIds = subnetsOf(layout, Tier.Data).map((_, i) => network.dataSubnetIds.apply((ids) => ids[i]));
    return new HaRedis(redis.name, {
        cloud: config.cloud,
        networkId: network.networkId,
        resourceGroupName: config.cloud === Cloud.Azure ? network.resourceGroupName : undefined,
        subnetIds: dataSubnetIds,
        zones: [...layout.zones],
        allowedClientCidrs: subnetsOf(layout, Tier.App).map((s) => s.cidr),
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
        tags: { ...config.tags },
    });
}
