/**
 * The teardown's wait for a Cosmos DB account's continuous backup: the reconciler runs against the fake CLI,
 * whose Cosmos DB store keeps, when deleted, only what its lagging backup held (testing/continuousBackup.ts).
 * A write made just before the teardown follows through to the restored store; a backup that cannot be read
 * or does not catch up stops the teardown before it deletes anything.
 */
import * as assert from "assert";
import { ReconcileError } from "../stackOps";
import { COLLECTIONS, DATABASE, FakeBackup, armDate, fakeBackup, rawResponse, writeAt } from "../testing/continuousBackup";
import { COSMOS } from "../testing/fakeBackend";
import { FRIDAY_EVENING, Harness, MONDAY, TUESDAY, harness } from "../testing/harness";
import { authorizationFailed, fakeAzureInventory } from "../testing/restorableAccounts";
import { BACKUP_POLL_MS, CosmosBackupClient, awaitContinuousBackup, cosmosAccountOf, parseHttpDate, parseRestorableTimestamp } from "./azureBackup";
import type { ExportedResource } from "../lineage";

/** Its backup 50 s behind a write 5 s before the teardown, each answer 25 s further on: two answers to catch up. */
const LAG_MS = 50_000;
const TAIL = new Date(FRIDAY_EVENING.getTime() - 5_000);

