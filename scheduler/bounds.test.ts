/** The stoppable sleep of retries and waits: ends early on the stop signal, and leaves no listener behind. */
import * as assert from "assert";
import { getEventListeners } from "events";
import { boundedOperation, Bounds, BoundsContext, stoppableSleep } from "./bounds";

describe("stoppableSleep", () => {
    const instant = () => Promise.resolve();

    it("removes its listener when the sleep ends, so a wait polling many times adds none up", async () => {
        const stop = new AbortController();
        const sleep = stoppableSleep(instant, stop.signal);
        for (let i = 0; i < 50; i++) await sleep(10);
        assert.strictEqual(getEventListeners(stop.signal, "abort").length, 0);
    });

    it("ends at once on the stop signal, before or during the sleep, and keeps a sleep's failure", async () => {
        const stop = new AbortController();
        const never = () => new Promise<void>(() => undefined);
        const sleeping = stoppableSleep(never, stop.signal)(60_000);
        stop.abort();
        await sleeping;
        await stoppableSleep(never, stop.signal)(60_000);
        await assert.rejects(stoppableSleep(() => Promise.reject(new Error("clock gone")), new AbortController().signal)(1), /clock gone/);
        assert.strictEqual(stoppableSleep(instant, undefined), instant);
    });
});

describe("boundedOperation's kill", function () {
    this.timeout(20_000);
    const bounds: Bounds = { operationMs: 20, readMs: 20, graceMs: 20, deadline: Date.now() + 3_600_000, jobEnd: Date.now() + 3_600_000, signalGraceMs: 20, backupWaitMs: 20, snapshotWaitMs: 20 };

    it("reports an operation still pending with no process of it tracked as out of reach: not killed, and the run not lost", async () => {
        const unreached = new Set<Promise<unknown>>();
        const ctx: BoundsContext = { bounds, clock: () => new Date(), log: () => undefined, unreached };
        let finish = () => undefined as void;
        // An operation that ignores its signal and spawns nothing operationCli.ts sees (an SDK path it does not cover).
        const work = new Promise<void>((resolve) => (finish = resolve));
        const err = await boundedOperation(ctx, "destroying the stack", () => work).catch((e: Error) => e);
        assert.match(String(err), /no process of it is in this run's reach/);
        assert.doesNotMatch(String(err), /it was killed/);
        assert.strictEqual(unreached.size, 1);
        finish();
        await work;
        await new Promise((resolve) => setImmediate(resolve));
        assert.strictEqual(unreached.size, 0);
    });
});
