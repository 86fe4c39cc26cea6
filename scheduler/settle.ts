/**
 * Brings the restore record in line with what the stack holds now, before a
 * run decides anything: a store that vanished since the record was written
 * was deleted (by a lost run of ours, or by a person's `pulumi destroy`) and
 * took the final snapshot the record armed, unless an update ran after the
 * record last saw that name, in which case nobody can say which snapshot it
 * took and a person must choose. A store that appeared without a
 * spin-up of ours, or a store whose physical identity changed, has unknown
 * lineage: its data may be an empty re-creation, so its snapshot never
 * silently replaces the lineage's.
 */
import { UpdateSummary } from "@pulumi/pulumi/automation";
import type { Deletion } from "./deletions";
import { DataFacts, ExportedResource, POINT_IN_TIME_CONFIG, sameSnapshot } from "./lineage";
import { ConfigEntries, DELETION_TIME, NEW_RECORD, NONE_KEPT, Records, StoreRecord, StoreState, UNKNOWN_LINEAGE } from "./record";
import { describeEntry } from "./state";

/** How a `lost` reason begins when the deletion kept nothing: no newer snapshot can exist, so no inventory settles it. */
export const NOTHING_KEPT_LOST = "deleted without a final snapshot";

/** The message every change the scheduler makes starts with, so its history entries can be told from a person's. */
export const SCHEDULER_MESSAGE = "scheduler:";

export interface LiveStore {
    readonly name: string;
    /** A digest of the physical ids of the resources that hold its data: changes when the store is re-created. */
    readonly incarnation: string;
    /** What the state says it was created from and what its deletion takes. */
    readonly facts: DataFacts;
    /** The resources that hold its data, as the state holds them. @default none */
    readonly resources?: readonly ExportedResource[];
}

/**
 * The first `update` after `version`, described; undefined when there is none.
 * Every `up` of the scheduler records the names it set right after it, so any
 * later update (a person's, or one of ours whose record write was lost) may
 * have renamed the final snapshot.
 */
export function updateAfter(history: readonly UpdateSummary[], version: number): string | undefined {
    const next = history.filter((h) => h.version > version && h.kind === "update").sort((a, b) => a.version - b.version)[0];
    if (!next) return undefined;
    const who = (next.message ?? "").startsWith(SCHEDULER_MESSAGE) ? "a scheduler run that did not record its result" : "someone outside the scheduler";
    return `update ${describeEntry(next)} ("${next.message ?? ""}") by ${who} ran after the record last saw the name`;
}

/** `armedConfig` with the deletion time filled in (a point-in-time restore goes back to it); undefined when it is not known. */
function withDeletionTime(config: ConfigEntries, history: readonly UpdateSummary[], after: number): ConfigEntries | undefined {
    if (!Object.values(config).includes(DELETION_TIME)) return config;
    const destroy = history.filter((h) => h.kind === "destroy" && h.version > after).sort((a, b) => a.version - b.version)[0];
    if (!destroy) return undefined;
    const when = destroy.startTime instanceof Date ? destroy.startTime.toISOString() : new Date(destroy.startTime).toISOString();
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v === DELETION_TIME ? when : v]));
}

/** The record of a store whose incarnation is gone: its final snapshot is the armed one, if that can be trusted. */
/** A store's record once its incarnation is gone; armedAt stays: the last version at which the scheduler tracked it. */
const goneBase = (r: StoreRecord): StoreRecord => ({ ...r, state: StoreState.Down, from: "", armed: "", armedConfig: {}, armedDays: 0, incarnation: "" });

