/**
 * The collections of the user database, as data. On Azure the account refuses key-based metadata
 * writes (`disableKeyBasedMetadataWriteAccess`), so a client's first insert cannot create a
 * collection and `createIndex` fails: every collection the services use is declared here and
 * created through ARM. DocumentDB (AWS) lets clients create them, so there the list is refused.
 */
import { Problems } from "../common/validation";

/** One index of a collection. */
export interface MongoIndexArgs {
    /** The indexed fields, in order; e.g. `["email"]`. */
    keys: string[];
    /**
     * Whether the index is unique. On a sharded Cosmos DB collection a unique index must include the shard key.
     * @default false
     */
    unique?: boolean;
    /**
     * A TTL index: documents expire this many seconds after the indexed date (one key only).
     * @default - no expiry
     */
    expireAfterSeconds?: number;
}

/** One collection of the user database. */
export interface MongoCollectionArgs {
    /** The collection name: 1-120 characters, no `$` or NUL, not starting with `system.`. */
    name: string;
    /**
     * The field the collection is sharded on. The database's throughput is shared by its collections, and
     * Cosmos DB refuses a collection without a shard key in such a database.
     * @default "_id"
     */
    shardKey?: string;
    /**
     * Indexes besides `_id` (which every collection has and which is unique without saying so).
     * @default []
     */
    indexes?: MongoIndexArgs[];
}

/** A collection with its defaults resolved. */
export interface MongoCollectionPlan {
    readonly name: string;
    readonly shardKey: string;
    readonly indexes: readonly { readonly keys: readonly string[]; readonly unique: boolean; readonly expireAfterSeconds?: number }[];
}

export const ID_FIELD = "_id";
const MAX_COLLECTION_NAME = 120;

/** Validates `collections` (the arg at `arg`) and resolves their defaults. */
export function planCollections(problems: Problems, arg: string, collections: readonly MongoCollectionArgs[]): MongoCollectionPlan[] {
    const seen = new Set<string>();
    return collections.map((c, i) => {
        const at = `${arg}[${i}]`;
        const name = c.name ?? "";
        problems.check(name.length >= 1 && name.length <= MAX_COLLECTION_NAME && !/[$\0]/.test(name) && !name.startsWith("system."),
            `${at}.name`, name, `must be 1-${MAX_COLLECTION_NAME} characters without $ or NUL and not start with system.`);
        problems.check(!seen.has(name), `${at}.name`, name, "is declared twice");
        seen.add(name);
        const shardKey = c.shardKey ?? ID_FIELD;
        problems.check(isField(shardKey), `${at}.shardKey`, shardKey, "must be a field name (no $, not empty)");
        const indexes = (c.indexes ?? []).map((index, j) => {
            const where = `${at}.indexes[${j}]`;
            const keys = [...index.keys ?? []];
            const unique = index.unique ?? false;
            problems.check(keys.length > 0 && keys.every(isField), `${where}.keys`, keys, "must list one or more field names");
            problems.check(!(keys.length === 1 && keys[0] === ID_FIELD), `${where}.keys`, keys,
                "is the _id index, which every collection has (and ARM refuses `unique` on it): leave it out");
            // "For sharded collections, you must provide the shard (partition) key to create a unique index."
            problems.check(!unique || keys.includes(shardKey), `${where}.unique`, unique, `needs the shard key ${shardKey} among the keys on a sharded collection`);
            if (index.expireAfterSeconds !== undefined) {
                problems.check(keys.length === 1 && !unique, `${where}.expireAfterSeconds`, index.expireAfterSeconds, "takes a single, non-unique key");
                problems.integer(`${where}.expireAfterSeconds`, index.expireAfterSeconds, 1);
            }
            return { keys, unique, ...(index.expireAfterSeconds !== undefined ? { expireAfterSeconds: index.expireAfterSeconds } : {}) };
        });
        return { name, shardKey, indexes };
    });
}

function isField(field: string): boolean {
    return typeof field === "string" && field.length > 0 && !field.startsWith("$") && !field.includes("\0");
}
