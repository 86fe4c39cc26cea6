/**
 * Each store's recovery point after the loss of a region holding a copy, and who fails it over,
 * with the documentation each figure comes from. Pure: it reads the readers' stores only.
 */
import { ReplicatedStore, Replication, StoreKind } from "./readers";

/** Who moves a store's writes to another region when its write region is lost. */
export const Failover = {
    /** The service does, on its own. */
    Automatic: "automatic",
    /** A person runs a command. */
    Manual: "manual",
    /** Nothing to move: every region has its own copy, none replicated. */
    None: "none",
} as const;
export type Failover = (typeof Failover)[keyof typeof Failover];

export interface RecoveryPoint {
    readonly store: string;
    readonly kind: StoreKind;
    /** What is lost with a region, in words. */
    readonly rpo: string;
    readonly failover: Failover;
    /** What a person runs (manual failover), else "". */
    readonly action: string;
    readonly source: string;
}

export const SOURCES = {
    docDbReplication: "https://docs.aws.amazon.com/documentdb/latest/developerguide/API_CreateGlobalCluster.html",
    docDbFailover: "https://docs.aws.amazon.com/documentdb/latest/developerguide/API_FailoverGlobalCluster.html",
    docDbDetach: "https://docs.aws.amazon.com/documentdb/latest/developerguide/API_RemoveFromGlobalCluster.html",
    cosmosRpo: "https://learn.microsoft.com/azure/cosmos-db/consistency-levels#rto",
    cosmosFailover: "https://learn.microsoft.com/azure/cosmos-db/high-availability",
    regionLocal: "README.md#regions (caches and event buses are region-local by choice)",
} as const;

/** Cosmos DB's RPO for a region loss with more than one region and one write region, per consistency level (the table at SOURCES.cosmosRpo). */
const COSMOS_RPO: Readonly<Record<string, string>> = {
    Strong: "0 (strong consistency commits in every region)",
    BoundedStaleness: "the staleness bound (maxStalenessPrefix versions or maxIntervalInSeconds)",
    Session: "under 15 minutes of writes",
    ConsistentPrefix: "under 15 minutes of writes",
    Eventual: "under 15 minutes of writes",
};

/** The unplanned failover of a global cluster to `target` (FailoverGlobalCluster with AllowDataLoss). */
export function docDbFailoverCommand(store: ReplicatedStore, target: string): string {
    return `aws docdb failover-global-cluster --region ${target} --global-cluster-identifier ${store.globalClusterIdentifier ?? "<global cluster>"} `
        + `--target-db-cluster-identifier <ARN of ${store.copies.find((c) => c.region === target)?.resource ?? "the secondary"}> --allow-data-loss`;
}

export function recoveryPoint(store: ReplicatedStore): RecoveryPoint {
    const base = { store: store.store, kind: store.kind };
    if (store.replication === Replication.DocDbGlobalCluster) {
        const target = store.copies.find((c) => !c.writable)?.region ?? "<secondary region>";
        return {
            ...base, failover: Failover.Manual, source: `${SOURCES.docDbReplication}; ${SOURCES.docDbFailover}`,
            rpo: "the writes not yet replicated when the primary's region is lost: storage-based replication, typically under a second behind",
            action: `${docDbFailoverCommand(store, target)} (if the failover cannot run, detach and promote the secondary: aws docdb remove-from-global-cluster, ${SOURCES.docDbDetach})`,
        };
    }
    if (store.replication === Replication.CosmosLocations) {
        const rpo = COSMOS_RPO[store.consistency ?? "Session"] ?? `as the table gives for ${store.consistency}`;
        return store.automaticFailover
            ? { ...base, failover: Failover.Automatic, action: "", source: `${SOURCES.cosmosRpo}; ${SOURCES.cosmosFailover}`, rpo: `${rpo} (${store.consistency ?? "Session"} consistency, one write region)` }
            : { ...base, failover: Failover.None, action: "", source: SOURCES.cosmosFailover, rpo: `${rpo} (${store.consistency ?? "Session"} consistency, one write region); service-managed failover is off, so writes return only with the write region` };
    }
    if (store.kind === StoreKind.UserDatabase) {
        return { ...base, failover: Failover.None, action: "", source: SOURCES.regionLocal, rpo: `everything: no copy outside ${store.copies[0]?.region || "its region"}` };
    }
    return {
        ...base, failover: Failover.None, action: "", source: SOURCES.regionLocal,
        rpo: store.kind === StoreKind.Cache
            ? "its contents, by design: region-local, refilled from the user database on miss"
            : "the region's messages not yet consumed, by design: region-local, a cookie's pipeline runs inside one region",
    };
}
