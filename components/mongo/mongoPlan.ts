/**
 * The HaMongo planner: validates the args against the documented limits of
 * Amazon DocumentDB and Azure Cosmos DB for MongoDB, and turns them into plain
 * data (instance placement, names, backup settings) both implementations build from.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { CloudArgRules, argKeys } from "../common/cloudArgs";
import type { HaMongoArgs, HaMongoAwsArgs, HaMongoAzureArgs } from "./haMongo";
import { DATA_STORE_AWS_ALIASES, DATA_STORE_AWS_ELSEWHERE, DataProtectionDefaults } from "../common/dataStore";
import { childName, zoneLabel } from "../common/naming";
import { SIZES, Size } from "../common/size";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";
import { Ipv4Cidr, isPrivate, overlaps, parseCidr } from "../network/cidr";
import { MongoCollectionArgs, MongoCollectionPlan, planCollections } from "./collections";
import {
    COMPONENT_NAME_MAX, COSMOS_MAX_THROUGHPUT, CosmosLimits, DOCDB_INSTANCE_CLASS, DocDbLimits, MONGO_VERSIONS, MongoDefaults, MongoVersion,
} from "./layout";

/**
 * The cloud groups of HaMongo's args: `aws` configures DocumentDB alone, `azure` Cosmos DB alone; the keys that
 * were top-level args before stay accepted there for one release.
 */
export const MONGO_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<HaMongoArgs>({
        cloud: true, network: true, subnets: true, allowedClientCidrs: true, allowedClientSecurityGroupIds: true, size: true, tags: true, backupRetentionDays: true, deletionProtection: true, finalSnapshot: true, finalSnapshotSuffix: true, restoreFromSnapshot: true, version: true, databaseName: true, aws: true, azure: true,
        replicaRegions: true, replicaOf: true,
        instanceCount: true, masterUsername: true, encryptionKeyId: true, location: true, collections: true, restoreTimestampUtc: true,
    }),
    keys: {
        aws: argKeys<HaMongoAwsArgs>({ allowedClientCidrs: true, allowedClientSecurityGroupIds: true, instanceCount: true, masterUsername: true, encryptionKeyId: true, hibernated: true, peerClientCidrs: true }),
        azure: argKeys<HaMongoAzureArgs>({ location: true, collections: true, restoreTimestampUtc: true, replicaAccess: true }),
    },
    aliases: {
        aws: [...DATA_STORE_AWS_ALIASES, "instanceCount", "masterUsername", "encryptionKeyId"],
        azure: ["location", "collections", "restoreTimestampUtc"],
    },
    elsewhere: {
        aws: {
            ...DATA_STORE_AWS_ELSEWHERE,
            instanceCount: "Cosmos DB keeps replicas in every zone of the region itself; set size for throughput",
            masterUsername: "Cosmos DB authenticates with account keys; remove it",
            encryptionKeyId: "Cosmos DB encrypts with a service-managed key that outlives the account; remove it",
            hibernated: "Cosmos DB has no instances to remove, and its account keeps the data as it is",
            peerClientCidrs: "Cosmos DB is reached through a private endpoint in each network that uses it (azure.replicaAccess), not across a peering; remove it",
        },
        azure: {
            location: "a DocumentDB cluster is in the provider's region; remove it",
            collections: "DocumentDB clients create their collections and indexes themselves; remove it",
            restoreTimestampUtc: "DocumentDB restores a snapshot as it was taken; remove it",
        },
    },
};

