/**
 * What the stack holds, from `stack export` and `stack history`: its
 * resources, pending operations, and the data stores in it, each known by the
 * component type that makes it (a stable contract, `intergalactic:index:<Type>`).
 */
import * as crypto from "crypto";
import { UpdateSummary } from "@pulumi/pulumi/automation";
import type { StackReads } from "./cliRead";
import { ExportedResource, factsOf } from "./lineage";
import { Numbering, numberingOfMark } from "./record";
import { LiveStore } from "./settle";
import { Writer, writersIn } from "./workloads";

/** What the stack holds. */
export const Observed = {
    Up: "up",
    Down: "down",
    /** Resources exist but the last change did not finish cleanly (failed, interrupted, pending operations). */
    Partial: "partial",
    /** Not probed (dry run without a reachable CLI). */
    Unknown: "unknown",
} as const;
export type Observed = (typeof Observed)[keyof typeof Observed];

/** Components that hold data a teardown deletes. */
export const DATA_STORE_TYPES = ["intergalactic:index:HaMongo", "intergalactic:index:HaRedis", "intergalactic:index:KafkaQuorum"];
/** The resources inside them that hold the data itself: a new physical id means a new, possibly empty, store. */
export const DATA_RESOURCE_TYPES = [
    "aws:docdb/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:msk/cluster:Cluster",
    "azure-native:cosmosdb:DatabaseAccount", "azure-native:redisenterprise:RedisEnterprise", "azure-native:eventhub:Namespace",
];

export interface PendingOperation {
    readonly urn: string;
    /** `creating`, `updating`, `deleting` or `reading`. */
    readonly type: string;
}

export interface StackState {
    /** URNs of the resources in the state, the stack itself and providers left out. */
    readonly resources: readonly string[];
    readonly pending: readonly PendingOperation[];
    readonly stores: readonly LiveStore[];
    /**
     * What the state says a hibernate left: a protected Ingress (the hibernated plan protects the ALB Ingress) and,
     * when every EKS node group in it is at desired 0, those groups. Unset: not read.
     */
    readonly asleep?: readonly string[];
    /** Every resource the state holds with `protect` (a hibernated Ingress, a store with deletionProtection). Unset: not read. */
    readonly protected?: readonly string[];
    /** The workloads (Kubernetes objects that run pods) the state holds: what may write into a store (writers.ts). Unset: not read. */
    readonly writers?: readonly Writer[];
}

export interface Probe extends StackState {
    readonly observed: Observed;
    readonly lastChange: UpdateSummary | undefined;
    /** The newest history entries, newest first. */
    readonly history: readonly UpdateSummary[];
}

interface ExportedPending { resource?: ExportedResource; type?: string }

const isInfrastructure = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
/** The name a URN ends in (a data store component's name is its store's). */
export const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The digest that names one incarnation of a store: its data resources' physical ids, in any order. */
export const incarnationOf = (ids: readonly string[]): string => crypto.createHash("sha256").update([...ids].sort().join("\n")).digest("hex").slice(0, 12);
/** The type of a URN (`...::parent$child::name` -> `child`). */
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/**
 * The data stores in the state and, for each, a digest of the ids of the resources that hold its data and
 * what the state says of them. A store component without a data resource (an `up` that failed before it
 * created the cluster) holds no data and is not live.
 */
export function storesOf(resources: readonly ExportedResource[]): LiveStore[] {
    const byUrn = new Map(resources.map((r) => [r.urn ?? "", r]));
    /** The data store component a resource belongs to, through its parent links. */
    const ownerOf = (r: ExportedResource): string | undefined => {
        for (let parent = r.parent; parent; parent = byUrn.get(parent)?.parent) {
            if (DATA_STORE_TYPES.includes(typeOf(parent))) return parent;
        }
        return undefined;
    };
    return resources.filter((r) => DATA_STORE_TYPES.includes(r.type ?? "")).flatMap((c) => {
        const data = resources.filter((r) => DATA_RESOURCE_TYPES.includes(r.type ?? "") && r.id && ownerOf(r) === c.urn);
        if (data.length === 0) return [];
        const name = nameOf(c.urn ?? "");
        return [{ name, incarnation: incarnationOf(data.map((r) => r.id as string)), facts: factsOf(name, data), resources: data }];
    });
}

/** The resources, pending operations and data stores in the state (`stack export`). */
export async function readState(stack: Pick<StackReads, "exportStack">): Promise<StackState> {
    const exported = await stack.exportStack();
    const deployment = (exported.deployment ?? {}) as { resources?: ExportedResource[]; pending_operations?: ExportedPending[] };
    const all = deployment.resources ?? [];
    const resources = all.filter((r) => !isInfrastructure(r.type ?? "")).map((r) => r.urn ?? "");
    const pending = (deployment.pending_operations ?? []).map((p) => ({ urn: p.resource?.urn ?? "", type: p.type ?? "" }));
    return { resources, pending, stores: storesOf(all), asleep: asleepIn(all), protected: all.filter((r) => r.protect === true).map((r) => r.urn ?? ""), writers: writersIn(all) };
}

