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
import { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { POWER_STATE_INPUTS } from "../tools/estimate/transition";
import { provenRestorePoints } from "./backupWait";
import { InterruptedError, TimeoutError, boundedOperation, boundedRead, boundedWait, minutes, stoppableSleep } from "./bounds";
import { boundedStackRead } from "./cliRead";
import { boundedWrite } from "./cliWrite";
import { DeletionLog } from "./deletions";
import { StackLease } from "./lease";
import { KeptSnapshot, SnapshotInventory, describeKept, describeOtherOwner, newestFirst, newestReal, otherOwnersStopping, takenAtText } from "./inventory";
import { DataFacts, POINT_IN_TIME_CONFIG, encryptionKeyConfig, factsOf, sameSnapshot } from "./lineage";
import { ConfigEntries, DELETION_TIME, NEW_OR_MOVED_LOST, NEW_RECORD, NONE_KEPT, Records, Restore, UNKNOWN_LINEAGE, StoreRecord, StoreState, TORN_LOST, describeRecord, writeRecords, writeSeen } from "./record";
import type { ReconcileOptions } from "./reconciler";
import { NOTHING_KEPT_LOST, SCHEDULER_MESSAGE, settle } from "./settle";
import { RESTORE_PATH, SUFFIX_PATH, runStamp, runSuffix } from "./snapshots";
import { DATA_RESOURCE_TYPES, Observed, Probe, StackState, historySince, observedVersion, readHistory, readState } from "./state";
import { keepingStackFile, stackFileSuffix } from "./workingCopy";
import { refuseWritersBack, stopWriters } from "./writers";
import { WindowedStore, checkRestoreWindows } from "./restoreWindow";
import { ReconcileError, StackContext, runLocked, verifyLease } from "./stackOps";

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

export type { Restore };

/** The program mode of a hibernating stack's `up`s (`intergalactic:schedule.mode`, stacks/hibernation.ts). */
export const MODE_PATH = "intergalactic:schedule.mode";
export const UpMode = { Hibernated: "hibernated", Waking: "waking" } as const;
export type UpMode = (typeof UpMode)[keyof typeof UpMode];

/** Writes the suffix, the restore config and the program mode (if any) into the working copy's config for the next `up`. */
async function configure(ctx: FlowContext, suffix: string, restore: Readonly<Record<string, Restore>>, mode?: UpMode): Promise<void> {
    await boundedWrite(ctx, "setting the stack config", async (stack) => {
        await stack.setConfig(SUFFIX_PATH, { value: suffix }, true);
        if (mode !== undefined) await stack.setConfig(MODE_PATH, { value: mode }, true);
        await stack.removeConfig(RESTORE_PATH, true).catch(() => undefined); // nothing to remove in a fresh checkout
        const entries: Record<string, { value: string }> = {};
        for (const [name, r] of Object.entries(restore).filter(([, r]) => r.id !== "")) {
            entries[`${RESTORE_PATH}${pathSegment(name)}`] = { value: r.id };
            for (const [key, value] of Object.entries(r.config)) entries[key] = { value };
        }
        if (Object.keys(entries).length > 0) await stack.setAllConfig(entries, true);
    });
}

/**
 * The restore config every live store was created with, read from its state: each `up` must declare a
 * live store as it was created, or the program drops the restore and declares it as a new, empty store
 * (F1). A store whose state does not name its source cannot be declared so; the preview then decides.
 */
function liveRestores(ctx: FlowContext, state: StackState): Record<string, Restore> {
    const out: Record<string, Restore> = {};
    for (const { name, facts } of state.stores) {
        if (facts.restoredFrom === UNKNOWN_LINEAGE) ctx.log(`config: ${name}: its state does not name what it was restored from, so its restore config cannot be kept`);
        else if (facts.restoredFrom !== "") out[name] = { id: facts.restoredFrom, config: facts.creationConfig };
    }
    return out;
}

/** Ops that end a resource's life; on a live data resource they lose its data. */
const ENDS_DATA = ["delete", "replace", "create-replacement", "delete-replaced", "discard", "discard-replaced", "import-replacement"];

/** The store a data resource's step belongs to: its parent component's name. */
const storeOfStep = (parent: string | undefined): string => parent ? parent.slice(parent.lastIndexOf("::") + 2) : "";

/**
 * An update of a resource whose power state is one input beside the others (an AKS agent pool) that changes the
 * power state and other inputs in one request: AKS takes one operation per pool at a time and stops a pool only
 * while it is Running with its last operation Succeeded, so such a request is refused or leaves the pool half
 * changed (`POWER_STATE_INPUTS`, tools/estimate/transition.ts).
 */
export interface PowerSplit {
    readonly urn: string;
    /** The power-state input (`powerState`). */
    readonly input: string;
    /** The other top-level inputs the update changes, sorted. */
    readonly others: readonly string[];
}

/** A property path's top-level key: `powerState.code` -> `powerState`, `tags["a.b"]` -> `tags`, `["a.b"].c` -> `a.b`. */
function topLevelKey(path: string): string {
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path);
    if (quoted) return JSON.parse(`"${quoted[1]}"`) as string;
    return /^[^.[]*/.exec(path)?.[0] ?? path;
}

/**
 * The split an update step asks for, if any. What it changes is read as the engine reports it in the step event
 * (pulumi/pulumi sdk/go/common/apitype/events.go StepEventMetadata): `diffs`, the top-level keys, and `detailedDiff`,
 * the provider's property paths (null when the provider gives none), each path counted by its top-level key.
 */
export function powerSplitOf(m: Pick<StepEventMetadata, "op" | "urn" | "type" | "diffs" | "detailedDiff">): PowerSplit | undefined {
    const rule = POWER_STATE_INPUTS[m.type];
    if (!rule || m.op !== "update") return undefined;
    const keys = new Set([...(m.diffs ?? []), ...Object.keys(m.detailedDiff ?? {}).map(topLevelKey)]);
    if (!keys.has(rule.input)) return undefined;
    const others = [...keys].filter((k) => k !== rule.input).sort();
    return others.length > 0 ? { urn: m.urn, input: rule.input, others } : undefined;
}

const describeSplit = (s: PowerSplit): string => `${s.urn.slice(s.urn.lastIndexOf("::") + 2)} (${s.input} with ${s.others.join(", ")})`;

/**
 * Thrown by a hibernate or a wake-up whose preview changes a pool's power state together with other inputs, before
 * anything changed: the reconciler applies the other inputs first by an `up` in the pools' present power state.
 */
export class PoolChangesFirst extends Error {
    constructor(label: string, readonly splits: readonly PowerSplit[]) {
        super(`the ${label} would change ${splits.map(describeSplit).join(", ")} in one request`);
        this.name = "PoolChangesFirst";
    }
}

/**
 * Previews the `up` and refuses when it would replace or delete a live data resource, or would turn off the
 * final snapshot of a store that holds data: a live one whose state keeps a final snapshot, or one `restoring`
 * names (a lineage snapshot). Applied, the next destroy by anyone would keep nothing; only
 * `intergalactic:snapshots.dropDataOnTeardown` says the store's data may be dropped. Returns the pool updates
 * that change a power state together with other inputs.
 */
async function refuseDataLoss(ctx: FlowContext, label: string, message: string, state: StackState, restoring: ReadonlySet<string>): Promise<PowerSplit[]> {
    const losses: string[] = [];
    const disarmed = new Set<string>();
    const splits: PowerSplit[] = [];
    const drop = new Set(ctx.options.dropDataOnTeardown ?? []);
    const onEvent = (event: EngineEvent) => {
        const m = event.resourcePreEvent?.metadata;
        const split = m && powerSplitOf(m);
        if (split) splits.push(split);
        if (!m || !DATA_RESOURCE_TYPES.includes(m.type)) return;
        if (ENDS_DATA.includes(m.op)) losses.push(`${m.op} ${m.urn}`);
        if (!m.new?.inputs) return;
        const name = storeOfStep(m.new.parent);
        const planned = factsOf(name, [{ urn: m.urn, type: m.type, id: m.new.id, inputs: m.new.inputs }]);
        // Cosmos DB's planned facts hold no restorable id (an output), and Azure refuses to go back from continuous backup anyway.
        if (m.type === "azure-native:cosmosdb:DatabaseAccount" || drop.has(name)) return;
        if (disarms(state, name, planned) || (restoring.has(name) && planned.finalSnapshot === "")) disarmed.add(name);
    };
    await runLocked(ctx, `${label} (preview)`, () => boundedOperation(ctx, `${label} (pulumi preview)`, (signal) =>
        ctx.stack.preview({ message: `${SCHEDULER_MESSAGE} ${message}`, onEvent, signal })));
    if (losses.length > 0) {
        throw new ReconcileError(`${label} refused: the up would end a live data store, losing its data; nothing was changed:\n  ${[...new Set(losses)].join("\n  ")}\n` +
            "  the stack config changed in a way that replaces it; revert that change, or move the data first");
    }
    if (disarmed.size > 0) {
        throw new ReconcileError(`${label} refused: ${[...disarmed].join(", ")} holds data (live or restored now) and the stack config turns its final snapshot off, ` +
            "so the next destroy by anyone would keep nothing; nothing was changed.\n" +
            "  Turn its final snapshot back on, or list it in intergalactic:snapshots.dropDataOnTeardown if its data may be dropped");
    }
    return splits;
}

async function write(ctx: FlowContext, before: Records, after: Records): Promise<void> {
    await boundedWrite(ctx, "writing the restore record", (tags) => writeRecords(tags, before, after));
}

/** After an operation: the record settled against the state it left, each live store armed with what that state says. */
function settledAfter(records: Records, state: StackState, version: number | undefined, log: (l: string) => void): Record<string, StoreRecord> {
    return settle(records, state.stores, [], version, log);
}

/**
 * The state after an operation and the history entry it reflects, read in that order (the state read
 * after the history reflects at least its newest finished entry). The Automation API's summary of an
 * operation carries no version on a self-managed backend, so the entry is keyed from the history itself.
 */
async function lookAfter(ctx: FlowContext): Promise<{ state: StackState; version: number }> {
    const history = await boundedStackRead(ctx, "reading the stack history", (reads) => readHistory(reads, 1));
    const state = await boundedStackRead(ctx, "reading the stack state", (reads) => readState(reads));
    return { state, version: observedVersion(history) };
}

async function up(ctx: FlowContext, label: string, message: string) {
    await verifyLease(ctx, ctx.lease);
    return runLocked(ctx, label, () => boundedOperation(ctx, `${label} (pulumi up)`, (signal) =>
        ctx.stack.up({ message: `${SCHEDULER_MESSAGE} ${message}`, onOutput: streamTo(ctx.log), signal })));
}

/**
 * The snapshots a store whose last snapshot is unknown most likely took, as the scheduler knows them: the name
 * the record last knew (`armed`, kept by settle), its last final snapshot (`final`: the store's data when the blamed
 * update never created it), and the one the blamed update's per-run suffix names
 * (`final snapshot suffix td-...`, or `<spin-up, wake-up, hibernate or pool changes before hibernate> at <time>` for
 * the `up-...` every scheduler `up` arms), and the one the stack file's `finalSnapshotSuffix` names (`stackFile`), which a
 * person's own `up` arms: one slipped in between a teardown's `up` and its destroy re-arms it unseen. Candidates only: the
 * blamed update may have renamed it again, or never applied its suffix.
 */
export function lostCandidates(store: string, r: StoreRecord, stack: string, owner = "", stackFile = ""): { id: string; why: string }[] {
    const out: { id: string; why: string }[] = [];
    if (r.armed && r.armed !== NONE_KEPT) out.push({ id: r.armed, why: "the name the record last knew" });
    // What the lineage last restored from: the newest data when the update blamed never created the store after all.
    if (r.final && !out.some((c) => sameSnapshot(c.id, r.final))) out.push({ id: r.final, why: "the final snapshot the record last restored from" });
    const why = r.lost.split(KEPT_LIST)[0].split(OTHER_OWNERS_LIST)[0];
    const update = /update #(\d+)/.exec(why)?.[1];
    const named = /\b((?:td|up)-\d{8}t\d{4}z(?:-[a-z0-9]+)*)/.exec(why)?.[1];
    const at = /"scheduler: (?:spin-up|wake-up|hibernate|pool changes before hibernate) at (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^"]*)"/.exec(why)?.[1];
    const spunUp = at !== undefined && !Number.isNaN(Date.parse(at)) ? new Date(at) : undefined;
    // A spin-up's message names only its time: its suffix has the stack, or not when an earlier version ran it.
    const suffixes = named !== undefined ? [named] : spunUp !== undefined ? [...new Set([runSuffix("up", spunUp, stack, owner), runSuffix("up", spunUp, stack)]), runStamp("up", spunUp)] : [];
    for (const suffix of suffixes) {
        const id = `${store}-${suffix}`;
        if (!out.some((c) => c.id === id)) out.push({ id, why: `the one ${update ? `update #${update}` : "the update"}'s suffix ${suffix} names` });
    }
    const armedByPerson = `${store}-${stackFile}`;
    if (stackFile && !out.some((c) => sameSnapshot(c.id, armedByPerson))) out.push({ id: armedByPerson, why: `the one the stack file's finalSnapshotSuffix ${stackFile} names, which a person's up arms` });
    return out;
}

function describeCandidates(store: string, r: StoreRecord, stack: string, owner: string, stackFile: string): string {
    const candidates = lostCandidates(store, r, stack, owner, stackFile);
    if (candidates.length === 0) return "";
    return `; candidates to check, not proven (the update may have renamed it, or not applied its suffix): ` +
        candidates.map((c) => `--restore ${store}=${c.id} (${c.why})`).join(", or ");
}

/**
 * When the record's final point lasts only until a time (a Cosmos DB account's continuous backup window after its
 * deletion): said with the question, since a person who answers after it can no longer restore it.
 */
const restorableUntil = (r: StoreRecord): string => (r.final && r.finalUntil ? `; ${r.final} is restorable only until ${r.finalUntil}: choose before then` : "");

/** What a spin-up restores per declared store not in the stack; throws when a person must choose. */
export function restorePlan(records: Records, live: ReadonlySet<string>, declared: ReadonlySet<string>, stackName: string, log: (l: string) => void, owner = "", stackFile = ""): Record<string, Restore> {
    const plan: Record<string, Restore> = {};
    const problems: string[] = [];
    for (const [store, r] of Object.entries(records)) {
        if (live.has(store)) continue;
        // A store turned off or renamed: its record is kept as it is for the day it comes back (F6).
        if (!declared.has(store)) log(`spin-up: ${store} is not declared by the stack config; its record is kept untouched (${describeRecord(store, r)})`);
        else if (r.lost && r.foreign) problems.push(`${store}: ${r.foreign} (from a store created outside the scheduler, lineage unknown) competes with data the record cannot name: ${r.lost}`);
        else if (r.lost) problems.push(`${store}: the final snapshot its last deletion took is unknown: ${r.lost}${describeCandidates(store, r, stackName, owner, stackFile)}`);
        else if (r.foreign) problems.push(`${store}: ${r.foreign} (from a store created outside the scheduler, lineage unknown) competes with ${r.final || "an empty start"} (the scheduler's lineage)${restorableUntil(r)}`);
        else if (r.final) {
            plan[store] = { id: r.final, config: r.finalConfig };
            const extra = Object.entries(r.finalConfig).map(([k, v]) => `${k}=${v}`).join(", ");
            log(`spin-up: ${store} restores from snapshot ${r.final}${extra ? ` (with ${extra})` : ""}`);
        }
    }
    // A declared store without any record next to an undeclared one that holds data: most likely a rename
    // (`mongo.name` changed while the stack was down), and starting it empty would leave that data behind.
    const orphans = Object.entries(records).filter(([s, r]) => !declared.has(s) && !live.has(s) && (r.final || r.lost || r.foreign));
    for (const store of [...declared].filter((s) => !records[s] && !live.has(s))) {
        if (orphans.length === 0) break;
        problems.push(`${store} has no record, while ${orphans.map(([s, r]) => `${s} (no longer declared: ${describeRecord(s, r)})`).join(", ")} holds data; ` +
            `if ${store} is ${orphans.length === 1 ? orphans[0][0] : "one of them"} renamed, run --restore ${store}=${orphans[0][1].final || "<snapshot id>"}, or ${store}=empty if it is a new store`);
    }
    if (problems.length > 0) {
        throw new ReconcileError(`spin-up refused, so as not to restore the wrong data; nothing was changed:\n  ${problems.join("\n  ")}\n` +
            `  find the right snapshot, then run: npm run schedule -- --stack ${stackName} --restore <store>=<snapshot id> (<store>=<restorable account id>@<ISO time> on Azure, or <store>=empty; ` +
            "several separated by spaces; --restore-key <store>=<KMS key ARN> for a snapshot the record does not know)");
    }
    return plan;
}

/** A store's record after the cloud's inventory answered what the record could not say. */
function fromInventory(ctx: FlowContext, store: string, r: StoreRecord, kept: readonly KeptSnapshot[], others: readonly KeptSnapshot[]): StoreRecord {
    const listed = kept.length ? kept.map(describeKept).join("; ") : "none";
    const verdict = newestReal(kept, r.final);
    const stopping = otherOwnersStopping(verdict, kept, others);
    if (stopping.length > 0) {
        ctx.log(`record: ${store}: the cloud keeps snapshots of it tagged for another owner, which are never restored unasked: ${stopping.map(describeOtherOwner).join("; ")} (its own: ${listed})`);
        return withOtherOwners(store, withKeptList(store, r, kept), stopping);
    }
    if (verdict.kind === "restore") {
        const s = verdict.snapshot;
        // The record's own snapshot keeps what the record knows of it: the restore point its teardown proved and the
        // window its state named at the deletion; the cloud's listing knows less (a Cosmos DB instance: neither).
        const own = sameSnapshot(s.id, r.final);
        const finalConfig = own && Object.keys(r.finalConfig).length > 0 ? restorableTime(ctx, store, r.finalConfig, s) : s.config;
        const finalUntil = own && r.finalUntil ? r.finalUntil : s.until;
        ctx.log(`record: ${store}: the cloud's snapshot inventory settles it: ${s.id}, as ${verdict.why}${finalUntil ? `; restorable until ${finalUntil}` : ""} (kept: ${listed})`);
        return { ...r, final: s.id, finalFrom: s.from, finalConfig, finalUntil, foreign: "", foreignConfig: {}, lost: "" };
    }
    if (verdict.kind === "none" && r.lost === NEW_OR_MOVED_LOST) {
        ctx.log(`record: ${store}: the cloud keeps no snapshot of it, so it is new and starts empty`);
        return { ...r, lost: "" };
    }
    ctx.log(`record: ${store}: the cloud's snapshot inventory does not settle it (${verdict.kind === "ask" ? verdict.why : "it keeps none"}); kept: ${listed}`);
    return withKeptList(store, r, kept);
}

/** The record with its refusal's reason naming what a person can answer with: each kept snapshot, newest first, as a --restore value. */
function withKeptList(store: string, r: StoreRecord, kept: readonly KeptSnapshot[]): StoreRecord {
    if (kept.length === 0) return r;
    const shown = newestFirst(kept).slice(0, 3);
    return { ...r, lost: `${r.lost}${KEPT_LIST}${shown.map((k) => `${store}=${restoreValue(k)} (taken ${takenAtText(k)})`).join(", ")}` };
}

/**
 * The record with its refusal's reason naming the snapshots tagged for another owner (`otherOwnersStopping`), each with
 * the owner and the `--restore` (and `--restore-key`) that restores it, since the record of a moved stack knows neither.
 */
function withOtherOwners(store: string, r: StoreRecord, others: readonly KeptSnapshot[]): StoreRecord {
    const answers = newestFirst(others).slice(0, 3).map((k) => {
        const key = k.config[encryptionKeyConfig(store)];
        return `${describeOtherOwner(k)}: --restore ${store}=${restoreValue(k)}${key ? ` --restore-key ${store}=${key}` : ""}`;
    });
    return { ...r, lost: `${r.lost}${OTHER_OWNERS_LIST}${answers.join(", ")}; ` +
        `a stack moved between backends or organisations while down keeps neither its record nor its qualified name, so which of them (if any) is this stack's is for a person to say: restore one explicitly, or ${store}=empty if the stack is new` };
}

/** Where a refusal's reason goes on to list the snapshots tagged for another owner (never read as the blamed update's names). */
const OTHER_OWNERS_LIST = "; the cloud keeps snapshots of it tagged for another owner of this project's stack of this name, newest first: ";

/** Where a refusal's reason goes on to list the kept snapshots (never read as the blamed update's names). */
const KEPT_LIST = "; the cloud keeps, newest first: ";

/** A kept snapshot as `--restore <store>=` takes it: its id, and `@<time>` when its restore goes back to a point in time. */
const restoreValue = (k: KeptSnapshot): string => `${k.id}${k.config[POINT_IN_TIME_CONFIG] ? `@${k.config[POINT_IN_TIME_CONFIG]}` : ""}`;

/**
 * The record checked against the cloud before a spin-up: a store whose last snapshot is unknown is settled
 * from the inventory when it can be, a snapshot the record names must still exist, and one restorable only
 * within a window (Cosmos DB continuous backup) must still be inside it. What fails stops the spin-up.
 */
async function checkedAgainstCloud(ctx: FlowContext, records: Records, live: ReadonlySet<string>, declared: ReadonlySet<string>): Promise<Records> {
    const out: Record<string, StoreRecord> = { ...records };
    const inventory = ctx.options.inventory;
    const now = ctx.clock();
    const pending: { store: string; snapshot: KeptSnapshot }[] = [];
    for (const [store, r] of Object.entries(records)) {
        if (live.has(store) || !declared.has(store)) continue;
        if (r.final && !r.lost && r.finalUntil && now.getTime() > Date.parse(r.finalUntil)) {
            out[store] = { ...r, lost: `its last snapshot ${r.final} was restorable only until ${r.finalUntil}` };
            continue;
        }
        // A half-written record may pair the inventory's snapshot with another's restore config: never settled from it.
        if (!inventory || (!r.lost && !r.final) || r.lost.startsWith(NOTHING_KEPT_LOST) || r.lost === TORN_LOST) continue;
        if (r.foreign && !r.lost) continue;
        const kept = await listKept(ctx, inventory, store, r);
        // Data the record cannot name competes with a snapshot of unknown lineage: never settled from the inventory
        // (its newest may be that very snapshot), but the refusal names what the cloud keeps, so a person can answer.
        if (r.foreign) {
            out[store] = withKeptList(store, r, kept);
            continue;
        }
        // A person's `--restore` of what a moved stack kept under its earlier owner: the record names it, so it is found there too.
        const named = kept.find((k) => sameSnapshot(k.id, r.final)) ??
            (r.lost ? undefined : (await listKept(ctx, inventory, store, r, true)).find((k) => sameSnapshot(k.id, r.final)));
        if (r.lost) out[store] = fromInventory(ctx, store, r, kept, await listKept(ctx, inventory, store, r, true));
        else if (!named) {
            const listed = kept.length ? kept.map(describeKept).join("; ") : "none";
            out[store] = { ...r, lost: `its record restores ${r.final}, which the cloud's snapshot inventory does not hold (kept: ${listed})` };
        } else out[store] = { ...r, finalConfig: restorableTime(ctx, store, r.finalConfig, named) };
        const restoring = out[store].lost ? undefined : [...kept, ...(named ? [named] : [])].find((k) => sameSnapshot(k.id, out[store].final));
        if (restoring?.notReady) pending.push({ store, snapshot: restoring });
    }
    // A snapshot still being created cannot be restored yet: DocumentDB's RestoreDBClusterFromSnapshot answers
    // InvalidDBClusterSnapshotStateFault, and ElastiCache documents restores (CreateReplicationGroup SnapshotName)
    // only of a finished snapshot. The provider does not wait for it either (the DocumentDB cluster's create
    // retries only an IAM propagation error, hashicorp/terraform-provider-aws internal/service/docdb/cluster.go),
    // so the `up` would fail halfway. A deletion ends once its final snapshot is taken (ElastiCache deletes the
    // group "after the final snapshot is taken", DeleteReplicationGroup; the DocumentDB cluster's delete waits
    // while it is `deleting` or `backing-up`), so such a snapshot is one a deletion took moments ago, and a
    // spin-up right after it would otherwise do nothing until the next trigger, hours away: it waits, bounded by
    // `snapshotWaitMs`, and stops with nothing changed when the snapshot fails or the bound runs out.
    const stopped = await awaitPending(ctx, pending);
    if (stopped.length > 0) {
        throw new ReconcileError(`spin-up stopped, so as not to create the stores before their snapshots can be restored; nothing was changed:\n  ${stopped.join("\n  ")}\n` +
            `  a restore from it fails until it is available: the next run retries (or run npm run schedule -- --stack ${ctx.stack.name} once it is)`);
    }
    return out;
}

/**
 * Waits, bounded, for each snapshot a spin-up restores that is not ready yet; returns why each one that did
 * not become ready stops the spin-up (which snapshot, its state, how long it was waited for). Without an
 * inventory that can wait, none is waited for.
 */
async function awaitPending(ctx: FlowContext, pending: readonly { store: string; snapshot: KeptSnapshot }[]): Promise<string[]> {
    const inventory = ctx.options.inventory;
    const stopped: string[] = [];
    for (const { store, snapshot } of pending) {
        if (!inventory?.awaitReady) {
            stopped.push(`${store}: ${snapshot.id} ${snapshot.notReady}`);
            continue;
        }
        const wait = inventory.awaitReady.bind(inventory);
        const started = ctx.clock().getTime();
        let state = snapshot.notReady ?? "";
        const waited = () => minutes(Math.max(0, ctx.clock().getTime() - started));
        ctx.log(`spin-up: ${store}: ${snapshot.id} ${snapshot.notReady}; waiting for it (at most ${minutes(ctx.bounds.snapshotWaitMs)})`);
        try {
            await boundedWait(ctx, `waiting for ${snapshot.id} of ${store} to become available`, (signal) =>
                wait({ stack: ctx.stack.name, store, id: snapshot.id, signal, sleep: stoppableSleep(ctx.sleep, signal), seen: (s) => void (state = s) }), "snapshotWaitMs");
            ctx.log(`spin-up: ${store}: ${snapshot.id} is available after waiting ${waited()}`);
        } catch (err) {
            // A stop signal ends the run as it ends every other step; nothing was changed.
            if (err instanceof InterruptedError) throw err;
            const why = err instanceof TimeoutError ? `was still not available (${state}) when the wait for it ran out` : (err as Error).message.split("\n")[0];
            stopped.push(`${store}: ${snapshot.id} ${why}, after waiting ${waited()}`);
        }
    }
    return stopped;
}

/**
 * The kept snapshots of a store; a listing that fails stops the spin-up before it changes anything: without
 * it the scheduler cannot tell whether the snapshot it would restore still exists, or which one is newest.
 */
async function listKept(ctx: FlowContext, inventory: SnapshotInventory, store: string, r: StoreRecord, otherOwners = false): Promise<readonly KeptSnapshot[]> {
    const others = inventory.listOtherOwners?.bind(inventory);
    if (otherOwners && !others) return [];
    try {
        return await boundedRead(ctx, `listing the kept snapshots of ${store}${otherOwners ? " tagged for another owner" : ""}`,
            () => (otherOwners && others ? others(ctx.stack.name, store) : inventory.list(ctx.stack.name, store)));
    } catch (err) {
        if (err instanceof TimeoutError) throw err;
        throw new ReconcileError(`spin-up stopped, so as not to restore the wrong data; nothing was changed:\n  ${store}: the cloud's snapshot inventory could not be read: ${(err as Error).message.split("\n")[0]}\n` +
            `  fix that access, or choose yourself: npm run schedule -- --stack ${ctx.stack.name} --restore ${store}=${r.final || "<snapshot id>"} ` +
            "(<restorable account id>@<ISO time> on Azure, or empty)");
    }
}

/**
 * The point in time a restore of `kept` goes back to: the record's (the start of the destroy, by the clock of
 * whoever ran it), unless that is later than the latest time the cloud says the snapshot can be restored to
 * (a clock ahead of the cloud's; an account's deletion ends what it can restore): then that latest time.
 */
function restorableTime(ctx: FlowContext, store: string, config: ConfigEntries, kept: KeptSnapshot): ConfigEntries {
    const latest = kept.config[POINT_IN_TIME_CONFIG];
    const wanted = config[POINT_IN_TIME_CONFIG];
    if (latest === undefined || wanted === undefined || Date.parse(wanted) <= Date.parse(latest)) return config;
    ctx.log(`spin-up: ${store}: the record restores ${kept.id} to ${wanted}, later than the latest time the cloud can restore it to, ${latest}; restoring to ${latest}`);
    return { ...config, [POINT_IN_TIME_CONFIG]: latest };
}

/** What an `up` of the spin-up's flow is for, when it is not the mode's own: its label and message. */
export interface UpPurpose {
    readonly label: string;
    /** The history entry's message after `scheduler: `, followed by ` at <time>`. */
    readonly message: string;
}

/** The `up` a hibernate runs first when its preview changes a pool's power state together with other inputs. */
export const POOL_CHANGES_FIRST: UpPurpose = { label: "hibernate (pool changes first)", message: "pool changes before hibernate" };

/**
 * The `up` a wake-up runs first when its preview starts a stopped pool together with other inputs: the hibernated
 * plan with the config committed since, while the pools stay stopped. It is a hibernate in the history (its message
 * is the hibernate's), so that a run after it still finds the stack asleep and wakes it.
 */
export const POOL_CHANGES_WHILE_STOPPED: UpPurpose = { label: "wake-up (pool changes while stopped)", message: "hibernate" };

/**
 * The spin-up: an `up` of the running plan. With `mode` (a stack whose teardown hibernates) the same flow
 * runs the program hibernated (the teardown, labelled `hibernate`) or waking (the spin-up): the same
 * restores of missing stores, the same preview that refuses to end a live data store, the same record.
 * An update that changes an agent pool's power state together with other inputs is never sent: with `splitPools`
 * (a hibernate's or a wake-up's first preview) it throws PoolChangesFirst before it changes anything, any other `up`
 * is refused.
 */
export function spinUp(ctx: FlowContext, before: Probe, records: Records, mode?: UpMode, purpose?: UpPurpose, splitPools = false): Promise<Record<string, string>> {
    return keepingStackFile(ctx.options.workDir, ctx.options.stackName, ctx.log, () => spinUpIn(ctx, before, records, mode, purpose, splitPools));
}

/** The label of an `up` of the spin-up's flow in `mode`. */
export const modeLabel = (mode: UpMode | undefined): string => (mode === UpMode.Hibernated ? "hibernate" : mode === UpMode.Waking ? "wake-up" : "spin-up");

/** For the second of a hibernate's or a wake-up's two `up`s: which plan the first ran, and how a refusal leaves the stack. */
const SECOND_OF_TWO_UPS: Partial<Readonly<Record<UpMode, { readonly firstPlan: string; readonly left: string }>>> = {
    [UpMode.Hibernated]: { firstPlan: "running", left: "the stack runs with the change applied, no pool was stopped" },
    [UpMode.Waking]: { firstPlan: "hibernated", left: "the stack stays hibernated with the change applied, no pool was started" },
};

/**
 * Refuses an `up` that would change a pool's power state together with other inputs, naming each pool, its other
 * inputs and what to do; with `splitPools` (a hibernate's or a wake-up's first preview) hands them to the reconciler instead.
 */
function refusePowerSplits(label: string, mode: UpMode | undefined, splits: readonly PowerSplit[], splitPools: boolean): void {
    if (splits.length === 0) return;
    if (splitPools) throw new PoolChangesFirst(label, splits);
    const pools = splits.map(describeSplit).join(", ");
    const second = mode === undefined ? undefined : SECOND_OF_TWO_UPS[mode];
    if (second) {
        throw new ReconcileError(`${label} refused: after the up of the ${second.firstPlan} plan the ${modeLabel(mode)} still changes ${pools} in one request, ` +
            `which AKS does not document accepting (it takes one operation per pool at a time); ${second.left}.\n` +
            "  Look at what the program gives the pool in each mode: the running and hibernated plans of one config must differ on it in powerState alone");
    }
    throw new ReconcileError(`${label} refused: the up would start a stopped pool and change its other inputs in one request: ${pools}. ` +
        "AKS takes one operation per pool at a time, so the start must be the pool's one change; nothing was changed.\n" +
        `  Revert that change to the pool's config so that the ${label} starts the pool as it was, and commit it again once the stack runs: ` +
        "the next up applies it while the pool runs");
}

async function spinUpIn(ctx: FlowContext, before: Probe, recorded: Records, mode: UpMode | undefined, purpose: UpPurpose | undefined, splitPools: boolean): Promise<Record<string, string>> {
    const label = purpose?.label ?? modeLabel(mode);
    const message = `${purpose?.message ?? label} at ${ctx.options.now.toISOString()}`;
    const live = new Set(before.stores.map((s) => s.name));
    const declared = new Set(ctx.options.dataStores);
    const records = await checkedAgainstCloud(ctx, recorded, live, declared);
    const plan = restorePlan(records, live, declared, ctx.stack.name, ctx.log, ctx.owner, stackFileSuffix(ctx.options.workDir, ctx.stack.name) ?? "");
    if (Object.values(plan).every((r) => r.id === "") && Object.keys(records).length === 0) ctx.log("spin-up: no restore record; data stores start as their config says");
    if (mode !== undefined) ctx.log(`${label}: the program runs with ${MODE_PATH} ${mode}`);
    await configure(ctx, runSuffix("up", ctx.options.now, ctx.stack.name, ctx.owner), { ...liveRestores(ctx, before), ...plan }, mode);
    const restoring = new Set(Object.entries(plan).filter(([, r]) => r.id !== "").map(([store]) => store));
    refusePowerSplits(label, mode, await refuseDataLoss(ctx, label, message, before, restoring), splitPools);
    // Recorded first: a store created by an `up` that then dies is known to hold the lineage's data.
    // armedAt: the version before this `up`, so that a later run can tell whether an update ran after it.
    const version = observedVersion(before.history);
    const creating: Record<string, StoreRecord> = { ...records };
    // Every declared store gets a record before it can exist, so a later run knows it existed.
    for (const store of declared) if (!live.has(store) && !creating[store]) creating[store] = NEW_RECORD;
    for (const [store, r] of Object.entries(plan)) {
        creating[store] = {
            ...(records[store] ?? NEW_RECORD), state: StoreState.Creating, from: r.id, final: r.id, finalConfig: r.config,
            foreign: "", foreignConfig: {}, lost: "", armed: "", armedConfig: {}, armedAt: version,
        };
    }
    for (const [store, r] of Object.entries(creating)) {
        if (!live.has(store) && !(store in plan) && declared.has(store)) creating[store] = { ...r, state: StoreState.Creating, from: "", armed: "", armedConfig: {}, armedAt: version };
    }
    await write(ctx, recorded, creating);
    await up(ctx, label, message);
    const { state: after, version: upVersion } = await lookAfter(ctx);
    await write(ctx, creating, settledAfter(creating, after, upVersion, ctx.log));
    await boundedWrite(ctx, "writing the restore record", (tags) => writeSeen(tags, upVersion));
    if (after.pending.length > 0) throw new ReconcileError(`${label} finished but left ${after.pending.length} pending operation(s)`);
    ctx.log(`${label}: done, ${after.resources.length} resources`);
    return Object.fromEntries(Object.entries(plan).map(([store, r]) => [store, r.id]));
}

/**
 * Whether the snapshot-naming `up` would only update resources in place: the
 * working copy is main's config, which may have changed since the last `up`,
 * and a teardown must never create or replace anything (a replaced store
 * comes back empty, and its snapshot would become the lineage's).
 */
async function onlyUpdates(ctx: FlowContext, state: StackState, suffix: string): Promise<boolean> {
    await configure(ctx, suffix, liveRestores(ctx, state));
    const disarmed = new Set<string>();
    const onEvent = (event: EngineEvent) => {
        const m = event.resourcePreEvent?.metadata;
        if (m?.new?.inputs && DATA_RESOURCE_TYPES.includes(m.type)) {
            const name = storeOfStep(m.new.parent);
            if (disarms(state, name, factsOf(name, [{ urn: m.urn, type: m.type, id: m.new.id, inputs: m.new.inputs }]))) disarmed.add(name);
        }
    };
    const preview = await runLocked(ctx, "teardown (previewing the snapshot suffix)", () => boundedOperation(ctx, "teardown (pulumi preview)", (signal) =>
        ctx.stack.preview({ message: `${SCHEDULER_MESSAGE} final snapshot suffix ${suffix}`, onEvent, signal })));
    if (disarmed.size > 0) {
        // Applied, the `up` would leave the live store without a final snapshot even if this teardown then refuses,
        // and the next destroy by anyone would lose its data: the deletion takes the snapshot its state names now.
        ctx.log(`teardown: applying the snapshot suffix would turn off the final snapshot of ${[...disarmed].join(", ")} (the stack config says so now), ` +
            "so it is not applied; the deletions take the snapshot names the last `up` set");
        return false;
    }
    const other = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && op !== "update" && (n ?? 0) > 0);
    if (other.length === 0) return true;
    ctx.log(`teardown: applying the snapshot suffix would also ${other.map(([op, n]) => `${op} ${n}`).join(", ")} resource(s) ` +
        "(the stack config changed since the last `up`), so it is not applied; the deletions take the snapshot names the last `up` set");
    return false;
}

