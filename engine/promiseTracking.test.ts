import * as assert from "assert";
import { withLeanPromiseTracking } from "./promiseTracking";

const debuggable: { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> } = require("@pulumi/pulumi/runtime/debuggable");
const state: { getStore(): { leakCandidates: Set<Promise<unknown>> } } = require("@pulumi/pulumi/runtime/state");

/** Lets every queued promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** What the SDK's own debuggablePromise rejects with, for a promise that rejects (called before any lean tracking). */
const sdkTracking = debuggable.debuggablePromise;
const originalTracking = (p: Promise<unknown>) => sdkTracking(p, "ctx").then(() => undefined, (e: unknown) => e);

/** Runs `body` under the lean tracking, once the SDK's first call is made, with the candidates counted before it. */
async function whileTracking(body: (before: number) => Promise<void>): Promise<void> {
    const restore = withLeanPromiseTracking();
    try {
        debuggable.debuggablePromise(Promise.resolve(0), "the SDK's first call");
        await settle();
        await body(state.getStore().leakCandidates.size);
    } finally {
        restore();
    }
}

describe("lean promise tracking (the SDK's debuggablePromise without its debugging payload)", () => {
    it("counts a pending promise as a leak candidate until it settles, as the SDK does, without the debugging properties", async () => {
        await whileTracking(async (before) => {
            let resolve: (v: string) => void = () => undefined;
            const pending = new Promise<string>((r) => (resolve = r));
            const tracked = debuggable.debuggablePromise(pending, "transferProperty(x, y, z)");
            assert.strictEqual(state.getStore().leakCandidates.size, before + 1, "a pending promise is a leak candidate");
            assert.ok(![...state.getStore().leakCandidates].includes(pending), "counted, not kept as a set entry");
            assert.strictEqual(Object.getOwnPropertyDescriptor(pending, "_debugStackTrace"), undefined);
            resolve("value");
            assert.strictEqual(await tracked, "value");
            assert.strictEqual(state.getStore().leakCandidates.size, before, "a settled promise is no longer a candidate");
        });
    });

    it("leaves a promise that never settles counted, for the SDK's exit-time leak report", async () => {
        await whileTracking(async (before) => {
            void debuggable.debuggablePromise(new Promise(() => undefined), "never");
            await settle();
            assert.strictEqual(state.getStore().leakCandidates.size, before + 1);
        });
        state.getStore().leakCandidates = new Set();
    });

    it("rejects with the same error and forgets the promise; an error that is no object fails as the SDK's does", async () => {
        await whileTracking(async (before) => {
            const boom = new Error("boom");
            const error = await debuggable.debuggablePromise(Promise.reject(boom), "ctx").then(() => undefined, (e: unknown) => e);
            assert.strictEqual(error, boom);
            assert.strictEqual(state.getStore().leakCandidates.size, before);
            const sdk = await originalTracking(Promise.reject("a string"));
            const lean = await debuggable.debuggablePromise(Promise.reject("a string"), "ctx").then(() => undefined, (e: unknown) => e);
            assert.ok(lean instanceof TypeError && sdk instanceof TypeError, `${String(lean)} and ${String(sdk)}`);
            assert.strictEqual(lean.message, sdk.message);
        });
    });

    it("settles after as many turns as the SDK's own (so registrations keep their order)", async () => {
        const turnsOf = async (track: (p: Promise<number>) => Promise<number>) => {
            let turns = 0;
            let done = false;
            void track(Promise.resolve(1)).then(() => (done = true));
            while (!done) {
                turns++;
                await Promise.resolve();
            }
            return turns;
        };
        const sdk = await turnsOf((p) => debuggable.debuggablePromise(p, "ctx"));
        const restore = withLeanPromiseTracking();
        try {
            debuggable.debuggablePromise(Promise.resolve(0), "the SDK's first call");
            assert.strictEqual(await turnsOf((p) => debuggable.debuggablePromise(p, "ctx")), sdk);
        } finally {
            restore();
        }
        await settle();
    });

    it("gives the SDK its own function back", () => {
        const original = debuggable.debuggablePromise;
        withLeanPromiseTracking()();
        assert.strictEqual(debuggable.debuggablePromise, original);
    });
});
