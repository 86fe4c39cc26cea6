/**
 * The Azure inventory read from Restorable Database Accounts - List responses shaped as the REST reference
 * documents them: which instances count as a store's kept snapshots, what each says, and how a listing fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POINT_IN_TIME_CONFIG } from "../lineage";
import { UNKNOWN_LINEAGE } from "../record";
import { newestReal } from "./index";
import { AZURE_INVENTORY_SDKS, AzureInventory, LIST_API, accountNamePattern, azureInventory, keptAccounts, loadSdk, stackSubscription } from "./azure";
import { InventoryError, InventorySdkEngineError, MissingInventorySdkError, nodeSatisfies, requireInventorySdk } from "./index";
import { CosmosBackupClient, awaitContinuousBackup } from "./azureBackup";
import type { ExportedResource } from "../lineage";
import { FAKE_SUBSCRIPTION, RestPage, authorizationFailed, fromRest, paged, restClient, restorable } from "../testing/restorableAccounts";

const NOW = new Date("2026-12-01T06:30:00Z");
const options = { subscription: FAKE_SUBSCRIPTION, now: () => NOW };
const FRIDAY = restorable("aaaa-1111", "users-db1a2b3c4d", "2026-11-23T05:40:00Z", "2026-11-27T18:05:00Z");
const MONDAY = restorable("bbbb-2222", "users-db5e6f7a8b", "2026-11-30T05:40:00Z", "2026-11-30T18:04:30Z");
/** The same store name of another project's account, the cache's name, a live account, an expired one, another API. */
const NOISE = [
    restorable("cccc-3333", "orders-db0c0c0c0c", "2026-11-20T05:40:00Z", "2026-11-30T18:00:00Z"),
    restorable("dddd-4444", "users-dbx-db12345678", "2026-11-20T05:40:00Z", "2026-11-30T18:00:00Z"),
    restorable("eeee-5555", "users-db9f9f9f9f", "2026-12-01T05:40:00Z"),
    restorable("ffff-6666", "users-db7e7e7e7e", "2026-09-01T05:40:00Z", "2026-10-30T18:00:00Z"),
    restorable("abab-7777", "users-db3c3c3c3c", "2026-11-20T05:40:00Z", "2026-11-30T18:00:00Z", "Sql"),
];

const listOf = async (pages: RestPage[], store = "users") => new AzureInventory(restClient(() => pages), options).list("dev-azure", store);

