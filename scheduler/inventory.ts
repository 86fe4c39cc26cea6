/**
 * The cloud's own inventory of kept snapshots, the record of last resort: it
 * survives what the stack tags and history do not (a stack moved by
 * `stack export`/`import` or `stack migrate` keeps neither, pulumi/pulumi#10339),
 * and a fresh working copy knows nothing. Each snapshot a deletion keeps is
 * found by the stack and store it belongs to (tags copied from the store, or
 * the restorable account's name) and says when it was taken and what the
 * deleted store had been restored from.
 *
 * A spin-up asks it only when the record cannot say what to restore, and to
 * check that the snapshot the record names still exists. It restores from it
 * only what is provably the newest real data: the only snapshot there is, or
 * the newest when that one was restored from another kept snapshot (or from
 * the record's last known one). Otherwise it stops and names the candidates.
 */
import { sameSnapshot } from "./lineage";
import { ConfigEntries, UNKNOWN_LINEAGE } from "./record";

export interface KeptSnapshot {
    /** What `intergalactic:snapshots.restore.<store>` takes to restore it. */
    readonly id: string;
    /** When the deletion took it. */
    readonly takenAt: Date;
    /** What the deleted store had been restored from: "" created empty, `?` not said. */
    readonly from: string;
    /** Config besides the snapshot its restore needs (its KMS key, a point in time). */
    readonly config: ConfigEntries;
    /** The last moment it can be restored (ISO time); "" no limit. */
    readonly until: string;
}

export interface SnapshotInventory {
    /** The snapshots the cloud keeps of data store `store` of stack `stack`. */
    list(stack: string, store: string): Promise<readonly KeptSnapshot[]>;
}

export type Verdict =
    | { readonly kind: "restore"; readonly snapshot: KeptSnapshot; readonly why: string }
    | { readonly kind: "none" }
    | { readonly kind: "ask"; readonly why: string };

export const describeKept = (s: KeptSnapshot): string =>
    `${s.id} (taken ${s.takenAt.toISOString()}, ${s.from === UNKNOWN_LINEAGE ? "lineage not tagged" : s.from ? `restored from ${s.from}` : "created empty"})`;

/**
 * Which kept snapshot holds the newest real data, when one provably does. `lastKnown` is the record's last
 * known final snapshot of the store ("" none): a candidate must be it, or have been restored from it.
 */
export function newestReal(candidates: readonly KeptSnapshot[], lastKnown: string): Verdict {
    if (candidates.length === 0) return { kind: "none" };
    const sorted = [...candidates].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
    const [newest] = sorted;
    if (lastKnown) {
        if (sameSnapshot(newest.id, lastKnown)) return { kind: "restore", snapshot: newest, why: "it is the record's last known snapshot, and nothing newer is kept" };
        if (sameSnapshot(newest.from, lastKnown)) return { kind: "restore", snapshot: newest, why: `it is the newest, taken from a store restored from the record's ${lastKnown}` };
        return { kind: "ask", why: `the newest kept snapshot, ${describeKept(newest)}, does not continue the record's ${lastKnown}` };
    }
    if (sorted.length === 1) return { kind: "restore", snapshot: newest, why: "it is the only snapshot the cloud keeps of it" };
    if (sorted.slice(1).some((c) => sameSnapshot(c.id, newest.from))) {
        return { kind: "restore", snapshot: newest, why: `it is the newest, taken from a store restored from the older ${newest.from}` };
    }
    return { kind: "ask", why: `${sorted.length} snapshots are kept and the newest, ${describeKept(newest)}, was not restored from any of the others` };
}
