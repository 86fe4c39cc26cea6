/**
 * The workloads in a stack's state (Kubernetes objects that run pods), and whether the Kubernetes provider's
 * deletion of each shows its pods gone: see writers.ts for why and its sources.
 */
import type { ExportedResource } from "./lineage";

/** Kubernetes objects that run pods, as their Pulumi type tokens: whatever runs may hold a store's credentials. */
export const WORKLOAD_TYPES = [
    "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob", "kubernetes:core/v1:Pod", "kubernetes:core/v1:ReplicationController",
];

export const SKIP_AWAIT = "pulumi.com/skipAwait";
export const PROPAGATION_POLICY = "pulumi.com/deletionPropagationPolicy";

/** A workload in the state, and why its deletion would not prove its pods gone ("" when it would). */
export interface Writer {
    readonly urn: string;
    readonly unproven: string;
}

function annotationsOf(r: ExportedResource): Record<string, unknown> {
    const metadata = (r.inputs?.metadata ?? r.outputs?.metadata) as { annotations?: unknown } | undefined;
    const annotations = metadata?.annotations;
    return annotations !== null && typeof annotations === "object" ? annotations as Record<string, unknown> : {};
}

/** Why a workload's ended deletion would not show its pods gone, from its annotations; "" when it would. */
export function unprovenStop(r: ExportedResource): string {
    const annotations = annotationsOf(r);
    if (String(annotations[SKIP_AWAIT] ?? "").toLowerCase() === "true") {
        return `${SKIP_AWAIT}: "true" (the Kubernetes provider then ends the delete without awaiting it)`;
    }
    const policy = String(annotations[PROPAGATION_POLICY] ?? "").toLowerCase();
    if (policy !== "" && policy !== "foreground") return `${PROPAGATION_POLICY}: ${JSON.stringify(annotations[PROPAGATION_POLICY])} (the delete then ends while its pods run)`;
    return "";
}

/** The workloads in an exported state. */
export function writersIn(resources: readonly ExportedResource[]): Writer[] {
    return resources.filter((r) => WORKLOAD_TYPES.includes(r.type ?? "")).map((r) => ({ urn: r.urn ?? "", unproven: unprovenStop(r) }));
}