function deleted(r: StoreRecord, history: readonly UpdateSummary[], log: (line: string) => void, store: string): StoreRecord {
    const outside = updateAfter(history, r.armedAt);
    const base = goneBase(r);
    const config = withDeletionTime(r.armedConfig, history, r.armedAt);
    // "" is "not known", never "nothing kept": only the state saying so (NONE_KEPT) means the data is gone (F3b).
    const why = outside ?? (r.armed === "" ? "the scheduler never read from the state which final snapshot its deletion takes" :
        config === undefined ? "no destroy in the history says when it was deleted, and its restore goes back to a point in time" : undefined);
    if (why !== undefined) {
        log(`record: ${store} was deleted, but ${why}, so the final snapshot it took is unknown`);
        // The name the record last knew stays as `armed`: a candidate a refusal names, never restored unasked.
        return { ...base, armed: outside !== undefined && r.armed !== NONE_KEPT && r.armed !== UNKNOWN_LINEAGE ? r.armed : "", lost: why };
    }
    if (r.armed === NONE_KEPT) {
        if (r.from === UNKNOWN_LINEAGE) {
            log(`record: ${store} (created outside the scheduler) was deleted without a final snapshot, as its state said; ${r.final || "the lineage"} is still the one to restore`);
            return base;
        }
        if (r.final === "" && r.foreign === "") {
            log(`record: ${store} was deleted without a final snapshot, as its state said (skipFinalSnapshot); it never held restored data, and the next spin-up starts it empty`);
            return { ...base, finalFrom: "", finalConfig: {}, finalUntil: "", lost: "" };
        }
        // The lineage's older snapshot still exists: restoring it silently would bring back old data as if it were the
        // newest, starting empty would drop it; a person chooses (issue 13: restore the newest, or stop and say why).
        const lost = `${NOTHING_KEPT_LOST}, as its state said, so the data written since ${r.from ? `its restore from ${r.from}` : "its creation"} is gone; ` +
            `the newest snapshot that exists is ${r.final || r.foreign}`;
        log(`record: ${store} was ${lost}`);
        return { ...base, lost };
    }
    if (r.from === UNKNOWN_LINEAGE && (r.final || r.lost)) {
        log(`record: ${store} (created outside the scheduler) was deleted with final snapshot ${r.armed}; kept apart from ${r.final || "the lost snapshot"}`);
        return { ...base, foreign: r.armed, foreignConfig: config ?? {} };
    }
    log(`record: ${store} was deleted with final snapshot ${r.armed}`);
    return { ...base, final: r.armed, finalFrom: r.from, finalConfig: config ?? {}, finalUntil: restorableUntil(r.armedDays, config ?? {}), foreign: "", foreignConfig: {}, lost: "" };
}

/** Why a store the scheduler's own destroy deleted has no known final snapshot when that destroy did not report the deletion. */
export const DELETION_UNSEEN = "the teardown's destroy deleted it, but none of its engine events says that deletion succeeded and with which final snapshot";

/**
 * The record of a store the scheduler's own destroy deleted, from that destroy's delete step (deletions.ts):
 * its state, not the record's `armed`, says which final snapshot it took. An update between the teardown's
 * `up` and its destroy (a person's, listed as older on a self-managed backend when their clock is behind)
 * therefore never leaves the record naming a snapshot that was not taken. No event: nobody can say.
 */
function deletedAsReported(r: StoreRecord, d: Deletion | undefined, history: readonly UpdateSummary[], log: (line: string) => void, store: string): StoreRecord {
    // An update before the deletion no longer matters (the step says what was taken); the destroy's time still does.
    const destroys = history.filter((h) => h.kind === "destroy");
    if (d === undefined) {
        log(`record: ${store}: ${DELETION_UNSEEN}, so the final snapshot it took is unknown`);
        // The name the record armed stays as a candidate a refusal names, never restored unasked.
        return { ...goneBase(r), armed: r.armed === NONE_KEPT || r.armed === UNKNOWN_LINEAGE ? "" : r.armed, lost: DELETION_UNSEEN };
    }
    const name = d.facts.finalSnapshot;
    if (name === UNKNOWN_LINEAGE) {
        const lost = `the teardown's destroy deleted it with a state that does not say which final snapshot it took (${d.facts.why})`;
        log(`record: ${store}: ${lost}`);
        return { ...goneBase(r), lost };
    }
    const armed = name || NONE_KEPT;
    const same = sameSnapshot(armed, r.armed);
    if (!same) log(`record: ${store}: its deletion took ${name ? name : "no final snapshot"}, as the destroy's delete step says, not ${r.armed || "the unknown one"} the record armed (an update ran between the teardown's up and its destroy)`);
    const config = same ? r.armedConfig : armed === NONE_KEPT ? {} : d.facts.restoreConfig;
    const days = same ? r.armedDays : d.facts.restorableForDays ?? 0;
    if (r.incarnation && d.incarnation !== r.incarnation) {
        // Re-created between the record's look and the destroy: the incarnation the record knew went first, and the one
        // the destroy deleted was created outside the scheduler.
        log(`record: ${store} was re-created before the teardown's destroy (its physical resources changed)`);
        const first = deleted(r, history, log, store);
        return deleted({ ...first, state: StoreState.Up, from: UNKNOWN_LINEAGE, armed, armedConfig: config, armedDays: days, incarnation: d.incarnation }, destroys, log, store);
    }
    return deleted({ ...r, armed, armedConfig: config, armedDays: days }, destroys, log, store);
}

/** The end of a restore window counted from the deletion time the restore goes back to; "" when there is none. */
function restorableUntil(days: number, config: ConfigEntries): string {
    const at = Date.parse(config[POINT_IN_TIME_CONFIG] ?? "");
    return days > 0 && !Number.isNaN(at) ? new Date(at + days * 86_400_000).toISOString() : "";
}

