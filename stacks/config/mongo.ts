/**
 * `intergalactic:mongo`: the HaMongo of the stack. Absent keys take the
 * environment's defaults: dev is small, keeps one day of backups and can be
 * torn down (still 3 zones, still a final snapshot); prod is protected from
 * deletion, takes final snapshots and keeps two weeks of backups. Range checks
 * against the services' limits happen in HaMongo itself.
 */
import { Cloud, PerCloud, Size, SIZES } from "../../components/common";
import { DocDbLimits, MONGO_VERSIONS, MongoCollectionArgs, MongoDefaults, MongoVersion } from "../../components/mongo";
import { COOKIE_COLLECTIONS } from "../../components/services";
import type { Environment } from "./index";
import { ConfigObject } from "./reader";

export interface MongoConfig {
    /** False leaves the document store out of the stack. */
    readonly enabled: boolean;
    /** The component's name; also the key of its restore snapshot in `intergalactic:snapshots.restore`. */
    readonly name: string;
    readonly size: Size;
    readonly version: MongoVersion;
    /** Undefined: one instance per zone (AWS). */
    readonly instanceCount?: number;
    readonly databaseName: string;
    readonly masterUsername: string;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly finalSnapshot: boolean;
    /** Azure: the collections created through ARM (default: the cookie pipeline's); undefined on AWS. */
    readonly collections?: readonly MongoCollectionArgs[];
    /** Azure: the point in time to restore `snapshots.restore[name]` to. */
    readonly restoreTimestampUtc?: string;
    /**
     * AWS, several stamps: the region whose cluster takes the writes, the global cluster's primary. Undefined: the
     * first region's (where the global cluster was created). A person who fails the global cluster over sets it to the
     * new primary's region and runs `pulumi up`, so every stamp's services write there (README, Regions).
     */
    readonly writerRegion?: string;
}

/** The defaults per environment. */
export const MONGO_ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, { size: Size; backupRetentionDays: number; deletionProtection: boolean }>> = {
    dev: { size: "small", backupRetentionDays: 1, deletionProtection: false },
    prod: { size: "medium", backupRetentionDays: 14, deletionProtection: true },
};

/** A prod store keeps at least a week of backups. */
export const PROD_MIN_RETENTION_DAYS = 7;

/** Stands for "not set" where a value has no fixed default. */
const UNSET = -1;

export function parseMongo(obj: ConfigObject, environment: Environment, cloud: Cloud = Cloud.Aws): MongoConfig {
    const defaults = MONGO_ENVIRONMENT_DEFAULTS[environment] ?? MONGO_ENVIRONMENT_DEFAULTS.prod;
    const instances = obj.integer("instanceCount", UNSET, 1, DocDbLimits.instanceCount.max);
    const timestamp = obj.string("restoreTimestampUtc", "");
    const writerRegion = obj.string("writerRegion", "");
    const config: MongoConfig = {
        enabled: obj.boolean("enabled", true),
        name: obj.string("name", "users"),
        size: obj.string("size", defaults.size, SIZES),
        version: obj.string("version", MongoDefaults.version, MONGO_VERSIONS),
        instanceCount: instances === UNSET ? undefined : instances,
        databaseName: obj.string("databaseName", MongoDefaults.databaseName),
        masterUsername: obj.string("masterUsername", MongoDefaults.masterUsername),
        backupRetentionDays: obj.integer("backupRetentionDays", defaults.backupRetentionDays, 1, DocDbLimits.backupRetentionDays.max),
        deletionProtection: obj.boolean("deletionProtection", defaults.deletionProtection),
        finalSnapshot: obj.boolean("finalSnapshot", true),
        restoreTimestampUtc: timestamp === "" ? undefined : timestamp,
    };
    if (writerRegion !== "") Object.assign(config, { writerRegion });
    const collections = parseCollections(obj, cloud);
    if (collections !== undefined) Object.assign(config, { collections });
    if (environment === "prod") checkProd(obj, config, cloud);
    obj.rejectUnknownKeys();
    return config;
}

/**
 * `collections` (Azure only: the account refuses key-based metadata writes, so these are the only collections
 * the services find): `[{ name, shardKey, indexes: [{ keys, unique, expireAfterSeconds }] }]`; HaMongo checks them.
 */
function parseCollections(obj: ConfigObject, cloud: Cloud): MongoCollectionArgs[] | undefined {
    return COLLECTIONS[cloud](obj);
}

/** Per cloud, what `collections` means: the collections Cosmos DB creates through ARM; nothing on DocumentDB, whose clients create them. */
const COLLECTIONS: PerCloud<(obj: ConfigObject) => MongoCollectionArgs[] | undefined> = {
    aws: (obj) => {
        if (obj.has("collections")) obj.problems.add(`${obj.path}.collections: is only for azure: DocumentDB clients create their collections and indexes`);
        obj.objectList("collections");
        return undefined;
    },
    azure: (obj) => parseAzureCollections(obj),
};

function parseAzureCollections(obj: ConfigObject): MongoCollectionArgs[] {
    if (!obj.has("collections")) return COOKIE_COLLECTIONS.map((c) => ({ ...c }));
    return obj.objectList("collections").map((c) => {
        if (!c.has("name")) c.problems.add(`${c.path}.name: missing: every collection needs a name`);
        const collection: MongoCollectionArgs = {
            name: c.string("name", ""),
            shardKey: c.string("shardKey", "_id"),
            indexes: c.objectList("indexes").map((i) => {
                const index = {
                    keys: i.stringList("keys", []),
                    unique: i.boolean("unique", false),
                    ...(i.has("expireAfterSeconds") ? { expireAfterSeconds: i.integer("expireAfterSeconds", 1, 1, 2147483647) } : {}),
                };
                i.rejectUnknownKeys();
                return index;
            }),
        };
        c.rejectUnknownKeys();
        return collection;
    });
}

/** Prod data outlives its stack: it is backed up for a week. */
function checkProd(obj: ConfigObject, config: MongoConfig, _cloud: Cloud): void {
    const key = (name: string) => `${obj.path}.${name}`;
    // Protection and final snapshots are the data-loss guard's (dataLoss.ts): it names the override that accepts turning them off.
    obj.problems.check(config.backupRetentionDays >= PROD_MIN_RETENTION_DAYS, key("backupRetentionDays"), config.backupRetentionDays,
        `must be at least ${PROD_MIN_RETENTION_DAYS} in a prod stack`);
}
