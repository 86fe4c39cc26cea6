/**
 * What every data-tier component (HaRedis, HaMongo, KafkaQuorum) shares: where
 * it is placed, who may reach it, and the cloud-neutral connection it exposes
 * to the services that use it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "./cloud";
import { Size } from "./size";

/** Placement and access of a data-tier component. */
export interface DataPlacementArgs {
    /** The cloud to build on: `aws` or `azure`. */
    cloud: Cloud;
    /** The VPC (AWS) or VNet (Azure) id, e.g. `Vpc3Az.networkId`. */
    networkId: pulumi.Input<string>;
    /**
     * The isolated data-tier subnets, e.g. `Vpc3Az.dataSubnetIds`: one per zone on AWS, the
     * regional data subnet on Azure. Azure resources go into this subnet's resource group.
     */
    subnetIds: pulumi.Input<string>[];
    /**
     * Azure: the resource group for the store, e.g. `Vpc3Az.resourceGroupName`. Giving it lets the store
     * start as soon as the group exists instead of waiting for the subnet it is parsed from. Ignored on AWS.
     * @default - the resource group of the first subnet in `subnetIds`
     */
    resourceGroupName?: pulumi.Input<string>;
    /** The zones to spread replicas over, in order, e.g. `Vpc3Az.zones`; at least 3 for HA. */
    zones: string[];
    /**
     * Address ranges allowed to connect, e.g. the app tier's `Vpc3Az.appCidrs`. Nothing else may connect.
     * @default []
     */
    allowedClientCidrs?: string[];
    /**
     * AWS: security groups allowed to connect, e.g. the Kubernetes workers' group. Ignored on Azure,
     * where access is by address range through the private endpoint.
     * @default []
     */
    allowedClientSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * The capacity tier: `small`, `medium` or `large`, mapped to an instance type or SKU per cloud.
     * @default "medium"
     */
    size?: Size;
    /**
     * Tags for every resource.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** The resource references a data store's cloud implementation builds on; everything else is in its plan. */
export interface DataStoreInputs {
    readonly networkId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly resourceGroupName?: pulumi.Input<string>;
    readonly allowedClientSecurityGroupIds: readonly pulumi.Input<string>[];
}

/** The resource references of a data store's args, for its cloud implementation. */
export function dataStoreInputs(args: DataPlacementArgs): DataStoreInputs {
    return {
        networkId: args.networkId,
        subnetIds: [...args.subnetIds],
        resourceGroupName: args.resourceGroupName,
        allowedClientSecurityGroupIds: [...(args.allowedClientSecurityGroupIds ?? [])],
    };
}

/** Backup and teardown behaviour of a data store that holds state. */
export interface DataProtectionArgs {
    /**
     * Days to keep automatic backups/snapshots.
     * @default 7
     */
    backupRetentionDays?: number;
    /**
     * Refuse deletion (cloud-side deletion protection where the service has it, and Pulumi `protect`).
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * Take a final snapshot when the store is deleted.
     * @default true
     */
    finalSnapshot?: boolean;
    /**
     * Appended to the final snapshot's name. Give each teardown its own value (the scheduler uses the
     * teardown time): a snapshot name can exist only once, so a fixed one fails the second teardown.
     * @default "final"
     */
    finalSnapshotSuffix?: string;
    /**
     * A snapshot to create the store from (e.g. the last teardown's final snapshot).
     * @default - start empty
     */
    restoreFromSnapshot?: string;
}

/** How clients reach a data store; the same shape on every cloud. Contains no credentials. */
export interface ConnectionInfo {
    /** The primary host name. */
    host: string;
    /** Every endpoint as `host:port` (e.g. Kafka bootstrap brokers). */
    endpoints: string[];
    /** The port clients connect to. */
    port: number;
    /** Always true: every data store requires TLS. */
    tls: boolean;
    /** The authentication mechanism clients must use, e.g. `password`, `SCRAM-SHA-512`, `PLAIN`. */
    authMechanism: string;
}

/** Credentials of a data store; always exported as a Pulumi secret. */
export interface Credentials {
    /** The user name (may be empty where the service has none). */
    username: string;
    /** The password, token or key. */
    password: string;
    /** A complete connection string/URI including credentials. */
    connectionString: string;
}

/** What a restore source names; the same words in the stack's `restoreSources` output. */
export const RestoreSourceKind = {
    /** Nothing outlives the store's deletion: it starts empty after a teardown. */
    None: "none",
    /** An Amazon DocumentDB cluster snapshot identifier. */
    DocDbClusterSnapshot: "docdb-cluster-snapshot",
    /** An ElastiCache snapshot name. */
    ElastiCacheSnapshot: "elasticache-snapshot",
    /** A restorable (deleted or live) Cosmos DB account id, restored to a point in time from continuous backup. */
    CosmosRestorableAccount: "cosmos-restorable-account",
} as const;
export type RestoreSourceKind = (typeof RestoreSourceKind)[keyof typeof RestoreSourceKind];

/**
 * What a data store leaves behind when it is deleted, and what its next creation needs to come back
 * from it. Plain values: the scheduler reads them from the stack outputs.
 */
export interface RestoreSource {
    /** What `snapshot` names; `none` when nothing is kept. */
    kind: RestoreSourceKind;
    /** The value for `restoreFromSnapshot` on the next creation; empty when nothing is kept. */
    snapshot: string;
    /**
     * AWS: the KMS key the snapshot is encrypted with. It outlives the teardown (the key is retained on
     * delete); pass it as `encryptionKeyId` so the restored store adopts the same key. Empty when none.
     */
    encryptionKeyArn: string;
    /** True when the restore also needs a point in time (Cosmos DB: `restoreTimestampUtc`, at or before the deletion). */
    needsPointInTime: boolean;
    /** Days after the deletion the source can still be restored; 0 means until someone deletes the snapshot. */
    restorableForDays: number;
}

/** The restore source of a store that keeps nothing. */
export const NOTHING_KEPT: RestoreSource = { kind: RestoreSourceKind.None, snapshot: "", encryptionKeyArn: "", needsPointInTime: false, restorableForDays: 0 };

/** Default protection values, resolved once. */
export const DataProtectionDefaults = {
    backupRetentionDays: 7,
    deletionProtection: true,
    finalSnapshot: true,
    finalSnapshotSuffix: "final",
} as const;

/** The resource group of an Azure resource, parsed from its ARM id. */
export function resourceGroupOfId(id: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(id).apply((value) => {
        const match = /\/resourceGroups\/([^/]+)/i.exec(value);
        if (!match) throw new Error(`not an Azure resource id: ${value}`);
        return match[1];
    });
}

/**
 * The resource group of a data store on Azure: the given one, else the first subnet's. Only what
 * needs the subnet should wait for it, so callers pass the group when they have it.
 */
export function dataResourceGroup(args: Pick<DataStoreInputs, "resourceGroupName" | "subnetIds">): pulumi.Output<string> {
    return args.resourceGroupName !== undefined ? pulumi.output(args.resourceGroupName) : resourceGroupOfId(args.subnetIds[0]);
}
