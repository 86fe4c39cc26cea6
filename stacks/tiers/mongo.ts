/** The document tier of a stack: one HaMongo in the network's data subnets, open to the app tier only. */
import { Cloud } from "../../components/common/cloud";
import { HaMongo } from "../../components/mongo/haMongo";
import { StackConfig } from "../config";
import { NetworkFacts } from "../../components/network/facts";
import { dataPlacement } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";

/** The stack's HaMongo, or undefined when `intergalactic:mongo.enabled` is false; it spans the network's zones. */
export function mongoTier(config: StackConfig, network: NetworkFacts, snapshots: SnapshotsConfig): HaMongo | undefined {
    const mongo = config.mongo;
    if (!mongo.enabled) return undefined;
    return new HaMongo(mongo.name, {
        ...dataPlacement(config, network),
        location: config.cloud === Cloud.Azure ? config.region : undefined,
        size: mongo.size,
        version: mongo.version,
        instanceCount: mongo.instanceCount,
        databaseName: mongo.databaseName,
        collections: mongo.collections?.map((c) => ({ ...c, indexes: c.indexes?.map((i) => ({ ...i, keys: [...i.keys] })) })),
        masterUsername: mongo.masterUsername,
        backupRetentionDays: mongo.backupRetentionDays,
        deletionProtection: mongo.deletionProtection,
        finalSnapshot: mongo.finalSnapshot,
        finalSnapshotSuffix: snapshots.finalSnapshotSuffix,
        restoreFromSnapshot: snapshots.restore[mongo.name],
        restoreTimestampUtc: mongo.restoreTimestampUtc,
        encryptionKeyId: snapshots.encryptionKeys[mongo.name],
    });
}
