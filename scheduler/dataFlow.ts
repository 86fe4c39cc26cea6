/**
 * Spin-up and teardown, written so that a run killed at any step leaves a
 * stack and a record the next run resumes from without losing data:
 *
 * - a spin-up restores each store from its lineage's newest final snapshot,
 *   and stops (naming the choice to make) when that snapshot is unknown or
 *   competes with one of unknown lineage;
 * - a teardown runs its snapshot-naming `up` only on a stack that is wholly
 *   up: on a partial stack (an earlier teardown stopped halfway) an `up` would
 *   re-create the stores already deleted, empty;
 * - a teardown refuses to delete a store whose final snapshot it cannot
 *   confirm, unless `intergalactic:snapshots.dropDataOnTeardown` lists it;
 * - the record is written before each step that deletes or creates a store.
 */
import { OutputMap, Stack } from "@pulumi/pulumi/automation";
import { boundedOperation, boundedRead } from "./bounds";
import { StackLease } from "./lease";
import { ConfigEntries, DELETION_TIME, NEW_RECORD, Records, StoreRecord, StoreState, writeRecords } from "./record";
import type { ReconcileOptions } from "./reconciler";
import { SCHEDULER_MESSAGE, settle } from "./settle";
import { RESTORE_PATH, SUFFIX_PATH, finalSnapshotsFromOutputs, restoreConfigsFromOutputs, runSuffix } from "./snapshots";
import { Observed, Probe, StackState, readState } from "./state";
import { ReconcileError, StackContext, runLocked } from "./stackOps";

export interface FlowContext extends StackContext {
    readonly options: ReconcileOptions;
    readonly lease: StackLease;
}

export function dataFlowContext(ctx: StackContext, options: ReconcileOptions, lease: StackLease): FlowContext {
    return { ...ctx, options, lease };
}

function streamTo(log: (line: string) => void): (out: string) => void {
    return (out) => out.split("\n").filter((l) => l.trim() !== "").forEach((l) => log(`  | ${l}`));
}

