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
 * The moment to prove is the runner's (when the services were gone), the timestamps are Azure's: the wait first
 * reads the live account (Database Accounts - Get, `GET .../databaseAccounts/<account>`; @azure/arm-cosmosdb
 * `databaseAccounts.get`) and takes Azure's time from the response's `Date` header, which ARM's Cosmos DB resource
 * provider sends on every response as "the date that the request was processed, in RFC 1123 format"
 * (https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/cosmosdbresourceprovider-headers; RFC 7231
 * section 7.1.1.1, whole seconds), read through core-client's `onResponse` (OperationOptions, the raw response
 * with its headers).
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

/** A location of a live account, as @azure/arm-cosmosdb's `Location` declares it. */
export interface AccountLocation {
    readonly locationName?: string;
}

/** The fields of @azure/arm-cosmosdb's `DatabaseAccountGetResults` the wait reads. */
export interface LiveAccount {
    readonly writeLocations?: readonly AccountLocation[];
    readonly readLocations?: readonly AccountLocation[];
    readonly locations?: readonly AccountLocation[];
}

/** What @azure-rest/core-client's `onResponse` is given (FullOperationResponse, a PipelineResponse): its status and headers. */
export interface RawResponse {
    readonly status: number;
    readonly headers: { get(name: string): string | undefined };
}

/** The call of @azure/arm-cosmosdb's `databaseAccounts` the wait makes; its options are core-client's OperationOptions. */
export interface DatabaseAccountsApi {
    get(resourceGroupName: string, accountName: string, options?: { abortSignal?: AbortSignal; onResponse?: (response: RawResponse) => void }): Promise<LiveAccount>;
}

/** The parts of @azure/arm-cosmosdb's CosmosDBManagementClient the wait uses. */
export interface CosmosBackupClient {
    readonly databaseAccounts: DatabaseAccountsApi;
    readonly mongoDBResources: MongoBackupApi;
}

/** As the messages name it. */
export const ACCOUNT_API = "Cosmos DB Database Accounts - Get";

/** As the messages name it. */
export const BACKUP_API = "Cosmos DB Mongo DB Resources - Retrieve Continuous Backup Information";

/** How long the wait sleeps between two rounds of asking: Azure backs up every 100 seconds. */
export const BACKUP_POLL_MS = 15_000;

/**
 * What the permissions it needs are: ARM authorizes the account's read as Microsoft.DocumentDB/databaseAccounts/read, the listings as the reads of databases and collections; Azure's
 * list of Microsoft.DocumentDB operations names no action of its own for the POST, and the SDK polls its result at
 * `locations/<location>/operationsStatus`.
 */
export const BACKUP_PERMISSIONS = "Microsoft.DocumentDB/databaseAccounts/read, Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/read, Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/collections/read, " +
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

/**
 * An HTTP `Date` as RFC 7231 (section 7.1.1.1) has senders write it, IMF-fixdate (`Wed, 02 Dec 2026 18:00:00 GMT`,
 * the RFC 1123 form ARM documents); undefined for anything else, the obsolete forms included: a time that cannot
 * be read for sure measures nothing.
 */
export function parseHttpDate(text: string): Date | undefined {
    const at = Date.parse(text);
    // Date.prototype.toUTCString writes exactly IMF-fixdate (ECMA-262 DateString/TimeString), weekday included.
    return Number.isNaN(at) || new Date(at).toUTCString() !== text ? undefined : new Date(at);
}

/** A `Date` header gives whole seconds: Azure's time when it answered is up to this much after it. */
const DATE_RESOLUTION_MS = 1_000;

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

const givenUp = (target: Date): InventoryError => new InventoryError(`${BACKUP_API}: given up, its backup had not reached ${target.toISOString()}`);

const aheadOrBehind = (ms: number): string => `${Math.abs(ms) / 1000} s ${ms >= 0 ? "ahead of" : "behind"}`;

/**
 * The live account once: the moment `since` (this machine's clock) as Azure's clock tells it. Azure answered at
 * some instant between `before` and `after` on this machine's clock, at a time of its own from its `Date` to a
 * second after it, so Azure's clock is at most `date + 1 s - before` ahead of this one: the moment is taken that
 * much later, never earlier, whichever way the clocks are off.
 */