describe("the Azure snapshot inventory (Cosmos DB restorable database accounts)", () => {
    it("lists every page's deleted MongoDB instances of the store's account, in the state's spelling of their ids", async () => {
        const client = restClient(() => paged([NOISE[0], FRIDAY, NOISE[1], NOISE[2], MONDAY, NOISE[3], NOISE[4]], 2));
        const kept = await new AzureInventory(client, options).list("dev-azure", "users");
        assert.strictEqual(client.requests.length, 4, "it followed every nextLink");
        assert.deepStrictEqual(kept.map((k) => k.id), [
            `/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/aaaa-1111`,
            `/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/bbbb-2222`,
        ]);
        const [friday] = kept;
        assert.strictEqual(friday.takenAt?.toISOString(), "2026-11-27T18:05:00.000Z");
        assert.strictEqual(friday.from, UNKNOWN_LINEAGE, "nothing listed says what the account was restored from");
        // Alive until its deletion: the latest point it restores is just before it.
        assert.deepStrictEqual(friday.config, { [POINT_IN_TIME_CONFIG]: "2026-11-27T18:04:59.000Z" });
        assert.strictEqual(friday.until, "2026-12-04T18:05:00.000Z", "the shortest tier's window from the deletion: nothing listed names the tier");
        assert.match(friday.ownerUnproven ?? "", /carry no tags, so only its account name users-db1a2b3c4d ties it to users, not to a stack/);
    });

    it("matches only the account name HaMongo gives the store: <store>-db and azure-native's 8 lower-case hex characters", () => {
        assert.ok(accountNamePattern("users").test("users-db1a2b3c4d"));
        assert.ok(accountNamePattern("cache").test("cache-db0f9e8d7c"));
        assert.ok(accountNamePattern("cache-eu").test("cache-eu-db0f9e8d7c"));
        for (const [store, name] of [
            ["users", "users-db1a2b3c4"], ["users", "users-db1a2b3c4d5"], ["users", "xusers-db1a2b3c4d"], ["users", "users-dbx-db12345678"], ["users", "orders-db1a2b3c4d"],
            // Another store whose name starts with this one's, and its account.
            ["cache", "cache-eu-db0f9e8d7c"], ["cache", "cache-eu-db0f9e"], ["cache-eu", "cache-db0f9e8d7c"],
            // Not what autonaming makes: upper case, letters past f, a separator before the suffix.
            ["cache", "cache-db0F9E8D7C"], ["cache", "Cache-db0f9e8d7c"], ["cache", "cache-dbzz9e8d7c"], ["cache", "cache-db-0f9e8d7"],
            // A store name that cannot make an account name has none, whatever the characters in between.
            ["Cache", "Cache-db0f9e8d7c"], ["us.ers", "us.ers-db1a2b3c4d"], ["us.ers", "usxers-db1a2b3c4d"], ["c".repeat(34), `${"c".repeat(34)}-db0f9e8d7c`],
        ]) {
            assert.ok(!accountNamePattern(store).test(name), `${store}: ${name}`);
        }
        assert.ok(accountNamePattern("c".repeat(33)).test(`${"c".repeat(33)}-db0f9e8d7c`), "44 characters is the longest account name");
    });

    it("leaves out an instance whose restore window is empty or past every tier's 30 days", () => {
        const born = restorable("gggg-8888", "users-db2d2d2d2d", "2026-11-30T18:00:00Z", "2026-11-30T18:00:00.500Z");
        assert.deepStrictEqual(keptAccounts([fromRest(born), fromRest(NOISE[3])], "users", options), []);
        const atTheEdge = restorable("hhhh-9999", "users-db2d2d2d2d", "2026-10-01T05:40:00Z", "2026-11-01T07:00:00Z");
        assert.strictEqual(keptAccounts([fromRest(atTheEdge)], "users", options).length, 1, "within 30 days of its deletion Azure may still restore it");
    });

    it("never restores an instance unasked when the record does not name it: only a name ties it to the stack", async () => {
        const kept = await listOf(paged([FRIDAY, MONDAY]));
        const alone = newestReal(kept.slice(1), "");
        assert.ok(alone.kind === "ask" && /may be another stack's/.test(alone.why), JSON.stringify(alone));
        assert.strictEqual(newestReal(kept, "").kind, "ask");
        const named = newestReal(kept, kept[1].id.toUpperCase());
        assert.ok(named.kind === "restore" && named.snapshot.id === kept[1].id, "the record's own instance is restored, in any spelling");
        assert.strictEqual(newestReal(kept, kept[0].id).kind, "ask", "a newer instance the record does not know competes");
    });

    it("a listing that fails names the API, the error and the permission it needs", async () => {
        const inventory = new AzureInventory(restClient(() => [], authorizationFailed), options);
        const failed = await inventory.list("dev-azure", "users").catch((e) => e);
        assert.ok(failed instanceof InventoryError, String(failed));
        assert.match(failed.message, new RegExp(`^${LIST_API} \\(GET /subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/restorableDatabaseAccounts\\) failed: AuthorizationFailed \\(HTTP 403\\)`));
        assert.match(failed.message, /needs Microsoft\.DocumentDB\/locations\/restorableDatabaseAccounts\/read on the subscription/);
    });

    it("takes the subscription from the stack config, and says which key is missing", () => {
        const settings = (config: Record<string, string>, env: Record<string, string> = {}) => ({ stack: "dev-azure", config, env });
        assert.strictEqual(stackSubscription(settings({ "azure-native:subscriptionId": "s-1" }, { ARM_SUBSCRIPTION_ID: "s-2" })), "s-1");
        assert.strictEqual(stackSubscription(settings({}, { ARM_SUBSCRIPTION_ID: "s-2" })), "s-2");
        assert.throws(() => azureInventory(settings({}), restClient(() => [])), /needs its subscription: set azure-native:subscriptionId in Pulumi\.dev-azure\.yaml or ARM_SUBSCRIPTION_ID/);
    });

    it("never dates an instance's window by the tier the config names now: it may have changed since the deletion", async () => {
        const listed = async (mongo: Record<string, unknown>) => (await azureInventory({ stack: "dev-azure", env: {}, config: {
            "azure-native:subscriptionId": FAKE_SUBSCRIPTION, "intergalactic:environment": "dev", "intergalactic:mongo": JSON.stringify(mongo),
        } }, restClient(() => paged([FRIDAY])), () => NOW).list("dev-azure", "users")).map((k) => k.until);
        assert.deepStrictEqual(await listed({ backupRetentionDays: 14 }), ["2026-12-04T18:05:00.000Z"], "a config now on the 30-day tier");
        assert.deepStrictEqual(await listed({ backupRetentionDays: 1 }), ["2026-12-04T18:05:00.000Z"]);
    });

    it("a missing SDK is one sentence naming the npm install command", () => {
        assert.throws(() => loadSdk("@azure/no-such-sdk"), (e: Error) => e instanceof MissingInventorySdkError &&
            e.message === "the Azure snapshot inventory needs @azure/no-such-sdk, which is not installed: run npm install --save-dev @azure/arm-cosmosdb@^17.0.0 @azure/identity@^4.14.1");
    });

    it("on a Node.js below the engine its SDK's installed package.json declares, stops with one sentence before loading it", () => {
        const installed = JSON.parse(fs.readFileSync(require.resolve("@azure/arm-cosmosdb/package.json"), "utf8")) as { version: string; engines: { node: string } };
        const loaded: string[] = [];
        const load = (name: string) => void loaded.push(name);
        const install = AZURE_INVENTORY_SDKS.map((s) => `${s.packageName}@${s.versionRange}`);
        assert.throws(() => requireInventorySdk("@azure/arm-cosmosdb", "Azure", install, load, "20.20.2"), (e: Error) => e instanceof InventorySdkEngineError && e instanceof InventoryError &&
            e.message === `the Azure snapshot inventory needs Node.js ${installed.engines.node}, as @azure/arm-cosmosdb ${installed.version} declares (engines.node), and this is Node.js 20.20.2: run the scheduler on a Node.js in that range`);
        assert.deepStrictEqual(loaded, [], "not loaded");
        requireInventorySdk("@azure/arm-cosmosdb", "Azure", install, load, "22.11.0");
        assert.deepStrictEqual(loaded, ["@azure/arm-cosmosdb"]);
        assert.throws(() => requireInventorySdk("@azure/identity", "Azure", install, load, "21.7.3"), InventorySdkEngineError, "@azure/identity declares it too");
    });

    it("reads the engine ranges SDK packages declare, and leaves any other form unchecked", () => {
        assert.deepStrictEqual(["20.20.2", "22.0.0", "v22.1.0", "24.3.1"].map((v) => nodeSatisfies(">=22.0.0", v)), [false, true, true, true]);
        assert.strictEqual(nodeSatisfies(">=18 || >=22", "19.0.0"), true);
        assert.strictEqual(nodeSatisfies(">= 20.19.0", "20.18.9"), false);
        assert.strictEqual(nodeSatisfies("^20.19.0 || >=22.12.0", "21.0.0"), undefined);
    });

    it("pins its SDKs in package.json as devDependencies and declares them as optional peers", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
        for (const { packageName, versionRange } of AZURE_INVENTORY_SDKS) {
            assert.strictEqual(manifest.peerDependencies[packageName], versionRange, packageName);
            assert.deepStrictEqual(manifest.peerDependenciesMeta[packageName], { optional: true }, packageName);
            assert.strictEqual(manifest.devDependencies[packageName], versionRange.slice(1), `${packageName} is pinned exactly`);
        }
    });
});

