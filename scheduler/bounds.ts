/**
 * Every Automation API call gets a bounded time. `up`, `destroy` and `refresh`
 * take an AbortSignal: on timeout the CLI gets SIGINT, which makes Pulumi stop
 * starting new resource operations, wait for the running ones, write the state
 * and release its lock, so the next run can resume; one that has not stopped when
 * the run gives up waiting is killed (SIGKILL) and awaited before the run goes on
 * (`killed` below). The Automation API's
 * reads and tag and config writes take no signal, so the scheduler runs their
 * CLI itself (cliProcess.ts: the reads in cliRead.ts, the writes in
 * cliWrite.ts): a step that gives up stops the calls it is running and waits
 * for their processes to be gone before it says so, so no write lands after the
 * run moved on (after the lease's release, or after the next record write) and
 * no read's process outlives its step.
 *
 * A whole run also has a deadline shorter than the CI job's timeout, counted
 * from the job's start (`--job-started-at`; the runner's install steps come
 * first), so it is the reconciler, not the CI runner's kill, that stops a long
 * operation. Every call is cut to what is left: an operation to the run's
 * deadline, a read or record write to the job's end.
 *
 * A stop signal (SIGINT/SIGTERM: a cancelled workflow, the job's timeout)
 * interrupts the running operation the same way and starts nothing new; the
 * lease is still released. Pulumi cancels on its first signal and terminates
 * at once on a second ("terminating immediately may lead to orphaned
 * resources", its message in pulumi/pulumi pkg/backend/cancellation_scope.go),
 * so the child is signalled only when it did
 * not get the signal itself (a terminal's Ctrl-C reaches the whole process
 * group), and the run then waits for it up to `signalGraceMs`, or until a
 * second signal says the kill is near (a cancelled GitHub job gets SIGINT,
 * then SIGTERM 7.5 s later, then its process tree is killed 2.5 s after that:
 * pulumi/actions#928).
 */

import * as os from "os";
import { killOperation } from "./operationCli";

export interface Bounds {
    /** Longest `up`/`destroy`/`refresh`. */
    readonly operationMs: number;
    /** Longest read or config/tag write. */
    readonly readMs: number;
    /** How long an interrupted operation may take to stop cleanly before we give up waiting. */
    readonly graceMs: number;
    /** Real-clock instant by which the run must have interrupted every operation (ms since epoch). */
    readonly deadline: number;
    /** Real-clock instant by which every read and record write must be done: just before the job's timeout. */
    readonly jobEnd: number;
    /** How long an operation interrupted by a stop signal may take to stop before the run exits anyway. */
    readonly signalGraceMs: number;
    /** Longest wait for a store's continuous backup to catch up with its writes before a teardown deletes it (backupWait.ts). */
    readonly backupWaitMs: number;
    /** Longest wait for a final snapshot still being created before a spin-up restores it (dataFlow.ts). */
    readonly snapshotWaitMs: number;
    /** How long a stopped read or tag or config write may take to exit after its SIGINT before it gets SIGKILL. @default WRITE_GRACE_MS */
    readonly writeGraceMs?: number;
}

export const DEFAULT_OPERATION_MINUTES = 60;
export const DEFAULT_READ_MINUTES = 5;
export const DEFAULT_GRACE_MINUTES = 5;
/** Below the workflow's `timeout-minutes` (90) by more than the grace time. */
export const DEFAULT_RUN_MINUTES = 80;
/** The workflow's `timeout-minutes`; reads stop a minute before it. */
export const DEFAULT_JOB_MINUTES = 90;
/** As long as a timed-out operation gets: a second signal (the runner's SIGTERM before its kill) ends the wait sooner. */
export const DEFAULT_SIGNAL_GRACE_MS = DEFAULT_GRACE_MINUTES * 60_000;
/**
 * Cosmos DB backs its log up every 100 seconds, "in some exceptional cases" later
 * (https://learn.microsoft.com/azure/cosmos-db/latest-restore-timestamp-continuous-backup): several rounds of it.
 */
export const DEFAULT_BACKUP_WAIT_MINUTES = 15;
/**
 * A spin-up right after a deletion finds its final snapshot still `creating`. Bounded so that the `up` after it
 * keeps most of the run's 80 minutes: the restore of a DocumentDB cluster and its instances takes much of the rest.
 */
