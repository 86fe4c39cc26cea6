/**
 * The reconciler: decide from the schedule whether the stack should be up or
 * down, look at what it holds, and run `up` or `destroy` only when the two
 * differ. A second run right after the first finds nothing to do.
 */
import { ScheduleConfig } from "../stacks/config/schedule";
import { Decision, StackState, decide } from "./decide";
import { DefaultRetryPolicy, RetryPolicy, realSleep } from "./retry";
import { SUFFIX_PATH, finalSnapshotsFromOutputs, latestTeardownRecord, setRestore, teardownSuffix } from "./snapshots";
import {
    Observed, OpenOptions, PendingOperation, Probe, ReconcileError, StackContext, clearPendingOperations, errorSummary, openStack, probe, readState, retryTransient, runLocked,
} from "./stackOps";

export const Action = {
    None: "none",
    SpinUp: "spin-up",
    Teardown: "teardown",
} as const;
export type Action = (typeof Action)[keyof typeof Action];

/** Refused before anything runs: the stack is not the scheduler's to touch. */
export class RefusedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RefusedError";
    }
}

export interface ReconcileOptions extends OpenOptions {
    readonly schedule: ScheduleConfig;
    /** `intergalactic:environment`; prod is refused even if someone marks it schedulable. */
    readonly environment: string;
    readonly now: Date;
    readonly dryRun: boolean;
    readonly log: (line: string) => void;
    /** @default DefaultRetryPolicy */
    readonly retry?: RetryPolicy;
    /** A lock older than this is taken to be left by a crashed run. @default 120 */
    readonly staleLockMinutes?: number;
    /** @default setTimeout */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The real clock, for lock ages; `now` is only the instant the schedule is decided for. @default () => new Date() */
    readonly clock?: () => Date;
}

export interface ReconcileResult {
    readonly decision: Decision;
    readonly observed: Observed;
    readonly action: Action;
    /** Final snapshots taken by a teardown, or restored by a spin-up, per data component. */
    readonly snapshots: Readonly<Record<string, string>>;
}

export const DEFAULT_STALE_LOCK_MINUTES = 120;

export function assertSchedulable(stackName: string, environment: string, schedule: ScheduleConfig): void {
    if (environment === "prod") {
        throw new RefusedError(`refusing stack ${stackName}: its environment is prod, which the scheduler never touches`);
    }
    if (!schedule.schedulable) {
        throw new RefusedError(`refusing stack ${stackName}: intergalactic:schedule.schedulable is not true in its config`);
    }
}

/** What to do to get from `observed` to `desired`. */
export function actionFor(desired: StackState, observed: Observed): Action {
    if (desired === StackState.Up) return observed === Observed.Up ? Action.None : Action.SpinUp;
    return observed === Observed.Down ? Action.None : Action.Teardown;
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
    const { log } = options;
    assertSchedulable(options.stackName, options.environment, options.schedule);
    const decision = decide(options.now, options.schedule);
    log(`stack ${options.stackName}: at ${decision.local} it should be ${decision.desired}: ${decision.reason}`);
    if (options.dryRun) return dryRun(options, decision);

    const waits = { log, sleep: options.sleep ?? realSleep, retry: options.retry ?? DefaultRetryPolicy };
    const stack = await retryTransient("selecting the stack", () => openStack(options), waits);
    const ctx: StackContext = {
        ...waits, stack,
        clock: options.clock ?? (() => new Date()),
        staleLockMinutes: options.staleLockMinutes ?? DEFAULT_STALE_LOCK_MINUTES,
    };
    const before = await retryTransient("reading the stack state", () => probe(stack), waits);
    log(`stack ${options.stackName}: it is ${before.observed} (${before.resources.length} resources` +
        `${before.pending.length ? `, ${before.pending.length} pending operations` : ""})`);
    const action = actionFor(decision.desired, before.observed);
    if (action === Action.None) {
        log(`nothing to do: the stack is already ${before.observed}`);
        return { decision, observed: before.observed, action, snapshots: {} };
    }
    const snapshots = action === Action.SpinUp ? await spinUp(ctx, options, before) : await tearDown(ctx, options, before);
    return { decision, observed: before.observed, action, snapshots };
}

