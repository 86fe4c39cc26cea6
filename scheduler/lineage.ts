/**
 * What the exported state (`stack export`) says about each data resource:
 * what it was created from, and which final snapshot its deletion takes.
 *
 * The state, not the stack outputs, is the source of both. A destroy deletes
 * each resource with the properties its state holds (the provider's Delete
 * gets the old state), so the state's `finalSnapshotIdentifier` is the name
 * the deletion takes. The outputs say less: on a failed update Pulumi keeps
 * the old outputs, or updates only those that resolved, while the resources
 * it did update keep their new properties (pulumi/pulumi#15754,
 * pulumi/pulumi#14621). The creation inputs stay in the state because the
 * components list them in `ignoreChanges` (Pulumi then keeps the old input
 * value), so the state still says which snapshot a live store came from.
 */
import { ConfigEntries, DELETION_TIME, UNKNOWN_LINEAGE } from "./record";

export interface DataFacts {
    /** The snapshot (or restorable account) the store was created from; "" created empty; `?` the state does not say. */
    readonly restoredFrom: string;
    /** The final snapshot its deletion takes; "" none (the state says so); `?` the state does not say. */
    readonly finalSnapshot: string;
    /** Config besides `snapshots.restore.<store>` that restoring `finalSnapshot` needs. */
    readonly restoreConfig: ConfigEntries;
    /** Why a fact is `?`; "" when both are known. */
    readonly why: string;
    /**
     * Config besides `snapshots.restore.<store>` (= `restoredFrom`) that the store was created with: every
     * later `up` must declare the same (F1), or the program declares what only an empty store has (Cosmos DB
     * databases and collections, pulumi/pulumi-azure-native#808) or drops the adopted key.
     */
    readonly creationConfig: ConfigEntries;
    /** Days after the deletion that `finalSnapshot` stays restorable; 0 or absent: no limit the state names. */
    readonly restorableForDays?: number;
}