/** A config path segment: plain when it can be, quoted otherwise (names with dots would split). */
function pathSegment(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** What a spin-up restores a store from: the snapshot ("" starts it empty) and the further config that restore needs. */
export interface Restore {
    readonly id: string;
    readonly config: ConfigEntries;
}

/** Writes the suffix and the restore config into the working copy's config for the next `up`. */
async function configure(ctx: FlowContext, suffix: string, restore: Readonly<Record<string, Restore>>): Promise<void> {
    const stack: Stack = ctx.stack;
    await boundedRead(ctx, "setting the stack config", async () => {
        await stack.setConfig(SUFFIX_PATH, { value: suffix }, true);
        await stack.removeConfig(RESTORE_PATH, true).catch(() => undefined); // nothing to remove in a fresh checkout
        const entries: Record<string, { value: string }> = {};
        for (const [name, r] of Object.entries(restore).filter(([, r]) => r.id !== "")) {
            entries[`${RESTORE_PATH}${pathSegment(name)}`] = { value: r.id };
            for (const [key, value] of Object.entries(r.config)) entries[key] = { value };
        }
        if (Object.keys(entries).length > 0) await stack.setAllConfig(entries, true);
    });
}

async function write(ctx: FlowContext, before: Records, after: Records): Promise<void> {
    await boundedRead(ctx, "writing the restore record", () => writeRecords(ctx.stack, before, after));
}

/** After an `up`: every live store is up, and its deletion takes what the outputs now say. */
function armedAfterUp(records: Records, state: StackState, outputs: OutputMap, version: number, log: (l: string) => void): Record<string, StoreRecord> {
    const finals = finalSnapshotsFromOutputs(outputs);
    const configs = restoreConfigsFromOutputs(outputs);
    const settled = settle(records, state.stores, [], log);
    for (const { name } of state.stores) settled[name] = { ...settled[name], armed: finals[name] ?? "", armedConfig: configs[name] ?? {}, armedAt: version };
    return settled;
}

async function up(ctx: FlowContext, label: string, message: string) {
    await ctx.lease.verify();
    return runLocked(ctx, label, () => boundedOperation(ctx, `${label} (pulumi up)`, (signal) =>
        ctx.stack.up({ message: `${SCHEDULER_MESSAGE} ${message}`, onOutput: streamTo(ctx.log), signal })));
}

/** What a spin-up restores per store not in the stack; throws when a person must choose. */
export function restorePlan(records: Records, live: ReadonlySet<string>, chosen: Readonly<Record<string, string>>, stackName: string, log: (l: string) => void): Record<string, Restore> {
    const plan: Record<string, Restore> = {};
    const problems: string[] = [];
    for (const [store, id] of Object.entries(chosen)) {
        if (live.has(store)) log(`spin-up: --restore ${store} ignored: ${store} exists, and a live store is never replaced`);
        else {
            // A snapshot the record knows brings the config its restore needs; another one only its id.
            const r = records[store];
            const config = r && id === r.final ? r.finalConfig : r && id === r.foreign ? r.foreignConfig : {};
            plan[store] = { id, config };
            log(`spin-up: ${store} ${id ? `restores from snapshot ${id}` : "starts empty"}, as --restore says`);
        }
    }
    for (const [store, r] of Object.entries(records)) {
        if (live.has(store) || store in chosen) continue;
        if (r.lost) problems.push(`${store}: the final snapshot its last deletion took is unknown: ${r.lost}`);
        else if (r.foreign) problems.push(`${store}: ${r.foreign} (from a store created outside the scheduler, lineage unknown) competes with ${r.final || "an empty start"} (the scheduler's lineage)`);
        else if (r.final) {
            plan[store] = { id: r.final, config: r.finalConfig };
            const extra = Object.entries(r.finalConfig).map(([k, v]) => `${k}=${v}`).join(", ");
            log(`spin-up: ${store} restores from snapshot ${r.final}${extra ? ` (with ${extra})` : ""}`);
        }
    }
    if (problems.length > 0) {
        throw new ReconcileError(`spin-up refused, so as not to restore the wrong data; nothing was changed:\n  ${problems.join("\n  ")}\n` +
            `  find the right snapshot, then run: npm run schedule -- --stack ${stackName} --restore <store>=<snapshot id> (or <store>=empty)`);
    }
    return plan;
}

/**
 * A `pulumi destroy` run by a person when the record tracked no live store
 * (the scheduler never saw the stores it deleted): nobody can say what to
 * restore, so the spin-up stops unless `--restore` says.
 */
function checkUntrackedDestroy(ctx: FlowContext, before: Probe, records: Records): void {
    if (ctx.options.restoreChosen || Object.keys(ctx.options.restore ?? {}).length > 0) return;
    const tracked = Math.max(0, ...Object.values(records).map((r) => r.armedAt));
    const outside = before.history.find((h) => h.kind === "destroy" && !(h.message ?? "").startsWith(SCHEDULER_MESSAGE) && h.version > tracked);
    if (!outside || tracked > 0) return;
    const when = outside.startTime instanceof Date ? outside.startTime.toISOString() : String(outside.startTime);
    throw new ReconcileError(`spin-up refused: destroy #${outside.version} at ${when} ("${outside.message ?? ""}") ran outside the scheduler, and the restore record tracked none of the data stores it deleted; nothing was changed.\n` +
        `  Find their final snapshots, then run: npm run schedule -- --stack ${ctx.stack.name} --restore <store>=<snapshot id> (or <store>=empty) for each, or --restore none if it deleted no data store`);
}

export async function spinUp(ctx: FlowContext, before: Probe, records: Records): Promise<Record<string, string>> {
    const live = new Set(before.stores.map((s) => s.name));
    checkUntrackedDestroy(ctx, before, records);
    const plan = restorePlan(records, live, ctx.options.restore ?? {}, ctx.stack.name, ctx.log);
    if (Object.values(plan).every((r) => r.id === "") && Object.keys(records).length === 0) ctx.log("spin-up: no restore record; data stores start as their config says");
    await configure(ctx, runSuffix("up", ctx.options.now), plan);
    // Recorded first: a store created by an `up` that then dies is known to hold the lineage's data.
    // armedAt: the version before this `up`, so that a later run can tell whether an update ran after it.
    const version = before.history[0]?.version ?? 0;
    const creating: Record<string, StoreRecord> = { ...records };
    for (const [store, r] of Object.entries(plan)) {
        creating[store] = {
            ...(records[store] ?? NEW_RECORD), state: StoreState.Creating, from: r.id, final: r.id, finalConfig: r.config,
            foreign: "", foreignConfig: {}, lost: "", armed: "", armedConfig: {}, armedAt: version,
        };
    }
    for (const [store, r] of Object.entries(records)) {
        if (!live.has(store) && !(store in plan)) creating[store] = { ...r, state: StoreState.Creating, from: "", armed: "", armedConfig: {}, armedAt: version };
    }
    await write(ctx, records, creating);
    const result = await up(ctx, "spin-up", `spin-up at ${ctx.options.now.toISOString()}`);
    const after = await boundedRead(ctx, "reading the stack state", () => readState(ctx.stack));
    await write(ctx, creating, armedAfterUp(creating, after, result.outputs, result.summary.version, ctx.log));
    if (after.pending.length > 0) throw new ReconcileError(`spin-up finished but left ${after.pending.length} pending operation(s)`);
    ctx.log(`spin-up: done, ${after.resources.length} resources`);
    return Object.fromEntries(Object.entries(plan).map(([store, r]) => [store, r.id]));
}

/**
 * Whether the snapshot-naming `up` would only update resources in place: the
 * working copy is main's config, which may have changed since the last `up`,
 * and a teardown must never create or replace anything (a replaced store
 * comes back empty, and its snapshot would become the lineage's).
 */
async function onlyUpdates(ctx: FlowContext, suffix: string): Promise<boolean> {
    await configure(ctx, suffix, {});
    const preview = await runLocked(ctx, "teardown (previewing the snapshot suffix)", () => boundedOperation(ctx, "teardown (pulumi preview)", (signal) =>
        ctx.stack.preview({ message: `${SCHEDULER_MESSAGE} final snapshot suffix ${suffix}`, signal })));
    const other = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && op !== "update" && (n ?? 0) > 0);
    if (other.length === 0) return true;
    ctx.log(`teardown: applying the snapshot suffix would also ${other.map(([op, n]) => `${op} ${n}`).join(", ")} resource(s) ` +
        "(the stack config changed since the last `up`), so it is not applied; the deletions take the snapshot names the last `up` set");
    return false;
}

