/**
 * Test helper: Cosmos DB's restorable database accounts as the REST API documents them
 * (Restorable Database Accounts - List: pages of `{ value, nextLink }`, each item
 * `{ id, name, location, type, properties: { accountName, creationTime, deletionTime, oldestRestorableTime,
 * apiType, restorableLocations } }`, times as ISO strings, the location as a display name), and a client that
 * walks those pages and turns each item into what @azure/arm-cosmosdb's `restorableDatabaseAccounts.list()`
 * yields (properties lifted to the top level, times as Dates; azure.test.ts checks the SDK yields the same).
 */
import { createHash } from "crypto";
import { azureInventory } from "../inventory/azure";
import type { RestorableAccount, RestorableAccountsApi } from "../inventory/azure";
import type { CosmosBackupClient } from "../inventory/azureBackup";
import type { SnapshotInventory } from "../inventory";
import type { FakeBackend, FakeState } from "./fakeBackend";

export interface RestRestorableAccount {
    id: string;
    name: string;
    location: string;
    type: string;
    properties: {
        accountName: string;
        creationTime: string;
        deletionTime?: string;
        oldestRestorableTime: string;
        apiType: string;
        restorableLocations: { locationName: string; regionalDatabaseAccountInstanceId: string; creationTime: string; deletionTime?: string }[];
    };
}
export interface RestPage {
    value: RestRestorableAccount[];
    nextLink?: string;
}

/** The subscription the fake cloud's ids name (fake/cloud.js). */
export const FAKE_SUBSCRIPTION = "0000-sub";
const LIST_URL = `https://management.azure.com/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/restorableDatabaseAccounts?api-version=2025-10-15`;

/** `accounts` as pages of `size`, each but the last with the `nextLink` of the next. */
export function paged(accounts: readonly RestRestorableAccount[], size = 2): RestPage[] {
    const pages: RestPage[] = [];
    for (let i = 0; i < Math.max(accounts.length, 1); i += size) pages.push({ value: accounts.slice(i, i + size) });
    pages.forEach((p, i) => { if (i < pages.length - 1) p.nextLink = `${LIST_URL}&$skiptoken=${i + 1}`; });
    return pages;
}

const date = (text: string | undefined): Date | undefined => (text === undefined ? undefined : new Date(text));

/** One item as the SDK deserializes it. */
export function fromRest(item: RestRestorableAccount): RestorableAccount {
    const p = item.properties;
    return {
        id: item.id, name: item.name, location: item.location, accountName: p.accountName, creationTime: date(p.creationTime),
        deletionTime: date(p.deletionTime), oldestRestorableTime: date(p.oldestRestorableTime), apiType: p.apiType,
        restorableLocations: p.restorableLocations.map((l) => ({ locationName: l.locationName, creationTime: date(l.creationTime), deletionTime: date(l.deletionTime) })),
    };
}

/**
 * A client over the pages `pages()` returns when listing starts, following each `nextLink`; `failure()`
 * (when it returns an error) is what the first page's request throws, as the SDK throws a RestError.
 */
export function restClient(pages: () => RestPage[], failure: () => Error | undefined = () => undefined): RestorableAccountsApi & { requests: string[] } {
    const requests: string[] = [];
    return {
        requests,
        list: async function* () {
            const all = pages();
            let url: string | undefined = LIST_URL;
            // Each listing starts at the first page (a client serves many listings: every spin-up and teardown lists).
            let first = true;
            while (url !== undefined) {
                requests.push(url);
                const error = failure();
                if (error) throw error;
                const page: RestPage | undefined = all[first ? 0 : Number(/skiptoken=(\d+)/.exec(url)?.[1])];
                first = false;
                if (!page) throw new Error(`no page at ${url}`);
                for (const item of page.value) yield fromRest(item);
                url = page.nextLink;
            }
        },
    };
}

/** An SDK RestError as an ARM 403 makes it (code, statusCode; the message the pager gives it). */
export function authorizationFailed(): Error {
    return Object.assign(new Error("Pagination failed with unexpected statusCode 403"), { name: "RestError", code: "AuthorizationFailed", statusCode: 403 });
}

/** The account name the fake gives a store's account: `<store>-db` and 8 characters, as azure-native autonames it. */
export const accountNameOf = (store: string, instance: string): string => `${store}-db${createHash("sha256").update(instance).digest("hex").slice(0, 8)}`;

export function restorable(instance: string, accountName: string, created: string, deleted?: string, apiType = "MongoDB"): RestRestorableAccount {
    return {
        id: `/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/West Europe/restorableDatabaseAccounts/${instance}`,
        name: instance, location: "West Europe", type: "Microsoft.DocumentDB/locations/restorableDatabaseAccounts",
        properties: {
            accountName, creationTime: created, ...(deleted ? { deletionTime: deleted } : {}), oldestRestorableTime: created, apiType,
            restorableLocations: [{ locationName: "West Europe", regionalDatabaseAccountInstanceId: `${instance}-we`, creationTime: created, ...(deleted ? { deletionTime: deleted } : {}) }],
        },
    };
}

/**
 * The fake cloud's Cosmos DB accounts as the subscription's restorable accounts: one per deleted account
 * (each kept snapshot whose id is a restorable account), deleted at its `deletedAt`, and one per live Cosmos
 * store, without a deletion time. Every account is taken to have been created at the start of the tests' year,
 * before any run of theirs.
 */
const CREATED = "2026-01-01T00:00:00.000Z";

export function fakeCloudAccounts(state: FakeState): RestRestorableAccount[] {
    const out: RestRestorableAccount[] = [];
    for (const [id, s] of Object.entries(state.cloud.snapshots)) {
        const instance = /restorableDatabaseAccounts\/([^/]+)$/.exec(id)?.[1];
        if (!instance || !s.deletedAt) continue;
        out.push(restorable(instance, accountNameOf(s.store, instance), CREATED, new Date(s.deletedAt).toISOString()));
    }
    const cosmos = state.program.dataStores.filter((d) => d.dataType === "azure-native:cosmosdb:DatabaseAccount").map((d) => d.name);
    for (const [instance, store] of Object.entries(state.cloud.stores)) {
        if (cosmos.includes(store.name)) out.push(restorable(instance, accountNameOf(store.name, instance), CREATED));
    }
    return out;
}

/**
 * The Azure inventory of dev-azure over the fake cloud: its Cosmos DB accounts as restorable accounts, among
 * `others`, two to a page; listing throws what `failure()` returns; `backup` answers the teardown's wait.
 */
export function fakeAzureInventory(backend: FakeBackend, others: readonly RestRestorableAccount[] = [], failure: () => Error | undefined = () => undefined,
    backup?: CosmosBackupClient): SnapshotInventory {
    return azureInventory({ stack: "dev-azure", config: { "intergalactic:environment": "dev", "azure-native:subscriptionId": FAKE_SUBSCRIPTION }, env: {} },
        restClient(() => paged([...others, ...fakeCloudAccounts(backend.read())], 2), failure), () => new Date(), backup);
}
