/**
 * The reconciler: decide from the schedule whether the stack should be up or
 * down, look at what it holds, and run `up` or `destroy` only when the two
 * differ. A second run right after the first finds nothing to do.
 *
 * Every run holds the stack's lease (lease.ts) from its first look to its
 * last record write, clears what an interrupted run left (pending operations,
 * a provably stale lock), and brings the restore record (record.ts, in the
 * backend) in line with the state before it decides anything (settle.ts).
 */
import { LocalWorkspace, UpdateSummary } from "@pulumi/pulumi/automation";
import { ScheduleConfig, Teardown } from "../stacks/config/schedule";
import { Bounds, DEFAULT_BACKUP_WAIT_MINUTES, DEFAULT_SNAPSHOT_WAIT_MINUTES, DEFAULT_GRACE_MINUTES, DEFAULT_JOB_MINUTES, DEFAULT_OPERATION_MINUTES, DEFAULT_READ_MINUTES, DEFAULT_RUN_MINUTES, DEFAULT_SIGNAL_GRACE_MS, boundedRead, stoppableSleep } from "./bounds";
import { boundedStackRead, whoAmI } from "./cliRead";
import { StackWrites, boundedWrite, cliWrites } from "./cliWrite";
import { REQUEST_MS, StrictTags, cloudTagsFor } from "./cloudTags";
import { FlowContext, POOL_CHANGES_FIRST, POOL_CHANGES_WHILE_STOPPED, PoolChangesFirst, UpMode, UpPurpose, dataFlowContext, modeLabel, spinUp, tearDown } from "./dataFlow";
import { Decision, StackState as Desired, decide } from "./decide";
import { LeaseAttempt, LeaseError, StackLease } from "./lease";
import { NEW_OR_MOVED_LOST, Records, Restore, StoreRecord, StoreState, readRecordTags, writeRecords, writeSeen, NEW_RECORD, describeRecord } from "./record";
import { DefaultRetryPolicy, RetryPolicy, realSleep } from "./retry";
import { LiveStore, SCHEDULER_MESSAGE, settle } from "./settle";
import { operationsLeft } from "./operationCli";
import { SnapshotInventory, describeKept, describeOtherOwner, newestReal, otherOwnersStopping } from "./inventory";
import { latestTeardownRecord } from "./snapshots";
import { Observed, Probe, describeEntry, historySince, numberingOf, observedOf, observedVersion, readHistory, readState } from "./state";
import { OpenOptions, ReconcileError, StackContext, clearPendingOperations, errorSummary, openStack, qualifiedName, retryTransient, runLocked, verifyLease } from "./stackOps";

