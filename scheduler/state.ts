/**
 * What the stack holds, from `stack export` and `stack history`: its
 * resources, pending operations, and the data stores in it, each known by the
 * component type that makes it (a stable contract, `intergalactic:index:<Type>`).
 */
import * as crypto from "crypto";
import { Stack, UpdateSummary } from "@pulumi/pulumi/automation";
import { ExportedResource, factsOf } from "./lineage";
import { LiveStore } from "./settle";

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
}

export interface Probe extends StackState {
    readonly observed: Observed;
    readonly lastChange: UpdateSummary | undefined;
    /** The newest history entries, newest first. */
    readonly history: readonly UpdateSummary[];
}

interface ExportedPending { resource?: ExportedResource; type?: string }

const isInfrastructure = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
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
        const ids = data.map((r) => r.id as string).sort();
        const incarnation = crypto.createHash("sha256").update(ids.join("\n")).digest("hex").slice(0, 12);
        const name = nameOf(c.urn ?? "");
        return [{ name, incarnation, facts: factsOf(name, data) }];
    });
}

/** The resources, pending operations and data stores in the state (`stack export`). */
export async function readState(stack: Stack): Promise<StackState> {
    const exported = await stack.exportStack();
    const deployment = (exported.deployment ?? {}) as { resources?: ExportedResource[]; pending_operations?: ExportedPending[] };
    const all = deployment.resources ?? [];
    const resources = all.filter((r) => !isInfrastructure(r.type ?? "")).map((r) => r.urn ?? "");
    const pending = (deployment.pending_operations ?? []).map((p) => ({ urn: p.resource?.urn ?? "", type: p.type ?? "" }));
    return { resources, pending, stores: storesOf(all) };
}

export function observedOf(state: StackState, lastChange: UpdateSummary | undefined): Observed {
    if (state.resources.length === 0 && state.pending.length === 0) return Observed.Down;
    if (state.pending.length === 0 && lastChange?.kind === "update" && lastChange.result === "succeeded") return Observed.Up;
    return Observed.Partial;
}

/** The history back to (and including) `version`, newest first; pages of 50. */
export async function historySince(stack: Stack, version: number): Promise<UpdateSummary[]> {
    const out: UpdateSummary[] = [];
    for (let page = 1; ; page++) {
        const entries = await stack.history(50, page);
        out.push(...entries);
        if (entries.length < 50 || entries.some((h) => h.version <= version)) return out;
    }
}

/**
 * The version the state reflects when it is read after `history` (newest first): the newest finished
 * entry. An update still in progress (Pulumi Cloud lists it) may change the state after the read.
 */
export function observedVersion(history: readonly UpdateSummary[]): number {
    return history.find((h) => h.result !== "in-progress")?.version ?? 0;
}
