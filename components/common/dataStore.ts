/**
 * What every data-tier component (HaRedis, HaMongo, KafkaQuorum) shares: where
 * it is placed, who may reach it, and the cloud-neutral connection it exposes
 * to the services that use it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud } from "./cloud";
import { Size } from "./size";
import { InvalidArgumentsError, Problems } from "./validation";
import { NetworkFacts, SubnetFacts, SubnetTier } from "../network/facts";
import { checkClientTier, checkInsideNetwork, checkNetworkFacts, chooseSubnets, placementZones, tierRanges } from "../network/wiring";

/** Placement and access of a data-tier component. */
export interface DataPlacementArgs {
    /** The cloud to build on: `aws` or `azure`. */
    cloud: Cloud;
    /**
     * The network the store goes into, e.g. `vpc.facts()` of a Vpc3Az. The store is placed in its data
     * tier and admits its app tier; on Azure its resources go into the network's resource group.
     */
    network: NetworkFacts;
    /**
     * The data subnets to place the store in, e.g. `vpc.selectSubnets({ tier: "data", zones })`: on AWS
     * one per zone the store spans (the store's zones are theirs), on Azure the regional data subnet
     * (the store spans the network's zones). Only the network's own data subnets are accepted.
     * @default - the network's data subnets (KafkaQuorum on AWS: those of the first three zones, MSK's most)
     */
    subnets?: SubnetFacts[];
    /**
     * Deprecated: give it as `aws.allowedClientCidrs`. An error on Azure, where it does nothing.
     * @default - the ranges of the network's app subnets, in every zone
     * @deprecated Use `aws.allowedClientCidrs`.
     */
    allowedClientCidrs?: string[];
    /**
     * Deprecated: give it as `aws.allowedClientSecurityGroupIds`. An error on Azure, where it does nothing.
     * @default []
     * @deprecated Use `aws.allowedClientSecurityGroupIds`.
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

/**
 * Who may reach a data store on AWS, where its own security group admits clients. On Azure a store is
 * reached only through its private endpoint in the data subnet, whose NSG (Vpc3Az's) admits the
 * network's app tier, so these keys do nothing there and are an error.
 */
export interface DataStoreAwsArgs {
    /**
     * Address ranges the store's security group admits; each must lie inside one of the network's app subnets (the
     * tier whose workloads use the store: the whole network, or a range reaching into the public or data tier, is
     * refused). Nothing else may connect.
     * @default - the ranges of the network's app subnets, in every zone; none when `allowedClientSecurityGroupIds` are given
     */
    allowedClientCidrs?: string[];
    /**
     * Security groups the store's security group admits, e.g. the Kubernetes workers' group.
     * @default []
     */
    allowedClientSecurityGroupIds?: pulumi.Input<string>[];
}

/** The keys of {@link DataStoreAwsArgs}: top-level args before they were grouped, still accepted there (deprecated). */
export const DATA_STORE_AWS_ALIASES: readonly string[] = ["allowedClientCidrs", "allowedClientSecurityGroupIds"];

/** Why the data stores' AWS access keys do nothing on Azure. */
export const DATA_STORE_AWS_ELSEWHERE: Readonly<Record<string, string>> = {
    allowedClientCidrs: "the store is reached only through its private endpoint in the data subnet, whose NSG (Vpc3Az) admits the network's app tier; remove it",
    allowedClientSecurityGroupIds: "there are no security groups on Azure; the data subnet's NSG (Vpc3Az) admits the network's app tier; remove it",
};

/** The resource references a data store's cloud implementation builds on; everything else is in its plan. */
export interface DataStoreInputs {
    readonly networkId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly resourceGroupName?: pulumi.Input<string>;
    readonly allowedClientSecurityGroupIds: readonly pulumi.Input<string>[];
}

/**
 * The resource references of a data store, for its cloud implementation: the ids its placement
 * resolved from the network's facts (see {@link placeDataStore}) and the client security groups of its args.
 */
export function dataStoreInputs(args: Pick<DataPlacementArgs, "allowedClientSecurityGroupIds">, placement: ResolvedPlacement): DataStoreInputs {
    return {
        networkId: placement.networkId,
        subnetIds: [...placement.subnetIds],
        resourceGroupName: placement.resourceGroupName,
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

/** Where a data store goes, resolved from its network facts: what its cloud implementation builds on. */
export interface ResolvedPlacement {
    /** The VPC (AWS) or VNet (Azure) id. */
    readonly networkId: pulumi.Input<string>;
    /** The chosen data subnets' ids. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Azure: the network's resource group, when its facts name it. */
    readonly resourceGroupName?: pulumi.Input<string>;
}

/** A data store's placement: the plain values its planner checks, and the references its implementation uses. */
export interface DataPlacement {
    /** The zones the store spans: the chosen subnets' zones (AWS), the network's zones (regional subnet, Azure). */
    readonly zones: string[];
    /** How many subnets were chosen. */
    readonly subnetCount: number;
    /** The ranges the store admits. */
    readonly allowedClientCidrs: string[];
    /** What is wrong with the wiring, as `<arg>: <value> <rule>` lines: the store's planner reports them with its own. */
    readonly wiringProblems: readonly string[];
    readonly resolved: ResolvedPlacement;
}

/** What {@link placeDataStore} needs to know about the store besides its args. */
export interface DataPlacementRules {
    /** The fewest zones the store's high availability needs, and why. */
    readonly minZones: number;
    readonly minZonesRule: string;
    /** AWS: the most data subnets the service takes; the default placement uses the first zones'. */
    readonly maxSubnets?: number;
}

/** Per cloud, how many data subnets the default placement takes: AWS services cap it, Azure uses the one regional subnet. */
const MAX_DEFAULT_SUBNETS: PerCloud<(rules: DataPlacementRules) => number | undefined> = {
    aws: (rules) => rules.maxSubnets,
    azure: () => undefined,
};

/**
 * Places a data store in its network's data tier and derives who may reach it from the network's app
 * tier. Wiring problems (the arg, the value and the rule) come back for the store's planner, which
 * throws them together with its own before anything is registered.
 */
export function placeDataStore(
    args: Pick<DataPlacementArgs, "cloud" | "network" | "subnets">, rules: DataPlacementRules, aws: DataStoreAwsArgs = {},
    // The client ranges' arg as the user wrote it (the deprecated top-level key or the group's), so the error names a key they have.
    clientCidrsArg = "aws.allowedClientCidrs",
): DataPlacement {
    const problems = new Problems("network wiring");
    const space = checkNetworkFacts(problems, "network", args.cloud, args.network);
    const maxDefault = MAX_DEFAULT_SUBNETS[args.cloud]?.(rules);
    const subnets = chooseSubnets(problems, "subnets", args.network, args.subnets, [SubnetTier.Data], "a data store", maxDefault);
    const zones = placementZones(problems, "subnets", args.network, subnets, rules.minZones, rules.minZonesRule);
    // `aws` is the resolved AWS group (empty on Azure, where the data subnet's NSG admits the app tier).
    // Given client groups are the caller's choice of who connects: no range is added to them unasked.
    const byGroup = (aws.allowedClientSecurityGroupIds ?? []).length > 0;
    const clients = aws.allowedClientCidrs ?? (byGroup ? [] : tierRanges(args.network, SubnetTier.App));
    checkInsideNetwork(problems, clientCidrsArg, clients, space, args.network?.cidrBlock ?? "",
        "a data store admits only clients inside its network (the default is the network's app tier)");
    checkClientTier(problems, clientCidrsArg, clients, args.network, SubnetTier.App, "a data store admits only the workloads that use it");
    return {
        zones,
        subnetCount: subnets.length,
        allowedClientCidrs: [...new Set(clients)],
        wiringProblems: problems.all,
        resolved: { networkId: args.network?.networkId, subnetIds: subnets.map((s) => s.id), resourceGroupName: args.network?.resourceGroupName },
    };
}

/**
 * The resource group of a data store on Azure: the given one, else the first subnet's. Only what
 * needs the subnet should wait for it, so callers pass the group when they have it.
 */
export function dataResourceGroup(args: Pick<DataStoreInputs, "resourceGroupName" | "subnetIds">): pulumi.Output<string> {
    return args.resourceGroupName !== undefined ? pulumi.output(args.resourceGroupName) : resourceGroupOfId(args.subnetIds[0]);
}

/** The args the data stores took before `network` (#15), each with what replaced it. */
const REPLACED_BY_NETWORK: Readonly<Record<string, string>> = {
    networkId: "`network` (e.g. vpc.facts())",
    subnetIds: "`subnets` (e.g. vpc.selectSubnets({ tier: \"data\" })) of the `network`",
    zones: "`network` (the store spans its subnets' zones)",
    resourceGroupName: "`network` (its resource group)",
};

/**
 * Runs a data store's planner and words its problems for the user who passed the args of before `network`: such a key
 * names what replaced it, and when `network` is missing the problems that only follow from that (its zones, its subnets,
 * clients derived from its app tier) are left out, since they name keys the user did not write (review R4 of #15).
 */
export function withNetworkHints<T>(args: { readonly network?: unknown; readonly instanceCount?: unknown; readonly aws?: object }, plan: () => T): T {
    try {
        return plan();
    } catch (err) {
        if (!(err instanceof InvalidArgumentsError)) throw err;
        const missing = args.network === undefined || args.network === null || typeof args.network !== "object";
        const FOLLOWS_FROM_MISSING = [/^network\.zones: /, /^subnets: "0 subnets" /, /^(aws\.)?allowedClientCidrs: \[\] and allowedClientSecurityGroupIds are both empty/,
            // HaMongo's instance count defaults to one per zone: 0 without a network.
            ...(args.instanceCount === undefined && (args.aws as { instanceCount?: unknown } | undefined)?.instanceCount === undefined ? [/^(aws\.)?instanceCount: 0 /] : [])];
        const problems = err.problems.flatMap((p) => {
            const key = /^(\w+): .* is not an arg\b/.exec(p)?.[1];
            if (key !== undefined && REPLACED_BY_NETWORK[key] !== undefined) return [`${p}; it was replaced by ${REPLACED_BY_NETWORK[key]}`];
            return missing && FOLLOWS_FROM_MISSING.some((r) => r.test(p)) ? [] : [p];
        });
        throw new InvalidArgumentsError(err.subject, problems);
    }
}
