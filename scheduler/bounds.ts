/**
 * Every Automation API call gets a bounded time. `up`, `destroy` and `refresh`
 * take an AbortSignal: on timeout the CLI gets SIGINT, which makes Pulumi stop
 * starting new resource operations, wait for the running ones, write the state
 * and release its lock, so the next run can resume. Reads (config, tags,
 * export, history) have no signal; they are raced against a timer, and the
 * CLI process they started is killed when the reconciler exits.
 *
 * A whole run also has a deadline shorter than the CI job's timeout, so it is
 * the reconciler, not the CI runner's kill, that stops a long operation.
 */

export interface Bounds {
    /** Longest `up`/`destroy`/`refresh`. */
    readonly operationMs: number;
    /** Longest read or config/tag write. */
    readonly readMs: number;
    /** How long an interrupted operation may take to stop cleanly before we give up waiting. */
    readonly graceMs: number;
    /** Real-clock instant by which the run must have interrupted every operation (ms since epoch); reads are bounded by `readMs` alone. */
    readonly deadline: number;
}

export const DEFAULT_OPERATION_MINUTES = 60;
export const DEFAULT_READ_MINUTES = 5;
export const DEFAULT_GRACE_MINUTES = 5;
/** Below the workflow's `timeout-minutes` (90) by more than the grace time. */
export const DEFAULT_RUN_MINUTES = 80;

export class TimeoutError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TimeoutError";
    }
}

export interface BoundsContext {
    readonly bounds: Bounds;
    readonly clock: () => Date;
    readonly log: (line: string) => void;
}

const RESUMABLE = "the next run resumes it (it clears any pending operations, then carries on from the state left behind)";

function limitOf(ctx: BoundsContext, kindMs: number): number {
    return Math.max(0, Math.min(kindMs, ctx.bounds.deadline - ctx.clock().getTime()));
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

function timer(ms: number): { promise: Promise<"timeout">; cancel: () => void } {
    let handle: NodeJS.Timeout | undefined;
    const promise = new Promise<"timeout">((resolve) => {
        handle = setTimeout(() => resolve("timeout"), ms);
    });
    return { promise, cancel: () => clearTimeout(handle) };
}

/** A read or a small write, bounded. */
export async function boundedRead<T>(ctx: BoundsContext, label: string, run: () => Promise<T>): Promise<T> {
    // Not cut by the run's deadline: the record writes after a timed-out operation must still happen.
    const limit = ctx.bounds.readMs;
    const t = timer(limit);
    const work = run();
    try {
        const first = await Promise.race([work, t.promise]);
        if (first === "timeout") {
            work.catch(() => undefined);
            // The CLI child may still be running: a tag or config write can land after this message, so say so.
            throw new TimeoutError(`${label}: pulumi did not answer within ${minutes(limit)}; if this step writes, its write may still land until this process exits; ${RESUMABLE}`);
        }
        return first as T;
    } finally {
        t.cancel();
    }
}

/** A stack operation, bounded: interrupted with SIGINT on timeout, then given `graceMs` to stop cleanly. */
export async function boundedOperation<T>(ctx: BoundsContext, label: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const limit = limitOf(ctx, ctx.bounds.operationMs);
    const controller = new AbortController();
    const t = timer(limit);
    const work = run(controller.signal);
    work.catch(() => undefined);
    try {
        const first = await Promise.race([work, t.promise]);
        if (first !== "timeout") return first as T;
    } finally {
        t.cancel();
    }
    ctx.log(`${label}: still running after ${minutes(limit)}; interrupting it (SIGINT) so it stops cleanly`);
    controller.abort();
    const grace = timer(ctx.bounds.graceMs);
    const stopped = await Promise.race([work.then(() => "stopped", () => "stopped"), grace.promise]);
    grace.cancel();
    if (stopped === "stopped") {
        throw new TimeoutError(`${label} did not finish within ${minutes(limit)}; it was interrupted and stopped cleanly, releasing the stack's lock; ${RESUMABLE}`);
    }
    throw new TimeoutError(`${label} did not finish within ${minutes(limit)} and did not stop within ${minutes(ctx.bounds.graceMs)} of the interrupt; ` +
        `its lock stays until its process is gone (a later run cancels it then); ${RESUMABLE}`);
}