export const DEFAULT_SNAPSHOT_WAIT_MINUTES = 20;

/**
 * A read or a tag write is one request to the backend: a CLI that has not exited 2 s after SIGINT is not finishing
 * it, and the stop that kills it must leave the lease's release time before a cancelled job's kill (10 s,
 * pulumi/actions#928).
 */
export const WRITE_GRACE_MS = 2000;

/** How long a process may take to be gone after SIGKILL before the step says it may still be running. */
export const KILL_WAIT_MS = 5000;

/** Why the run stops: the signal, and whether the Pulumi child got it too (then it is not signalled again). */
export interface StopReason {
    readonly signal: string;
    readonly childHasIt: boolean;
}

export class TimeoutError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TimeoutError";
    }
}

/** The run was told to stop (SIGINT/SIGTERM); a kind of time limit, so every caller that gives up on a timeout gives up on it too. */
export class InterruptedError extends TimeoutError {
    constructor(message: string) {
        super(message);
        this.name = "InterruptedError";
    }
}

export interface BoundsContext {
    readonly bounds: Bounds;
    readonly clock: () => Date;
    readonly log: (line: string) => void;
    /** Aborted on SIGINT/SIGTERM; its reason is the signal's name or a StopReason. */
    readonly stop?: AbortSignal;
    /** Aborted on a second signal: the kill is near, stop waiting for the interrupted operation. */
    readonly hurry?: AbortSignal;
    /**
     * The operations the run gave up on with no process of theirs in reach (bounds.ts `killed`), until they settle:
     * while one is pending the run does not list itself as lost (reconciler.ts), as for a process still there after SIGKILL.
     */
    readonly unreached?: Set<Promise<unknown>>;
}

const reasonOf = (stop: AbortSignal): StopReason =>
    typeof stop.reason === "string" ? { signal: stop.reason, childHasIt: false } :
        typeof stop.reason?.signal === "string" ? stop.reason as StopReason : { signal: "a stop signal", childHasIt: false };
const signalName = (stop: AbortSignal) => reasonOf(stop).signal;

/** Resolves on the stop signal; `cancel` removes its listener, so many bounded calls add none up. */
function stopped(ctx: BoundsContext): { promise: Promise<"stop">; cancel: () => void } {
    const stop = ctx.stop;
    let cancel = () => undefined as void;
    const promise = new Promise<"stop">((resolve) => {
        if (!stop) return;
        if (stop.aborted) return resolve("stop");
        const on = () => resolve("stop");
        stop.addEventListener("abort", on, { once: true });
        cancel = () => stop.removeEventListener("abort", on);
    });
    return { promise, cancel };
}

/** Throws before a step starts when the run was told to stop. */
function refuseAfterStop(ctx: BoundsContext, label: string): void {
    if (ctx.stop?.aborted) throw new InterruptedError(`${label} not started: this run received ${signalName(ctx.stop)}; ${RESUMABLE}`);
}

/**
 * A sleep (a retry's backoff, a wait's poll) that ends early on a stop signal; the next bounded step then refuses
 * to start. Its listener goes when the sleep ends, so a wait that polls many times adds none up.
 */
export function stoppableSleep(sleep: (ms: number) => Promise<void>, stop: AbortSignal | undefined): (ms: number) => Promise<void> {
    if (!stop) return sleep;
    return (ms) => new Promise<void>((resolve, reject) => {
        if (stop.aborted) return resolve();
        const done = () => {
            stop.removeEventListener("abort", done);
            resolve();
        };
        stop.addEventListener("abort", done);
        sleep(ms).then(done, (err) => {
            stop.removeEventListener("abort", done);
            reject(err);
        });
    });
}

const RESUMABLE = "the next run resumes it (it clears any pending operations, then carries on from the state left behind)";

function limitOf(ctx: BoundsContext, kindMs: number): number {
    return Math.max(0, Math.min(kindMs, ctx.bounds.deadline - ctx.clock().getTime()));
}

export const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

