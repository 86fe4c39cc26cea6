/**
 * The stack as the Automation API sees it: opening it, probing its state,
 * and running an operation through locks, stuck pending operations and
 * transient failures, logging every recovery step.
 */
import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Bounds, StepProcesses, TimeoutError, boundedOperation } from "./bounds";
import { boundedStackRead, printedName, whoAmI } from "./cliRead";
import { boundedWrite } from "./cliWrite";
import { OperationHookError, ownOperations } from "./operationCli";
import { LOST_TAG, LeaseError, StackLease, lostRunsOf, lostRunsTag } from "./lease";
import { LockHolder, describeHolder, lockHoldersFromError, lockOfRun, manualUnlock, staleness } from "./locks";
import { RecordError } from "./record";
import { RetryPolicy, backoffMs, isTransient } from "./retry";
import { SCHEDULER_MESSAGE } from "./settle";
import { PendingOperation, readState } from "./state";

export interface StackContext {
    readonly stack: Stack;
    readonly log: (line: string) => void;
    readonly sleep: (ms: number) => Promise<void>;
    readonly retry: RetryPolicy;
    /** The real clock, for lock ages (never the `--now` the run decides for). */
    readonly clock: () => Date;
    readonly staleLockMinutes: number;
    readonly bounds: Bounds;
    /** Aborted on SIGINT/SIGTERM, and on a second one (bounds.ts). */
    readonly stop?: AbortSignal;
    readonly hurry?: AbortSignal;
    /** The operations given up on with none of their processes in reach, until they settle (bounds.ts). */
    readonly unreached?: Set<Promise<unknown>>;
    /**
     * The stack's fully qualified name (`qualifiedName`): what its snapshots are armed and tagged for. Unset
     * where a caller did not resolve it: the stack's own name then stands for it, as in earlier versions.
     */
    readonly owner?: string;
}

export interface OpenOptions {
    readonly stackName: string;
    readonly workDir: string;
    /** A directory with `bin/pulumi`; the CLI on PATH when empty. */
    readonly pulumiRoot: string;
    readonly envVars: Readonly<Record<string, string>>;
}

/** Pulumi itself cannot run here (no CLI, or not logged in): retrying does not help. */
export class PulumiUnavailableError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PulumiUnavailableError";
    }
}

/** Finds the CLI and checks it is logged in, each failure as one sentence instead of `ENOENT: pulumi version`. */
async function pulumiCommand(options: OpenOptions): Promise<PulumiCommand> {
    const where = options.pulumiRoot ? `${options.pulumiRoot}/bin/pulumi` : "`pulumi` on PATH";
    try {
        // Its operations' processes stay in reach, so a hung one is killed before the run exits (operationCli.ts).
        return ownOperations(await PulumiCommand.get(options.pulumiRoot ? { root: options.pulumiRoot } : undefined));
    } catch (err) {
        if (err instanceof OperationHookError) throw new PulumiUnavailableError(err.message);
        const reason = /ENOENT/.test((err as Error).message) ? "it is not installed" : errorSummary(err).split("\n")[0];
        throw new PulumiUnavailableError(`the Pulumi CLI cannot run (${where}: ${reason}); install it (the workflow's pulumi/actions step) or pass --pulumi-root <dir with bin/pulumi>`);
    }
}

/**
 * Selects an existing stack; the scheduler never creates stacks (a missing one means a wrong backend). `step`: the
 * bounded step it runs in, which stops its `whoami` when it gives up (cliRead.ts); unbounded without one.
 */
export async function openStack(options: OpenOptions, step = new StepProcesses()): Promise<Stack> {
    const command = await pulumiCommand(options);
    const workspace = await LocalWorkspace.create({ workDir: options.workDir, pulumiCommand: command, envVars: { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars } });
    try {
        await whoAmI(workspace, step);
    } catch (err) {
        throw new PulumiUnavailableError(`the Pulumi CLI is not logged in to a backend (${errorSummary(err).split("\n")[0]}); set PULUMI_ACCESS_TOKEN or run \`pulumi login\` first`);
    }
    return Stack.select(options.stackName, workspace);
}