/** The plain values the planner needs: the structural part of HaMongoArgs. */
export interface MongoPlanInput {
    /** Per key of the built cloud's group, the path the user wrote it at (`ResolvedCloudArgs.paths`), so each problem names that key (`azure.zones`). */
    argPaths?: Readonly<Record<string, string>>;
    /** Problems of the network wiring found before planning (`placeDataStore`), reported with the planner's own. */
    wiringProblems?: readonly string[];
    cloud: string;
    zones: readonly string[];
    /** How many subnets were given (their ids may not be known yet). */
    subnetCount: number;
    allowedClientCidrs?: readonly string[];
    /** How many client security groups were given. */
    allowedClientSecurityGroupCount?: number;
    size?: string;
    backupRetentionDays?: number;
    deletionProtection?: boolean;
    finalSnapshot?: boolean;
    finalSnapshotSuffix?: string;
    restoreFromSnapshot?: string;
    restoreTimestampUtc?: string;
    encryptionKeyId?: string;
    location?: string;
    /** The location the network's facts carry (`network.location`), which an explicit `location` must equal. */
    networkLocation?: string;
    /** The key the user wrote the location under (`azure.location`, or the deprecated `location`). */
    locationKey?: string;
    /**
     * Whether the network gives its real location as an Output (`network.deployedLocation`): then the account
     * takes that, `networkLocation` is only the configured guess, and an explicit `location` is compared with
     * the real one when it is known (see haMongo.azure.ts), not with the guess here.
     */
    networkDeploysLocation?: boolean;
    instanceCount?: number;
    hibernated?: boolean;
    /** AWS: client ranges in joined (peered) networks. */
    peerClientCidrs?: readonly string[];
    /** The network's own block (`network.cidrBlock`), which `peerClientCidrs` must lie outside. */
    networkCidrBlock?: string;
    version?: string;
    masterUsername?: string;
    databaseName?: string;
    collections?: readonly MongoCollectionArgs[];
    tags?: Readonly<Record<string, string>>;
    /** The other regions holding a copy (`replicaRegions`). */
    replicaRegions?: readonly string[];
    /**
     * What makes an account-wide name unique to its stack (`<project>-<stack>`): a DocumentDB global cluster's
     * identifier is one name per account across every region, so a second stack's store of the same name must not collide.
     */
    accountScope?: string;
    /** Whether this store is another region's copy (`replicaOf` given). */
    replica?: boolean;
    /** The regions of `azure.replicaAccess`. */
    replicaAccessRegions?: readonly string[];
}

/** One DocumentDB instance and the zone it is pinned to. */
export interface InstanceSpec {
    /** Child resource name, stable when instances are added: `<name>-db-<zone label><n>`. */
    readonly name: string;
    readonly zone: string;
}

/** Everything a cloud implementation needs to build the store. */
export interface MongoPlan {
    readonly name: string;
    readonly cloud: Cloud;
    /** The zones the store spans, in order. */
    readonly zones: readonly string[];
    readonly size: Size;
    readonly version: MongoVersion;
    /** AWS: the DocumentDB engine version of `version` (`5.0.0`). */
    readonly engineVersion: string;
    /** AWS: the cluster parameter group family of `version` (`docdb5.0`). */
    readonly parameterGroupFamily: string;
    readonly masterUsername: string;
    readonly databaseName: string;
    readonly allowedClientCidrs: readonly string[];
    /** AWS: client ranges in peered networks, admitted by their own rule of the security group. */
    readonly peerClientCidrs: readonly string[];
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    /** AWS: the final snapshot's identifier; undefined when no final snapshot is taken. The same name as HaRedis' plan. */
    readonly finalSnapshotName?: string;
    readonly restoreFromSnapshot?: string;
    readonly restoreTimestampUtc?: string;
    /** AWS: the id of an existing (retained) KMS key to adopt instead of creating one. */
    readonly encryptionKeyId?: string;
    /** Azure: whether the stack reports the deleted account as restorable (continuous backup keeps it for the tier's days). */
    readonly keepsRestorableAccount: boolean;
    /**
     * Azure: the account's region as known when planning (the explicit one, else the network's configured
     * one). The account itself takes the network's real location when the network gives it (haMongo.azure.ts).
     */
    readonly location: string;
    /** Azure: the key the location was written under, when it was written; undefined when it is the network's. */
    readonly explicitLocationKey?: string;
    /** AWS: the instances, round-robin over the zones. Empty on Azure. */
    readonly instances: readonly InstanceSpec[];
    /** AWS: the instance class of every instance. */
    readonly instanceClass: string;
    /** Azure: the continuous backup tier covering the retention. */
    readonly continuousTier: "Continuous7Days" | "Continuous30Days";
    /** Azure: the days a deleted account stays restorable: the window of `continuousTier`. */
    readonly restorableForDays: number;
    /** Azure: the autoscale maximum RU/s of the database. */
    readonly maxThroughput: number;
    /** Azure: the collections created through ARM. */
    readonly collections: readonly MongoCollectionPlan[];
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
    /** The other regions holding a copy of this primary, in failover order; empty for one region or a copy. */
    readonly replicaRegions: readonly string[];
    /** This store is a copy of another region's primary (`replicaOf`). */
    readonly replica: boolean;
    /** AWS: the global cluster's identifier when `replicaRegions` is not empty. */
    readonly globalClusterIdentifier?: string;
}

