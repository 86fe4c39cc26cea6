/**
 * What a destroy's data deletions took, as the destroy itself reports it.
 *
 * Pulumi's lock covers one command: between the teardown's snapshot-naming `up` and its `destroy` a
 * person's `up` can rename a store's final snapshot (main's config names `<store>-final`), and on a
 * self-managed backend an `up` from a machine whose clock is behind is listed among the older history
 * entries (file names carry the writer's clock, pulumi/pulumi pkg/backend/diy/state.go), so the history
 * cannot say it ran. The destroy's own engine events can: each delete step carries the state the
 * deletion ran with (`metadata.old`, its inputs and outputs: `finalSnapshotIdentifier`, a Cosmos DB
 * account's id and instance), a `resourcePreEvent` when it starts and a `resOutputsEvent` once it has
 * succeeded (pulumi/pulumi pkg/engine/update.go OnResourceStepPost), or a `resOpFailedEvent` when it
 * failed. Only steps that succeeded say what was taken.
 */
import { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { DataFacts, ExportedResource, factsOf } from "./lineage";
import { DATA_RESOURCE_TYPES, incarnationOf, nameOf } from "./state";

/** One store's incarnation as a destroy deleted it. */
export interface Deletion {
    /** The digest of the physical ids its deletions removed (state.ts incarnationOf). */
    readonly incarnation: string;
    /** What the state it was deleted with says: `finalSnapshot` is what the deletion took. */
    readonly facts: DataFacts;
}

/** Collects a destroy's delete steps of data resources; pass `onEvent` to the Automation API's destroy. */
export class DeletionLog {
    private readonly ended = new Map<string, ExportedResource>();

    readonly onEvent = (event: EngineEvent): void => {
        const m: StepEventMetadata | undefined = event.resOutputsEvent?.metadata;
        if (!m || m.op !== "delete" || !m.old || !DATA_RESOURCE_TYPES.includes(m.type)) return;
        this.ended.set(m.urn, { urn: m.urn, type: m.type, id: m.old.id, parent: m.old.parent, inputs: m.old.inputs, outputs: m.old.outputs });
    };

    /**
     * Per store (the data resource's parent component), the incarnation whose delete steps all succeeded. A
     * store the destroy deleted without such an event (the events were lost, a person's destroy ran first) is not here.
     */
    deletions(): Map<string, Deletion> {
        const byStore = new Map<string, ExportedResource[]>();
        for (const r of this.ended.values()) {
            const store = r.parent ? nameOf(r.parent) : "";
            byStore.set(store, [...(byStore.get(store) ?? []), r]);
        }
        return new Map([...byStore].map(([store, rs]) => [store, { incarnation: incarnationOf(rs.map((r) => r.id ?? "")), facts: factsOf(store, rs) }]));
    }
}