/** Whether a live store whose state names a final snapshot would keep none with the planned inputs. */
function disarms(state: StackState, name: string, planned: DataFacts): boolean {
    const live = state.stores.find((s) => s.name === name);
    const now = live?.facts.finalSnapshot ?? "";
    return now !== "" && now !== UNKNOWN_LINEAGE && planned.finalSnapshot === "";
}

/** The final snapshot each live store's deletion takes (from its state), or a refusal naming the stores that would lose data. */
function confirmFinalSnapshots(ctx: FlowContext, state: StackState, records: Records): Record<string, string> {
    const drop = new Set(ctx.options.dropDataOnTeardown ?? []);
    const armed: Record<string, string> = {};
    const refused: string[] = [];
    for (const { name, facts } of state.stores) {
        const id = records[name]?.armed ?? "";
        if (id !== "" && id !== NONE_KEPT) {
            armed[name] = id;
            ctx.log(`teardown: ${name} takes final snapshot ${id}, as its state says`);
        } else if (drop.has(name)) {
            armed[name] = "";
            ctx.log(`teardown: ${name} has no known final snapshot; its data is dropped, as intergalactic:snapshots.dropDataOnTeardown says`);
        } else refused.push(`${name} (${id === NONE_KEPT ? "its state says its deletion keeps no final snapshot" : `which final snapshot its deletion takes is unknown: ${facts.why}`})`);
    }
    if (refused.length > 0) {
        throw new ReconcileError(`teardown refused: ${refused.join(", ")} would be deleted without a final snapshot; nothing was deleted.\n` +
            "  Turn its final snapshot on, or list it in intergalactic:snapshots.dropDataOnTeardown if its data may be dropped");
    }
    return armed;
}