/**
 * What a hibernate leaves in the state: a protected Ingress, and the EKS node groups when all of them are at desired 0
 * (no node runs, so no controller). A store's protect (deletionProtection) is no sign of sleep.
 */
export function asleepIn(resources: readonly ExportedResource[]): string[] {
    const groups = resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
    const desired = (r: ExportedResource) => ((r.outputs?.scalingConfig ?? {}) as { desiredSize?: unknown }).desiredSize;
    const atZero = groups.length > 0 && groups.every((g) => desired(g) === 0);
    const ingresses = resources.filter((r) => r.protect === true && r.type === "kubernetes:networking.k8s.io/v1:Ingress");
    return [...ingresses, ...(atZero ? groups : [])].map((r) => r.urn ?? "");
}

export function observedOf(state: StackState, lastChange: UpdateSummary | undefined): Observed {
    if (state.resources.length === 0 && state.pending.length === 0) return Observed.Down;
    if (state.pending.length === 0 && lastChange?.kind === "update" && lastChange.result === "succeeded") return Observed.Up;
    return Observed.Partial;
}

/** How many entries one `stack history` page asks for. */
const PAGE = 50;

const seconds = (t: Date | string | undefined): number => Math.floor(new Date(t ?? 0).getTime() / 1000);

/**
 * Whether the backend numbers its history. Pulumi Cloud gives every update a version; a self-managed
 * backend writes none (its UpdateInfo has no version, pulumi/pulumi pkg/backend/diy/backend.go, #6049),
 * so `stack history --json` and the Automation API's summaries say 0.
 */
export const isNumbered = (history: readonly UpdateSummary[]): boolean => history.some((h) => (h.version ?? 0) > 0);

/**
 * A self-managed backend's entries keyed by what it does record: each entry's end time, in whole seconds,
 * times 1000, plus its place among the entries that ended in the same second, counted from the oldest.
 * Its history is complete and listed in order (file names carry the time they were written), so the key
 * of an entry never changes and a later entry always has a larger one. `complete` says `history` reaches
 * the stack's first entry; otherwise the entries of its oldest second are left out, since older ones of
 * that second may lie on the next page and their places are not known.
 */
function keyed(history: readonly UpdateSummary[], complete: boolean): UpdateSummary[] {
    if (history.length === 0 || isNumbered(history)) return [...history];
    const secondOf = (h: UpdateSummary) => seconds(h.endTime ?? h.startTime);
    const oldest = secondOf(history[history.length - 1]);
    const out: UpdateSummary[] = [];
    for (let i = 0; i < history.length; i++) {
        const second = secondOf(history[i]);
        if (!complete && second === oldest) break;
        let rank = 0;
        for (let j = i + 1; j < history.length && secondOf(history[j]) === second; j++) rank++;
        out.push({ ...history[i], version: second * 1000 + rank });
    }
    return out;
}

/**
 * The history, newest first, each entry's `version` the backend's own (Pulumi Cloud) or its key (keyed,
 * self-managed): at least `atLeast` entries when the stack has them, and every entry after `since`.
 */
export async function readHistory(stack: Pick<StackReads, "history">, atLeast: number, since = Number.POSITIVE_INFINITY): Promise<UpdateSummary[]> {
    const raw: UpdateSummary[] = [];
    for (let page = 1; ; page++) {
        const entries = await stack.history(PAGE, page);
        raw.push(...entries);
        if (entries.length < PAGE) return keyed(raw, true);
        const out = keyed(raw, false);
        const reaches = out.length > 0 && out[out.length - 1].version <= since;
        if (out.length >= atLeast && (since === Number.POSITIVE_INFINITY || reaches || raw.length > out.length && isKeyReached(raw, since))) return out;
    }
}

/** Whether the unkeyed oldest second of a self-managed read already lies at or before `since`. */
function isKeyReached(raw: readonly UpdateSummary[], since: number): boolean {
    const last = raw[raw.length - 1];
    return !isNumbered(raw) && seconds(last.endTime ?? last.startTime) * 1000 + 999 <= since;
}

/** How `history` (keyed, newest first) marks its entries; undefined when it has none. */
export const numberingOf = (history: readonly UpdateSummary[]): Numbering | undefined => (history.length > 0 ? numberingOfMark(history[0].version) : undefined);

/** The history back to (and including) `version`, newest first. */
export function historySince(stack: Pick<StackReads, "history">, version: number): Promise<UpdateSummary[]> {
    return readHistory(stack, 1, version);
}

/**
 * The version the state reflects when it is read after `history` (newest first, keyed): the newest
 * finished entry. An update still in progress (Pulumi Cloud lists it) may change the state after the read.
 */
export function observedVersion(history: readonly UpdateSummary[]): number {
    return history.find((h) => h.result !== "in-progress")?.version ?? 0;
}

/** How a log line names a history entry: its version where the backend numbers them, else its start time. */
export function describeEntry(h: UpdateSummary): string {
    const when = h.startTime instanceof Date ? h.startTime.toISOString() : String(h.startTime);
    return isNumbered([h]) && h.version < 1e9 ? `#${h.version} at ${when}` : `at ${when}`;
}
