/**
 * Global data: each store that is not region-local by the stack's own declaration keeps a copy in
 * every stamp's region, reachable from that region's network, and a region's loss moves its writes
 * without a person where the service can (Cosmos DB's service-managed failover). AWS: a DocumentDB
 * global cluster with a secondary cluster in each other region; Azure: the Cosmos DB account's
 * locations name every stamp's region, with a private endpoint in each. Which stores hold which
 * copies is the region-loss analysis' reading (`shared/regionReaders`), so the policy and
 * `--region-loss` cannot disagree on it.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "../common";
import { regionalView } from "../regions";
import { ReplicatedStore, StoreKind, replicatedStores } from "../shared/regionReaders";

const KINDS: readonly string[] = Object.values(StoreKind);

const replicationSchema: PolicyConfigSchema = {
    properties: {
        regionLocal: {
            type: "array", items: { type: "string", enum: [...KINDS] }, default: [],
            description: `Kinds of store kept in each region on their own by choice (${KINDS.join(", ")}): each stamp has its own, rebuilt or refilled there, none replicated. Every other store replicates to every stamp's region.`,
        },
        requireAutomaticFailover: {
            type: "boolean", default: true,
            description: "A replicated store that can fail over on its own (Cosmos DB) must: service-managed failover, or every region writable.",
        },
    },
};

/** How to give a store a copy in a region, per service. */
const HOW: Readonly<Record<string, string>> = {
    DocumentDB: "add a secondary cluster there to its global cluster",
    "Cosmos DB": "add the region to the account's locations",
};

/** Services that fail a store over on their own when asked to (a DocumentDB global cluster fails over only when a person does). */
const SELF_FAILOVER: readonly string[] = ["Cosmos DB"];

const describe = (s: ReplicatedStore) => `${s.kind} "${s.store}" (${s.service})`;
const regionsOf = (s: ReplicatedStore) => [...new Set(s.copies.map((c) => c.region))];

export const globalDataReplication: StackValidationPolicy = {
    name: "global-data-replication",
    description: "Each data store not declared region-local (`regionLocal`) has a copy in every stamp's region, reachable from its network; with `requireAutomaticFailover`, a Cosmos DB account fails over on its own.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy", "regions", "data"],
    configSchema: replicationSchema,
    validateStack: (args, report) => {
        const { regionLocal, requireAutomaticFailover } = configOf<{ regionLocal: string[]; requireAutomaticFailover: boolean }>(args, replicationSchema);
        const view = regionalView(args.resources);
        if (view.regions.length < 2) args.notApplicable(`the stack has one region (${view.regions[0] || "its own"}): there is no other region to replicate to`);
        const stores = replicatedStores(view.resources);
        if (stores.length === 0) args.notApplicable("the stack has no data stores");
        const urnOf = (s: ReplicatedStore) => view.resources.find((r) => r.name === s.copies[0]?.resource)?.urn;
        for (const store of stores) {
            const held = regionsOf(store);
            if (regionLocal.includes(store.kind)) continue;
            const missing = view.regions.filter((r) => !held.includes(r));
            if (missing.length > 0) {
                const local = held.length === 1 && (store.kind === StoreKind.Cache || store.kind === StoreKind.EventBus);
                report(local
                    ? `${describe(store)} keeps its data in ${held[0]} only and ${store.kind} is not declared region-local: replicate it to ${missing.join(", ")}, or list "${store.kind}" in regionLocal when each stamp's own is the design`
                    : `${describe(store)} has a copy in ${held.join(", ") || "no region"} but none in ${missing.join(", ")}: ${HOW[store.service] ?? "replicate it there"}, or a region's loss loses the data it alone held`, urnOf(store));
                continue;
            }
            const unreached = view.regions.filter((r) => !store.reachableFrom.includes(r));
            if (unreached.length > 0) report(`${describe(store)}: no copy is reachable from the network of ${unreached.join(", ")} (Azure: a private endpoint to the account in that region's network); its services there cannot reach the data`, urnOf(store));
            const writesMove = store.automaticFailover || store.copies.every((c) => c.writable) || !SELF_FAILOVER.includes(store.service);
            if (requireAutomaticFailover && !writesMove) report(`${describe(store)}: writes go to ${store.copies.find((c) => c.writable)?.region ?? "one region"} and nothing moves them when it is lost: turn on service-managed failover (enableAutomaticFailover) or multi-region writes`, urnOf(store));
        }
    },
};
