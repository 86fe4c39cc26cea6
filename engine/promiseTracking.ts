/**
 * The SDK's tracking of its internal promises, without the debugging payload a plan never reads.
 *
 * The SDK passes almost every promise it makes through `debuggablePromise` (`runtime/debuggable.js`):
 * four per output property of every resource, more for each registration and invoke. Besides keeping
 * the promise in the leak-candidates set until it settles (what the SDK reports at exit as leaked
 * promises), it defines three properties on the promise: an id, a context string built from the
 * resource's name and property, and `new Error().stack`. Only `PULUMI_DEBUG_PROMISE_LEAKS` reads those
 * three. They were about 6% of a plan's CPU samples, and each pending promise kept its context string
 * and an out-of-object property array alive while the program's registrations were in flight
 * (tools/bench/PROFILE.md). Here the promise is tracked and chained exactly as the SDK does it (the same
 * `then`/`catch` steps, so every registration happens in the same order), without the three properties.
 */

interface DebuggableModule {
    debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
    debugPromiseLeaks: boolean;
}
interface StateModule {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
}

// Not in the SDK's .d.ts; every SDK module calls it through this module's exports object.
const debuggable: DebuggableModule = require("@pulumi/pulumi/runtime/debuggable");
const state: StateModule = require("@pulumi/pulumi/runtime/state");

/**
 * Until the returned function is called, the SDK's `debuggablePromise` tracks promises without their
 * debugging payload. With `PULUMI_DEBUG_PROMISE_LEAKS` set, which prints that payload, it stays the SDK's.
 */
export function withLeanPromiseTracking(): () => void {
    const original = debuggable.debuggablePromise;
    if (typeof original !== "function" || debuggable.debugPromiseLeaks) return () => undefined;
    let first = true;
    debuggable.debuggablePromise = function leanDebuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> {
        // The SDK's first call also installs its exit-time leak report: let it make that call.
        if (first) {
            first = false;
            return original(p, ctx);
        }
        const store = state.getStore();
        store.leakCandidates.add(p);
        // As the SDK does: the set is read again when the promise settles (a new plan replaces it).
        return p
            .then((value) => {
                store.leakCandidates.delete(p);
                return value;
            })
            .catch((err) => {
                store.leakCandidates.delete(p);
                err.promise = p;
                throw err;
            });
    };
    return () => {
        debuggable.debuggablePromise = original;
    };
}