/**
 * The stores about to be deleted whose deletion keeps them restorable only for a while (a Cosmos DB account's
 * continuous backup: `armedDays` from its state's tier), unless the config says their data may be dropped.
 */
function windowedStores(ctx: FlowContext, armed: Readonly<Record<string, string>>, records: Records): WindowedStore[] {
    const drop = new Set(ctx.options.dropDataOnTeardown ?? []);
    return Object.keys(armed).filter((name) => armed[name] !== "" && !drop.has(name) && (records[name]?.armedDays ?? 0) > 0)
        .map((name) => ({ name, days: records[name].armedDays }));
}

export function tearDown(ctx: FlowContext, before: Probe, records: Records): Promise<Record<string, string>> {
    return keepingStackFile(ctx.options.workDir, ctx.options.stackName, ctx.log, () => tearDownIn(ctx, before, records));
}

/**
 * Confirms what each live store's deletion takes (or refuses), then writes the record the destroy is about to
 * make true; a point-in-time restore goes back to now, just before the deletions.
 */
async function armDeletion(ctx: FlowContext, written: Records, state: StackState, current: Records): Promise<{ armed: Record<string, string>; deleting: Record<string, StoreRecord> }> {
    let armed: Record<string, string>;
    try {
        armed = confirmFinalSnapshots(ctx, state, current);
        for (const line of checkRestoreWindows(windowedStores(ctx, armed, current), ctx.options.schedule, ctx.clock())) ctx.log(line);
    } catch (err) {
        // The snapshot-naming `up` may have run: record what it left before stopping.
        if (current !== written) await write(ctx, written, current);
        throw err;
    }
    const now = ctx.clock().toISOString();
    const deleting: Record<string, StoreRecord> = { ...current };
    for (const name of Object.keys(armed)) {
        const config = Object.fromEntries(Object.entries(current[name].armedConfig).map(([k, v]) => [k, v === DELETION_TIME ? now : v]));
        deleting[name] = { ...current[name], armedConfig: config };
        // Its data may be dropped, as the stack config says: it starts empty, not from an older snapshot.
        if (armed[name] === "") deleting[name] = { ...deleting[name], final: "", finalFrom: "", finalConfig: {}, finalUntil: "" };
    }
    await write(ctx, written, deleting);
    return { armed, deleting };
}