async function dryRun(options: ReconcileOptions, decision: Decision): Promise<ReconcileResult> {
    let observed: Observed = Observed.Unknown;
    try {
        observed = (await probe(await openStack(options))).observed;
        options.log(`dry run: the stack is ${observed}`);
    } catch (err) {
        options.log(`dry run: state not probed (${errorSummary(err).split("\n")[0]}); assuming it is not yet ${decision.desired}`);
    }
    const action = actionFor(decision.desired, observed);
    const verb = action === Action.SpinUp ? "spin up (pulumi up)" : action === Action.Teardown ? "tear down (pulumi destroy)" : "do nothing";
    options.log(`dry run: would ${verb}${observed === Observed.Unknown && action !== Action.None ? ` unless the stack is already ${decision.desired}` : ""}`);
    return { decision, observed, action, snapshots: {} };
}

function streamTo(log: (line: string) => void): (out: string) => void {
    return (out) => out.split("\n").filter((l) => l.trim() !== "").forEach((l) => log(`  | ${l}`));
}

/** The pending operations of `before` for the first attempt only: a retry must look again. */
function firstAttemptPending(before: Probe): () => readonly PendingOperation[] | undefined {
    let known: readonly PendingOperation[] | undefined = before.pending;
    return () => {
        const once = known;
        known = undefined;
        return once;
    };
}

async function spinUp(ctx: StackContext, options: ReconcileOptions, before: Probe): Promise<Record<string, string>> {
    const restore = latestTeardownRecord(before.history);
    for (const [name, id] of Object.entries(restore)) ctx.log(`spin-up: ${name} restores from snapshot ${id}`);
    if (Object.keys(restore).length > 0) await setRestore(ctx.stack, restore);
    else ctx.log("spin-up: no teardown snapshots recorded; data stores start as their config says");
    const pending = firstAttemptPending(before);
    await runLocked(ctx, "spin-up", async () => {
        await clearPendingOperations(ctx, pending());
        return ctx.stack.up({ message: `scheduler: spin-up at ${options.now.toISOString()}`, onOutput: streamTo(ctx.log) });
    });
    const after = await readState(ctx.stack);
    if (after.pending.length > 0) {
        throw new ReconcileError(`spin-up finished but left ${after.pending.length} pending operation(s)`);
    }
    ctx.log(`spin-up: done, ${after.resources.length} resources`);
    return restore;
}

/** Makes the data stores' final snapshot names unique to this teardown, records them, then destroys. */
async function tearDown(ctx: StackContext, options: ReconcileOptions, before: Probe): Promise<Record<string, string>> {
    const suffix = teardownSuffix(options.now);
    ctx.log(`teardown: final snapshot suffix ${suffix}; applying it so the deletions take uniquely named snapshots`);
    await ctx.stack.setConfig(SUFFIX_PATH, { value: suffix }, true);
    const pending = firstAttemptPending(before);
    const applied = await runLocked(ctx, "teardown (applying the snapshot suffix)", async () => {
        await clearPendingOperations(ctx, pending());
        return ctx.stack.up({ message: `scheduler: final snapshot suffix ${suffix}`, onOutput: streamTo(ctx.log) });
    });
    const snapshots = finalSnapshotsFromOutputs(applied.outputs);
    for (const [name, id] of Object.entries(snapshots)) ctx.log(`teardown: ${name} takes final snapshot ${id}`);
    if (Object.keys(snapshots).length === 0) ctx.log("teardown: the stack reports no data stores with final snapshots");
    // Recorded before the destroy so the destroy's history entry carries it to the next spin-up.
    await setRestore(ctx.stack, snapshots);

    let failure = "";
    try {
        await runLocked(ctx, "teardown", () => ctx.stack.destroy({ message: `scheduler: teardown at ${options.now.toISOString()}`, onOutput: streamTo(ctx.log) }));
    } catch (err) {
        failure = (err as Error).message;
    }
    return verifyEmpty(ctx, failure, snapshots);
}

async function verifyEmpty(ctx: StackContext, failure: string, snapshots: Record<string, string>): Promise<Record<string, string>> {
    const after = await readState(ctx.stack);
    if (after.resources.length === 0 && failure === "") {
        ctx.log("teardown: done, the stack holds no resources");
        return snapshots;
    }
    const remaining = after.resources.map((urn) => `\n    ${urn}`).join("");
    throw new ReconcileError(`${failure || "teardown finished"}\n  the stack still holds ${after.resources.length} resource(s):${remaining || " none"}`);
}
