/** The document tier of a stack: one HaMongo in the network's data subnets, open to the app tier only. */
import { Cloud } from "../../components/common/cloud";
import { HaMongo } from "../../components/mongo/haMongo";
import { Tier } from "../../components/network/layout";
import { subnetsOf } from "../../components/network/networkPlan";
import { StackConfig } from "../config";
import { DataTierNetwork, networkLayout } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";

/** What this data tier takes from the network tier. */
export type MongoNetwork = DataTierNetwork;

/**
 * The stack's HaMongo, or undefined when `intergalactic:mongo.enabled` is false. `zones` are the
 * region's zones as given to the network; the store spans the same ones the network does.
 */
export function mongoTier(config: StackConfig, network: MongoNetwork, zones: string[], snapshots: SnapshotsConfig): HaMongo | undefined {
    const mongo = config.mongo;
    if (!mongo.enabled) return undefined;
    // The network layout is pure, so the data subnets' count, the zones and the app ranges are known
    // as plain values (HaMongo plans with them before anything exists): the very plan Vpc3Az builds from.
    const layout = networkLayout(config, zones);
    const dataSubnetIds = subnetsOf(layout, Tier.Data).map((_, i) => network.dataSubnetIds.apply((ids) => ids[i]));
    return new HaMongo(mongo.name, {
        cloud: config.cloud,
        location: config.cloud === Cloud.Azure ? config.region : undefined,
        networkId: network.networkId,
        resourceGroupName: config.cloud === Cloud.Azure ? network.resourceGroupName : undefined,
        subnetIds: dataSubnetIds,
        zones: [...layout.zones],
        allowedClientCidrs: subnetsOf(layout, Tier.App).map((s) => s.cidr),
        size: mongo.size,
        version: mongo.version,
        instanceCount: mongo.instanceCount,
        databaseName: mongo.databaseName,
        masterUsername: mongo.masterUsername,
        backupRetentionDays: mongo.backupRetentionDays,
        deletionProtection: mongo.deletionProtection,
        finalSnapshot: mongo.finalSnapshot,
        finalSnapshotSuffix: snapshots.finalSnapshotSuffix,
        restoreFromSnapshot: snapshots.restore[mongo.name],
        restoreTimestampUtc: mongo.restoreTimestampUtc,
        tags: { ...config.tags },
    });
}