async function liveAccount(client: CosmosBackupClient, account: CosmosAccount, wait: BackupWait): Promise<{ target: Date; offsetMs: number }> {
    let date: string | undefined;
    const before = wait.clock().getTime();
    try {
        await client.databaseAccounts.get(account.resourceGroup, account.name, {
            abortSignal: wait.signal,
            // Called for each response (a retried request too): the one the answer came with is the last.
            onResponse: (response) => void (date = response.headers.get("date") ?? undefined),
        });
    } catch (err) {
        if (wait.signal.aborted) throw givenUp(wait.since);
        throw failed(`${ACCOUNT_API} of ${account.name}`, err);
    }
    const after = wait.clock().getTime();
    const azure = parseHttpDate(date ?? "");
    if (!azure) {
        throw new InventoryError(`${ACCOUNT_API} of ${account.name} answered ${date === undefined ? "without a Date header" : `the Date header ${JSON.stringify(date)}, which is not an HTTP date (RFC 7231 IMF-fixdate)`}, ` +
            `so Azure's clock cannot be measured against this machine's to tell which latest restorable timestamp holds the writes up to ${wait.since.toISOString()}`);
    }
    const midpoint = (before + after) / 2;
    // The midpoint's estimate, moved by the header's resolution and half the round trip to the safe (later) side.
    const offsetMs = azure.getTime() - midpoint + DATE_RESOLUTION_MS + (after - before) / 2;
    return { target: new Date(wait.since.getTime() + offsetMs), offsetMs };
}

/**
 * Waits until every collection of the store's account, in every location it is in, is restorable up
 * to `since` as Azure's clock tells it (liveAccount); returns the latest point, in Azure's timestamps, all of them
 * were shown restorable to (the minimum of their last answers, each at or after that moment), or the moment itself
 * when the account holds no collection (nothing to back up).
 */
export async function awaitContinuousBackup(client: CosmosBackupClient, wait: BackupWait): Promise<Date> {
    const api = client.mongoDBResources;
    const account = cosmosAccountOf(wait.resources);
    if (!account) throw new InventoryError(`the state of ${wait.store} names no Cosmos DB account (an id with its resource group and name, and a location) to ask how far its backup has come`);
    const { target, offsetMs } = await liveAccount(client, account, wait);
    const locations = account.locations;
    wait.log?.(`${wait.store}: Azure's clock is taken as ${aheadOrBehind(offsetMs)} this machine's (${ACCOUNT_API}'s Date header, its second and the round trip counted), ` +
        `so ${wait.since.toISOString()} here is ${target.toISOString()} there; asking its backup in ${locations.join(", ")}`);
    const pending = (await collectionsOf(api, account)).flatMap((c) => locations.map((location) => ({ ...c, location })));
    const reached: number[] = [];
    for (;;) {
        for (const p of [...pending]) {
            if (wait.signal.aborted) throw givenUp(target);
            const where = `${account.name}/${p.database}/${p.collection} in ${p.location}`;
            let text: string | undefined;
            try {
                // The SDK polls the operation until it ends, which Azure may never say: the bound's signal stops it.
                text = (await api.retrieveContinuousBackupInformation(account.resourceGroup, account.name, p.database, p.collection, { location: p.location },
                    { abortSignal: wait.signal })).continuousBackupInformation?.latestRestorableTimestamp;
            } catch (err) {
                if (wait.signal.aborted) throw givenUp(target);
                throw failed(`${BACKUP_API} of ${where}`, err);
            }
            const at = parseRestorableTimestamp(text ?? "");
            if (!at) throw new InventoryError(`${BACKUP_API} of ${where} answered ${JSON.stringify(text)}, which is not a time`);
            // Later calls never go back: a collection that reached the moment stays there.
            if (at.getTime() >= target.getTime()) {
                reached.push(at.getTime());
                pending.splice(pending.indexOf(p), 1);
            }
        }
        if (pending.length === 0) return new Date(reached.length > 0 ? Math.min(...reached) : target.getTime());
        await wait.sleep(BACKUP_POLL_MS);
    }
}
