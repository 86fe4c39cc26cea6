import * as assert from "assert";
import { withLeanPromiseTracking } from "./promiseTracking";

const debuggable: { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> } = require("@pulumi/pulumi/runtime/debuggable");
const state: { getStore(): { leakCandidates: Set<Promise<unknown>> } } = require("@pulumi/pulumi/runtime/state");

/** Lets every queued promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("lean promise tracking (the SDK's debuggablePromise without its debugging payload)", () => {
    it("keeps a pending promise a leak candidate until it settles, as the SDK does, without the debugging properties", async () => {
        const restore = withLeanPromiseTracking();
        try {
            debuggable.debuggablePromise(Promise.resolve(0), "the SDK's first call");
            let resolve: (v: string) => void = () => undefined;
            const pending = new Promise<string>((r) => (resolve = r));
            const tracked = debuggable.debuggablePromise(pending, "transferProperty(x, y, z)");
            assert.ok(state.getStore().leakCandidates.has(pending), "a pending promise is a leak candidate");
            assert.strictEqual(Object.getOwnPropertyDescriptor(pending, "_debugStackTrace"), undefined);
            resolve("value");
            assert.strictEqual(await tracked, "value");
            assert.ok(!state.getStore().leakCandidates.has(pending), "a settled promise is no longer a candidate");
        } finally {
            restore();
        }
    });

    it("rejects with the same error, carrying the promise, and forgets the promise", async () => {
        const restore = withLeanPromiseTracking();
        try {
            debuggable.debuggablePromise(Promise.resolve(0), "the SDK's first call");
            const failing = Promise.reject(new Error("boom"));
            const error = await debuggable.debuggablePromise(failing, "ctx").then(() => undefined, (e: Error & { promise?: unknown }) => e);
            assert.strictEqual(error?.message, "boom");
            assert.strictEqual(error?.promise, failing);
            assert.ok(!state.getStore().leakCandidates.has(failing));
        } finally {
            restore();
        }
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