export const Action = {
    None: "none",
    SpinUp: "spin-up",
    Teardown: "teardown",
    /** `teardown: hibernate`: an `up` of the hibernated plan instead of a destroy. */
    Hibernate: "hibernate",
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
    /** A lock or lease from another host older than this is taken to be left by a crashed run. @default 120 */
    readonly staleLockMinutes?: number;
    /** @default setTimeout */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The real clock, for lock ages and time limits; `now` is only the instant the schedule is decided for. @default () => new Date() */
    readonly clock?: () => Date;
    /** Data stores a teardown may delete without a final snapshot (`intergalactic:snapshots.dropDataOnTeardown`). @default [] */
    readonly dropDataOnTeardown?: readonly string[];
    /** A person's choice of what the next spin-up restores, per store (a snapshot id, or "" to start it empty): written into the record. @default {} */
    readonly restore?: Readonly<Record<string, Restore>>;
    /** The data stores the stack config declares now (`mongo.name`, `redis.name`, `kafka.name` of the enabled ones; stackSchedule.ts). */
    readonly dataStores: readonly string[];
    /**
     * Time limits in ms. @default 60 min per operation, 5 min per read, 5 min grace, 80 min per run and 90 per job from its start, 5 s after a
     * stop signal, 15 min for a store's continuous backup to catch up before its deletion, 20 min for a final snapshot
     * still being created before a spin-up restores it
     */
    readonly limits?: {
        readonly operationMs?: number; readonly readMs?: number; readonly graceMs?: number; readonly runMs?: number; readonly jobMs?: number; readonly signalGraceMs?: number;
        readonly backupWaitMs?: number; readonly snapshotWaitMs?: number;
    };
    /** When the CI job started (`--job-started-at`): its timeout, not this process, is what kills the run. @default the reconciler's start */
    readonly jobStartedAt?: Date;
    /** Aborted on SIGINT/SIGTERM (reason: the signal's name or a StopReason): the running operation is interrupted, nothing new starts, the lease is released. */
    readonly stop?: AbortSignal;
    /** Aborted on a second signal: the kill is near, so the run stops waiting for its interrupted operation. */
    readonly hurry?: AbortSignal;
    /** How long a new lease must stand before the run trusts it. @default 3000 */
    readonly leaseSettleMs?: number;
    /**
     * This machine's clock, which stamps the locks its CLI takes (lease.ts LeaseContext.machineClock): only a test whose fake CLI
     * keeps the fake cloud's time sets it. @default () => new Date()
     */
    readonly machineClock?: () => Date;
    /** The cloud's inventory of kept snapshots (inventory.ts): what a spin-up falls back on when the record cannot say. @default none */
    readonly inventory?: SnapshotInventory;
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

/**
 * What to do to get from `observed` to `desired`. With `teardown: hibernate` a stack goes down by an `up`
 * of the hibernated plan and is `hibernated` when the last change, a success, was that `up`; a stack with
 * nothing in it stays down (hibernation never builds a stack from nothing), and a partial one (a failed
 * hibernate or wake-up) is hibernated again.
 */
export function actionFor(desired: Desired, observed: Observed, teardown: Teardown = Teardown.Destroy, hibernated = false): Action {
    if (desired === Desired.Up) return observed === Observed.Up && !hibernated ? Action.None : Action.SpinUp;
    if (observed === Observed.Down) return Action.None;
    if (teardown !== Teardown.Hibernate) return Action.Teardown;
    return observed === Observed.Up && hibernated ? Action.None : Action.Hibernate;
}

/** The message of the scheduler's hibernating `up` (dataFlow.ts labels it so). */
const HIBERNATE_MESSAGE = `${SCHEDULER_MESSAGE} hibernate at `;

/** Whether the stack's last change was the scheduler's hibernating `up` and succeeded: the stack sleeps. */
export function isHibernated(probe: Pick<Probe, "observed" | "lastChange">): boolean {
    return probe.observed === Observed.Up && (probe.lastChange?.message ?? "").startsWith(HIBERNATE_MESSAGE);
}

const describeObserved = (probe: Pick<Probe, "observed" | "lastChange">) => (isHibernated(probe) ? "hibernated" : probe.observed);

/** The message of the scheduler's waking `up`. */
const WAKE_MESSAGE = `${SCHEDULER_MESSAGE} wake-up at `;

/**
 * Whether the stack's node groups may be at zero, so its next `up` must run in waking mode (a running-mode
 * `up` would raise their minimum over a desired 0, which EKS refuses): its last change was the scheduler's
 * hibernate, whatever its result, or a wake-up that did not succeed, or its state still holds what a
 * hibernate left (a protected resource, every node group at 0) whoever changed it last: a person's failed
 * `up` or `destroy` of a hibernated stack leaves both. Whatever `teardown` says now.
 */
export function needsWaking(probe: Pick<Probe, "lastChange" | "asleep">): boolean {
    const message = probe.lastChange?.message ?? "";
    return message.startsWith(HIBERNATE_MESSAGE) || (message.startsWith(WAKE_MESSAGE) && probe.lastChange?.result !== "succeeded") ||
        (probe.asleep ?? []).length > 0;
}

function boundsOf(options: ReconcileOptions, clock: () => Date): Bounds {
    const l = options.limits ?? {};
    const min = 60_000;
    // Counted from the job's start: the runner's checkout and installs already used some of its timeout.
    const start = (options.jobStartedAt ?? clock()).getTime();
    return {
        operationMs: l.operationMs ?? DEFAULT_OPERATION_MINUTES * min,
        readMs: l.readMs ?? DEFAULT_READ_MINUTES * min,
        graceMs: l.graceMs ?? DEFAULT_GRACE_MINUTES * min,
        deadline: start + (l.runMs ?? DEFAULT_RUN_MINUTES * min),
        jobEnd: start + (l.jobMs ?? DEFAULT_JOB_MINUTES * min) - min,
        signalGraceMs: l.signalGraceMs ?? DEFAULT_SIGNAL_GRACE_MS,
        backupWaitMs: l.backupWaitMs ?? DEFAULT_BACKUP_WAIT_MINUTES * min,
        snapshotWaitMs: l.snapshotWaitMs ?? DEFAULT_SNAPSHOT_WAIT_MINUTES * min,
    };
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
    const { log } = options;
    assertSchedulable(options.stackName, options.environment, options.schedule);
    const decision = decide(options.now, options.schedule);
    log(`stack ${options.stackName}: at ${decision.local} it should be ${decision.desired}: ${decision.reason}`);
    const clock = options.clock ?? (() => new Date());
    const bounds = boundsOf(options, clock);
    const { stop, hurry } = options;
    if (options.dryRun) return dryRun(options, decision, { bounds, clock, log, stop });

    const waits = { log, sleep: stoppableSleep(options.sleep ?? realSleep, stop), retry: options.retry ?? DefaultRetryPolicy };
    const stack = await retryTransient("selecting the stack", () => boundedRead({ bounds, clock, log, stop }, "selecting the stack", (step) => openStack(options, step)), waits);
    const unreached = new Set<Promise<unknown>>();
    const unnamed = { ...waits, stack, clock, bounds, stop, hurry, unreached, staleLockMinutes: options.staleLockMinutes ?? DEFAULT_STALE_LOCK_MINUTES };
    // What the stack's snapshots are armed and tagged for: two projects' or organisations' `dev` in one account are two owners.
    const owner = await retryTransient("reading the stack's qualified name", () => boundedRead(unnamed, "reading the stack's qualified name", (step) => qualifiedName(stack, step)), waits);
    const ctx: StackContext = { ...unnamed, owner };
    log(`stack ${options.stackName}: its snapshots are armed and tagged for ${owner}`);
    if (options.inventory?.forOwner) options = { ...options, inventory: options.inventory.forOwner(owner) };
    const leaseCtx = { ...ctx, settleMs: options.leaseSettleMs ?? 3000, machineClock: options.machineClock };
    // Pulumi Cloud's tag API, or none on a self-managed backend (cloudTags.ts): the lease is strict only there.
    const backend = await retryTransient("reading the backend's URL", () => boundedRead(ctx, "reading the backend's URL", (step) => whoAmI(stack.workspace as LocalWorkspace, step)), waits);
    const cloud = cloudTagsFor(stack, backend, owner, { ...waits, requestMs: Math.min(REQUEST_MS, Math.floor(bounds.readMs / 2)) });
    if (cloud) log(`lease: on Pulumi Cloud (${cloud.api}): taken with AddStackTag, which refuses a lease that exists`);
    /** A bounded step with the lease's tag writes: the CLI's, and Pulumi Cloud's API stopped with the step. */
    const leaseStep = <T>(label: string, run: (tags: StackWrites, strict?: StrictTags) => Promise<T>, afterStop = false) =>
        boundedRead(ctx, label, (step) => run(cliWrites(stack, step), cloud?.within(step)), afterStop);
    const attempt: LeaseAttempt = {};
    const lease = await leaseStep("taking the stack's lease", (tags, strict) => StackLease.acquire(leaseCtx, tags, attempt, strict)).catch(async (err) => {
        // A lease write that landed before its step gave up would hold the stack until it went stale.
        await leaseStep("withdrawing the lease", (tags, strict) => StackLease.withdraw(leaseCtx, attempt, tags, strict), true)
            .then((withdrawn) => withdrawn && log("lease: this run's lease had landed before the run gave up on it; withdrawn"))
            .catch((e) => log(`lease: not withdrawn (${errorSummary(e).split("\n")[0]}); if it landed it goes stale once this process ends`));
        throw err;
    });
    let lockLeft = false;
    try {
        return await reconcileLeased(ctx, options, decision, lease);
    } catch (err) {
        // A failed run may leave a lock behind (its CLI killed, by the runner or by the run once it did not stop
        // when told to): a later run may age that lock out, never one taken after this run ended (lease.ts LOST_TAG).
        // Another run's lease means we did nothing. An operation's CLI still there after its SIGKILL may still use its
        // lock: the run is then not listed as lost, so no later run cancels that lock by age (bounds.ts `killed`).
        // So is one the run gave up on with none of its processes in reach, while it has not ended (bounds.ts `unreached`).
        lockLeft = !(err instanceof LeaseError) && operationsLeft((stack.workspace as LocalWorkspace).pulumiCommand).length === 0 && unreached.size === 0;
        throw err;
    } finally {
        // Also after a stop signal: the next run must not wait for a lease nobody holds.
        await leaseStep("releasing the lease", (tags, strict) => lease.release(tags, lockLeft, strict), true)
            .then(() => stop?.aborted && log("lease: released"))
            .catch((err) => log(`lease: not released (${errorSummary(err).split("\n")[0]}); it goes stale once this process ends`));
    }
}

async function look(ctx: StackContext): Promise<Probe> {
    // The history first: the state read after it reflects at least its newest finished update.
    const history = await boundedStackRead(ctx, "reading the stack history", (reads) => readHistory(reads, 20));
    const state = await boundedStackRead(ctx, "reading the stack state", (reads) => readState(reads));
    const lastChange = history.find((h) => h.kind === "update" || h.kind === "destroy");
    return { ...state, observed: observedOf(state, lastChange), lastChange, history };
}

async function reconcileLeased(ctx: StackContext, options: ReconcileOptions, decision: Decision, lease: StackLease): Promise<ReconcileResult> {
    let before = await retryTransient("reading the stack state", () => look(ctx), ctx);
    ctx.log(`stack ${options.stackName}: it is ${describeObserved(before)} (${before.resources.length} resources` +
        `${before.pending.length ? `, ${before.pending.length} pending operations` : ""})`);
    const teardown = options.schedule.teardown ?? Teardown.Destroy;
    const action = actionFor(decision.desired, before.observed, teardown, isHibernated(before));
    if (action !== Action.None && before.pending.length > 0) {
        // Cleared first, so the decision below sees what the interrupted run really left (a refresh drops what is gone).
        let known: typeof before.pending | undefined = before.pending;
        await verifyLease(ctx, lease);
        await runLocked(ctx, "recovery", () => {
            const once = known;
            known = undefined;
            return clearPendingOperations(ctx, once);
        });
        before = await look(ctx);
        ctx.log(`stack ${options.stackName}: after recovery it is ${before.observed} (${before.resources.length} resources)`);
    }
    const records = await settledRecords(ctx, options, before, lease);
    if (action === Action.None) {
        ctx.log(`nothing to do: the stack is already ${describeObserved(before)}`);
        return { decision, observed: before.observed, action, snapshots: {} };
    }
    const flow = dataFlowContext(ctx, options, lease);
    // Waking only where the node groups may be at zero: elsewhere (a daytime recovery) a waking up would
    // reset the autoscaler's counts to the plan's.
    const wakeMode = needsWaking(before) ? UpMode.Waking : undefined;
    if (action === Action.SpinUp) {
        const snapshots = wakeMode === UpMode.Waking ? await wakeUp(flow, before, records) : await spinUp(flow, before, records, wakeMode);
        return { decision, observed: before.observed, action, snapshots };
    }
    if (action === Action.Hibernate) return { decision, observed: before.observed, action, snapshots: await hibernate(flow, before, records, wakeMode) };
    if (wakeMode === undefined) return { decision, observed: before.observed, action, snapshots: await tearDown(flow, before, records) };
    // A destroy never starts from a hibernated stack: without nodes and NAT the load balancer controller cannot
    // remove the Ingress finalizer, so the destroy would hang on it and leave the ALB (kubernetes-sigs/aws-load-balancer-controller#1629).
    ctx.log("teardown: the stack is hibernated (or its wake-up failed): waking it first, so the destroy finds the nodes its controllers run on");
    await wakeUp(flow, before, records);
    const woken = await look(ctx);
    const snapshots = await tearDown(flow, woken, await settledRecords(ctx, options, woken, lease));
    return { decision, observed: before.observed, action, snapshots };
}

/**
 * The hibernate `up`; when its preview changes an agent pool's power state together with other inputs (a pool
 * change committed since the last running `up`), nothing is changed and the change goes in two `up`s: first the
 * plan the stack runs now (`wakeMode`: waking when its node groups may be at zero), which applies the other inputs
 * while the pools run, then the hibernate, whose update of each pool is then its stop alone. Both are previewed
 * like every spin-up (no live data store ended, no final snapshot turned off), and the first is no hibernate in the
 * history: if the second fails, the next run hibernates again.
 */
function hibernate(flow: FlowContext, before: Probe, records: Records, wakeMode: UpMode | undefined): Promise<Record<string, string>> {
    return inTwoUpsIfPoolsSplit(flow, before, records, UpMode.Hibernated, { mode: wakeMode, purpose: POOL_CHANGES_FIRST },
        "an up of the running plan, while the pools run, then the hibernate");
}

/**
 * The wake-up `up`; when its preview starts a stopped pool together with other inputs (a pool change committed while
 * the stack slept), nothing is changed and the change goes in two `up`s: first the hibernated plan with that config,
 * which applies the other inputs while the pools stay stopped (AKS upgrades a stopped pool:
 * https://learn.microsoft.com/azure/aks/start-stop-nodepools; a change it refuses on a stopped pool fails that `up`
 * with nothing started, and the stack stays hibernated), then the wake-up, whose update of each pool is then its start
 * alone. The first is a hibernate in the history: if the second fails, the next run wakes the stack again.
 */
function wakeUp(flow: FlowContext, before: Probe, records: Records): Promise<Record<string, string>> {
    return inTwoUpsIfPoolsSplit(flow, before, records, UpMode.Waking, { mode: UpMode.Hibernated, purpose: POOL_CHANGES_WHILE_STOPPED },
        "an up of the hibernated plan, while the pools are stopped, then the wake-up");
}

/** The `up` in `mode`; when its preview would change a pool's power state with other inputs, `first` and then it. */
async function inTwoUpsIfPoolsSplit(flow: FlowContext, before: Probe, records: Records, mode: UpMode,
    first: { readonly mode: UpMode | undefined; readonly purpose: UpPurpose }, how: string): Promise<Record<string, string>> {
    const label = modeLabel(mode);
    try {
        return await spinUp(flow, before, records, mode, undefined, true);
    } catch (err) {
        if (!(err instanceof PoolChangesFirst)) throw err;
        flow.log(`${label}: ${err.message}, which AKS does not document accepting (it takes one operation per pool at a time); nothing was changed. Applying the other inputs first by ${how}`);
    }
    const applied = await spinUp(flow, before, records, first.mode, first.purpose);
    const after = await look(flow);
    const snapshots = await spinUp(flow, after, await settledRecords(flow, flow.options, after, flow.lease), mode);
    return { ...applied, ...snapshots };
}

/**
 * A destroy after the scheduler last recorded the stack may have deleted a store the record has no
 * entry for (tags lost in a stack move, a migration from the record in the destroy's config, a store a
 * person created and destroyed between runs): whoever ran it, that store's data is in a snapshot the
 * record does not know, so its next spin-up must ask instead of starting it empty (F4).
 */
function unrecorded(records: Records, declared: readonly string[], drop: readonly string[], live: ReadonlySet<string>, history: readonly UpdateSummary[], seen: number, log: (line: string) => void): Record<string, StoreRecord> {
    const destroy = history.filter((h) => h.kind === "destroy" && h.version > seen).sort((a, b) => b.version - a.version)[0];
    const out: Record<string, StoreRecord> = {};
    if (!destroy && seen === 0 && Object.keys(records).length === 0) {
        // The scheduler never recorded this stack: a new stack, or one moved while down, which keeps neither tags
        // nor history (pulumi/pulumi#10339). Whatever history it has now says nothing of its stores' data: one
        // `pulumi refresh` after the move, or the entry a Pulumi Cloud import writes, is no sign of a new stack.
        for (const store of declared.filter((s) => !live.has(s) && !drop.includes(s))) {
            log(`record: ${store}: ${NEW_OR_MOVED_LOST}; its next spin-up looks in the cloud's snapshot inventory, or asks`);
            out[store] = { ...NEW_RECORD, lost: NEW_OR_MOVED_LOST };
        }
        return out;
    }
    if (!destroy) return out;
    for (const store of declared.filter((s) => !records[s] && !live.has(s) && !drop.includes(s))) {
        const lost = `destroy ${describeEntry(destroy)} ("${destroy.message ?? ""}") ran after the scheduler last recorded the stack, and the record has no entry for it`;
        log(`record: ${store}: ${lost}; its next spin-up asks`);
        out[store] = { ...NEW_RECORD, lost };
    }
    return out;
}

/**
 * The live stores of a stack the scheduler never recorded: a new stack a person brought up, or one moved
 * (no tags, no history, pulumi/pulumi#10339) that a person brought up again on its new backend, created
 * empty or restored from whatever they chose. Only the second has data elsewhere: the cloud's inventory
 * tells them apart (it keeps snapshots of the store's earlier incarnations), and so does Pulumi Cloud's
 * `import` entry (a self-managed backend's import writes none). Such a store gets a down record naming
 * that data, so settle's lineage check continues the lineage when the store was restored from the newest
 * kept snapshot, and otherwise gives it an unknown lineage: its final snapshot is kept apart, and the next
 * spin-up asks instead of restoring it over the older real data (S5).
 */
async function unrecordedLive(ctx: StackContext, options: ReconcileOptions, stores: readonly LiveStore[], history: readonly UpdateSummary[]): Promise<Record<string, StoreRecord>> {
    const out: Record<string, StoreRecord> = {};
    const imported = history.find((h) => h.kind === "import");
    for (const { name } of stores) {
        const inventory = options.inventory;
        if (inventory) {
            const kept = await boundedRead(ctx, `listing the kept snapshots of ${name}`, () => inventory.list(ctx.stack.name, name));
            // Only an imported stack's: a new stack next to another organisation's stack of the same project and name
            // would otherwise lose its own lineage to that stack's snapshots (a self-managed import writes no entry: Limits).
            const listOthers = imported ? inventory.listOtherOwners?.bind(inventory) : undefined;
            const others = listOthers ? await boundedRead(ctx, `listing the kept snapshots of ${name} tagged for another owner`, () => listOthers(ctx.stack.name, name)) : [];
            if (kept.length === 0 && others.length === 0) continue;
            const verdict = newestReal(kept, "");
            // Its data may be in what the stack kept under its qualified name before a move (inventory/index.ts otherOwnersStopping).
            const stopping = otherOwnersStopping(verdict, kept, others);
            if (verdict.kind === "restore" && stopping.length === 0) {
                const k = verdict.snapshot;
                ctx.log(`record: ${name}: the scheduler has no record of the stack, and the cloud keeps ${k.id} of it (${verdict.why}): its lineage`);
                out[name] = { ...NEW_RECORD, final: k.id, finalFrom: k.from, finalConfig: k.config, finalUntil: k.until };
            } else {
                const lost = `the scheduler has no record of the stack, and the cloud keeps earlier snapshots of it that do not settle which holds its data (${verdict.kind === "ask" ? verdict.why : stopping.length ? "some are tagged for another owner of this project's stack of this name" : "none"}; kept: ${[...kept.map(describeKept), ...stopping.map(describeOtherOwner)].join("; ")})`;
                ctx.log(`record: ${name}: ${lost}`);
                out[name] = { ...NEW_RECORD, lost };
            }
        } else if (imported) {
            const lost = `the stack was imported ${describeEntry(imported)} before the scheduler recorded it (moved from another backend), so its data may be in a snapshot taken there`;
            ctx.log(`record: ${name}: ${lost}`);
            out[name] = { ...NEW_RECORD, lost };
        }
    }
    return out;
}

/**
 * A person's `--restore` choices, written into the record so that they hold until a spin-up uses them
 * (a run outside working hours only records them). A snapshot the record knows brings its restore config.
 */
function chosen(records: Records, options: ReconcileOptions, live: ReadonlySet<string>, log: (line: string) => void): Record<string, StoreRecord> {
    const out: Record<string, StoreRecord> = {};
    for (const [store, choice] of Object.entries(options.restore ?? {})) {
        if (live.has(store)) {
            log(`record: --restore ${store} ignored: ${store} exists, and a live store is never replaced`);
            continue;
        }
        if (!options.dataStores.includes(store)) {
            throw new ReconcileError(`--restore ${store}: the stack config declares no data store ${store} (it declares ${options.dataStores.join(", ") || "none"}); nothing was changed`);
        }
        const r = records[store] ?? NEW_RECORD;
        const known = choice.id === "" ? {} : choice.id === r.final ? r.finalConfig : choice.id === r.foreign ? r.foreignConfig : {};
        // The window of the snapshot replaced is not the chosen one's: a restore outside its own window fails in the cloud.
        const until = choice.id !== "" && choice.id === r.final ? r.finalUntil : "";
        out[store] = { ...r, state: StoreState.Down, final: choice.id, finalFrom: "", finalConfig: { ...known, ...choice.config }, finalUntil: until, foreign: "", foreignConfig: {}, lost: "" };
        log(`record: ${store}: the next spin-up ${choice.id ? `restores ${choice.id}` : "starts it empty"}, as --restore says`);
    }
    return out;
}

/** The record, started from the legacy history record when there is none, then settled against the state and written back. */
async function settledRecords(ctx: StackContext, options: ReconcileOptions, state: Probe, lease: StackLease): Promise<Records> {
    const tags = await boundedStackRead(ctx, "reading the restore record", (reads) => readRecordTags(reads, numberingOf(state.history)));
    const before: Records = tags.records;
    let records: Records = before;
    const live = new Set(state.stores.map((s) => s.name));
    let full: UpdateSummary[] | undefined;
    const fullHistory = async () => full ??= await boundedStackRead(ctx, "reading the whole stack history", (reads) => historySince(reads, tags.seen));
    if (Object.keys(records).length === 0 && tags.seen === 0) {
        // Paged to the start: the legacy record is in the newest destroy's config, however old it is.
        const legacy = latestTeardownRecord(await fullHistory());
        records = Object.fromEntries(Object.entries(legacy).filter(([name]) => !live.has(name)).map(([name, id]) => [name, { ...NEW_RECORD, final: id }]));
        for (const [name, id] of Object.entries(records)) ctx.log(`record: ${name} starts from the last teardown in the stack history: ${id.final}`);
    }
    const declared = options.dataStores;
    if (declared.some((s) => !records[s] && !live.has(s))) {
        records = { ...records, ...unrecorded(records, declared, options.dropDataOnTeardown ?? [], live, await fullHistory(), tags.seen, ctx.log) };
    }
    if (Object.keys(tags.records).length === 0 && tags.seen === 0 && state.stores.some((s) => !records[s.name])) {
        records = { ...records, ...await unrecordedLive(ctx, options, state.stores.filter((s) => !records[s.name]), await fullHistory()) };
    }
    records = { ...records, ...chosen(records, options, live, ctx.log) };
    const current = new Map(state.stores.map((s) => [s.name, s.incarnation]));
    const vanished = Object.entries(records).filter(([name, r]) => (r.state === StoreState.Up && (!current.has(name) || (r.incarnation && r.incarnation !== current.get(name)))) ||
        (r.state === StoreState.Creating && !current.has(name)));
    const history = vanished.length === 0 ? [] :
        await boundedStackRead(ctx, "reading the stack history", (reads) => historySince(reads, Math.min(...vanished.map(([, r]) => r.armedAt))));
    // Each live store is armed with what its state says its deletion takes, whoever ran the last `up`.
    const settled = settle(records, state.stores, history, observedVersion(state.history), ctx.log);
    await boundedWrite(ctx, "writing the restore record", async (writes) => {
        // Checked before the write too: a run whose lease was taken over must not write from its stale view (F5).
        await lease.verify(writes);
        await writeRecords(writes, before, settled, tags.all);
        await writeSeen(writes, observedVersion(state.history), tags.all);
    });
    for (const [name, r] of Object.entries(settled)) ctx.log(`record: ${describeRecord(name, r)}`);
    return settled;
}

async function dryRun(options: ReconcileOptions, decision: Decision, bounds: Parameters<typeof boundedRead>[0]): Promise<ReconcileResult> {
    let observed: Observed = Observed.Unknown;
    let hibernated = false;
    try {
        const stack = await boundedRead(bounds, "selecting the stack", (step) => openStack(options, step));
        const state = await boundedStackRead({ ...bounds, stack }, "reading the stack state", (reads) => readState(reads));
        const history = await boundedStackRead({ ...bounds, stack }, "reading the stack history", (reads) => readHistory(reads, 20));
        const lastChange = history.find((h) => h.kind === "update" || h.kind === "destroy");
        observed = observedOf(state, lastChange);
        hibernated = isHibernated({ observed, lastChange });
        options.log(`dry run: the stack is ${describeObserved({ observed, lastChange })}`);
    } catch (err) {
        options.log(`dry run: state not probed (${errorSummary(err).split("\n")[0]}); assuming it is not yet ${decision.desired}`);
    }
    const action = actionFor(decision.desired, observed, options.schedule.teardown ?? Teardown.Destroy, hibernated);
    const verb = action === Action.SpinUp ? "spin up (pulumi up)" : action === Action.Teardown ? "tear down (pulumi destroy)"
        : action === Action.Hibernate ? "hibernate (pulumi up, intergalactic:schedule.mode hibernated)" : "do nothing";
    options.log(`dry run: would ${verb}${observed === Observed.Unknown && action !== Action.None ? ` unless the stack is already ${decision.desired}` : ""}`);
    return { decision, observed, action, snapshots: {} };
}