export interface ExportedResource {
    urn?: string;
    type?: string;
    id?: string;
    parent?: string;
    protect?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export const UNKNOWN_FACTS: DataFacts = { restoredFrom: UNKNOWN_LINEAGE, finalSnapshot: UNKNOWN_LINEAGE, restoreConfig: {}, why: "the state holds no data resource for it", creationConfig: {} };

/** The key the program adopts a retained KMS key from (stacks/program.ts `restoreSourceOutput`). */
export const encryptionKeyConfig = (store: string) => `intergalactic:snapshots.encryptionKeys.${store}`;
/** The point in time a Cosmos DB restore goes back to (stacks/program.ts, `pointInTimeConfigKey`). */
export const POINT_IN_TIME_CONFIG = "intergalactic:mongo.restoreTimestampUtc";

/** A property as the state holds it: outputs first (what the provider read back), then the inputs. */
function prop(r: ExportedResource, key: string): unknown {
    return r.outputs?.[key] !== undefined ? r.outputs[key] : r.inputs?.[key];
}
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** DocumentDB: `skipFinalSnapshot` + `finalSnapshotIdentifier` decide what DeleteDBCluster keeps; `snapshotIdentifier` what it came from. */
function docDb(store: string, r: ExportedResource): DataFacts {
    const skip = prop(r, "skipFinalSnapshot");
    const name = text(prop(r, "finalSnapshotIdentifier"));
    const key = text(prop(r, "kmsKeyId"));
    const restoreConfig = key ? { [encryptionKeyConfig(store)]: key } : {};
    const restoredFrom = text(prop(r, "snapshotIdentifier"));
    // A restored cluster adopted the key its snapshot was encrypted with (encryptionKeys.<store>); one created empty made its own.
    const creationConfig = restoredFrom ? restoreConfig : {};
    if (skip === true) return { restoredFrom, finalSnapshot: "", restoreConfig: {}, why: "", creationConfig };
    // skipFinalSnapshot false without a name: AWS refuses the deletion (docs: DeleteDBCluster, FinalDBSnapshotIdentifier).
    if (skip !== false || !name) return { restoredFrom, finalSnapshot: UNKNOWN_LINEAGE, restoreConfig, why: `the state of ${r.urn} says neither skipFinalSnapshot nor a finalSnapshotIdentifier`, creationConfig };
    return { restoredFrom, finalSnapshot: name, restoreConfig, why: "", creationConfig };
}

/** ElastiCache: a replication group takes a final snapshot only when `finalSnapshotIdentifier` is set; `snapshotName` is what it came from. */
function elastiCache(store: string, r: ExportedResource): DataFacts {
    const key = text(prop(r, "kmsKeyId"));
    const name = text(prop(r, "finalSnapshotIdentifier"));
    const restoredFrom = text(prop(r, "snapshotName"));
    const keyConfig = key ? { [encryptionKeyConfig(store)]: key } : {};
    return { restoredFrom, finalSnapshot: name, restoreConfig: name ? keyConfig : {}, why: "", creationConfig: restoredFrom ? keyConfig : {} };
}

/**
 * Cosmos DB: an account with continuous backup stays restorable after its deletion as
 * `/subscriptions/<s>/providers/Microsoft.DocumentDB/locations/<location>/restorableDatabaseAccounts/<instanceId>`
 * (https://learn.microsoft.com/azure/cosmos-db/restore-account-continuous-backup), restored to a point in
 * time at or before the deletion. `createMode: Restore` + `restoreParameters.restoreSource` is what it came from.
 */
function cosmos(r: ExportedResource): DataFacts {
    const restore = (prop(r, "restoreParameters") ?? {}) as { restoreSource?: unknown; restoreTimestampInUtc?: unknown };
    const restoredFrom = text(prop(r, "createMode")) === "Restore" ? text(restore.restoreSource) || UNKNOWN_LINEAGE : "";
    const at = text(restore.restoreTimestampInUtc);
    const creationConfig: ConfigEntries = restoredFrom && at ? { [POINT_IN_TIME_CONFIG]: at } : {};
    const backup = (prop(r, "backupPolicy") ?? {}) as { type?: unknown; continuousModeProperties?: { tier?: unknown } };
    if (backup.type !== "Continuous") return { restoredFrom, finalSnapshot: "", restoreConfig: {}, why: "", creationConfig };
    const subscription = /^\/subscriptions\/([^/]+)\//i.exec(r.id ?? "")?.[1];
    // ARM GET returns the display name ("West Europe"); the restorable account's id uses the name ("westeurope").
    const location = armLocation(text(prop(r, "location")));
    const instance = text(prop(r, "instanceId"));
    if (!subscription || !location || !instance) return { restoredFrom, finalSnapshot: UNKNOWN_LINEAGE, restoreConfig: {}, why: `the state of ${r.urn} lacks the id, location or instanceId that name its restorable account`, creationConfig };
    const finalSnapshot = `/subscriptions/${subscription}/providers/Microsoft.DocumentDB/locations/${location}/restorableDatabaseAccounts/${instance}`;
    const restorableForDays = backup.continuousModeProperties?.tier === "Continuous7Days" ? 7 : 30;
    return { restoredFrom, finalSnapshot, restoreConfig: { [POINT_IN_TIME_CONFIG]: DELETION_TIME }, why: "", creationConfig, restorableForDays };
}

/** An Azure location as ARM ids spell it: lower case, no spaces ("West Europe" -> "westeurope"). */
const armLocation = (location: string): string => location.replace(/\s+/g, "").toLowerCase();

/**
 * A snapshot id in one spelling. ARM ids are case-insensitive, and what ARM echoes back may differ from
 * what was sent: the location's display name, other casing, a trailing `/` (the restore docs' own
 * examples end in `.../<instanceId>/`, learn.microsoft.com/azure/cosmos-db/restore-account-continuous-backup).
 * A restorable account is named by its location and instance id, compared in ARM's spelling.
 */
export function snapshotKey(id: string): string {
    if (!/^\/subscriptions\//i.test(id)) return id;
    const parts = id.replace(/\/+$/, "").split("/");
    return parts.map((p, i) => (parts[i - 1]?.toLowerCase() === "locations" ? armLocation(p) : p.toLowerCase())).join("/");
}

/** Whether two snapshot ids name the same snapshot (snapshotKey). */
export const sameSnapshot = (a: string, b: string): boolean => a === b || snapshotKey(a) === snapshotKey(b);

/** What the state says of one store's data resources. */
export function factsOf(store: string, resources: readonly ExportedResource[]): DataFacts {
    if (resources.length === 0) return UNKNOWN_FACTS;
    if (resources.length > 1) return { ...UNKNOWN_FACTS, why: `the state holds ${resources.length} data resources for it` };
    const r = revealed(resources[0]);
    const facts = ((): DataFacts => {
        switch (r.type) {
            case "aws:docdb/cluster:Cluster": return docDb(store, r);
            case "aws:elasticache/replicationGroup:ReplicationGroup": return elastiCache(store, r);
            case "azure-native:cosmosdb:DatabaseAccount": return cosmos(r);
            // MSK, Redis Enterprise and Event Hubs keep nothing past a deletion and are never restored (their components' NOTHING_KEPT).
            default: return { restoredFrom: "", finalSnapshot: "", restoreConfig: {}, why: "", creationConfig: {} };
        }
    })();
    return unmasked(r, facts);
}

/**
 * A secret as Pulumi serialises it (pulumi/pulumi sdk/go/common/resource/sig, pkg/resource/stack
 * SerializePropertyValue): `{ <SIG_KEY>: <SECRET_SIG>, plaintext }` in `stack export --show-secrets`, or with a
 * `ciphertext` instead. A step event always masks it: the CLI serialises step state with the blinding encrypter,
 * whose ciphertext is "[secret]" (pkg/backend/display/events.go convertStepEventStateMetadata).
 */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** A value whose secret the source did not show: never a snapshot name. */
const MASKED: unique symbol = Symbol("masked secret");

/** `v` with each secret's plaintext in place, and MASKED where a secret (or the display's "[secret]") hides it. */
function reveal(v: unknown): unknown {
    if (v === "[secret]") return MASKED;
    if (Array.isArray(v)) return v.map(reveal);
    if (typeof v !== "object" || v === null) return v;
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) {
        if (typeof o.plaintext !== "string") return MASKED;
        try {
            return reveal(JSON.parse(o.plaintext));
        } catch {
            return MASKED;
        }
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reveal(x)]));
}