/**
 * After the destroy, each snapshot the record now restores is looked up in the cloud's inventory (when there is
 * one): a deletion whose final snapshot is not there kept nothing the record can name, so the next spin-up asks.
 * Without an inventory the provider's own check stands (a deletion whose final snapshot fails fails itself).
 */
async function confirmTaken(ctx: FlowContext, settled: Record<string, StoreRecord>, armed: Readonly<Record<string, string>>,
    dataTypes: Readonly<Record<string, readonly string[]>>): Promise<Record<string, StoreRecord>> {
    const inventory = ctx.options.inventory;
    const out = { ...settled };
    for (const [store, id] of Object.entries(armed)) {
        const r = out[store];
        if (!id || !r || r.state !== StoreState.Down || r.lost || !sameSnapshot(r.final, id)) continue;
        if (!inventory) {
            ctx.log(`teardown: ${store}: no snapshot inventory to confirm that ${id} exists; the deletion succeeded, which the provider allows only once its final snapshot is taken`);
            continue;
        }
        let why: string;
        try {
            // Looked up as the state it was deleted from says the store was: the working copy's config may no longer declare it.
            const types = dataTypes[store] ?? [];
            const kept = await boundedRead(ctx, `listing the kept snapshots of ${store}`, () => inventory.list(ctx.stack.name, store, types));
            if (kept.some((k) => sameSnapshot(k.id, id))) {
                ctx.log(`teardown: ${store}: its final snapshot ${id} is in the cloud's snapshot inventory`);
                await labelTaken(ctx, inventory, store, id, r.finalFrom, types);
                continue;
            }
            why = `the cloud's snapshot inventory does not hold it (kept: ${kept.length ? kept.map(describeKept).join("; ") : "none"})`;
        } catch (err) {
            why = `the cloud's snapshot inventory could not be read (${(err as Error).message.split("\n")[0]})`;
        }
        // Never settled from the inventory again: its newest snapshot is older than the data this deletion dropped.
        const lost = `${NOTHING_KEPT_LOST} the scheduler can confirm: its deletion was to take ${id}, but ${why}; the data written since ${r.finalFrom ? `its restore from ${r.finalFrom}` : "its creation"} may be gone`;
        ctx.log(`teardown: ${store}: ${lost}`);
        out[store] = { ...r, final: r.finalFrom, lost };
    }
    return out;
}