function timer(ms: number): { promise: Promise<"timeout">; cancel: () => void } {
    let handle: NodeJS.Timeout | undefined;
    const promise = new Promise<"timeout">((resolve) => {
        handle = setTimeout(() => resolve("timeout"), ms);
    });
    return { promise, cancel: () => clearTimeout(handle) };
}

/** How a process a step started ended once stopped: it is gone, or still running KILL_WAIT_MS after its SIGKILL (cliProcess.ts). */
export type ProcessEnd = Promise<"ended" | "running">;

/** What `StepProcesses.stop` found: of each kind, how many were running and how many of those are still not gone. */
export interface Stopped {
    readonly writes: { readonly stopped: number; readonly left: number };
    readonly reads: { readonly stopped: number; readonly left: number };
}

/**
 * The CLI reads and writes one bounded step starts (cliRead.ts, cliWrite.ts). When the step gives up, `stop`
 * refuses every call it has not started yet and stops the running ones, waiting for their processes to be gone.
 */
export class StepProcesses {
    private readonly controller = new AbortController();
    private readonly running = new Map<ProcessEnd, "read" | "write">();
    /** Whether the step asked for a writer: its message then says what became of its writes. */
    writes = false;

    constructor(readonly graceMs: number = WRITE_GRACE_MS) {}

    /** Aborted once the step gave up: a call not started yet refuses, a running one is stopped. */
    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** Registers a running call until `end` (what its stop ends in) settles. */
    track(end: ProcessEnd, kind: "read" | "write"): void {
        this.running.set(end, kind);
        const done = () => void this.running.delete(end);
        end.then(done, done);
    }

    /** Stops the running calls; says, of each kind, how many were running and how many of those are still not gone. */
    async stop(): Promise<Stopped> {
        const running = [...this.running];
        this.controller.abort();
        const ends = await Promise.all(running.map(([e, kind]) => e.catch(() => "ended" as const).then((how) => ({ how, kind }))));
        const of = (kind: "read" | "write") => ({ stopped: ends.filter((e) => e.kind === kind).length, left: ends.filter((e) => e.kind === kind && e.how === "running").length });
        return { writes: of("write"), reads: of("read") };
    }
}

/** What became of a step's calls once it gave up; "" for a step that had nothing running and writes nothing. */
function processesLeft(step: StepProcesses, { writes, reads }: Stopped): string {
    if (writes.left > 0) return "; its write did not exit after SIGKILL, so it may still land until its process is gone, and the next run reads it back";
    const read = reads.left > 0 ? "; its read did not exit after SIGKILL (it writes nothing)" : reads.stopped > 0 ? "; the read pulumi was making was stopped and its process is gone" : "";
    if (writes.stopped > 0) return `${read}; the write pulumi was making was stopped and its process is gone, so it sends nothing more (a request the backend had already received may still be applied): it may or may not have landed, and the next run reads it back`;
    return read + (step.writes ? "; no write of it was running, and none starts after this" : "");
}

/**
 * A read or a small write, bounded by `readMs` and the job's end. `afterStop` lets the last steps (the
 * lease's release) run after a stop signal. `run` gets the step's processes (cliRead.ts `boundedStackRead`, cliWrite.ts
 * `boundedWrite`): once the step gives up, no call starts and the running ones are stopped before this throws.
 */
export async function boundedRead<T>(ctx: BoundsContext, label: string, run: (step: StepProcesses) => Promise<T>, afterStop = false): Promise<T> {
    // Cut by the job's end, not the run's deadline: the record writes after a timed-out operation must still happen.
    const limit = Math.max(0, Math.min(ctx.bounds.readMs, ctx.bounds.jobEnd - ctx.clock().getTime()));
    if (!afterStop) refuseAfterStop(ctx, label);
    if (limit === 0) throw new TimeoutError(`${label} not started: the CI job's time is up; ${RESUMABLE}`);
    const t = timer(limit);
    const step = new StepProcesses(ctx.bounds.writeGraceMs);
    const work = run(step);
    const stop = stopped(afterStop ? { ...ctx, stop: undefined } : ctx);
    try {
        const first = await Promise.race([work, t.promise, stop.promise]);
        if (first === "stop" || first === "timeout") {
            work.catch(() => undefined);
            const left = processesLeft(step, await step.stop());
            if (first === "stop") throw new InterruptedError(`${label}: interrupted, this run received ${signalName(ctx.stop!)}${left}; ${RESUMABLE}`);
            throw new TimeoutError(`${label}: pulumi did not answer within ${minutes(limit)}${left}; ${RESUMABLE}`);
        }
        return first as T;
    } finally {
        t.cancel();
        stop.cancel();
    }
}

