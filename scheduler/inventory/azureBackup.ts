/**
 * How far a live Cosmos DB account's continuous backup has come: the latest restorable timestamp of each
 * MongoDB collection in each of the account's locations (Mongo DB Resources - Retrieve Continuous Backup
 * Information, `POST .../mongodbDatabases/<db>/collections/<collection>/retrieveContinuousBackupInformation`,
 * body `{ location }`; @azure/arm-cosmosdb `mongoDBResources.retrieveContinuousBackupInformation`, a
 * long-running operation the SDK polls). Its semantics
 * (https://learn.microsoft.com/azure/cosmos-db/latest-restore-timestamp-continuous-backup):
 * - per collection and per location: the minimum over the collection's partitions of the time each has
 *   backed up to, or the current time when every partition is backed up and nothing was written since; a
 *   partition with data but no backup yet gives the Unix epoch (retry until it is later);
 * - the log is backed up every 100 seconds, in exceptional cases later;
 * - before deleting an account, call it until the timestamp reaches the last write, in every location;
 * - a database's or an account's is the minimum over its collections (Azure's own scripts list the
 *   collections and take it), and it answers only for live resources, never a deleted account.
 *
 * The collections are listed from the account itself (Mongo DB Resources - List Mongo DB Databases / List
 * Mongo DB Collections), not read from the stack state: a restored account brings its collections back with
 * it, and HaMongo then declares none of them (`haMongo.azure.ts`), so the state of a restored store names
 * no collection at all; a collection made outside the stack would be missed too.
 */
import type { ExportedResource } from "../lineage";
import { InventoryError } from "./index";
import type { BackupWait } from "./index";

/** One database or collection as the SDK's list yields it: its ARM name and the MongoDB name in `resource.id`. */
export interface MongoResourceName {
    readonly name?: string;
    readonly resource?: { readonly id?: string };
}

/** The calls of @azure/arm-cosmosdb's `mongoDBResources` the wait makes, typed as the SDK declares them. */
export interface MongoBackupApi {
    listMongoDBDatabases(resourceGroupName: string, accountName: string): AsyncIterable<MongoResourceName>;
    listMongoDBCollections(resourceGroupName: string, accountName: string, databaseName: string): AsyncIterable<MongoResourceName>;
    /** The SDK's PollerLike is a Promise of the result; `abortSignal` ends its polling of the operation. */
    retrieveContinuousBackupInformation(resourceGroupName: string, accountName: string, databaseName: string, collectionName: string,
        location: { location?: string }, options?: { abortSignal?: AbortSignal }): PromiseLike<{ continuousBackupInformation?: { latestRestorableTimestamp?: string } }>;
}

/** As the messages name it. */
export const BACKUP_API = "Cosmos DB Mongo DB Resources - Retrieve Continuous Backup Information";

/** How long the wait sleeps between two rounds of asking: Azure backs up every 100 seconds. */
export const BACKUP_POLL_MS = 15_000;

/**
 * What the permissions it needs are: ARM authorizes the listings as the reads of databases and collections; Azure's
 * list of Microsoft.DocumentDB operations names no action of its own for the POST, and the SDK polls its result at
 * `locations/<location>/operationsStatus`.
 */
export const BACKUP_PERMISSIONS = "Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/read, Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/collections/read, " +
    "the POST retrieveContinuousBackupInformation on each collection (a role with Microsoft.DocumentDB/databaseAccounts/*, such as DocumentDB Account Contributor, allows it) " +
    "and Microsoft.DocumentDB/locations/operationsStatus/read";

/**
 * A latest restorable timestamp as Azure's documents show it: ISO 8601 (the REST reference's example
 * `2021-02-05T02:40:50Z`), `M/D/YYYY h:mm:ss AM|PM` in UTC (the CLI's sample response), or Unix seconds (the
 * PowerShell reference's `1623042210`). Undefined for anything else.
 */
export function parseRestorableTimestamp(text: string): Date | undefined {
    if (/^\d+$/.test(text)) return new Date(Number(text) * 1000);
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/i.exec(text.trim());
    if (us) {
        const [, month, day, year, hour, minute, second, half] = us;
        const h = (Number(hour) % 12) + (half.toUpperCase() === "PM" ? 12 : 0);
        return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(minute), Number(second)));
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
    const at = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);
    return Number.isNaN(at) ? undefined : new Date(at);
}

/** The account a store's state names: its resource group and name (from its ARM id) and every location it is in. */
export interface CosmosAccount {
    readonly resourceGroup: string;
    readonly name: string;
    readonly locations: readonly string[];
}

const ACCOUNT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DocumentDB\/databaseAccounts\/([^/]+)\/?$/i;

