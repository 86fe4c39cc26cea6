/**
 * The documented limits of the two managed services HaMongo builds on, and its
 * defaults. Each limit is checked before anything is created, because the
 * services only reject a bad value minutes into a deployment.
 */
import { Size } from "../common/size";

/** The MongoDB API version clients see; the same words on both clouds. */
export const MongoVersion = {
    /** MongoDB 4.0 API: DocumentDB 4.0.0, Cosmos DB for MongoDB server version 4.0. */
    V4_0: "4.0",
    /** MongoDB 5.0 API: DocumentDB 5.0.0, Cosmos DB for MongoDB server version 5.0. */
    V5_0: "5.0",
} as const;
export type MongoVersion = (typeof MongoVersion)[keyof typeof MongoVersion];

/** Every supported version, oldest first. */
export const MONGO_VERSIONS: readonly MongoVersion[] = [MongoVersion.V4_0, MongoVersion.V5_0];

/** Defaults applied when an arg is omitted. */
export const MongoDefaults = {
    version: MongoVersion.V5_0 as MongoVersion,
    masterUsername: "cookieadmin",
    databaseName: "cookies",
    size: Size.Medium as Size,
} as const;

/** Amazon DocumentDB limits (developer guide: cluster settings, CreateDBCluster, DeleteDBCluster). */
export const DocDbLimits = {
    /** A cluster has one primary and up to 15 replicas. */
    instanceCount: { min: 1, max: 16 },
    /** `BackupRetentionPeriod`: 1 to 35 days. */
    backupRetentionDays: { min: 1, max: 35 },
    /** `DBClusterIdentifier`: 1 to 63 letters, digits or hyphens. */
    clusterIdentifierLength: 63,
    /** `GlobalClusterIdentifier`: 1 to 63 letters, digits or hyphens, one name per account. */
    globalClusterIdentifierLength: 63,
    /** `FinalDBSnapshotIdentifier`: 1 to 255 letters, digits or hyphens. */
    finalSnapshotIdentifierLength: 255,
    /** `MasterUsername`: 1 to 63 letters or digits, starting with a letter. */
    masterUsernameLength: 63,
    /** `serviceadmin` is the user AWS manages every cluster with; nobody else may take the name. */
    reservedUsernames: ["serviceadmin"] as readonly string[],
    /** `MasterUserPassword`: 8 to 100 printable ASCII characters other than `/`, `"`, `@` (and no space, which drivers mangle). */
    passwordLength: { min: 8, max: 100 },
    passwordExcluded: "/\"@ ",
    /** The port DocumentDB listens on. */
    port: 27017,
    /** Pulumi autonaming appends `-` and 7 characters to a logical name. */
    autonameSuffixLength: 8,
} as const;

/** Azure Cosmos DB for MongoDB (RU) limits. */
export const CosmosLimits = {
    /** Continuous backup tiers: a point-in-time restore window of 7 or 30 days. */
    continuousTierDays: [7, 30] as readonly number[],
    /** Account names: 3 to 44 lowercase letters, digits or hyphens; they become a DNS name. */
    accountNameLength: 44,
    /** azure-native autonaming appends 8 characters to a logical name. */
    autonameSuffixLength: 8,
    /** The MongoDB wire-protocol port of an RU account. */
    port: 10255,
    /** The private DNS zone Azure documents for the `MongoDB` private endpoint group. */
    privateDnsZone: "privatelink.mongo.cosmos.azure.com",
    privateEndpointGroupId: "MongoDB",
} as const;

/**
 * Component names become part of every cloud name (cluster identifier, parameter group,
 * Cosmos account), so they follow the strictest of those rules: lowercase letters, digits
 * and single hyphens, starting with a letter, short enough for the suffixes added to it.
 */
export const COMPONENT_NAME_MAX = 30;

/** DocumentDB instance class per size (Graviton classes that run every supported engine version). */
export const DOCDB_INSTANCE_CLASS: Readonly<Record<Size, string>> = {
    [Size.Small]: "db.t4g.medium",
    [Size.Medium]: "db.r6g.large",
    [Size.Large]: "db.r6g.xlarge",
};

/** Cosmos DB autoscale maximum RU/s of the shared database throughput per size (autoscale starts at 1000). */
export const COSMOS_MAX_THROUGHPUT: Readonly<Record<Size, number>> = {
    [Size.Small]: 1000,
    [Size.Medium]: 4000,
    [Size.Large]: 10000,
};
