/**
 * The weekly cycle under faults, end to end through the real Automation API
 * with the fake CLI: every run works from a fresh checkout (as the workflow
 * does), and each test follows the data marker `M1` from the first store to
 * the store the last spin-up restored. A test fails when the marker is lost,
 * even if every run exits 0.
 */
import * as assert from "assert";
import { LEASE_TAG, LeaseError } from "./lease";
import { ReconcileError } from "./stackOps";
import { InterruptedError, TimeoutError } from "./bounds";
import { COSMOS } from "./testing/fakeBackend";
import { FRIDAY_EVENING, MONDAY, SATURDAY, TUESDAY_EVENING, WEDNESDAY, Harness, HarnessOptions, harness } from "./testing/harness";
import { INVENTORY_CASES } from "./testing/inventories";

/** A history time as Pulumi keeps it: whole seconds (Unix time). */
const secondOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

describe("the weekly cycle under faults keeps the data", function () {
    this.timeout(120_000);
    let h: Harness;
    const setUp = (o: HarnessOptions = {}) => harness({ base: () => ({ retry: undefined }), ...o });
    beforeEach(async () => {
        h = await setUp();
    });
    afterEach(() => h.cleanup());

    it("a person's up names <store>-final again while that snapshot exists, so their destroy fails on it: the teardown of that partial stack renames it first and keeps the day's data", async () => {
        // Found by the interleavings property (seed 1715302023, path "4"): every later teardown failed on the same name.
        h.backend.edit((s) => s.failures.push({ command: "destroy", times: 1, mode: "preempt", message: "hotfix" }));
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" }, "restored from users-final, the snapshot the destroy took");
        h.write("M2");
        await h.person("up", "--yes", "--skip-preview", "--message", "hotfix");
        const destroyed = await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "done for today"]);
        assert.match(destroyed.stderr, /SnapshotAlreadyExistsFault: a snapshot named users-final already exists/);
        await h.run(TUESDAY_EVENING);
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261201t1800z-dev"]?.marker, "M2");
        await h.run(WEDNESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("restores a point-in-time store deleted by a person to the moment that destroy started", async () => {
        h.cleanup();
        h = await setUp({ edit: (s) => void (s.program.dataStores[0].dataType = COSMOS) });
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        const restored = h.backend.read().stacks.dev.resources.find((r) => r.store === "users")!;
        await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
        const started = h.backend.read().stacks.dev.history.at(-1)!;
        const workDir = h.backend.checkout();
        const spinUp = await h.run(WEDNESDAY, { workDir });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        assert.match(spinUp.snapshots.users, new RegExp(`/restorableDatabaseAccounts/${restored.id}$`), "the deleted account, named from its state's instanceId");
        assert.deepStrictEqual(h.backend.config(workDir), h.backend.committed, "the working copy is left as checked out");
        assert.deepStrictEqual(h.backend.lastUpConfig()["intergalactic:mongo"], { restoreTimestampUtc: secondOf((started as unknown as { startTime: string }).startTime) });
    });

    it("never restores the snapshot of a store a person re-created empty: the spin-up stops and names both snapshots", async () => {
        await h.run(FRIDAY_EVENING);
        const up = await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "trying something"]);
        assert.strictEqual(up.code, 0, up.stderr);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "" }, "a fresh checkout's up creates the store empty");

        await h.run(TUESDAY_EVENING);
        const refused = await h.run(WEDNESDAY).catch((e) => e);
        assert.ok(refused instanceof ReconcileError);
        assert.match(refused.message, /users: users-td-20261201t1800z-dev \(from a store created outside the scheduler, lineage unknown\) competes with users-td-20261127t1800z-dev/);

        await h.run(WEDNESDAY, { restore: { users: { id: "users-td-20261127t1800z-dev", config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("refuses to delete a store without a final snapshot unless the config says its data may be dropped", async () => {
        h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = false));
        await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "final snapshot off"]);
        const refused = await h.run(FRIDAY_EVENING).catch((e) => e);
        assert.ok(refused instanceof ReconcileError);
        assert.match(refused.message, /teardown refused: users \(its state says its deletion keeps no final snapshot\) would be deleted without a final snapshot; nothing was deleted/);
        assert.match(refused.message, /intergalactic:snapshots.dropDataOnTeardown/);
        assert.ok(!h.backend.mutations().includes("destroy"));
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });

        await h.run(FRIDAY_EVENING, { dropDataOnTeardown: ["users"] });
        assert.match(h.log(), /users has no known final snapshot; its data is dropped, as intergalactic:snapshots.dropDataOnTeardown says/);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
    });

    it("a teardown never applies a config change that would replace a data store: it destroys with the names the last up set", async () => {
        h.backend.edit((s) => void (s.program.dataStores[0].dataType = "aws:docdb/elasticCluster:ElasticCluster"));
        await h.run(FRIDAY_EVENING);
        assert.match(h.log(), /applying the snapshot suffix would also create 1, delete 1 resource\(s\) .*so it is not applied/);
        assert.deepStrictEqual(h.backend.mutations(), ["up", "destroy"], "no up between the first one and the teardown's destroy");
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    /** Waits until the fake's hung operation holds the stack's lock. */
    const lockTaken = async () => {
        for (let i = 0; i < 400 && !h.backend.read().stacks.dev.lock; i++) await new Promise((r) => setTimeout(r, 25));
        assert.ok(h.backend.read().stacks.dev.lock, "the hung operation took the lock");
    };

    it("on SIGTERM during a spin-up it interrupts pulumi, which stops cleanly, releases the lease and says the next run resumes", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang" }));
        const stop = new AbortController();
        const running = h.run(MONDAY, { clock: () => new Date(), stop: stop.signal }).catch((e) => e);
        await lockTaken();
        stop.abort("SIGTERM");
        const stopped = await running;
        assert.ok(stopped instanceof InterruptedError, String(stopped));
        assert.match(stopped.message, /^spin-up \(pulumi up\) was interrupted by SIGTERM and stopped cleanly, releasing the stack's lock; the next run resumes it/);
        assert.strictEqual(h.backend.read().stacks.dev.lock, null);
        assert.strictEqual(h.backend.read().stacks.dev.tags[LEASE_TAG], undefined, "the lease is released");
        assert.match(h.log(), /lease: released/);

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("on SIGINT it waits only a few seconds for a pulumi that does not stop, still releases the lease, and says what keeps the stack locked", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang", ignoreSigint: true }));
        const stop = new AbortController();
        const started = Date.now();
        const running = h.run(MONDAY, { clock: () => new Date(), stop: stop.signal, limits: { signalGraceMs: 1000 } }).catch((e) => e);
        await lockTaken();
        stop.abort("SIGINT");
        const stopped = await running;
        assert.ok(Date.now() - started < 30_000);
        assert.match(String(stopped), /was interrupted by SIGINT and was still stopping after 1 s; it was killed \(SIGKILL\) and its process is gone, so it changes nothing more .*; its lock stays until a later run judges it stale/);
        assert.strictEqual(h.backend.read().stacks.dev.tags[LEASE_TAG], undefined, "the lease is released");
        assert.ok(h.backend.read().stacks.dev.lock, "the killed pulumi left its lock");
        assert.deepStrictEqual(h.backend.running(), [], "no pulumi of the run is left");
        await h.run(MONDAY, { clock: () => new Date(Date.now() + 3 * 3_600_000) });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("kills a destroy hung mid-deletion that ignores the interrupt, and exits only once its pulumi is gone; the final snapshot keeps the data and the next runs resume", async () => {
        // Before the kill, the run exited with that pulumi still running and its lock listed as a lost run's, so a
        // run on another host could cancel the lock by age alone while it still changed the stack.
        h.backend.edit((s) => s.failures.push({ command: "destroy", times: 1, mode: "hang", ignoreSigint: true, pendingOn: "users" }));
        const hung = await h.run(FRIDAY_EVENING, { clock: () => new Date(), limits: { operationMs: 1500, graceMs: 500 } }).catch((e) => e);
        assert.deepStrictEqual(h.backend.running(), [], "no pulumi of the run is left");
        assert.ok(hung instanceof ReconcileError, String(hung));
        assert.match(hung.message, /teardown \(pulumi destroy\) did not finish within 2 s and did not stop within 1 s of the interrupt; it was killed \(SIGKILL\) and its process is gone/);
        const processes = h.backend.processes();
        const destroy = processes.findIndex((p) => "start" in p && p.args[0] === "destroy");
        const pid = (processes[destroy] as { start: number }).start;
        const end = processes.findIndex((p) => "end" in p && p.end === pid);
        assert.ok(end > destroy, "the destroy's process ended");
        assert.ok(processes.slice(end + 1).some((p) => "start" in p && p.args.join(" ").startsWith("stack tag")), "before the run released its lease");
        const state = h.backend.read();
        assert.ok(state.stacks.dev.lock, "the killed pulumi left its lock");
        assert.deepStrictEqual(Object.values(state.cloud.snapshots).map((s) => s.marker), ["M1"], "the deletion's final snapshot holds the data");

        // Once older than any run, the lock of the run listed as lost is cancelled and the teardown resumes.
        await h.run(FRIDAY_EVENING, { clock: () => new Date(Date.now() + 3 * 3_600_000) });
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("counts the run's time limit from the CI job's start: an operation is cut to what is left, and none starts once it is used up", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang" }));
        // The job started 79 min 40 s ago: of the 80-minute run limit, 20 s are left for the spin-up (its 60-minute up included).
        const late = { clock: () => new Date(), jobStartedAt: new Date(Date.now() - (80 * 60 - 20) * 1000) };
        const cut = await h.run(MONDAY, late).catch((e) => e);
        assert.ok(cut instanceof TimeoutError, String(cut));
        assert.match(cut.message, /spin-up \(pulumi up\) did not finish within (1?\d|20) s; it was interrupted and stopped cleanly/);

        const before = h.backend.mutations().length;
        const used = await h.run(MONDAY, { clock: () => new Date(), jobStartedAt: new Date(Date.now() - 81 * 60_000) }).catch((e) => e);
        assert.match(String(used), /not started: the run's time limit \(counted from the CI job's start\) is used up; the next run resumes it/);
        assert.deepStrictEqual(h.backend.mutations().slice(before), [], "nothing was started");

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });
    it("never signals a pulumi that got the terminal's SIGINT itself, and stops waiting for it at a second signal", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang" }));
        const stop = new AbortController();
        const hurry = new AbortController();
        const running = h.run(MONDAY, { clock: () => new Date(), stop: stop.signal, hurry: hurry.signal }).catch((e) => e);
        await lockTaken();
        stop.abort({ signal: "SIGINT", childHasIt: true });
        await new Promise((r) => setTimeout(r, 500));
        assert.ok(h.backend.read().stacks.dev.lock, "pulumi was not signalled a second time (it would terminate at once)");
        hurry.abort("SIGTERM");
        const stopped = await running;
        assert.match(String(stopped), /was interrupted by SIGINT and was still stopping when a second signal came; it was killed \(SIGKILL\) and its process is gone/);
        assert.match(h.log(), /this run received SIGINT, and so did pulumi; waiting for it to stop cleanly/);
        assert.strictEqual(h.backend.read().stacks.dev.tags[LEASE_TAG], undefined, "the lease is released");
        assert.deepStrictEqual(h.backend.running(), [], "no pulumi of the run is left");
        await h.run(MONDAY, { clock: () => new Date(Date.now() + 3 * 3_600_000) });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });
});

/**
 * The faults the scheduler was first found to lose data under (a destroy failed or crashed halfway and retried
 * from a fresh checkout, two reconcilers at once, a person's destroy, a record older than a page of history, a
 * hung `up`), each run as a test runs it (no inventory) and as `npm run schedule` runs it on each cloud (its
 * cloud's snapshot inventory, which the teardown confirms each final snapshot against and the spin-up checks
 * the record with). Each follows the marker and counts the stores the cloud created.
 */
for (const inventory of INVENTORY_CASES) {
    describe(`the faults first found keep the data, ${inventory.name}`, function () {
        this.timeout(120_000);
        let h: Harness;
        beforeEach(async () => {
            h = await harness({ base: () => ({ retry: undefined }), ...inventory.options });
        });
        afterEach(() => h.cleanup());
        /** How many data stores the cloud has ever created: an empty re-creation shows here first. */
        const storesCreated = () => h.backend.read().cloud.serial;
        /** The snapshots the cloud keeps that `before` did not list: what a deletion took. */
        const takenSince = (before: readonly string[]) => Object.keys(h.backend.read().cloud.snapshots).filter((id) => !before.includes(id));

        it("a destroy that fails halfway is resumed by the next run from a fresh checkout without re-creating the deleted store", async () => {
            h.backend.edit((s) => s.failures.push({ command: "destroy", skip: inventory.destroysFirst, times: 1, mode: "fail", keep: [inventory.network], stderr: inventory.networkInUse.stderr }));
            const failed = await h.run(FRIDAY_EVENING).catch((e) => e);
            assert.ok(failed instanceof ReconcileError, String(failed));
            assert.match(failed.message, inventory.networkInUse.pattern);
            assert.deepStrictEqual(h.backend.liveMarkers(), {}, "the store was deleted by the failed destroy");

            const retried = await h.run(SATURDAY);
            assert.strictEqual(retried.action, "teardown");
            assert.match(h.log(), /teardown: the stack is partial .*destroying without an `up` first/);
            assert.strictEqual(storesCreated(), 1, "no store was re-created empty");

            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("a crash in the middle of a destroy leaves a stale lock and a pending delete; the next run clears both and loses nothing", async () => {
            h.backend.edit((s) => s.failures.push({ command: "destroy", skip: inventory.destroysFirst, times: 1, mode: "crash", pendingOn: "users", keep: [inventory.network] }));
            const crashed = await h.run(FRIDAY_EVENING).catch((e) => e);
            assert.ok(crashed instanceof ReconcileError, String(crashed));
            assert.ok(h.backend.read().stacks.dev.lock, "the crashed run's lock is still there");

            // The crashed CLI's pid is gone here, but a container of this hostname might run it: only age makes it stale.
            const young = await h.run(SATURDAY, { clock: () => new Date(), retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
            assert.match(String(young), /locked by a run that may still be going; not cancelling it/);
            assert.match(h.log(), /live, pid \d+ does not run here, but another machine or container named .* may run it/);
            assert.ok(h.backend.read().stacks.dev.lock, "a young lock is never cancelled");
            await h.run(SATURDAY, { clock: () => new Date(Date.now() + 3 * 3_600_000) });
            assert.match(h.log(), /stale, pid \d+ does not run here, .*it is 1\d\d min old, longer than any run may last/);
            assert.match(h.log(), /recovery:   deleting .*users-data/);
            assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
            assert.strictEqual(storesCreated(), 1, "no store was re-created empty");

            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("a second reconciler started while the first tears down changes nothing", async () => {
            h.backend.edit((s) => s.failures.push({ command: "destroy", skip: inventory.destroysFirst, times: 1, mode: "delay", delayMs: 2500 }));
            const real = { clock: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), retry: { attempts: 30, baseDelayMs: 200, maxDelayMs: 200 } };
            const first = h.run(FRIDAY_EVENING, real);
            // The second starts once the first holds the lease (a fixed delay is a race on a loaded machine).
            for (let i = 0; i < 400 && !h.backend.read().stacks.dev.tags[LEASE_TAG]; i++) await new Promise((r) => setTimeout(r, 25));
            const second = await h.run(new Date(FRIDAY_EVENING.getTime() + 60_000), real).catch((e) => e);
            await first;
            assert.ok(second instanceof LeaseError, `the second run went on: ${second}`);
            assert.match(second.message, /another reconciler holds stack dev .*still runs here.*this run changes nothing/);
            assert.strictEqual(h.backend.mutations().filter((m) => m === "destroy").length, inventory.destroysFirst + 1, "the first run's destroys only");
            assert.strictEqual(storesCreated(), 1, "no store was re-created empty");

            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("after a person's `pulumi destroy` the spin-up restores the final snapshot that destroy took", async () => {
            await h.run(FRIDAY_EVENING);
            await h.run(MONDAY);
            const kept = Object.keys(h.backend.read().cloud.snapshots);
            const destroyed = await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "cleaning up by hand"]);
            assert.strictEqual(destroyed.code, 0, destroyed.stderr);
            const [taken] = takenSince(kept);

            const spinUp = await h.run(WEDNESDAY);
            assert.deepStrictEqual(spinUp.snapshots, { users: taken });
            assert.ok(h.log().includes(`record: users was deleted with final snapshot ${taken}`), h.log());
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("finds the teardown's snapshot however many updates came after it", async () => {
            await h.run(FRIDAY_EVENING);
            for (let i = 0; i < 22; i++) h.backend.edit((s) => void s.stacks.dev.history.push({ version: s.stacks.dev.history.length + 1, kind: "refresh", result: "succeeded", message: "", config: {} }));
            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("after a destroy outside the scheduler of stores it never tracked, the spin-up stops and says why, and --restore resumes it", async () => {
            const destroyed = await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
            assert.strictEqual(destroyed.code, 0, destroyed.stderr);
            const [taken] = takenSince([]);
            const refused = await h.run(MONDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(h.backend.liveMarkers())}`);
            assert.match(refused.message, /spin-up refused.*\n  users: the final snapshot its last deletion took is unknown: destroy at [^ ]+ \("by hand"\) ran after the scheduler last recorded the stack, and the record has no entry for it/);
            assert.match(refused.message, /--restore <store>=<snapshot id>/);
            assert.ok(!h.backend.calls().slice(-12).some((c) => c[0] === "up"));

            await h.run(MONDAY, { restore: { users: inventory.restore(h.backend, taken) } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("interrupts a hung up after its time limit; it stops cleanly and the next run resumes", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang" }));
            const real = { clock: () => new Date(), limits: { operationMs: 2500, graceMs: 10_000 } };
            const hung = await h.run(MONDAY, real).catch((e) => e);
            assert.match(String(hung), /spin-up \(pulumi up\) did not finish within 3 s; it was interrupted and stopped cleanly, releasing the stack's lock; the next run resumes it/);
            assert.strictEqual(h.backend.read().stacks.dev.lock, null);

            await h.run(MONDAY);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
            assert.strictEqual(storesCreated(), 2, "the first store, and the one restored from its snapshot");
        });

        it("a hung up that ignores the interrupt is killed before the run exits; its lock is cancelled once older than any run, and the next run resumes", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang", ignoreSigint: true }));
            const real = { clock: () => new Date(), limits: { operationMs: 1500, graceMs: 500 }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } };
            const hung = await h.run(MONDAY, real).catch((e) => e);
            assert.match(String(hung), /did not stop within 1 s of the interrupt; it was killed \(SIGKILL\) and its process is gone/);
            assert.ok(h.backend.read().stacks.dev.lock);
            assert.deepStrictEqual(h.backend.running(), [], "no pulumi of the run is left");

            const young = await h.run(MONDAY, real).catch((e) => e);
            assert.match(String(young), /locked by a run that may still be going; not cancelling it/);
            // A gone pid proves nothing on a shared hostname: the lock is cancelled once it is older than any run.
            await h.run(MONDAY, { clock: () => new Date(Date.now() + 3 * 3_600_000) });
            assert.match(h.log(), /stale, pid \d+ does not run here, .*longer than any run may last/);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });
    });
}