export function cosmosAccountOf(resources: readonly ExportedResource[]): CosmosAccount | undefined {
    const r = resources.find((x) => x.type === "azure-native:cosmosdb:DatabaseAccount");
    const id = ACCOUNT_ID.exec(typeof r?.outputs?.id === "string" ? r.outputs.id : r?.id ?? "");
    if (!r || !id) return undefined;
    const listed = Array.isArray(r.outputs?.locations) ? (r.outputs.locations as { locationName?: unknown }[]).map((l) => l.locationName) : [];
    const single = r.outputs?.location ?? r.inputs?.location;
    const locations = [...new Set((listed.length > 0 ? listed : [single]).filter((l): l is string => typeof l === "string" && l !== ""))];
    return locations.length > 0 ? { resourceGroup: id[1], name: id[2], locations } : undefined;
}

/** The first line of an SDK error, with the ARM error code it carries. */
export function describeError(err: unknown): string {
    const e = (err ?? {}) as { code?: unknown; name?: unknown; statusCode?: unknown; message?: unknown };
    const code = typeof e.code === "string" ? e.code : typeof e.name === "string" ? e.name : "Error";
    const status = typeof e.statusCode === "number" ? ` (HTTP ${e.statusCode})` : "";
    const message = typeof e.message === "string" ? e.message.split("\n")[0] : String(err);
    return `${code}${status}: ${message}`;
}

const failed = (what: string, err: unknown): InventoryError =>
    new InventoryError(`${what} failed: ${describeError(err)}; the deployer's identity needs ${BACKUP_PERMISSIONS}`);

const mongoName = (r: MongoResourceName): string => r.resource?.id ?? (r.name ?? "").split("/").pop() ?? "";

/** Every collection of the account, as `<database>/<collection>` pairs. */
async function collectionsOf(api: MongoBackupApi, account: CosmosAccount): Promise<{ database: string; collection: string }[]> {
    const out: { database: string; collection: string }[] = [];
    const databases: string[] = [];
    try {
        for await (const d of api.listMongoDBDatabases(account.resourceGroup, account.name)) databases.push(mongoName(d));
    } catch (err) {
        throw failed(`Cosmos DB Mongo DB Resources - List Mongo DB Databases of ${account.name}`, err);
    }
    for (const database of databases.filter((d) => d !== "")) {
        try {
            for await (const c of api.listMongoDBCollections(account.resourceGroup, account.name, database)) out.push({ database, collection: mongoName(c) });
        } catch (err) {
            throw failed(`Cosmos DB Mongo DB Resources - List Mongo DB Collections of ${account.name}/${database}`, err);
        }
    }
    return out.filter((c) => c.collection !== "");
}

const givenUp = (wait: BackupWait): InventoryError => new InventoryError(`${BACKUP_API}: given up, its backup had not reached ${wait.since.toISOString()}`);

/**
 * Waits until every collection of the store's account, in every location, is restorable up to `since`; returns
 * the latest point all of them were shown restorable to (the minimum of their last answers, each at or after
 * `since`), or `since` itself when the account holds no collection (nothing to back up).
 */
export async function awaitContinuousBackup(api: MongoBackupApi, wait: BackupWait): Promise<Date> {
    const account = cosmosAccountOf(wait.resources);
    if (!account) throw new InventoryError(`the state of ${wait.store} names no Cosmos DB account (an id with its resource group and name, and a location) to ask how far its backup has come`);
    const pending = (await collectionsOf(api, account)).flatMap((c) => account.locations.map((location) => ({ ...c, location })));
    const reached: number[] = [];
    for (;;) {
        for (const p of [...pending]) {
            if (wait.signal.aborted) throw givenUp(wait);
            const where = `${account.name}/${p.database}/${p.collection} in ${p.location}`;
            let text: string | undefined;
            try {
                // The SDK polls the operation until it ends, which Azure may never say: the bound's signal stops it.
                text = (await api.retrieveContinuousBackupInformation(account.resourceGroup, account.name, p.database, p.collection, { location: p.location },
                    { abortSignal: wait.signal })).continuousBackupInformation?.latestRestorableTimestamp;
            } catch (err) {
                if (wait.signal.aborted) throw givenUp(wait);
                throw failed(`${BACKUP_API} of ${where}`, err);
            }
            const at = parseRestorableTimestamp(text ?? "");
            if (!at) throw new InventoryError(`${BACKUP_API} of ${where} answered ${JSON.stringify(text)}, which is not a time`);
            // Later calls never go back: a collection that reached the moment stays there.
            if (at.getTime() >= wait.since.getTime()) {
                reached.push(at.getTime());
                pending.splice(pending.indexOf(p), 1);
            }
        }
        if (pending.length === 0) return new Date(reached.length > 0 ? Math.min(...reached) : wait.since.getTime());
        await wait.sleep(BACKUP_POLL_MS);
    }
}
