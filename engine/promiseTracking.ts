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
 * (tools/bench/PROFILE.md). Here the promise is chained exactly as the SDK does it (the same `then`/`catch`
 * steps, so every registration happens in the same order), without the three properties.
 *
 * Nor is it kept in the set: the SDK's leak check asks the set only how many promises are left (`size`,
 * when the process exits), and a plan keeps tens of thousands in flight at once, each of which cost a set
 * entry and the two reactions' own closures (what the promise was, to delete it). The candidates count
 * the pending promises instead (`PendingPromises`), and every promise shares its set's two reactions.
 * What is lost is `error.promise`, the rejected promise the SDK attaches to an error for debugging, which
 * nothing in the SDK or this project reads.
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
/**
 * Leak candidates that count their pending promises: `size` says how many are left, as the SDK's exit-time
 * check asks; promises added as members (the SDK's own, e.g. its first call's) are counted as well.
 */
export class PendingPromises extends Set<Promise<unknown>> {
    private pending = 0;
    /** The reaction of a tracked promise that fulfils. */
    readonly fulfilled = <T>(value: T): T => {
        this.pending--;
        return value;
    };
    /** The reaction of a tracked promise that rejects. */
    readonly rejected = (err: unknown): never => {
        this.pending--;
        // As the SDK's `err.promise = p`: an error that is no object cannot take a property (strict mode), and fails so.
        if (err === null || (typeof err !== "object" && typeof err !== "function")) (err as { promise?: unknown }).promise = undefined;
        throw err;
    };

    constructor(members: Iterable<Promise<unknown>> = []) {
        super(members);
    }

    override get size(): number {
        return super.size + this.pending;
    }

    /** Counts `p` as pending and returns it chained as the SDK chains it (`then`, then `catch`). */
    track<T>(p: Promise<T>): Promise<T> {
        this.pending++;
        return p.then(this.fulfilled).catch(this.rejected);
    }
}

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
        // The SDK replaces the set when it reports leaks (and a new plan replaces the store): count in whatever set is current.
        const store = state.getStore();
        const candidates = store.leakCandidates instanceof PendingPromises ? store.leakCandidates : (store.leakCandidates = new PendingPromises(store.leakCandidates));
        return candidates.track(p);
    };
    return () => {
        debuggable.debuggablePromise = original;
    };
}