describe("the teardown waits for a Cosmos DB account's continuous backup before deleting it", function () {
    this.timeout(180_000);
    let h: Harness;
    let backup: FakeBackup;
    let failing: Error | undefined;
    let stepMs: number;
    let date: (at: Date) => string | undefined;
    beforeEach(async () => {
        failing = undefined;
        stepMs = 25_000;
        h = await harness({
            edit: (s) => void (s.program.dataStores[0].dataType = COSMOS),
            base: (b) => ({
                dataStores: ["users"],
                inventory: fakeAzureInventory(b, [], undefined, backup),
                // The runner's clock is the cloud's (fake/writers.js), each call taking it on.
                clock: () => new Date(b.read().cloud.clock!),
            }),
        });
        date = armDate;
        backup = fakeBackup(() => h.backend, () => stepMs, () => failing, (at) => date(at));
        h.backend.edit((s) => void (s.cloud.clock = FRIDAY_EVENING.toISOString()));
        writeAt(h.backend, "M1-tail", TAIL, LAG_MS);
    });
    afterEach(() => h.cleanup());

    it("a write made just before the teardown is in the restored store, restored to the point the wait proved", async () => {
        await h.run(FRIDAY_EVENING);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" }, "the write 5 s before the teardown was lost");
        // cookies answered 17:59:10 + 25 s, short of the write; orders caught up and answered the present, as cookies did next round.
        const [first, proven, last] = backup.answers;
        assert.ok(Date.parse(first) < TAIL.getTime() && Date.parse(proven) > FRIDAY_EVENING.getTime() && Date.parse(last) > Date.parse(proven), JSON.stringify(backup.answers));
        assert.strictEqual((h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc, proven);
        assert.match(h.log(), new RegExp(`teardown: users: its continuous backup holds every write up to ${proven.replace(/\./g, "\\.")} \\(the teardown began at 2026-11-27T18:00:\\d\\d\\.000Z\\)`));
        const account = h.backend.read().cloud.created![0].id;
        assert.deepStrictEqual([...new Set(backup.calls)].sort(), COLLECTIONS.map((c) => `${account}/${DATABASE}/${c}@westeurope`).sort(), "every collection of the account, in its location");
        assert.deepStrictEqual(h.sleeps.filter((ms) => ms === BACKUP_POLL_MS).length, 1, "one wait between the two rounds");
        // Azure's clock is the runner's here: the moment is taken the Date header's second and the read's round trip later.
        assert.match(h.log(), /teardown: users: Azure's clock is taken as 2 s ahead of this machine's \(Cosmos DB Database Accounts - Get's Date header, its second and the round trip counted\)/);
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
        const proven = backup.answers[1];
        const until = new Date(Date.parse(proven) + 30 * 86_400_000).toISOString();
        assert.match(h.log(), new RegExp(`the cloud's snapshot inventory settles it: \\S+, as it is the record's last known snapshot, and nothing newer is kept; restorable until ${until.replace(/\./g, "\\.")}`));
        assert.strictEqual((h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc, proven,
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

    it("an account read without a Date header stops the teardown before it deletes anything, naming the store and why", async () => {
        date = () => undefined;
        const refused = await h.attempt(FRIDAY_EVENING);
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.match(refused.message, /^teardown refused: the continuous backup of users \(Cosmos DB Database Accounts - Get of users-\d+ answered without a Date header, so Azure's clock cannot be measured against this machine's/);
        assert.match(refused.message, /nothing was deleted/);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1-tail" }, "the store is still there");
        assert.ok(!h.backend.mutations().includes("destroy"), "no destroy ran");
        assert.deepStrictEqual(backup.calls, [], "no backup was asked");
    });

    it("a backup that does not catch up within its bound stops the teardown before it deletes anything", async () => {
        stepMs = 0;
        const refused = await h.attempt(FRIDAY_EVENING, { limits: { backupWaitMs: 2_000 }, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.match(refused.message, /^teardown refused: the continuous backup of users \(waiting for the continuous backup of users to reach 2026-11-27T18:00:\d\d\.000Z: not done within 2 s\)/);
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
    /** `since` as Azure's clock tells it when its Date header says the same second: that second's end. */
    const moment = "2026-11-27T18:00:01.000Z";
    /**
     * Answers per `<collection>@<location>`, one after the other (the last one repeats); the account's read answers
     * with the Date header `date`, none when null (`since`'s second, the runner's clock stopped at `since`: no skew, no round trip).
     */
    function api(answers: Record<string, string[]>, collections = ["a", "b"], date: string | null = armDate(since) ?? null): CosmosBackupClient & { calls: string[] } {
        const calls: string[] = [];
        const names = (list: string[]) => list.map((n) => ({ name: n, resource: { id: n } }));
        return {
            calls,
            databaseAccounts: {
                get: async (_g, _a, options) => {
                    options?.onResponse?.(rawResponse(200, { date: date ?? undefined }));
                    return {};
                },
            },
            mongoDBResources: {
                listMongoDBDatabases: async function* () { yield* names(["db"]); },
                listMongoDBCollections: async function* () { yield* names(collections); },
                retrieveContinuousBackupInformation: async (_g, _a, _d, collection, location) => {
                    const key = `${collection}@${location.location}`;
                    calls.push(key);
                    const list = answers[key];
                    return { continuousBackupInformation: { latestRestorableTimestamp: list.length > 1 ? list.shift() : list[0] } };
                },
            },
        };
    }
    const wait = (resources: ExportedResource[]) => ({ stack: "dev-azure", store: "users", resources, since, clock: () => since, signal: new AbortController().signal, sleep: async () => undefined });

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
        assert.strictEqual((await awaitContinuousBackup(api({}, []), wait([account()]))).toISOString(), moment, "the moment itself, on Azure's clock");
        await assert.rejects(awaitContinuousBackup(api({ "a@West Europe": ["later"], "b@West Europe": ["later"] }), wait([account()])), /of users-db0f9e8d7c\/db\/a in West Europe answered "later", which is not a time/);
        await assert.rejects(awaitContinuousBackup(api({}), wait([])), /the state of users names no Cosmos DB account/);
        assert.deepStrictEqual(cosmosAccountOf([account()]), { resourceGroup: "rg-data", name: "users-db0f9e8d7c", locations: ["West Europe"] });
    });

    it("reads an HTTP Date as RFC 7231 has senders write it, and nothing else", () => {
        assert.strictEqual(parseHttpDate("Wed, 02 Dec 2026 18:00:00 GMT")?.toISOString(), "2026-12-02T18:00:00.000Z");
        for (const text of ["", "Thu, 02 Dec 2026 18:00:00 GMT", "Wednesday, 02-Dec-26 18:00:00 GMT", "Wed Dec  2 18:00:00 2026", "2026-12-02T18:00:00Z", "Wed, 2 Dec 2026 18:00:00 GMT"]) {
            assert.strictEqual(parseHttpDate(text), undefined, text);
        }
    });

    it("takes the moment on Azure's clock, from the account's Date header, its second and the round trip counted on the later side", async () => {
        for (const skewMs of [600_000, -600_000]) {
            // The runner reads its clock at 18:00:00 before the account's read and at 18:00:02 after it; Azure's header says the runner's midpoint + skew.
            const azure = new Date(since.getTime() + 1_000 + skewMs);
            const target = since.getTime() + skewMs + 2_000;
            const at = (ms: number) => new Date(target + ms).toISOString();
            const client = api({ "a@West Europe": [at(-30_000), at(-1), at(4_000)], "b@West Europe": [at(0)] }, ["a", "b"], armDate(azure) ?? null);
            const reads = [since, new Date(since.getTime() + 2_000)];
            const lines: string[] = [];
            const proven = await awaitContinuousBackup(client, { ...wait([account()]), clock: () => reads.shift() ?? since, log: (line) => lines.push(line) });
            assert.strictEqual(proven.toISOString(), at(0), `skew ${skewMs}: the earliest answer at or after ${at(0)}`);
            assert.deepStrictEqual(client.calls, ["a@West Europe", "b@West Europe", "a@West Europe", "a@West Europe"], `skew ${skewMs}: an answer a millisecond short is asked again`);
            assert.match(lines.join("\n"), new RegExp(`users: Azure's clock is taken as ${Math.abs(skewMs + 2_000) / 1000} s ${skewMs > 0 ? "ahead of" : "behind"} this machine's`));
        }
    });

    it("an account read without a Date header, or one that is not an HTTP date, is refused before any backup is asked", async () => {
        for (const [date, why] of [[null, "without a Date header"], ["2026-11-27T18:00:00Z", 'the Date header "2026-11-27T18:00:00Z", which is not an HTTP date']] as const) {
            const client = api({ "a@West Europe": ["2026-11-27T18:30:00Z"], "b@West Europe": ["2026-11-27T18:30:00Z"] }, ["a", "b"], date);
            await assert.rejects(awaitContinuousBackup(client, wait([account()])), (e: Error) =>
                e.message.startsWith(`Cosmos DB Database Accounts - Get of users-db0f9e8d7c answered ${why}`) && /Azure's clock cannot be measured against this machine's/.test(e.message));
            assert.deepStrictEqual(client.calls, []);
        }
    });

    it("stops when the bounded call gives up", async () => {
        const controller = new AbortController();
        const client = api({ "a@West Europe": ["2026-11-27T17:00:00Z"], "b@West Europe": ["2026-11-27T17:00:00Z"] });
        let rounds = 0;
        const stopped = awaitContinuousBackup(client, { ...wait([account()]), signal: controller.signal, sleep: async () => void (++rounds === 3 && controller.abort()) });
        await assert.rejects(stopped, /given up, its backup had not reached 2026-11-27T18:00:01\.000Z/);
        assert.strictEqual(client.calls.length, 6);
    });
});
