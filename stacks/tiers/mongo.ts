/** The document tier of a stack: one HaMongo in the network's data subnets, open to the app tier only. */
import { PerCloud } from "../../components/common";
import { HaMongo, HaMongoArgs, HaMongoReplicaAccessArgs } from "../../components/mongo";
import { NetworkFacts, SubnetTier, selectSubnets } from "../../components/network";
import { StackConfig } from "../config";
import { hibernationSettings } from "../hibernation";
import { dataPlacement } from "./layout";
import { SnapshotsConfig } from "../config/snapshots";
import { PRIMARY_SCOPE, StampScope } from "./stamp";
import * as pulumi from "@pulumi/pulumi";

/**
 * How the user database spans a stack's stamps: the first stamp's store is the primary and lists the other
 * stamps' regions; each other stamp's store is its copy (`replicaOf` the primary's `replicationSource`).
 */
export interface MongoReplication {
    /** The primary's: the regions of the other stamps. */
    readonly replicaRegions?: readonly string[];
    /** A copy's (AWS): the primary's replication source. */
    readonly replicaOf?: pulumi.Input<string>;
    /** The primary's (Azure): the other stamps' networks, which reach the account through endpoints of their own. */
    readonly replicaNetworks?: readonly { readonly region: string; readonly network: NetworkFacts }[];
    /**
     * AWS, several stamps: the other stamps' app subnets, which reach this cluster across the peering (stacks/tiers/peering.ts)
     * while it is the writer. Every member admits them, the secondaries too: after a global failover the writer is another
     * region's cluster.
     */
    readonly peerClientCidrs?: readonly string[];
}

/** The app subnets' ranges of a network: the clients a stamp's services connect from. */
export function appCidrs(network: NetworkFacts): string[] {
    return selectSubnets(network, { tier: SubnetTier.App }).map((s) => s.cidr);
}

/** The stack's HaMongo, or undefined when `intergalactic:mongo.enabled` is false; it spans the network's zones. */
export function mongoTier(
    config: StackConfig, network: NetworkFacts, snapshots: SnapshotsConfig, replication: MongoReplication = {}, scope: StampScope = PRIMARY_SCOPE,
): HaMongo | undefined {
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
        ...CLOUD_ARGS[config.cloud](config, snapshots, replication),
        // Only when there is more than one stamp: a one-region stack's store is exactly as before.
        ...(replication.replicaRegions && replication.replicaRegions.length > 0 ? { replicaRegions: [...replication.replicaRegions] } : {}),
        ...(replication.replicaOf !== undefined ? { replicaOf: replication.replicaOf } : {}),
    }, scope.opts);
}

/** The args only one cloud's store takes: the config keys of the other cloud are refused by the config parser. */
const CLOUD_ARGS: PerCloud<(config: StackConfig, snapshots: SnapshotsConfig, replication: MongoReplication) => Partial<HaMongoArgs>> = {
    aws: (config, snapshots, replication) => ({
        aws: {
            instanceCount: config.mongo.instanceCount, masterUsername: config.mongo.masterUsername, encryptionKeyId: snapshots.encryptionKeys[config.mongo.name],
            // Hibernated: the first instance only; the cluster volume keeps the data (stacks/hibernation.ts).
            hibernated: hibernationSettings(config).mongoHibernated,
            ...((replication.peerClientCidrs ?? []).length > 0 ? { peerClientCidrs: [...(replication.peerClientCidrs ?? [])] } : {}),
        },
    }),
    azure: ({ mongo }, _snapshots, replication) => ({
        azure: {
            ...((replication.replicaNetworks ?? []).length > 0 ? { replicaAccess: replicaAccess(replication.replicaNetworks ?? []) } : {}),
            // No location: the account takes its network's real one (network.deployedLocation), which a change of
            // azure-native:location does not move; this stack's region would, and replace the account.
            collections: mongo.collections?.map((c) => ({ ...c, indexes: c.indexes?.map((i) => ({ ...i, keys: [...i.keys] })) })),
            restoreTimestampUtc: mongo.restoreTimestampUtc,
        },
    }),
};

/** Each other stamp's data subnet and network, for the account's endpoint there. */
function replicaAccess(networks: NonNullable<MongoReplication["replicaNetworks"]>): HaMongoReplicaAccessArgs[] {
    return networks.map(({ region, network }) => ({ region, subnetId: selectSubnets(network, { tier: SubnetTier.Data })[0].id, networkId: network.networkId }));
}