/** The version `>=x.y.z` of the installed @azure/arm-cosmosdb's engines.node names (the form its packages declare). */
function sdkEngineFloor(): string {
    let range: unknown;
    try {
        range = (JSON.parse(fs.readFileSync(require.resolve("@azure/arm-cosmosdb/package.json"), "utf8")) as { engines?: { node?: unknown } }).engines?.node;
    } catch {
        return process.versions.node;
    }
    const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(typeof range === "string" ? range.trim() : "");
    assert.ok(floor, `@azure/arm-cosmosdb declares engines.node ${JSON.stringify(range)}, not >=x.y.z`);
    return floor[1];
}

/**
 * The installed SDK, loaded as for the lowest Node.js it declares: it loads on CI's Node.js 20 too, and what these
 * tests read is its code, not its engine. Undefined where `npm ci` has not installed it (devDependencies).
 */
function installedSdk<C>(): { sdk: { CosmosDBManagementClient: new (c: unknown, s: string, o: unknown) => C }; pipeline: { createHttpHeaders: (h: Record<string, string>) => unknown } } | undefined {
    try {
        const node = sdkEngineFloor();
        return { sdk: loadSdk("@azure/arm-cosmosdb", node), pipeline: loadSdk("@azure/core-rest-pipeline", node) };
    } catch (err) {
        if (err instanceof MissingInventorySdkError) return undefined;
        throw err;
    }
}

