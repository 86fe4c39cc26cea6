/** The document tier of a stack: one HaMongo in the network's data subnets, open to the app tier only. */
import { PerCloud } from "../../components/common";
import { HaMongo, HaMongoArgs } from "../../components/mongo";
import { NetworkFacts } from "../../components/network";
import { StackConfig } from "../config";
import { hibernationSettings } from "../hibernation";
import { dataPlacement } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";

/** The stack's HaMongo, or undefined when `intergalactic:mongo.enabled` is false; it spans the network's zones. */
export function mongoTier(config: StackConfig, network: NetworkFacts, snapshots: SnapshotsConfig): HaMongo | undefined {
    const mongo = config.mongo;
    if (!mongo.enabled) return undefined;
    return new HaMongo(mongo.name, {
        ...dataPlacement(config, network),
        size: mongo.size,
        version: mongo.version,
        databaseName: mongo.databaseName,
        backupRetentionDays: mongo.backupRetentionDays,
        deletionProtection: mongo.deletionProtection,
        finalSnapshot: mongo.finalSnapshot,
        finalSnapshotSuffix: snapshots.finalSnapshotSuffix,
        restoreFromSnapshot: snapshots.restore[mongo.name],
        ...CLOUD_ARGS[config.cloud](config, snapshots),
    });
}

/** The args only one cloud's store takes: the config keys of the other cloud are refused by the config parser. */
const CLOUD_ARGS: PerCloud<(config: StackConfig, snapshots: SnapshotsConfig) => Partial<HaMongoArgs>> = {
    aws: (config, snapshots) => ({
        aws: {
            instanceCount: config.mongo.instanceCount, masterUsername: config.mongo.masterUsername, encryptionKeyId: snapshots.encryptionKeys[config.mongo.name],
            // Hibernated: the first instance only; the cluster volume keeps the data (stacks/hibernation.ts).
            hibernated: hibernationSettings(config).mongoHibernated,
        },
    }),
    azure: ({ mongo, region }) => ({
        azure: {
            location: region,
            collections: mongo.collections?.map((c) => ({ ...c, indexes: c.indexes?.map((i) => ({ ...i, keys: [...i.keys] })) })),
            restoreTimestampUtc: mongo.restoreTimestampUtc,
        },
    }),
};