const revealed = (r: ExportedResource): ExportedResource => ({
    ...r,
    ...(r.inputs ? { inputs: reveal(r.inputs) as Record<string, unknown> } : {}),
    ...(r.outputs ? { outputs: reveal(r.outputs) as Record<string, unknown> } : {}),
});

const hidesSecret = (v: unknown): boolean => v === MASKED || (typeof v === "object" && v !== null && Object.values(v).some(hidesSecret));

/**
 * The properties each fact is read from, per data resource type. A restore needs the retained key too, and
 * a store restored with it must keep declaring it (F1), so a masked key leaves a fact that names a snapshot unknown.
 */
const FACT_PROPERTIES: Readonly<Record<string, { readonly finalSnapshot: readonly string[]; readonly restoredFrom: readonly string[] }>> = {
    "aws:docdb/cluster:Cluster": { finalSnapshot: ["skipFinalSnapshot", "finalSnapshotIdentifier", "kmsKeyId"], restoredFrom: ["snapshotIdentifier", "kmsKeyId"] },
    "aws:elasticache/replicationGroup:ReplicationGroup": { finalSnapshot: ["finalSnapshotIdentifier", "kmsKeyId"], restoredFrom: ["snapshotName", "kmsKeyId"] },
    "azure-native:cosmosdb:DatabaseAccount": { finalSnapshot: ["backupPolicy", "location", "instanceId"], restoredFrom: ["createMode", "restoreParameters"] },
};

/** `facts` with each fact read from a masked secret made unknown: a hidden value is no lineage, never "none" and never a name. */
function unmasked(r: ExportedResource, facts: DataFacts): DataFacts {
    const keys = FACT_PROPERTIES[r.type ?? ""];
    if (!keys) return facts;
    // The key matters only to a fact that names a snapshot.
    const hidden = (names: readonly string[], fact: string) => names.filter((k) => hidesSecret(prop(r, k)) && (k !== "kmsKeyId" || fact !== ""));
    const final = hidden(keys.finalSnapshot, facts.finalSnapshot);
    const from = hidden(keys.restoredFrom, facts.restoredFrom);
    if (final.length === 0 && from.length === 0) return facts;
    const keysHidden = [...new Set([...final, ...from])];
    // The extractors' own reasons would blame the missing value on the state.
    return {
        ...facts,
        ...(final.length > 0 ? { finalSnapshot: UNKNOWN_LINEAGE, restoreConfig: {}, restorableForDays: 0 } : {}),
        ...(from.length > 0 ? { restoredFrom: UNKNOWN_LINEAGE, creationConfig: {} } : {}),
        why: `${keysHidden.join(", ")} ${keysHidden.length > 1 ? "are" : "is"} masked as a secret (${r.urn})`,
    };
}