/**
 * The stack's fully qualified name, `<organization>/<project>/<stack>`: what `pulumi stack --show-name
 * --fully-qualify-stack-names` prints for it. Pulumi Cloud resolves `--stack dev` in the current project and
 * the user's default organisation and prints that organisation; a self-managed backend has none and prints the
 * fixed `organization` (pulumi/pulumi pkg/backend/diy/backend.go, diyBackendReference.String and
 * Organization). A self-managed backend's stack from before project-scoped stacks prints its name alone: the
 * project is then the working copy's (`name` in Pulumi.yaml), with `organization` as Pulumi writes it.
 */
export async function qualifiedName(stack: Stack, step: StepProcesses): Promise<string> {
    const printed = (await printedName(stack, step)).trim().split("\n").pop()?.trim() ?? "";
    const parts = printed.split("/");
    if (parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_.-]+$/.test(p))) return printed;
    const project = (await (stack.workspace as LocalWorkspace).projectSettings()).name;
    return `organization/${project}/${parts.pop() || stack.name}`;
}

/** Checks, within the read limit, that this run still holds the stack's lease (StackLease `verify`) before a change. */
export function verifyLease(ctx: StackContext, lease: StackLease): Promise<void> {
    return boundedStackRead(ctx, "reading the stack's lease", (reads) => lease.verify(reads));
}

/**
 * Clears operations an interrupted run left pending. A pending create may
 * exist in the cloud without being in the state: `refresh --clear-pending-creates`
 * forgets it, so we name each one for a person to check and import or delete.
 */
export async function clearPendingOperations(ctx: StackContext, known?: readonly PendingOperation[]): Promise<void> {
    // `known` saves a `stack export` when the caller has just read the state.
    const pending = known ?? (await boundedStackRead(ctx, "reading the stack state", (reads) => readState(reads))).pending;
    if (pending.length === 0) return;
    ctx.log(`recovery: ${pending.length} pending operation(s) from an interrupted run:`);
    for (const op of pending) ctx.log(`recovery:   ${op.type} ${op.urn}`);
    ctx.log("recovery: refreshing with --clear-pending-creates to clear them");
    await boundedOperation(ctx, "recovery (pulumi refresh)", (signal) =>
        ctx.stack.refresh({ clearPendingCreates: true, message: `${SCHEDULER_MESSAGE} clear pending operations`, signal }));
    for (const op of pending.filter((p) => p.type === "creating")) {
        ctx.log(`recovery: WARNING ${op.urn} was being created: if it exists in the cloud it is no longer managed; import or delete it`);
    }
    ctx.log("recovery: pending operations cleared");
}

export class ReconcileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ReconcileError";
    }
}

/** The `error:` lines of a failed command, which say why; the full output is already in the log. */
export function errorSummary(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const lines = text.split("\n").map((l) => l.trim().replace(/^stderr:\s*/, "")).filter((l) => /^error:/.test(l));
    if (lines.length > 0) return [...new Set(lines)].slice(0, 8).join("\n  ");
    // A command that never ran (e.g. no CLI installed) has only the spawn error under "stderr:".
    const stderr = /stderr: *(.+)/.exec(text)?.[1];
    return stderr ?? text.split("\n")[0];
}