/** The final snapshot each live store's deletion takes, or a refusal naming the stores that would lose data. */
function confirmFinalSnapshots(ctx: FlowContext, state: StackState, finals: Readonly<Record<string, string>>): Record<string, string> {
    const drop = new Set(ctx.options.dropDataOnTeardown ?? []);
    const armed: Record<string, string> = {};
    const refused: string[] = [];
    for (const { name } of state.stores) {
        if (finals[name]) {
            armed[name] = finals[name];
            ctx.log(`teardown: ${name} takes final snapshot ${finals[name]}`);
        } else if (drop.has(name)) {
            armed[name] = "";
            ctx.log(`teardown: ${name} has no final snapshot; its data is dropped, as intergalactic:snapshots.dropDataOnTeardown says`);
        } else refused.push(name);
    }
    if (refused.length > 0) {
        throw new ReconcileError(`teardown refused: ${refused.join(", ")} would be deleted without a final snapshot (the stack's finalSnapshots output names none); nothing was deleted.\n` +
            "  Turn its final snapshot on, or list it in intergalactic:snapshots.dropDataOnTeardown if its data may be dropped");
    }
    return armed;
}

export async function tearDown(ctx: FlowContext, before: Probe, records: Records): Promise<Record<string, string>> {
    let state: StackState = before;
    let current: Records = records;
    let finals: Record<string, string>;
    let configs: Record<string, ConfigEntries> = {};
    let version = before.history[0]?.version ?? 0;
    const live = new Set(before.stores.map((s) => s.name));
    // A crashed destroy leaves no history entry, so "up" in the history is not enough: a store the record
    // holds a snapshot for and the stack lacks was deleted, and an `up` would bring it back.
    const missing = Object.entries(records).filter(([n, r]) => !live.has(n) && (r.final || r.lost || r.foreign)).map(([n]) => n);
    const suffix = runSuffix("td", ctx.options.now);
    if (before.observed === Observed.Up && missing.length === 0 && await onlyUpdates(ctx, suffix)) {
        ctx.log(`teardown: final snapshot suffix ${suffix}; applying it so the deletions take uniquely named snapshots`);
        const applied = await up(ctx, "teardown (applying the snapshot suffix)", `final snapshot suffix ${suffix}`);
        finals = finalSnapshotsFromOutputs(applied.outputs);
        configs = restoreConfigsFromOutputs(applied.outputs);
        version = applied.summary.version;
        state = await boundedRead(ctx, "reading the stack state", () => readState(ctx.stack));
        current = settle(records, state.stores, [], ctx.log);
    } else {
        if (before.observed !== Observed.Up || missing.length > 0) ctx.log(`teardown: the stack is partial (an earlier run stopped halfway${missing.length ? `; ${missing.join(", ")} already deleted` : ""}): ` +
            "destroying without an `up` first, so nothing already deleted is re-created; the deletions take the snapshot names the last `up` set");
        const outputs = await boundedRead(ctx, "reading the stack outputs", () => ctx.stack.outputs());
        const fromOutputs = finalSnapshotsFromOutputs(outputs);
        const configsFromOutputs = restoreConfigsFromOutputs(outputs);
        finals = Object.fromEntries(state.stores.map((s) => [s.name, fromOutputs[s.name] || records[s.name]?.armed || ""]));
        configs = Object.fromEntries(state.stores.map((s) => [s.name, fromOutputs[s.name] ? configsFromOutputs[s.name] ?? {} : records[s.name]?.armedConfig ?? {}]));
    }
    const armed = confirmFinalSnapshots(ctx, state, finals);
    // Written before the destroy; a point-in-time restore goes back to now, just before the deletions.
    const now = ctx.clock().toISOString();
    const deleting: Record<string, StoreRecord> = { ...current };
    for (const [name, id] of Object.entries(armed)) {
        const config = Object.fromEntries(Object.entries(configs[name] ?? {}).map(([k, v]) => [k, v === DELETION_TIME ? now : v]));
        deleting[name] = { ...deleting[name], armed: id, armedConfig: id ? config : {}, armedAt: version };
    }
    await write(ctx, current, deleting);

    let failure = "";
    await ctx.lease.verify();
    try {
        await runLocked(ctx, "teardown", () => boundedOperation(ctx, "teardown (pulumi destroy)", (signal) =>
            ctx.stack.destroy({ message: `${SCHEDULER_MESSAGE} teardown at ${ctx.options.now.toISOString()}`, onOutput: streamTo(ctx.log), signal })));
    } catch (err) {
        failure = (err as Error).message;
    }
    const after = await boundedRead(ctx, "reading the stack state", () => readState(ctx.stack));
    await write(ctx, deleting, settle(deleting, after.stores, [], ctx.log));
    if (after.resources.length === 0 && failure === "") {
        ctx.log("teardown: done, the stack holds no resources");
        return armed;
    }
    const remaining = after.resources.map((urn) => `\n    ${urn}`).join("");
    throw new ReconcileError(`${failure || "teardown finished"}\n  the stack still holds ${after.resources.length} resource(s):${remaining || " none"}\n  the next run resumes the teardown without re-creating anything`);
}
