/**
 * A hung or slow tag write (the lease, the restore record), end to end through the real Automation API code and
 * the fake CLI: the run gives up on it within its read limit, kills its process before it goes on (to the lease's
 * release, to the exit), says what became of the write, and the next run resumes and keeps the data marker. A
 * write left running could land after the lease was given back or over the next run's record, tearing it.
 */
import * as assert from "assert";
import { TimeoutError } from "./bounds";
import { LEASE_TAG } from "./lease";
import { FRIDAY_EVENING, Harness, MONDAY, harness } from "./testing/harness";

const STOPPED = "the write pulumi was making was stopped and its process is gone, so it sends nothing more (a request the backend had already received may still be applied): it may or may not have landed, and the next run reads it back";
/** The first field of Monday's record write: what the spin-up restores the store from (record.ts FIELDS `o`). */
const FROM_TAG = "intergalactic:data.users.o";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a hung or slow tag write", function () {
    this.timeout(60_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
        await h.run(FRIDAY_EVENING);
    });
    afterEach(() => h.cleanup());
    const tags = () => h.backend.read().stacks.dev.tags;

    it("of the lease times out with a clear message and no process left; the next run spins up and keeps the data", async () => {
        h.backend.edit((s) => s.failures.push({ command: "stack tag set", key: LEASE_TAG, times: 1, mode: "hang" }));
        const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        assert.strictEqual(hung.message, `taking the stack's lease: pulumi did not answer within 1 s; ${STOPPED}; ` +
            "the next run resumes it (it clears any pending operations, then carries on from the state left behind)");
        assert.deepStrictEqual(h.backend.running(), [], "the hung write was killed before the run ended");
        assert.strictEqual(tags()[LEASE_TAG], undefined);

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("of the lease that landed before the CLI hung is withdrawn, so the next run need not wait for it to go stale", async () => {
        h.backend.edit((s) => s.failures.push({ command: "stack tag set", key: LEASE_TAG, times: 1, mode: "landed" }));
        const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        assert.deepStrictEqual(h.backend.running(), []);
        assert.strictEqual(tags()[LEASE_TAG], undefined, "this run's own lease, written before its CLI hung, is gone");
        assert.match(h.log(), /lease: this run's lease had landed before the run gave up on it; withdrawn/);

        // Held by this (live) test process, a lease left behind would make this run stop with "another reconciler holds".
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("of the restore record times out, the lease is still released, and the next run spins up and keeps the data", async () => {
        h.backend.edit((s) => s.failures.push({ command: "stack tag set", key: FROM_TAG, times: 1, mode: "hang", ignoreSigint: true }));
        const operations = h.backend.mutations();
        const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        assert.ok(hung.message.startsWith(`writing the restore record: pulumi did not answer within 1 s; ${STOPPED}`), hung.message);
        assert.deepStrictEqual(h.backend.running(), []);
        assert.strictEqual(tags()[LEASE_TAG], undefined, "the lease was given back after the write was gone");
        assert.deepStrictEqual(h.backend.mutations(), operations, "Monday's up never started");

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("`pulumi cancel` of a stale lock that would land late never lands after the run gave up, so it cannot end a lock taken after it", async () => {
        // A scheduler run on ci-host crashed holding the lease and the lock; the cancel of that lock hangs for a while.
        const crashed = { owner: "runner@ci-host", pid: 4242, since: "2026-11-30T03:01:00Z" };
        h.backend.edit((s) => {
            s.stacks.dev.lock = crashed;
            s.stacks.dev.tags[LEASE_TAG] = JSON.stringify({ run: "r1", owner: "runner@ci-host", host: "ci-host", pid: 4100, since: "2026-11-30T03:00:00Z" });
            s.failures.push({ command: "cancel", times: 1, mode: "late", delayMs: 2500 });
        });
        const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        await sleep(3000);
        assert.deepStrictEqual(h.backend.read().stacks.dev.lock, crashed, "the cancel did not land after the run gave up on it");
        assert.ok(hung.message.startsWith(`pulumi cancel: pulumi did not answer within 1 s; ${STOPPED}`), hung.message);
        assert.deepStrictEqual(h.backend.running(), []);

        // One more attempt than the harness's one: the operation is retried once the stale lock is cancelled.
        await h.run(MONDAY, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /recovery: lock cancelled/);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("of the restore record that would land late never lands after the run ended, so the record is not torn", async () => {
        h.backend.edit((s) => s.failures.push({ command: "stack tag set", key: FROM_TAG, times: 1, mode: "late", delayMs: 2500 }));
        const before = tags();
        const hung = await h.attempt(MONDAY, { limits: { readMs: 1000 } });
        assert.ok(hung instanceof TimeoutError, String(hung));
        assert.deepStrictEqual(h.backend.running(), []);
        const { [LEASE_TAG]: lease, ...left } = tags();
        assert.strictEqual(lease, undefined);
        // The run lists itself as lost (it failed); the record is as it was.
        assert.deepStrictEqual(Object.fromEntries(Object.entries(left).filter(([k]) => k !== "intergalactic:scheduler.lost")), before);
        await sleep(3000);
        assert.deepStrictEqual(tags(), { ...left }, "nothing landed after the run ended");

        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        assert.doesNotMatch(h.log(), /stopped while writing the restore record/);
    });
});