/**
 * A wait for something outside Pulumi to catch up (a continuous backup, a final snapshot still being created),
 * bounded by `bound` (`backupWaitMs` or `snapshotWaitMs`) and the run's deadline. `run` polls and stops when its
 * signal is aborted: on timeout, or on a stop signal.
 */
export async function boundedWait<T>(ctx: BoundsContext, label: string, run: (signal: AbortSignal) => Promise<T>,
    bound: "backupWaitMs" | "snapshotWaitMs" = "backupWaitMs"): Promise<T> {
    refuseAfterStop(ctx, label);
    const limit = limitOf(ctx, ctx.bounds[bound]);
    if (limit === 0) throw new TimeoutError(`${label} not started: the run's time limit (counted from the CI job's start) is used up; ${RESUMABLE}`);
    const controller = new AbortController();
    const t = timer(limit);
    const work = run(controller.signal);
    work.catch(() => undefined);
    const stop = stopped(ctx);
    try {
        const first = await Promise.race([work, t.promise, stop.promise]);
        if (first === "timeout" || first === "stop") controller.abort();
        if (first === "stop") throw new InterruptedError(`${label}: interrupted, this run received ${signalName(ctx.stop!)}; ${RESUMABLE}`);
        if (first === "timeout") throw new TimeoutError(`${label}: not done within ${minutes(limit)}`);
        return first as T;
    } finally {
        t.cancel();
        stop.cancel();
    }
}

/** A stack operation, bounded: interrupted with SIGINT on timeout, then given `graceMs` to stop cleanly. */
export async function boundedOperation<T>(ctx: BoundsContext, label: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    refuseAfterStop(ctx, label);
    const limit = limitOf(ctx, ctx.bounds.operationMs);
    if (limit === 0) {
        // Starting it now would leave it to the runner's kill: the next run starts it with a whole budget.
        throw new TimeoutError(`${label} not started: the run's time limit (counted from the CI job's start) is used up; ${RESUMABLE}`);
    }
    const controller = new AbortController();
    const t = timer(limit);
    const work = run(controller.signal);
    work.catch(() => undefined);
    let first: T | "timeout" | "stop";
    const stop = stopped(ctx);
    try {
        first = await Promise.race([work, t.promise, stop.promise]);
        if (first !== "timeout" && first !== "stop") return first as T;
    } finally {
        t.cancel();
        stop.cancel();
    }
    if (first === "stop") return interrupted(ctx, label, controller, work);
    ctx.log(`${label}: still running after ${minutes(limit)}; interrupting it (SIGINT) so it stops cleanly`);
    controller.abort();
    const grace = timer(ctx.bounds.graceMs);
    const outcome = await Promise.race([work.then(() => "stopped", () => "stopped"), grace.promise]);
    grace.cancel();
    if (outcome === "stopped") {
        throw new TimeoutError(`${label} did not finish within ${minutes(limit)}; it was interrupted and stopped cleanly, releasing the stack's lock; ${RESUMABLE}`);
    }
    const kill = await killed(ctx, controller.signal, work);
    throw new TimeoutError(`${label} did not finish within ${minutes(limit)} and did not stop within ${minutes(ctx.bounds.graceMs)} of the interrupt; ${kill}`);
}

/**
 * Kills (SIGKILL) an operation that did not stop when interrupted, and waits for its process to be gone, before the
 * run releases its lease and exits (operationCli.ts). Left running, it would hold its lock and could still change
 * the stack, while the run lists itself as lost, so that a run elsewhere would cancel that lock by its age alone.
 * The kill ends it as Pulumi's own second signal would (it then terminates at once, warning that this "may lead to
 * orphaned resources": pulumi/pulumi pkg/backend/cancellation_scope.go), though here after the interrupt's whole
 * grace and with no second signal; it is what already ended an operation the runner's time limit cut: on GitHub the
 * runner kills the job's process tree and cleans up what is left, on Pulumi Deployments the deployment's container
 * goes away. The resource operations it had sent go on in the cloud (a store's
 * deletion takes its final snapshot there), and those it had not recorded are pending or missing in the state,
 * which the next run clears or finds (a deletion without its event is an unknown snapshot: that spin-up asks).
 * The plugins it started are not signalled: they act only on its requests, and hold no lock.
 */
