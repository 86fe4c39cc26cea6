/**
 * A live store is never replaced by an `up` of the scheduler: every `up`
 * declares each live store with the restore config its state says it was
 * created with, and a spin-up previews first and refuses when the `up` would
 * still replace or delete a data resource. The fake here replaces a store
 * whose restore inputs change, as a provider does for an input that forces a
 * new resource when nothing ignores it.
 */
import * as assert from "assert";
import { ScheduleConfig } from "../stacks/config/schedule";
import { ReconcileOptions, reconcile } from "./reconciler";
import { ReconcileError } from "./stackOps";
import { COSMOS, FakeBackend } from "./testing/fakeBackend";

const FRIDAY_EVENING = new Date("2026-11-27T18:00:00Z");
const MONDAY = new Date("2026-11-30T06:30:00Z");
const MONDAY_LATER = new Date("2026-11-30T08:00:00Z");
const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};

describe("live data stores under a later up", function () {
    this.timeout(180_000);
    let backend: FakeBackend;
    let lines: string[];
    const run = (now: Date, extra: Partial<ReconcileOptions> = {}) => reconcile({
        stackName: "dev", workDir: backend.checkout(), pulumiRoot: backend.root, envVars: {},
        schedule, environment: "dev", now, dryRun: false, dataStores: ["users"],
        log: (line) => lines.push(line), sleep: async () => undefined, clock: () => now, leaseSettleMs: 0,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, ...extra,
    });
    const storesCreated = () => backend.read().cloud.serial;

    async function restoredThenPartial(dataType?: string): Promise<void> {
        backend = new FakeBackend();
        backend.edit((s) => {
            s.replaceOnRestoreChange = true;
            if (dataType) s.program.dataStores[0].dataType = dataType;
        });
        await backend.markUp("M1");
        await run(FRIDAY_EVENING);
        backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "partial", stderr: "error: creating the AKS cluster: timeout" }));
        assert.ok(await run(MONDAY).catch((e) => e) instanceof ReconcileError);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" }, "the store was restored before the failure");
    }

    beforeEach(() => void (lines = []));
    afterEach(() => backend.cleanup());

    it("a spin-up retried on a partly-up stack declares the restored store as it was created, so it is not replaced", async () => {
        await restoredThenPartial();
        const retried = await run(MONDAY_LATER);
        assert.strictEqual(retried.action, "spin-up");
        assert.strictEqual(storesCreated(), 2, "the first store and its restore; no replacement");
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
        assert.deepStrictEqual((backend.lastUpConfig()["intergalactic:snapshots"] as { restore: unknown }).restore, { users: "users-td-20261127t1800z-dev" });
    });

    it("a Cosmos DB account restored to a point in time keeps its restore source and time in every later up", async () => {
        await restoredThenPartial(COSMOS);
        await run(MONDAY_LATER);
        assert.strictEqual(storesCreated(), 2);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
        assert.strictEqual((backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc: string }).restoreTimestampUtc, FRIDAY_EVENING.toISOString());
    });

    it("a spin-up refuses an up whose preview would replace or delete a live data store, and changes nothing", async () => {
        await restoredThenPartial();
        // A config change that makes the program declare the data under another resource type.
        backend.edit((s) => void (s.program.dataStores[0].dataType = "aws:docdb/elasticCluster:ElasticCluster"));
        const refused = await run(MONDAY_LATER).catch((e) => e);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
        assert.match(refused.message, /spin-up refused: the up would end a live data store.*\n  delete urn:pulumi:dev::intergalactic::intergalactic:index:HaMongo\$aws:docdb\/cluster:Cluster::users-data/);
        assert.strictEqual(backend.mutations().filter((m) => m === "up").length, 3, "no up after the preview");
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });
});
