/**
 * The teardown's wait for a Cosmos DB account's continuous backup: the reconciler runs against the fake CLI,
 * whose Cosmos DB store keeps, when deleted, only what its lagging backup held (testing/continuousBackup.ts).
 * A write made just before the teardown follows through to the restored store; a backup that cannot be read
 * or does not catch up stops the teardown before it deletes anything.
 */
import * as assert from "assert";
import { ReconcileError } from "../stackOps";
import { COLLECTIONS, DATABASE, FakeBackup, fakeBackup, writeAt } from "../testing/continuousBackup";
import { COSMOS } from "../testing/fakeBackend";
import { FRIDAY_EVENING, Harness, MONDAY, TUESDAY, harness } from "../testing/harness";
import { authorizationFailed, fakeAzureInventory } from "../testing/restorableAccounts";
import { BACKUP_POLL_MS, MongoBackupApi, awaitContinuousBackup, cosmosAccountOf, parseRestorableTimestamp } from "./azureBackup";
import type { ExportedResource } from "../lineage";

/** Its backup 25 s behind a write 5 s before the teardown, each answer 25 s further on. */
const LAG_MS = 25_000;
const TAIL = new Date(FRIDAY_EVENING.getTime() - 5_000);

describe("the teardown waits for a Cosmos DB account's continuous backup before deleting it", function () {
    this.timeout(180_000);
    let h: Harness;
    let backup: FakeBackup;
    let failing: Error | undefined;
    let stepMs: number;
    beforeEach(async () => {
        failing = undefined;
        stepMs = 25_000;
        h = await harness({
            edit: (s) => void (s.program.dataStores[0].dataType = COSMOS),
            base: (b) => ({
                dataStores: ["users"],
                inventory: fakeAzureInventory(b, [], undefined, backup),
            }),
        });
        backup = fakeBackup(() => h.backend, () => stepMs, () => failing);
        writeAt(h.backend, "M1-tail", TAIL, LAG_MS);
    });
    afterEach(() => h.cleanup());

    it("a write made just before the teardown is in the restored store, restored to the point the wait proved", async () => {
        await h.run(FRIDAY_EVENING);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" }, "the write 5 s before the teardown was lost");
        // 17:59:30 + 25 s: orders reached 18:00:20 in the first round, cookies 18:00:45 in the second.
        const proven = "2026-11-27T18:00:20.000Z";
        assert.strictEqual((h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc, proven);
        assert.match(h.log(), new RegExp(`teardown: users: its continuous backup holds every write up to ${proven.replace(/\./g, "\\.")} \\(the teardown began at 2026-11-27T18:00:00\\.000Z\\)`));
        const account = h.backend.read().cloud.created![0].id;
        assert.deepStrictEqual([...new Set(backup.calls)].sort(), COLLECTIONS.map((c) => `${account}/${DATABASE}/${c}@westeurope`).sort(), "every collection of the account, in its location");
        assert.deepStrictEqual(h.sleeps.filter((ms) => ms === BACKUP_POLL_MS).length, 1, "one wait between the two rounds");
    });

    it("a spin-up settled from the inventory keeps the point the teardown proved and the window its state named, not the tier the config names now", async () => {
        await h.run(FRIDAY_EVENING);
        // Monday's spin-up fails before it creates anything, and a person's destroy follows: the record cannot say
        // whether a store was created and deleted in between, so the spin-up asks the inventory.
        h.backend.edit((s) => void s.failures.push({ command: "up", times: 1, mode: "fail" }));
        assert.ok((await h.attempt(MONDAY)) instanceof Error, "the spin-up's up was to fail");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "tidying up by hand");
        // The inventory's config is dev's 7-day tier; the state at the deletion said the 30-day one (fake/cloud.js).
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" });
        assert.match(h.log(), /the cloud's snapshot inventory settles it: \S+, as it is the record's last known snapshot, and nothing newer is kept; restorable until 2026-12-27T18:00:20\.000Z/);
        assert.strictEqual((h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc, "2026-11-27T18:00:20.000Z",
            "the point the teardown proved, not just before the deletion");
    });

    it("a backup the deployer may not read stops the teardown before it deletes anything; the next run tears down and the write comes back", async () => {
        failing = authorizationFailed();
        const refused = await h.attempt(FRIDAY_EVENING);
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.match(refused.message, /^teardown refused: the continuous backup of users \(Cosmos DB Mongo DB Resources - Retrieve Continuous Backup Information of users-\d+\/cookies\/\w+ in westeurope failed: AuthorizationFailed \(HTTP 403\)/);
        assert.match(refused.message, /nothing was deleted/);
        assert.match(refused.message, /Microsoft\.DocumentDB\/databaseAccounts\/mongodbDatabases\/collections\/read/);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" }, "the store is still there");
        assert.ok(!h.backend.mutations().includes("destroy"), "no destroy ran");
        failing = undefined;
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" });
    });

    it("a backup that does not catch up within its bound stops the teardown before it deletes anything", async () => {
        stepMs = 0;
        const refused = await h.attempt(FRIDAY_EVENING, { limits: { backupWaitMs: 2_000 }, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.match(refused.message, /^teardown refused: the continuous backup of users \(waiting for the continuous backup of users to reach 2026-11-27T18:00:00\.000Z: not done within 2 s\)/);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" });
        stepMs = 25_000;
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" });
    });
});

describe("the latest restorable timestamp of a live account", () => {
    const account = (locations?: string[]): ExportedResource => ({
        urn: "urn:pulumi:dev::intergalactic::intergalactic:index:HaMongo$azure-native:cosmosdb:DatabaseAccount::users-db", type: "azure-native:cosmosdb:DatabaseAccount",
        id: "/subscriptions/s/resourceGroups/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/users-db0f9e8d7c",
        outputs: { location: "West Europe", ...(locations ? { locations: locations.map((locationName, failoverPriority) => ({ locationName, failoverPriority })) } : {}) },
    });
    const since = new Date("2026-11-27T18:00:00Z");
    /** Answers per `<collection>@<location>`, one after the other (the last one repeats). */
    function api(answers: Record<string, string[]>, collections = ["a", "b"]): MongoBackupApi & { calls: string[] } {
        const calls: string[] = [];
        const names = (list: string[]) => list.map((n) => ({ name: n, resource: { id: n } }));
        return {
            calls,
            listMongoDBDatabases: async function* () { yield* names(["db"]); },
            listMongoDBCollections: async function* () { yield* names(collections); },
            retrieveContinuousBackupInformation: async (_g, _a, _d, collection, location) => {
                const key = `${collection}@${location.location}`;
                calls.push(key);
                const list = answers[key];
                return { continuousBackupInformation: { latestRestorableTimestamp: list.length > 1 ? list.shift() : list[0] } };
            },
        };
    }
    const wait = (resources: ExportedResource[]) => ({ stack: "dev-azure", store: "users", resources, since, signal: new AbortController().signal, sleep: async () => undefined });

    it("reads the forms Azure's documents show it in", () => {
        assert.strictEqual(parseRestorableTimestamp("2021-02-05T02:40:50Z")?.toISOString(), "2021-02-05T02:40:50.000Z");
        assert.strictEqual(parseRestorableTimestamp("10/26/2021 5:27:45 PM")?.toISOString(), "2021-10-26T17:27:45.000Z");
        assert.strictEqual(parseRestorableTimestamp("10/26/2021 12:05:00 AM")?.toISOString(), "2021-10-26T00:05:00.000Z");
        assert.strictEqual(parseRestorableTimestamp("1623042210")?.toISOString(), "2021-06-07T05:03:30.000Z");
        assert.strictEqual(parseRestorableTimestamp("2021-02-05T02:40:50")?.toISOString(), "2021-02-05T02:40:50.000Z", "UTC when no zone is given");
        for (const text of ["", "soon", "2021-13-45T99:00:00Z", "26.10.2021 17:27:45"]) assert.strictEqual(parseRestorableTimestamp(text), undefined, text);
    });

    it("waits on every collection in every location of the account until each reaches the moment, past the epoch a partition without a backup gives", async () => {
        const client = api({
            "a@West Europe": ["1/1/1970 12:00:00 AM", "2026-11-27T18:00:05Z"], "b@West Europe": ["2026-11-27T18:00:30Z"],
            "a@North Europe": ["2026-11-27T17:59:00Z", "2026-11-27T18:00:10Z"], "b@North Europe": ["2026-11-27T18:00:02Z"],
        });
        const proven = await awaitContinuousBackup(client, wait([account(["West Europe", "North Europe"])]));
        assert.strictEqual(proven.toISOString(), "2026-11-27T18:00:02.000Z", "the earliest point every collection reached");
        assert.deepStrictEqual(client.calls, ["a@West Europe", "a@North Europe", "b@West Europe", "b@North Europe", "a@West Europe", "a@North Europe"], "one reached is not asked again");
    });

    it("an account without collections holds nothing to wait for; an answer that is not a time, or a state without the account, is refused", async () => {
        assert.strictEqual((await awaitContinuousBackup(api({}, []), wait([account()]))).toISOString(), since.toISOString());
        await assert.rejects(awaitContinuousBackup(api({ "a@West Europe": ["later"], "b@West Europe": ["later"] }), wait([account()])), /of users-db0f9e8d7c\/db\/a in West Europe answered "later", which is not a time/);
        await assert.rejects(awaitContinuousBackup(api({}), wait([])), /the state of users names no Cosmos DB account/);
        assert.deepStrictEqual(cosmosAccountOf([account()]), { resourceGroup: "rg-data", name: "users-db0f9e8d7c", locations: ["West Europe"] });
    });

    it("stops when the bounded call gives up", async () => {
        const controller = new AbortController();
        const client = api({ "a@West Europe": ["2026-11-27T17:00:00Z"], "b@West Europe": ["2026-11-27T17:00:00Z"] });
        let rounds = 0;
        const stopped = awaitContinuousBackup(client, { ...wait([account()]), signal: controller.signal, sleep: async () => void (++rounds === 3 && controller.abort()) });
        await assert.rejects(stopped, /given up, its backup had not reached 2026-11-27T18:00:00\.000Z/);
        assert.strictEqual(client.calls.length, 6);
    });
});