async function lockHolders(ctx: StackContext, err: Error): Promise<LockHolder[]> {
    const fromError = lockHoldersFromError(err.message);
    if (fromError.length > 0) return fromError;
    // Pulumi Cloud only answers 409; the running update is the newest history entry.
    const [latest] = await boundedStackRead(ctx, "reading the stack history", (reads) => reads.history(1));
    const inProgress = latest?.result === "in-progress";
    // A person's update (a long restore, an AKS create with retries) may run past any age limit: only an
    // update the scheduler started is ever judged by age; the lease we hold says that run is gone.
    return [{ owner: `an update in progress${latest ? ` (${latest.kind} #${latest.version})` : ""}`, host: "", pid: 0, since: inProgress ? latest.startTime : undefined, message: inProgress ? latest.message ?? "" : undefined }];
}

/** Cancels the lock when every holder is provably stale; returns the holders when someone may still hold it. */
async function recoverLock(ctx: StackContext, err: Error): Promise<LockHolder[] | undefined> {
    const holders = await lockHolders(ctx, err);
    const lostRuns = lostRunsOf(await boundedStackRead(ctx, "reading the stack tags", (reads) => reads.listTags()));
    const verdicts = holders.map((h) => ({ h, s: staleness(h, { now: ctx.clock(), staleAfterMinutes: ctx.staleLockMinutes, lostRuns }) }));
    for (const { h, s } of verdicts) ctx.log(`lock: held by ${describeHolder(h)}: ${s.stale ? "stale" : "live"}, ${s.why}`);
    if (verdicts.some((v) => !v.s.stale)) return holders;
    ctx.log("recovery: cancelling the stale lock (pulumi cancel)");
    await boundedWrite(ctx, "pulumi cancel", (writes) => writes.cancel());
    ctx.log("recovery: lock cancelled");
    // The lost runs whose lock this was have nothing left to age out.
    const left = lostRuns.filter((r) => !holders.some((h) => lockOfRun(h, r)));
    if (left.length < lostRuns.length) {
        await boundedWrite(ctx, "writing the stack tags", (tags) => left.length > 0 ? tags.setTag(LOST_TAG, lostRunsTag(left)) : tags.removeTag(LOST_TAG));
    }
    return undefined;
}

/** Failures that carry their own clear message and that another attempt cannot fix. */
function isFinal(err: unknown): boolean {
    return [PulumiUnavailableError, TimeoutError, LeaseError, RecordError, ReconcileError].some((k) => err instanceof k);
}

/** Retries `op` on transient failures only; for reads that take no lock (selecting, exporting the stack). */
export async function retryTransient<T>(label: string, op: () => Promise<T>, ctx: Pick<StackContext, "log" | "sleep" | "retry">): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await op();
        } catch (err) {
            if (isFinal(err)) throw err;
            const message = (err as Error).message;
            if (!isTransient(message) || attempt >= ctx.retry.attempts) {
                throw new ReconcileError(`${label} failed${attempt > 1 ? ` after ${attempt} attempts` : ""}:\n  ${errorSummary(err)}`);
            }
            const wait = backoffMs(ctx.retry, attempt);
            ctx.log(`${label}: attempt ${attempt} failed (${errorSummary(err).split("\n")[0]}); retrying in ${Math.round(wait / 1000)} s`);
            await ctx.sleep(wait);
        }
    }
}

/**
 * Runs one stack operation: a stale lock is cancelled and the operation retried,
 * a live lock and transient failures are waited out with backoff, anything else
 * fails at once with its reason.
 */
export async function runLocked<T>(ctx: StackContext, label: string, op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await op();
        } catch (err) {
            if (isFinal(err)) throw err;
            const error = err as Error;
            const last = attempt >= ctx.retry.attempts;
            if (error instanceof ConcurrentUpdateError) {
                const live = await recoverLock(ctx, error);
                if (!live) {
                    if (last) throw new ReconcileError(`${label}: the stack was still locked after ${attempt} attempts`);
                    continue;
                }
                if (last) throw new ReconcileError(`${label}: the stack is locked by a run that may still be going; not cancelling it. Retry later; ${manualUnlock(ctx.stack.name, live)}`);
            } else if (!isTransient(error.message) || last) {
                throw new ReconcileError(`${label} failed${attempt > 1 ? ` after ${attempt} attempts` : ""}:\n  ${errorSummary(error)}`);
            }
            const wait = backoffMs(ctx.retry, attempt);
            ctx.log(`${label}: attempt ${attempt} failed (${errorSummary(error).split("\n")[0]}); retrying in ${Math.round(wait / 1000)} s`);
            await ctx.sleep(wait);
        }
    }
}