describe("the Azure SDK's own reading of the documented responses", () => {
    it("yields what the tests' client yields, following nextLink", async function () {
        const loaded = installedSdk<{ restorableDatabaseAccounts: { list(): AsyncIterable<unknown> } }>();
        if (!loaded) return this.skip();
        const { sdk, pipeline } = loaded;
        const pages = paged([FRIDAY, NOISE[2], MONDAY], 2);
        const requests: string[] = [];
        const httpClient = {
            sendRequest: async (request: { url: string }) => {
                requests.push(request.url);
                const page = pages[/skiptoken=(\d+)/.exec(request.url) ? Number(/skiptoken=(\d+)/.exec(request.url)?.[1]) : 0];
                return { request, status: 200, headers: pipeline.createHttpHeaders({ "content-type": "application/json" }), bodyAsText: JSON.stringify(page) };
            },
        };
        const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
        const client = new sdk.CosmosDBManagementClient(credential, FAKE_SUBSCRIPTION, { httpClient, retryOptions: { maxRetries: 0 } });
        const items: unknown[] = [];
        for await (const item of client.restorableDatabaseAccounts.list()) items.push(item);
        assert.strictEqual(requests.length, 2);
        assert.match(requests[0], new RegExp(`/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/restorableDatabaseAccounts\\?api-version=`));
        const mine = [FRIDAY, NOISE[2], MONDAY].map(fromRest);
        const fields = (o: unknown) => JSON.parse(JSON.stringify(o, ["id", "name", "location", "accountName", "creationTime", "deletionTime", "oldestRestorableTime", "apiType"]));
        assert.deepStrictEqual(items.map(fields), mine.map(fields));
        assert.ok(items.every((i) => (i as { deletionTime?: unknown }).deletionTime === undefined || (i as { deletionTime: unknown }).deletionTime instanceof Date));
    });
    const account = `/subscriptions/${FAKE_SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/users-db0f9e8d7c`;
    const operation = `https://management.azure.com/subscriptions/${FAKE_SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/operationResults/op1?api-version=2026-03-15`;
    const since = new Date("2026-11-27T18:00:00Z");
    const accountState = (outputs: Record<string, unknown>): ExportedResource[] => [{ urn: "urn:pulumi:dev-azure::intergalactic::azure-native:cosmosdb:DatabaseAccount::users-db",
        type: "azure-native:cosmosdb:DatabaseAccount", id: account, outputs: { id: account, location: "westeurope", ...outputs } }];
    type Reply = [status: number, body?: unknown, headers?: Record<string, string>];
    /**
     * The real SDK's client over an HTTP client answering as the REST reference's examples do: Database Accounts - Get
     * (its `Date` header `date`, as ARM sends it; none when null), List Mongo DB Databases and Collections (one each), and the backup
     * POST as `backup` answers it and each poll of its operation.
     */
    function backupClient(sdk: NonNullable<ReturnType<typeof installedSdk<CosmosBackupClient>>>, backup: (url: string) => Reply, date: string | null = "Fri, 27 Nov 2026 18:00:00 GMT") {
        const requests: { method: string; url: string; body?: string }[] = [];
        const httpClient = {
            sendRequest: async (request: { method: string; url: string; body?: unknown }) => {
                requests.push({ method: request.method, url: request.url, ...(typeof request.body === "string" ? { body: request.body } : {}) });
                const path = new URL(request.url).pathname;
                const here = { id: "users-db0f9e8d7c-westeurope", locationName: "West Europe", documentEndpoint: "https://users-db0f9e8d7c-westeurope.documents.azure.com:443/", provisioningState: "Succeeded", failoverPriority: 0, isZoneRedundant: false };
                const [status, body, headers]: Reply =
                    path === account ? [200, { id: account, name: "users-db0f9e8d7c", location: "West Europe", type: "Microsoft.DocumentDB/databaseAccounts", kind: "MongoDB",
                        properties: { provisioningState: "Succeeded", writeLocations: [here], readLocations: [here], locations: [here] } }, date === null ? {} : { date }]
                    : path.endsWith("/mongodbDatabases") ? [200, { value: [{ id: `${account}/mongodbDatabases/cookies`, name: "cookies", type: "Microsoft.DocumentDB/databaseAccounts/mongodbDatabases", properties: { resource: { id: "cookies" } } }] }]
                    : path.endsWith("/collections") ? [200, { value: [{ id: `${account}/mongodbDatabases/cookies/collections/orders`, name: "orders", properties: { resource: { id: "orders", shardKey: { user: "Hash" } } } }] }]
                    : backup(request.url);
                return { request, status, headers: sdk.pipeline.createHttpHeaders({ "content-type": "application/json", ...headers }), bodyAsText: body === undefined ? "" : JSON.stringify(body) };
            },
        };
        const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
        return { requests, api: new sdk.sdk.CosmosDBManagementClient(credential, FAKE_SUBSCRIPTION, { httpClient, retryOptions: { maxRetries: 0 } }) };
    }
    const request = (resources: ExportedResource[], signal = new AbortController().signal) =>
        ({ stack: "dev-azure", store: "users", resources, since, clock: () => since, signal, sleep: async () => undefined });

    it("lists a live account's collections and asks each one's backup in the location form the state holds, polling the POST as a long-running operation", async function () {
        const loaded = installedSdk<CosmosBackupClient>();
        if (!loaded) return this.skip();
        let polls = 0;
        const { api, requests } = backupClient(loaded, (url) => url !== operation ? [202, undefined, { location: operation }]
            : ++polls === 1 ? [202, undefined, { location: operation }] : [200, { continuousBackupInformation: { latestRestorableTimestamp: "2026-11-27T18:00:40Z" } }]);
        const resources = accountState({ locations: [{ locationName: "West Europe", failoverPriority: 0 }] });
        const proven = await awaitContinuousBackup(api, request(resources));
        assert.strictEqual(proven.toISOString(), "2026-11-27T18:00:40.000Z");
        const post = requests.find((r) => r.method === "POST");
        assert.ok(post && new URL(post.url).pathname === `${account}/mongodbDatabases/cookies/collections/orders/retrieveContinuousBackupInformation`, JSON.stringify(requests));
        assert.deepStrictEqual(JSON.parse(post.body ?? "{}"), { location: "West Europe" }, "the body is the ContinuousBackupRestoreLocation, the location as the account lists it");
        assert.strictEqual(polls, 2, "the SDK polled the operation until it answered");
    });

    it("reads Azure's clock from the Date header of the account's GET, through the SDK's onResponse", async function () {
        const loaded = installedSdk<CosmosBackupClient>();
        if (!loaded) return this.skip();
        // Azure's clock 10 min ahead of the runner's (stopped at 18:00:00): the backup must reach 18:10:01, not 18:00:00.
        const answers = ["2026-11-27T18:09:30Z", "2026-11-27T18:10:03Z"];
        const lines: string[] = [];
        const { api, requests } = backupClient(loaded, () => [200, { continuousBackupInformation: { latestRestorableTimestamp: answers.length > 1 ? answers.shift() : answers[0] } }], "Fri, 27 Nov 2026 18:10:00 GMT");
        const proven = await awaitContinuousBackup(api, { ...request(accountState({})), log: (line) => lines.push(line) });
        assert.strictEqual(proven.toISOString(), "2026-11-27T18:10:03.000Z", "an answer before Azure's 18:10:00 holds none of the writes up to it");
        assert.strictEqual(requests[0].method, "GET");
        assert.strictEqual(new URL(requests[0].url).pathname, account, "the account's own GET, first");
        assert.match(lines.join("\n"), /users: Azure's clock is taken as 601 s ahead of this machine's/);
    });

    it("refuses an account whose GET answers without a Date header, before it asks any backup", async function () {
        const loaded = installedSdk<CosmosBackupClient>();
        if (!loaded) return this.skip();
        const { api, requests } = backupClient(loaded, () => [200, { continuousBackupInformation: { latestRestorableTimestamp: "2026-11-27T18:30:00Z" } }], null);
        await assert.rejects(awaitContinuousBackup(api, request(accountState({}))), /^InventoryError: Cosmos DB Database Accounts - Get of users-db0f9e8d7c answered without a Date header/);
        assert.deepStrictEqual(requests.map((r) => r.method), ["GET"], "nothing but the account's read");
    });

    it("stops the SDK's polling of a backup operation that never ends when the wait's bound gives up", async function () {
        const loaded = installedSdk<CosmosBackupClient>();
        if (!loaded) return this.skip();
        let polls = 0;
        const controller = new AbortController();
        // Accepted, and never done: the bound gives up at the first poll.
        const { api } = backupClient(loaded, (url) => {
            if (url === operation && ++polls === 1) controller.abort();
            return [202, undefined, { location: operation, "retry-after": "0" }];
        });
        await assert.rejects(awaitContinuousBackup(api, request(accountState({}), controller.signal)),
            /given up, its backup had not reached 2026-11-27T18:00:01\.000Z/);
        const after = polls;
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.strictEqual(polls, after, "the SDK went on polling after the wait gave up");
    });
});
