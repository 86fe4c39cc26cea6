/**
 * Brings the restore record in line with what the stack holds now, before a
 * run decides anything: a store that vanished since the record was written
 * was deleted (by a lost run of ours, or by a person's `pulumi destroy`) and
 * took the final snapshot the record armed, unless someone changed the stack
 * outside the scheduler in between, in which case nobody can say which
 * snapshot it took and a person must choose. A store that appeared without a
 * spin-up of ours, or a store whose physical identity changed, has unknown
 * lineage: its data may be an empty re-creation, so its snapshot never
 * silently replaces the lineage's.
 */
import { UpdateSummary } from "@pulumi/pulumi/automation";
import { NEW_RECORD, Records, StoreRecord, StoreState, UNKNOWN_LINEAGE } from "./record";

/** The message every change the scheduler makes starts with, so its history entries can be told from a person's. */
export const SCHEDULER_MESSAGE = "scheduler:";

export interface LiveStore {
    readonly name: string;
    /** A digest of the physical ids of the resources that hold its data: changes when the store is re-created. */
    readonly incarnation: string;
}

/** The first `update` made outside the scheduler after `version`, described; undefined when there is none. */
export function outsideUpdateAfter(history: readonly UpdateSummary[], version: number): string | undefined {
    const outside = history
        .filter((h) => h.version > version && h.kind === "update" && !(h.message ?? "").startsWith(SCHEDULER_MESSAGE))
        .sort((a, b) => a.version - b.version)[0];
    if (!outside) return undefined;
    const when = outside.startTime instanceof Date ? outside.startTime.toISOString() : String(outside.startTime);
    return `update #${outside.version} at ${when} ("${outside.message ?? ""}") ran outside the scheduler after #${version}`;
}

/** The record of a store whose incarnation is gone: its final snapshot is the armed one, if that can be trusted. */
function deleted(r: StoreRecord, history: readonly UpdateSummary[], log: (line: string) => void, store: string): StoreRecord {
    const outside = outsideUpdateAfter(history, r.armedAt);
    // armedAt stays: the last version at which the scheduler tracked this store.
    const base = { ...r, state: StoreState.Down, from: "", armed: "", incarnation: "" };
    if (outside) {
        log(`record: ${store} was deleted, but ${outside}, so the final snapshot it took is unknown`);
        return { ...base, lost: outside };
    }
    if (!r.armed) {
        if (r.from === UNKNOWN_LINEAGE) {
            log(`record: ${store} (created outside the scheduler) was deleted without a final snapshot; ${r.final || "the lineage"} is still the one to restore`);
            return base;
        }
        log(`record: ${store} was deleted without a final snapshot; its data is gone and the next spin-up starts it empty`);
        return { ...base, final: "", foreign: "", lost: "" };
    }
    if (r.from === UNKNOWN_LINEAGE && (r.final || r.lost)) {
        log(`record: ${store} (created outside the scheduler) was deleted with final snapshot ${r.armed}; kept apart from ${r.final || "the lost snapshot"}`);
        return { ...base, foreign: r.armed };
    }
    log(`record: ${store} was deleted with final snapshot ${r.armed}`);
    return { ...base, final: r.armed, foreign: "", lost: "" };
}

export function settle(records: Records, live: readonly LiveStore[], history: readonly UpdateSummary[], log: (line: string) => void): Record<string, StoreRecord> {
    const out: Record<string, StoreRecord> = { ...records };
    const liveNames = new Set(live.map((l) => l.name));
    for (const [store, r] of Object.entries(records)) {
        if (liveNames.has(store)) continue;
        if (r.state === StoreState.Creating) {
            // A successful update after the spin-up recorded "creating" created it, and then it was deleted
            // before any run learnt its final snapshot name.
            const update = history.find((h) => h.kind === "update" && h.result === "succeeded" && h.version > r.armedAt);
            if (update) {
                const lost = `update #${update.version} created it, and it was deleted before the scheduler learnt which final snapshot it takes`;
                log(`record: ${store}: ${lost}`);
                out[store] = { ...r, state: StoreState.Down, from: "", lost };
            } else out[store] = { ...r, state: StoreState.Down, from: "" };
        }
        else if (r.state === StoreState.Up) out[store] = deleted(r, history, log, store);
    }
    for (const { name, incarnation } of live) {
        let r = out[name] ?? NEW_RECORD;
        if (r.state === StoreState.Up && r.incarnation && r.incarnation !== incarnation) {
            log(`record: ${name} was re-created outside the scheduler (its physical resources changed)`);
            r = deleted(r, history, log, name);
        }
        if (r.state === StoreState.Creating) {
            out[name] = { ...r, state: StoreState.Up, incarnation };
        } else if (r.state === StoreState.Down) {
            const competing = r.final !== "" || r.lost !== "" || r.foreign !== "";
            if (competing) log(`record: ${name} exists but no spin-up of the scheduler created it; its lineage is unknown`);
            out[name] = { ...r, state: StoreState.Up, from: competing ? UNKNOWN_LINEAGE : r.from, incarnation };
        } else {
            out[name] = { ...r, incarnation: r.incarnation || incarnation };
        }
    }
    return out;
}