/** Per store in the states the deletions were armed from, the types of the resources that held its data (a later state's over an earlier). */
function dataTypesOf(...states: readonly StackState[]): Record<string, readonly string[]> {
    const out: Record<string, readonly string[]> = {};
    for (const state of states) {
        for (const s of state.stores) out[s.name] = (s.resources ?? []).map((r) => r.type ?? "");
    }
    return out;
}

/**
 * Writes onto the snapshot a deletion took whose it is and what its store was restored from, where the cloud
 * does not copy that from the store (inventory/aws.ts). A failure is logged, not fatal: the snapshot exists,
 * and the inventory then lists it as found by its name alone, restored only when the record names it.
 */
async function labelTaken(ctx: FlowContext, inventory: SnapshotInventory, store: string, id: string, from: string, dataTypes: readonly string[]): Promise<void> {
    if (!inventory.label) return;
    try {
        await boundedRead(ctx, `tagging the final snapshot of ${store}`, () => inventory.label!(ctx.stack.name, store, id, from, dataTypes));
        ctx.log(`teardown: ${store}: tagged ${id} with the stack, the store and its lineage (${from === UNKNOWN_LINEAGE ? "not known" : from ? `restored from ${from}` : "created empty"})`);
    } catch (err) {
        ctx.log(`teardown: ${store}: could not tag ${id} with the stack, the store and its lineage (${(err as Error).message.split("\n")[0]}); the inventory finds it by its name alone`);
    }
}