async function killed(ctx: BoundsContext, signal: AbortSignal, work: Promise<unknown>): Promise<string> {
    const outcome = await killOperation(signal, KILL_WAIT_MS);
    if ("killed" in outcome && outcome.killed === 0 && !(await settledWithin(work, 0))) {
        // No process of it was tracked, yet it has not ended: it runs where the kill cannot reach (an SDK path
        // operationCli.ts does not see). Claiming it killed would let a run elsewhere cancel its lock by age.
        if (ctx.unreached) {
            ctx.unreached.add(work);
            const settle = () => void ctx.unreached?.delete(work);
            work.then(settle, settle);
        }
        return "no process of it is in this run's reach (operationCli.ts tracked none), so it was not killed and may still run and hold the stack's lock; " +
            "this run does not list itself as lost, so no later run cancels that lock by age on a self-managed backend " +
            "(on Pulumi Cloud a later run ends the update once it is --stale-lock-minutes old); " +
            `a person must check that no \`pulumi\` of this stack still runs on ${os.hostname()}, then run \`pulumi cancel\`; the next run then resumes`;
    }
    if ("killed" in outcome) {
        return "it was killed (SIGKILL) and its process is gone, so it changes nothing more (a resource operation it had sent goes on in the cloud); " +
            `its lock stays until a later run judges it stale (a lost run's lock, its process gone); ${RESUMABLE}`;
    }
    // The run is then not listed as lost (reconciler.ts `operationsLeft`), so no later run ends the lock by age alone.
    const pids = outcome.running.join(", ");
    const host = os.hostname();
    return `it was killed (SIGKILL), but its process (pid ${pids} on ${host}) was still there ${minutes(KILL_WAIT_MS)} later, ` +
        "so this run does not list itself as lost and no later run cancels its lock by age on a self-managed backend " +
        "(on Pulumi Cloud a later run ends the update once it is --stale-lock-minutes old); " +
        `a person must check on ${host} that pid ${pids} is gone (\`ps -p ${pids}\`), then run \`pulumi cancel\`; the next run then resumes`;
}

/** Whether `work` settles within `ms` (0: already settled, as far as the microtask queue tells). */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([work.then(() => true, () => true), late]);
    clearTimeout(timer);
    return done;
}

/** A stop signal during an operation: pulumi gets one SIGINT and `signalGraceMs` (or until `hurry`) to write its state and release its lock. */
async function interrupted(ctx: BoundsContext, label: string, controller: AbortController, work: Promise<unknown>): Promise<never> {
    const { signal, childHasIt } = reasonOf(ctx.stop!);
    if (childHasIt) {
        ctx.log(`${label}: this run received ${signal}, and so did pulumi; waiting for it to stop cleanly (a second signal would terminate it)`);
    } else {
        ctx.log(`${label}: this run received ${signal}; interrupting pulumi (SIGINT) so it stops cleanly`);
        controller.abort();
    }
    const grace = timer(ctx.bounds.signalGraceMs);
    const hurry = stopped({ ...ctx, stop: ctx.hurry });
    const outcome = await Promise.race([work.then(() => "finished", () => "stopped"), grace.promise, hurry.promise]);
    grace.cancel();
    hurry.cancel();
    if (outcome === "finished") {
        throw new InterruptedError(`${label} finished just as this run received ${signal}; nothing more is started; the next run carries on from the state it left`);
    }
    if (outcome === "stopped") {
        throw new InterruptedError(`${label} was interrupted by ${signal} and stopped cleanly, releasing the stack's lock; ${RESUMABLE}`);
    }
    const waited = outcome === "stop" ? "when a second signal came" : `after ${minutes(ctx.bounds.signalGraceMs)}`;
    const kill = await killed(ctx, controller.signal, work);
    throw new InterruptedError(`${label} was interrupted by ${signal} and was still stopping ${waited}; ${kill}`);
}
