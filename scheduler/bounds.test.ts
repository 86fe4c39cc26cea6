/** The stoppable sleep of retries and waits: ends early on the stop signal, and leaves no listener behind. */
import * as assert from "assert";
import { getEventListeners } from "events";
import { stoppableSleep } from "./bounds";

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
