/**
 * Test helper: the continuous backup of the fake cloud's Cosmos DB accounts, answered as @azure/arm-cosmosdb's
 * `mongoDBResources` answers (inventory/azureBackup.ts). Each account holds the database `cookies` with
 * `COLLECTIONS`. A store whose writes are dated (`writeAt`) has a backup that lags them: it holds the writes up
 * to `backedUpTo`, which each answer moves on by `step()` (Azure backs up every 100 seconds) and reports as the
 * latest restorable timestamp; a deletion keeps only what it holds (fake/cloud.js). An account whose writes are
 * not dated is backed up to the moment asked, as Azure answers for one with nothing left to back up.
 *
 * The cloud's time is its clock (fake/writers.js), the real one when it has none; ARM's read of an account
 * (`databaseAccounts.get`) answers with it in its `Date` header, as ARM does: RFC 1123, whole seconds
 * (https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/cosmosdbresourceprovider-headers).
 */
import type { CosmosBackupClient, MongoResourceName, RawResponse } from "../inventory/azureBackup";
import type { FakeBackend, FakeState } from "./fakeBackend";

// The fake CLI is plain JavaScript (fakeBackend.ts).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { tick } = require("./fake/writers") as { tick: (state: FakeState, ms: number) => void };

/** How much of a cloud's own clock one backup answer takes. */
const ANSWER_MS = 5_000;

export const DATABASE = "cookies";
/** Where the fake's accounts are (fake/cloud.js creates them in westeurope), as ARM lists an account's location: `<account>-<region>`, its display name. */
const westEurope = (account: string) => ({ id: `${account}-westeurope`, locationName: "West Europe", failoverPriority: 0 });
export const COLLECTIONS = ["cookies", "orders"];

export interface FakeBackup extends CosmosBackupClient {
    /** `<account>/<database>/<collection>@<location>` of each backup call, in order. */
    readonly calls: string[];
    /** The latest restorable timestamp of each backup call, in order. */
    readonly answers: string[];
}

/** The `Date` header ARM sends at the cloud's time `at`: IMF-fixdate (`Wed, 02 Dec 2026 18:00:00 GMT`). */
export const armDate = (at: Date): string | undefined => at.toUTCString();

/** A raw response as core-client gives `onResponse` one: its status, its headers looked up case-insensitively. */
export function rawResponse(status: number, headers: Record<string, string | undefined>): RawResponse {
    const lower = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined).map(([k, v]) => [k.toLowerCase(), v as string]));
    return { status, headers: { get: (name) => lower[name.toLowerCase()] } };
}

function notFound(account: string): Error {
    return Object.assign(new Error(`Resource ${account} not found`), { name: "RestError", code: "NotFound", statusCode: 404 });
}

/**
 * `step()` is read at each answer; `failure()` (when it returns an error) is what each backup call throws, as the SDK
 * throws a RestError; `date` is the `Date` header the account's read answers with at the cloud's time.
 */
export function fakeBackup(backend: () => FakeBackend, step: () => number, failure: () => Error | undefined = () => undefined,
    date: (at: Date) => string | undefined = armDate): FakeBackup {
    const calls: string[] = [];
    const answers: string[] = [];
    const live = (account: string) => {
        if (!backend().read().cloud.stores[account]) throw notFound(account);
    };
    const names = (list: readonly string[]): MongoResourceName[] => list.map((n) => ({ name: n, resource: { id: n } }));
    return {
        calls, answers,
        databaseAccounts: {
            get: async (_group, account, options) => {
                live(account);
                let at = new Date();
                // The read takes a second of the cloud's clock; Azure dates its answer when it processed it.
                backend().edit((s) => {
                    tick(s, 1_000);
                    if (s.cloud.clock) at = new Date(s.cloud.clock);
                });
                options?.onResponse?.(rawResponse(200, { "content-type": "application/json", date: date(at) }));
                const here = [westEurope(account)];
                return { writeLocations: here, readLocations: here, locations: here };
            },
        },
        mongoDBResources: {
            listMongoDBDatabases: async function* (_group, account) {
                live(account);
                yield* names([DATABASE]);
            },
            listMongoDBCollections: async function* (_group, account) {
                live(account);
                yield* names(COLLECTIONS);
            },
            retrieveContinuousBackupInformation: async (_group, account, database, collection, location) => {
                calls.push(`${account}/${database}/${collection}@${location.location}`);
                const error = failure();
                if (error) throw error;
                live(account);
                let answer = new Date().toISOString();
                backend().edit((s) => {
                    // A cloud with its own clock: the call takes 5 s of it, the services writing meanwhile (fake/writers.js),
                    // and the backup never passes the present.
                    tick(s, ANSWER_MS);
                    const store = s.cloud.stores[account];
                    if (store.backedUpTo === undefined) return;
                    const next = Date.parse(store.backedUpTo) + step();
                    // Azure answers the present once every write is backed up and nothing was written since.
                    const caughtUp = (store.writes ?? []).every((w) => Date.parse(w.at) <= next);
                    store.backedUpTo = new Date(s.cloud.clock ? (caughtUp ? Date.parse(s.cloud.clock) : Math.min(next, Date.parse(s.cloud.clock))) : next).toISOString();
                    answer = store.backedUpTo;
                });
                answers.push(answer);
                return { continuousBackupInformation: { latestRestorableTimestamp: answer } };
            },
        },
    };
}

/** The same backup API with `before` run ahead of each backup answer (a person's `up` or a write coming during a wait). */
export function answeringAfter(api: FakeBackup, before: () => Promise<void>): CosmosBackupClient {
    const mongo = api.mongoDBResources;
    return {
        databaseAccounts: api.databaseAccounts,
        mongoDBResources: {
            listMongoDBDatabases: (g, a) => mongo.listMongoDBDatabases(g, a),
            listMongoDBCollections: (g, a, d) => mongo.listMongoDBCollections(g, a, d),
            retrieveContinuousBackupInformation: async (g, a, d, c, l, o) => {
                await before();
                return mongo.retrieveContinuousBackupInformation(g, a, d, c, l, o);
            },
        },
    };
}

/**
 * Writes `marker` into every live Cosmos DB store at `at`, its backup then `lagMs` behind that write; a store's first
 * dated write also dates what it held before (`since`), so that a restore to any later point brings that back.
 */
export function writeAt(backend: FakeBackend, marker: string, at: Date, lagMs: number, since = new Date(at.getTime() - 3_600_000)): void {
    backend.edit((s) => {
        for (const r of s.stacks[backend.stack].resources) {
            const store = r.store && r.type === "azure-native:cosmosdb:DatabaseAccount" ? s.cloud.stores[r.id ?? ""] : undefined;
            if (!store) continue;
            store.writes = store.writes ?? [{ at: since.toISOString(), marker: store.marker }];
            store.writes.push({ at: at.toISOString(), marker });
            store.marker = marker;
            store.backedUpTo = new Date(at.getTime() - lagMs).toISOString();
        }
    });
}

/** A sleep of the runner that lets the cloud's clock run as long (and takes `1/scale` of it in real time, for bounds). */
export function cloudSleep(backend: () => FakeBackend, scale = 1_000): (ms: number) => Promise<void> {
    return async (ms) => {
        backend().edit((s) => tick(s, ms));
        await new Promise((resolve) => setTimeout(resolve, ms / scale));
    };
}