/**
 * A protected resource does not stop the destroy the Automation API runs (always `--skip-preview`): Pulumi
 * checks protect as each delete step runs and goes on with the other deletes (pulumi/pulumi#18396, step.go
 * DeleteStep.Apply), so it would delete the data stores and everything else not under the protected resource
 * first, then fail on it. Refused before the destroy: `pulumi up` lifts the hibernated plan's protect (a store's
 * deletionProtection is lifted in the stack config first).
 */
function refuseProtected(state: StackState): void {
    const held = state.protected ?? [];
    if (held.length === 0) return;
    throw new ReconcileError(`teardown refused: the state holds protected resources, and a --skip-preview destroy would delete everything else first and stop at them; nothing was deleted:\n  ` +
        `${held.join("\n  ")}\n  run \`pulumi up\` (it wakes the stack and lifts the hibernated plan's protect; a store's deletionProtection is turned off in the stack config), then the teardown; not \`pulumi state unprotect\`, ` +
        "whose destroy would hang on the Ingress finalizer with no node for the load balancer controller");
}

async function tearDownIn(ctx: FlowContext, before: Probe, records: Records): Promise<Record<string, string>> {
    refuseProtected(before);
    let state: StackState = before;
    let current: Records = records;
    /** The history entry the state the deletions are armed from reflects. */
    let seenAt = observedVersion(before.history);
    const live = new Set(before.stores.map((s) => s.name));
    // A crashed destroy leaves no history entry, so "up" in the history is not enough: a declared store the
    // record holds a snapshot for and the stack lacks was deleted, and an `up` would bring it back. A store the
    // config no longer declares (renamed, turned off) would not come back; its record is kept for the day it does.
    const declared = new Set(ctx.options.dataStores);
    const missing = Object.entries(records).filter(([n, r]) => declared.has(n) && !live.has(n) && (r.final || r.lost || r.foreign)).map(([n]) => n);
    const suffix = runSuffix("td", ctx.options.now, ctx.stack.name, ctx.owner);
    // A stack a destroy left partial with every recorded store still there (it failed on its first deletion) gets the
    // suffix too when its preview only updates: its state may name a final snapshot that already exists (a person's
    // `up` with main's config names `<store>-final` again), which no destroy could take. Not after a failed update:
    // the same `up` would most likely fail again, and the stack would never go down.
    const destroyLeft = before.observed !== Observed.Up && before.lastChange?.kind === "destroy";
    if ((before.observed === Observed.Up || destroyLeft) && missing.length === 0 && await onlyUpdates(ctx, before, suffix)) {
        ctx.log(`teardown: final snapshot suffix ${suffix}; applying it so the deletions take uniquely named snapshots`);
        await up(ctx, "teardown (applying the snapshot suffix)", `final snapshot suffix ${suffix}`);
        const applied = await lookAfter(ctx);
        state = applied.state;
        seenAt = applied.version;
        current = settledAfter(records, state, applied.version, ctx.log);
    } else if (before.observed !== Observed.Up || missing.length > 0) {
        ctx.log(`teardown: the stack is partial (an earlier run stopped halfway${missing.length ? `; ${missing.join(", ")} already deleted` : ""}): ` +
            "destroying without an `up` first, so nothing already deleted is re-created; the deletions take the snapshot names the state holds");
    }
    let { armed, deleting } = await armDeletion(ctx, records, state, current);

    // The destroy's history entry keeps the working copy's config: a restore map left in it would read, once
    // the record's tags are lost, as the record an earlier scheduler kept there (snapshots.ts latestTeardownRecord).
    await boundedWrite(ctx, "setting the stack config", (stack) => stack.removeConfig(RESTORE_PATH, true).catch(() => undefined));
    await verifyLease(ctx, ctx.lease);
    // Pulumi's lock covers one command, not the pair: a person's `up` since the state was read may have renamed or
    // turned off a final snapshot. Looked at again just before the destroy, and armed from that state.
    const fresh = await lookAfter(ctx);
    if (fresh.version !== seenAt) {
        ctx.log("teardown: the stack changed since its state was read (an operation ran in between); arming the deletions from its state again");
        const since = await boundedStackRead(ctx, "reading the stack history", (reads) => historySince(reads, seenAt));
        ({ armed, deleting } = await armDeletion(ctx, deleting, fresh.state, settle(deleting, fresh.state.stores, since, fresh.version, ctx.log)));
        seenAt = fresh.version;
    }
    refuseProtected(fresh.state);
    // A store restored to a point in time keeps only what its backup held at that point: the services that write into
    // it are stopped first, and the wait goes from a moment after they were gone (writers.ts).
    const continuous = Object.keys(armed).filter((store) => armed[store] !== "" && deleting[store]?.armedConfig[POINT_IN_TIME_CONFIG] !== undefined);
    let waitFrom = fresh.state;
    let stoppedWhen: string | undefined;
    if (continuous.length > 0) {
        const stopped = await stopWriters(ctx, fresh.state, seenAt, continuous);
        const since = stopped.since;
        if (since !== undefined) {
            const from: Record<string, StoreRecord> = { ...deleting };
            for (const store of continuous) from[store] = { ...deleting[store], armedConfig: { ...deleting[store].armedConfig, [POINT_IN_TIME_CONFIG]: since.toISOString() } };
            await write(ctx, deleting, from);
            deleting = from;
            stoppedWhen = "the services were stopped";
        }
        waitFrom = stopped.state;
        seenAt = stopped.version;
    }
    // Last before the destroy: each point-in-time restore goes back to what its backup was proved to hold.
    const proven = await provenRestorePoints(ctx, waitFrom, deleting, armed, stoppedWhen);
    if (Object.keys(proven).some((store) => proven[store] !== deleting[store])) {
        await write(ctx, deleting, proven);
        deleting = proven;
    }
    if (continuous.length > 0) await refuseWritersBack(ctx, seenAt, continuous);
    let failure = "";
    let version: number | undefined;
    // Even so an update can slip in before the destroy takes its lock: what each deletion took is read from the
    // destroy's own delete steps, which carry the state it deleted with (deletions.ts).
    const deletions = new DeletionLog();
    try {
        await runLocked(ctx, "teardown", () => boundedOperation(ctx, "teardown (pulumi destroy)", (signal) =>
            ctx.stack.destroy({ message: `${SCHEDULER_MESSAGE} teardown at ${ctx.options.now.toISOString()}`, onOutput: streamTo(ctx.log), onEvent: deletions.onEvent, signal })));
    } catch (err) {
        failure = (err as Error).message;
    }
    const looked = await lookAfter(ctx);
    const after = looked.state;
    if (failure === "") version = looked.version;
    const since = await boundedStackRead(ctx, "reading the stack history", (reads) => historySince(reads, seenAt));
    const reported = deletions.deletions();
    const settled = settle(deleting, after.stores, since, version, ctx.log, reported);
    for (const [store, d] of reported) {
        if (store in armed && d.facts.finalSnapshot !== UNKNOWN_LINEAGE) armed = { ...armed, [store]: d.facts.finalSnapshot };
    }
    const confirmed = await confirmTaken(ctx, settled, armed, dataTypesOf(fresh.state, waitFrom));
    await write(ctx, deleting, confirmed);
    if (after.resources.length === 0 && failure === "") {
        if (version !== undefined) await boundedWrite(ctx, "writing the restore record", (tags) => writeSeen(tags, version as number));
        ctx.log("teardown: done, the stack holds no resources");
        return armed;
    }
    const remaining = after.resources.map((urn) => `\n    ${urn}`).join("");
    throw new ReconcileError(`${failure || "teardown finished"}\n  the stack still holds ${after.resources.length} resource(s):${remaining || " none"}\n  the next run resumes the teardown without re-creating anything`);
}