const said = (from: string) => (from === UNKNOWN_LINEAGE ? "from something the state does not name" : from ? `from ${from}` : "empty");

/**
 * A live store's lineage, checked against what the state says it was created from: a store is the
 * lineage's only when its creation input names the snapshot the record expects (F9: a person's `up`
 * after a failed spin-up creates the store empty, and its snapshot must never become the lineage's).
 */
function checkedLineage(name: string, r: StoreRecord, facts: DataFacts, log: (line: string) => void): StoreRecord {
    if (r.state === StoreState.Creating || r.state === StoreState.Up) {
        if (r.from === UNKNOWN_LINEAGE || sameSnapshot(facts.restoredFrom, r.from)) return { ...r, state: StoreState.Up };
        log(`record: ${name} was created ${said(facts.restoredFrom)}, as its state says, not ${said(r.from)} as the scheduler asked; its lineage is unknown`);
        return { ...r, state: StoreState.Up, from: UNKNOWN_LINEAGE };
    }
    const competing = r.final !== "" || r.lost !== "" || r.foreign !== "";
    if (!competing) return { ...r, state: StoreState.Up, from: facts.restoredFrom };
    if (r.final && !r.lost && !r.foreign && sameSnapshot(facts.restoredFrom, r.final)) {
        log(`record: ${name} exists but no spin-up of the scheduler created it; its state says it was restored from the lineage's ${r.final}`);
        return { ...r, state: StoreState.Up, from: r.final };
    }
    log(`record: ${name} exists but no spin-up of the scheduler created it (its state says it was created ${said(facts.restoredFrom)}); its lineage is unknown`);
    return { ...r, state: StoreState.Up, from: UNKNOWN_LINEAGE };
}

/**
 * Settles `records` against the live stores. `version` is the history version the state reflects;
 * each live store is armed with what its state says its deletion takes (undefined keeps `armedAt`).
 * `deletions`: after the scheduler's own destroy, what its engine events say each deletion took; a
 * store it deleted is then recorded from those, never from `armed`.
 */
export function settle(records: Records, live: readonly LiveStore[], history: readonly UpdateSummary[], version: number | undefined, log: (line: string) => void,
    deletions?: ReadonlyMap<string, Deletion>): Record<string, StoreRecord> {
    const out: Record<string, StoreRecord> = { ...records };
    const liveNames = new Set(live.map((l) => l.name));
    for (const [store, r] of Object.entries(records)) {
        if (liveNames.has(store)) continue;
        if (r.state === StoreState.Creating) {
            // Not in the state: either no update created it (a spin-up that failed first), or one did, even a
            // failed one (an update fails partway and keeps what it created, pulumi/pulumi#15754), and a destroy
            // after it deleted it before any run learnt its final snapshot name. Only a destroy tells them apart.
            // A crashed update leaves no history entry on a DIY backend, so a destroy alone is enough to doubt.
            const update = history.find((h) => h.kind === "update" && h.version > r.armedAt);
            const destroy = history.find((h) => h.kind === "destroy" && h.version > r.armedAt);
            if (destroy) {
                const who = update ? `update ${describeEntry(update)} (${update.result})` : "the spin-up the record last saw (a crashed update leaves no history entry)";
                const lost = `${who} may have created it, and destroy ${describeEntry(destroy)} ("${destroy.message ?? ""}") deleted it before the scheduler learnt which final snapshot it takes`;
                log(`record: ${store}: ${lost}`);
                out[store] = { ...r, state: StoreState.Down, from: "", lost };
            } else out[store] = { ...r, state: StoreState.Down, from: "" };
        }
        else if (r.state === StoreState.Up) out[store] = deletions ? deletedAsReported(r, deletions.get(store), history, log, store) : deleted(r, history, log, store);
    }
    for (const { name, incarnation, facts } of live) {
        let r = out[name] ?? NEW_RECORD;
        if (r.state === StoreState.Up && r.incarnation && r.incarnation !== incarnation) {
            log(`record: ${name} was re-created outside the scheduler (its physical resources changed)`);
            r = deleted(r, history, log, name);
        }
        r = checkedLineage(name, r, facts, log);
        if (facts.finalSnapshot === UNKNOWN_LINEAGE) log(`record: ${name}: which final snapshot its deletion takes is unknown: ${facts.why}`);
        const armed = facts.finalSnapshot === UNKNOWN_LINEAGE ? "" : facts.finalSnapshot || NONE_KEPT;
        out[name] = { ...r, incarnation, armed, armedConfig: armed === NONE_KEPT ? {} : facts.restoreConfig, armedDays: armed === NONE_KEPT ? 0 : facts.restorableForDays ?? 0, armedAt: version ?? r.armedAt };
    }
    return out;
}