/**
 * Per cloud, how the store is built and what outlives its deletion: DocumentDB places instances and takes a final
 * snapshot; Cosmos DB replicates on its own, keeps the deleted account restorable from continuous backup, and gets
 * its collections through ARM (its keys may not write metadata).
 */
const SERVICE: PerCloud<{
    readonly label: string; readonly placesInstances: boolean; readonly keeps: "final-snapshot" | "restorable-account"; readonly plansCollections: boolean;
    /** Whether copies in other regions join a global cluster named after the store (DocumentDB) or are the account's own locations (Cosmos DB). */
    readonly globalCluster: boolean;
}> = {
    aws: { label: "DocumentDB cluster identifier", placesInstances: true, keeps: "final-snapshot", plansCollections: false, globalCluster: true },
    azure: { label: "Cosmos DB account name", placesInstances: false, keeps: "restorable-account", plansCollections: true, globalCluster: false },
};

/** At least this many zones (and so instances) let the store survive the loss of one zone with a quorum left. */
export const MIN_HA_ZONES = 3;

const NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
/** Letters, digits and single hyphens, starting with a letter, not ending with a hyphen (DocumentDB identifiers). */
const DOCDB_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/;
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster-snapshot:[A-Za-z][A-Za-z0-9-]*$/;
const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9]*$/;
/** MongoDB database names: no `/\. "$*<>:|?`, under 64 bytes; we keep to a portable subset. */
const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const RESTORABLE_ACCOUNT = /^\/subscriptions\/[0-9a-f-]{36}\/providers\/Microsoft\.DocumentDB\/locations\/[^/]+\/restorableDatabaseAccounts\/[0-9a-f-]{36}$/i;
/** A KMS key id (UUID or multi-Region `mrk-` id) or its ARN; the import id of a key is its bare id. */
const KMS_KEY = /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/)?((?:mrk-[0-9a-f]{32})|(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Validates the args and plans the store; throws one error listing every problem. */
export function planMongo(name: string, input: MongoPlanInput): MongoPlan {
    const problems = new Problems(`HaMongo "${name}"`, input.argPaths);
    (input.wiringProblems ?? []).forEach((p) => problems.add(p));
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const size = (input.size ?? MongoDefaults.size) as Size;
    const version = (input.version ?? MongoDefaults.version) as MongoVersion;
    const retention = input.backupRetentionDays ?? DataProtectionDefaults.backupRetentionDays;
    const masterUsername = input.masterUsername ?? MongoDefaults.masterUsername;
    const databaseName = input.databaseName ?? MongoDefaults.databaseName;
    const finalSnapshot = input.finalSnapshot ?? DataProtectionDefaults.finalSnapshot;
    const suffix = input.finalSnapshotSuffix ?? DataProtectionDefaults.finalSnapshotSuffix;

    const nameOk = checkName(problems, name, cloud);
    problems.oneOf("size", size, SIZES);
    problems.oneOf("version", version, MONGO_VERSIONS);
    problems.check(DATABASE_NAME.test(databaseName), "databaseName", databaseName, "must be 1-63 letters, digits, underscores or hyphens");
    const zones = checkZones(problems, input.zones);
    checkClients(problems, input.allowedClientCidrs ?? [], input.allowedClientSecurityGroupCount ?? 0);
    checkPeerClients(problems, input.peerClientCidrs ?? [], input.networkCidrBlock);
    const instanceCount = input.instanceCount ?? zones.length;
    if (cloudOk) {
        // Each cloud's own limits; a cloud added to Cloud must say what it checks here.
        const checks: PerCloud<() => void> = {
            aws: () => {
                checkAwsPlacement(problems, instanceCount, zones.length, input.subnetCount);
                checkAwsProtection(problems, retention, masterUsername, finalSnapshot && nameOk ? { name, suffix } : undefined, input.restoreFromSnapshot);
                if (input.encryptionKeyId !== undefined) {
                    problems.check(KMS_KEY.test(input.encryptionKeyId), "encryptionKeyId", input.encryptionKeyId,
                        "must be a KMS key id or key ARN (arn:aws:kms:<region>:<account>:key/<id>): the retained key the snapshot is encrypted with");
                }
                problems.check(input.restoreTimestampUtc === undefined, "restoreTimestampUtc", input.restoreTimestampUtc,
                    "is only for Azure: DocumentDB restores a snapshot as it was taken");
                problems.check((input.collections ?? []).length === 0, "collections", (input.collections ?? []).map((c) => c.name),
                    "is only for azure: DocumentDB clients create their collections and indexes themselves");
            },
            azure: () => {
                problems.check(input.hibernated !== true, "hibernated", input.hibernated,
                    "is only for aws: Cosmos DB has no instances to remove, and its account keeps the data as it is");
                const locationKey = input.locationKey ?? "azure.location";
                const location = input.location ?? input.networkLocation;
                if (input.location === undefined) {
                    problems.check(location !== undefined || input.networkDeploysLocation === true, locationKey, input.location, "is required on azure when the network's facts carry no location "
                        + "(a Vpc3Az built with an explicit provider or under a parent, or facts made by hand): the account's region, e.g. westeurope");
                } else {
                    problems.check(/^[a-z][a-z0-9]+$/.test(input.location), locationKey, input.location, "must be an ARM location name, e.g. westeurope");
                    // The account is placed in the network's zones (isZoneRedundant) and reached through a private endpoint
                    // in the network's data subnet: in another region it is neither in those zones nor near its clients.
                    problems.check(input.networkLocation === undefined || input.networkDeploysLocation === true || sameLocation(input.location, input.networkLocation), locationKey, input.location,
                        `is not the network's location (${input.networkLocation}): the account belongs in its network's region; leave ${locationKey} out to take the network's`);
                }
                problems.check(input.subnetCount >= 1, "subnets", `${input.subnetCount} subnets`, "must hold the regional data subnet for the private endpoint");
                checkAzureProtection(problems, retention, input.restoreFromSnapshot, input.restoreTimestampUtc, location ?? "");
                problems.check(input.encryptionKeyId === undefined, "encryptionKeyId", input.encryptionKeyId,
                    "is only for aws: Cosmos DB encrypts with a service-managed key that outlives the account");
            },
        };
        checks[cloud]();
    }
    const collections = cloudOk && SERVICE[cloud].plansCollections ? planCollections(problems, "collections", input.collections ?? []) : [];
    const replicaRegions = [...(input.replicaRegions ?? [])];
    if (cloudOk) checkReplication(problems, cloud, { ...input, replicaRegions, size });
    if (cloudOk && SERVICE[cloud].globalCluster && replicaRegions.length > 0) {
        const identifier = globalClusterIdentifierOf(input.accountScope, name);
        // DocumentDB: 1-63 letters, digits and hyphens, a letter first, no two hyphens in a row, no hyphen last
        // (hashicorp/terraform-provider-aws internal/service/docdb validGlobalCusterIdentifier).
        problems.check(identifier.length <= DocDbLimits.globalClusterIdentifierLength && /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/.test(identifier),
            "replicaRegions", replicaRegions, `needs a global cluster named "${identifier}" (project, stack and store), which must be at most ${DocDbLimits.globalClusterIdentifierLength} letters, digits and single hyphens: shorten the store's name`);
    }
    problems.throwIfAny();

    const sevenDays = retention <= CosmosLimits.continuousTierDays[0];
    return {
        name, cloud, zones, size, version, masterUsername, databaseName,
        // DocumentDB names its engine versions major.minor.patch and its parameter group families after major.minor.
        engineVersion: `${version}.0`,
        parameterGroupFamily: `docdb${version}`,
        allowedClientCidrs: [...(input.allowedClientCidrs ?? [])],
        peerClientCidrs: [...(input.peerClientCidrs ?? [])],
        backupRetentionDays: retention,
        deletionProtection: input.deletionProtection ?? DataProtectionDefaults.deletionProtection,
        finalSnapshotName: finalSnapshot && SERVICE[cloud].keeps === "final-snapshot" ? `${name}-${suffix}` : undefined,
        restoreFromSnapshot: input.restoreFromSnapshot,
        restoreTimestampUtc: input.restoreTimestampUtc,
        encryptionKeyId: input.encryptionKeyId === undefined ? undefined : KMS_KEY.exec(input.encryptionKeyId)?.[1],
        keepsRestorableAccount: finalSnapshot && SERVICE[cloud].keeps === "restorable-account",
        location: input.location ?? input.networkLocation ?? "",
        ...(input.location !== undefined ? { explicitLocationKey: input.locationKey ?? "azure.location" } : {}),
        // Hibernated: the first instance only (the primary when none failed over), the replicas removed.
        instances: SERVICE[cloud].placesInstances ? placeInstances(name, zones, instanceCount).slice(0, input.hibernated === true ? 1 : undefined) : [],
        instanceClass: DOCDB_INSTANCE_CLASS[size],
        continuousTier: sevenDays ? "Continuous7Days" : "Continuous30Days",
        restorableForDays: sevenDays ? CosmosLimits.continuousTierDays[0] : CosmosLimits.continuousTierDays[1],
        maxThroughput: COSMOS_MAX_THROUGHPUT[size],
        collections,
        tags: { ...(input.tags ?? {}) },
        replicaRegions,
        replica: input.replica === true,
        globalClusterIdentifier: SERVICE[cloud].globalCluster && replicaRegions.length > 0 ? globalClusterIdentifierOf(input.accountScope, name) : undefined,
    };
}

/** Instances go round-robin over the zones; the n-th instance of a zone is `<zone label><n>`, so adding one never renames another. */
export function placeInstances(name: string, zones: readonly string[], count: number): InstanceSpec[] {
    const perZone = new Map<string, number>();
    return Array.from({ length: count }, (_, i) => {
        const zone = zones[i % zones.length];
        const n = (perZone.get(zone) ?? 0) + 1;
        perZone.set(zone, n);
        return { name: childName(name, "db", `${zoneLabel(zone)}${n}`), zone };
    });
}

function checkName(problems: Problems, name: string, cloud: Cloud): boolean {
    return problems.check(NAME_PATTERN.test(name) && name.length <= COMPONENT_NAME_MAX, "name", name,
        `must be 1-${COMPONENT_NAME_MAX} lowercase letters, digits or single hyphens, starting with a letter: ` +
        `it becomes part of the ${SERVICE[cloud]?.label ?? "store's cloud name"}`);
}

function checkZones(problems: Problems, zones: readonly string[]): string[] {
    const distinct = [...new Set(zones.filter((z) => z.length > 0))];
    if (!problems.check(distinct.length === zones.length, "network.zones", zones, "must be distinct, non-empty zone names")) return [...zones];
    problems.check(zones.length >= MIN_HA_ZONES, "network.zones", zones, `must name at least ${MIN_HA_ZONES} zones so the store survives the loss of one`);
    return distinct;
}

function checkClients(problems: Problems, cidrs: readonly string[], securityGroupCount: number): void {
    problems.check(cidrs.length + securityGroupCount > 0, "allowedClientCidrs", cidrs,
        "and allowedClientSecurityGroupIds are both empty: give the clients that may connect (e.g. the app tier's CIDRs)");
    checkPrivateCidrs(problems, "allowedClientCidrs", cidrs);
}

/** Peered clients: private ranges (never the internet) outside the store's own network (those are `allowedClientCidrs`). */
function checkPeerClients(problems: Problems, cidrs: readonly string[], networkCidrBlock: string | undefined): void {
    const network = networkCidrBlock === undefined ? undefined : parseCidr(networkCidrBlock);
    checkPrivateCidrs(problems, "peerClientCidrs", cidrs, (parsed, key, text) =>
        problems.check(network === undefined || typeof network === "string" || !overlaps(parsed, network), key, text,
            `lies in the store's own network ${networkCidrBlock}: give clients of this network as allowedClientCidrs; peerClientCidrs are other networks' ranges`));
}

/** Each of `cidrs` (the arg `arg`) a CIDR of private address space; `then` checks each that is, further. */
function checkPrivateCidrs(problems: Problems, arg: string, cidrs: readonly string[], then?: (parsed: Ipv4Cidr, key: string, text: string) => void): void {
    cidrs.forEach((text, i) => {
        const key = `${arg}[${i}]`;
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, key, text, parsed);
        else if (problems.check(isPrivate(parsed), key, text, "is not private address space: a data store is never reachable from the internet")) then?.(parsed, key, text);
    });
}

function checkAwsPlacement(problems: Problems, instanceCount: number, zoneCount: number, subnetCount: number): void {
    const { min, max } = DocDbLimits.instanceCount;
    if (problems.integer("instanceCount", instanceCount, min, max)) {
        problems.check(instanceCount >= Math.max(zoneCount, MIN_HA_ZONES), "instanceCount", instanceCount,
            `must be at least the ${Math.max(zoneCount, MIN_HA_ZONES)} zones, so every zone holds an instance to fail over to`);
    }
    problems.check(subnetCount >= zoneCount, "subnets", `${subnetCount} subnets`,
        `must hold one data subnet per zone (${zoneCount}): instances can only be placed in zones the subnet group covers`);
}

function checkAwsProtection(
    problems: Problems, retention: number, username: string, finalSnapshot: { name: string; suffix: string } | undefined, restore: string | undefined,
): void {
    const { min, max } = DocDbLimits.backupRetentionDays;
    problems.integer("backupRetentionDays", retention, min, max);
    problems.check(USERNAME_PATTERN.test(username) && username.length <= DocDbLimits.masterUsernameLength, "masterUsername", username,
        `must be 1-${DocDbLimits.masterUsernameLength} letters or digits, starting with a letter`);
    problems.check(!DocDbLimits.reservedUsernames.includes(username.toLowerCase()), "masterUsername", username,
        "is reserved by DocumentDB for AWS's own management user");
    if (finalSnapshot !== undefined) {
        const id = `${finalSnapshot.name}-${finalSnapshot.suffix}`;
        problems.check(DOCDB_IDENTIFIER.test(id) && id.length <= DocDbLimits.finalSnapshotIdentifierLength, "finalSnapshotSuffix", finalSnapshot.suffix,
            `gives the final snapshot identifier "${id}", which must be 1-${DocDbLimits.finalSnapshotIdentifierLength} letters, digits or single hyphens, not ending with a hyphen`);
    }
    if (restore !== undefined) {
        problems.check(SNAPSHOT_ARN.test(restore) || (DOCDB_IDENTIFIER.test(restore) && restore.length <= DocDbLimits.finalSnapshotIdentifierLength),
            "restoreFromSnapshot", restore, "must be a DocumentDB cluster snapshot identifier or cluster-snapshot ARN");
    }
}

/** Two ARM location names are one location whatever their case and spaces ("West Europe", "westeurope"). */
const sameLocation = (a: string, b: string): boolean => a.toLowerCase().replace(/\s/g, "") === b.toLowerCase().replace(/\s/g, "");

function checkAzureProtection(problems: Problems, retention: number, restore: string | undefined, timestamp: string | undefined, location: string): void {
    const maxDays = CosmosLimits.continuousTierDays[CosmosLimits.continuousTierDays.length - 1];
    problems.integer("backupRetentionDays", retention, 1, maxDays);
    if (restore !== undefined) {
        problems.check(RESTORABLE_ACCOUNT.test(restore), "restoreFromSnapshot", restore,
            "must be a restorable Cosmos DB account id (/subscriptions/<id>/providers/Microsoft.DocumentDB/locations/<location>/restorableDatabaseAccounts/<id>)");
        // The restored account is created in the source's region; Cosmos DB cannot restore into another.
        // https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction#current-limitations
        const sourceLocation = /\/locations\/([^/]+)\//i.exec(restore)?.[1] ?? "";
        problems.check(!RESTORABLE_ACCOUNT.test(restore) || sourceLocation.toLowerCase().replace(/\s/g, "") === location.toLowerCase(), "restoreFromSnapshot", restore,
            `is an account in ${sourceLocation}: Cosmos DB restores only into the source account's region (location is ${location})`);
        problems.check(timestamp !== undefined, "restoreTimestampUtc", timestamp, "is required with restoreFromSnapshot on Azure: the point in time to restore, at or before the source account's deletion (for a teardown: the time its destroy started, UTC)");
    } else {
        problems.check(timestamp === undefined, "restoreTimestampUtc", timestamp, "needs restoreFromSnapshot: there is nothing to restore");
    }
    if (timestamp !== undefined) {
        problems.check(ISO_UTC.test(timestamp) && !Number.isNaN(Date.parse(timestamp)), "restoreTimestampUtc", timestamp,
            "must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
    }
}

/**
 * Regions holding a copy, per cloud. AWS global clusters run on neither t3, t4g nor r4 instances and not in
 * South America (Sao Paulo), Europe (Milan) or China (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters.html,
 * "current limitations"); a secondary takes its users and data from the primary, so it restores no snapshot.
 * Azure: each region is one more account location, neither the account's own nor repeated.
 */
function checkReplication(problems: Problems, cloud: Cloud, input: MongoPlanInput & { readonly replicaRegions: readonly string[]; readonly size: Size }): void {
    const regions = input.replicaRegions;
    problems.check(!(regions.length > 0 && input.replica === true), "replicaRegions", regions, "and replicaOf are exclusive: a store is either the primary that lists its copies or a copy");
    problems.check(!(input.replica === true && input.restoreFromSnapshot !== undefined), "restoreFromSnapshot", input.restoreFromSnapshot,
        "is for a primary: a copy takes its data from the primary it replicates (replicaOf)");
    regions.forEach((region, i) => {
        problems.check(/^[a-z][a-z0-9-]*[a-z0-9]$/.test(region), `replicaRegions[${i}]`, region, "must be a region name such as us-east-1 or eastus2");
        problems.check(regions.indexOf(region) === i, `replicaRegions[${i}]`, region, "is listed twice: a region holds one copy");
    });
    REPLICATION_RULES[cloud](problems, input, regions);
}

/** Each cloud's own replication rules. */
const REPLICATION_RULES: PerCloud<(problems: Problems, input: MongoPlanInput & { readonly size: Size }, regions: readonly string[]) => void> = {
    aws: (problems, input, regions) => {
        regions.forEach((region, i) => problems.check(!GLOBAL_CLUSTER_EXCLUDED_REGION.test(region), `replicaRegions[${i}]`, region,
            "has no DocumentDB global clusters (docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters.html)"));
        if (regions.length === 0 && input.replica !== true) return;
        const instanceClass = DOCDB_INSTANCE_CLASS[input.size];
        problems.check(!/^db\.(t3|t4g|r4)\./.test(instanceClass ?? ""), "size", input.size,
            `gives ${instanceClass}, which a DocumentDB global cluster does not run on (no t3, t4g or r4 instances): use medium or large`);
    },
    azure: (problems, input, regions) => {
        regions.forEach((region, i) => problems.check(region !== input.location, `replicaRegions[${i}]`, region, "is the account's own location"));
        problems.check(input.replica !== true, "replicaOf", "(given)",
            "is for aws: a Cosmos DB account's other regions are its locations (replicaRegions); their networks reach it through azure.replicaAccess of the one store");
        (input.replicaAccessRegions ?? []).forEach((region, i) => problems.check(regions.includes(region), `azure.replicaAccess[${i}].region`, region,
            `must be one of replicaRegions (${regions.join(", ") || "none"}): the account is reachable only where it has a location`));
    },
};

/** Regions without DocumentDB global clusters: Sao Paulo, Milan, China. */
const GLOBAL_CLUSTER_EXCLUDED_REGION = /^(sa-east-1|eu-south-1|cn-.*)$/;

/**
 * The DocumentDB global cluster's identifier: `<project>-<stack>-<store>-global`, lower case, each run of other
 * characters one hyphen. It is one name per account across all regions, so the stack is part of it.
 */
export function globalClusterIdentifierOf(accountScope: string | undefined, name: string): string {
    const raw = accountScope === undefined || accountScope === "" ? `${name}-global` : `${accountScope}-${name}-global`;
    return raw.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
