/**
 * Region-loss analysis: for each region of a stack, take it away and judge, tier by tier, whether
 * the stack keeps serving from the others: the global entry stops sending clients to the lost
 * region, the other regions run the same services, reach a copy of the user database that takes
 * (or, after a failover, will take) writes, and have caches and event buses of their own; and whether they can
 * carry the lost region's load (`capacity.ts`).
 */
import { Plan } from "../../engine/format";
import { capacityTier, stampCapacity } from "./capacity";
import { planZones, regionalPlan } from "./fromPlan";
import { EntryRoute, ReplicatedStore, Replication, StoreKind, entryRoutes, replicatedStores, servicesByRegion } from "./readers";
import { Failover, RecoveryPoint, docDbFailoverCommand, recoveryPoint } from "./recovery";

/**
 * `serving`: keeps working on its own; `manual`: keeps serving reads, and writes once a person fails a store over;
 * `down`: stops or loses data the design keeps; `absent`: the stack has no such tier.
 */
export type RegionTierStatus = "serving" | "manual" | "down" | "absent";

export interface RegionTierVerdict {
    readonly tier: string;
    readonly status: RegionTierStatus;
    /** Who moves the tier to the other regions. */
    readonly failover: Failover;
    readonly detail: string;
}

export interface RegionLossScenario {
    readonly lostRegion: string;
    readonly tiers: readonly RegionTierVerdict[];
    /** No tier is down (absent tiers do not count). */
    readonly survives: boolean;
    /** Some tier waits for a person. */
    readonly needsPerson: boolean;
}

export interface RegionLossReport {
    readonly stack: string;
    readonly cloud: string;
    readonly regions: readonly string[];
    readonly scenarios: readonly RegionLossScenario[];
    readonly recovery: readonly RecoveryPoint[];
    /** With every region up: where each region's services write the user database, or that they cannot. */
    readonly userDatabaseWrites: readonly string[];
    /** The stack survives the loss of any one region; false too with fewer than two regions. */
    readonly survives: boolean;
}

interface LossContext {
    readonly lost: string;
    readonly survivors: readonly string[];
    readonly stores: readonly ReplicatedStore[];
    readonly routes: readonly EntryRoute[];
    readonly services: ReadonlyMap<string, readonly string[]>;
}

const verdict = (tier: string, status: RegionTierStatus, failover: Failover, detail: string): RegionTierVerdict => ({ tier, status, failover, detail });
const list = (values: readonly string[]) => [...new Set(values)].join(", ");
const serving = (ctx: LossContext) => ctx.survivors.filter((r) => (ctx.services.get(r) ?? []).length > 0);

/** The entry stops sending clients to the lost region on its own health checks, and sends them to a region that serves. */
export function entryTier(ctx: LossContext): RegionTierVerdict {
    const tier = "global entry";
    if (ctx.services.size === 0) return verdict(tier, "absent", Failover.None, "no services: nothing to route");
    if (ctx.routes.length === 0) return verdict(tier, "down", Failover.None, `no global entry (Route 53 records or Front Door origins) sends ${ctx.lost}'s clients to another region`);
    const lost = ctx.routes.filter((r) => r.region === ctx.lost && r.enabled);
    const unchecked = lost.filter((r) => r.healthCheck === undefined);
    if (unchecked.length > 0) {
        return verdict(tier, "down", Failover.None, `${list(unchecked.map((r) => r.resource))} send(s) clients to ${ctx.lost} with nothing checking its health: ${unchecked[0].service} keeps routing there`);
    }
    const to = ctx.routes.filter((r) => r.region !== ctx.lost && r.enabled && serving(ctx).includes(r.region));
    if (to.length === 0) return verdict(tier, "down", Failover.None, `no route of the entry leads to a region that keeps serving (${list(serving(ctx)) || "none"})`);
    return verdict(tier, "serving", Failover.Automatic, lost.length === 0
        ? `the entry sends no client to ${ctx.lost}; it keeps sending them to ${list(to.map((r) => r.region))}`
        : `${lost[0].service} stops sending clients to ${ctx.lost} on ${lost[0].healthCheck} and sends them to ${list(to.map((r) => r.region))}`);
}

/** Another region runs every service the lost one ran. */
export function servicesTier(ctx: LossContext): RegionTierVerdict {
    const tier = "services";
    if (ctx.services.size === 0) return verdict(tier, "absent", Failover.None, "no Deployments in any region");
    const left = serving(ctx);
    if (left.length === 0) return verdict(tier, "down", Failover.None, `no region but ${ctx.lost} runs services`);
    const elsewhere = new Set(left.flatMap((r) => ctx.services.get(r) ?? []));
    const only = (ctx.services.get(ctx.lost) ?? []).filter((s) => !elsewhere.has(s));
    if (only.length > 0) return verdict(tier, "down", Failover.None, `${list(only)} run(s) only in ${ctx.lost}`);
    return verdict(tier, "serving", Failover.Automatic, `${list(left)} run(s) ${elsewhere.size} service(s) and take ${ctx.lost}'s clients`);
}

/** Each user database keeps a copy in the surviving regions that run services, and a writer (now or after a failover). */
export function userDatabaseTier(ctx: LossContext): RegionTierVerdict {
    const stores = ctx.stores.filter((s) => s.kind === StoreKind.UserDatabase);
    if (stores.length === 0) return verdict(StoreKind.UserDatabase, "absent", Failover.None, "no user database");
    const verdicts = stores.map((s) => storeVerdict(ctx, s));
    const worst = (["down", "manual", "serving"] as const).find((status) => verdicts.some((v) => v.status === status)) ?? "serving";
    const failover = verdicts.find((v) => v.status === worst)?.failover ?? Failover.None;
    return verdict(StoreKind.UserDatabase, worst, failover, verdicts.map((v) => v.detail).join("; "));
}

function storeVerdict(ctx: LossContext, store: ReplicatedStore): RegionTierVerdict {
    const tier = StoreKind.UserDatabase;
    const kept = store.copies.filter((c) => c.region !== ctx.lost);
    const lostCopies = store.copies.filter((c) => c.region === ctx.lost);
    if (kept.length === 0) {
        return verdict(tier, "down", Failover.None, `${store.store} (${store.service}) has no copy outside ${ctx.lost}: not replicated, its reads and writes stop with the region`);
    }
    const unreached = serving(ctx).filter((r) => !store.reachableFrom.includes(r));
    if (unreached.length > 0) return verdict(tier, "down", Failover.None, `${list(unreached)} run(s) services but reach no copy of ${store.store} in their own network`);
    if (lostCopies.length === 0) return verdict(tier, "serving", Failover.None, `${store.store} has no copy in ${ctx.lost}`);
    const writer = store.copies.find((c) => c.writable);
    if (!lostCopies.some((c) => c.writable) || kept.some((c) => c.writable)) {
        const cut = unjoined(ctx, store, writer?.region ?? "");
        if (cut.length > 0) return verdict(tier, "down", Failover.None, `${store.store}: ${list(cut)} run(s) services but ha(s) no network path to the writer ${writer?.resource} in ${writer?.region} (no VPC peering): their writes fail`);
        return verdict(tier, "serving", Failover.None, `${store.store}: writes stay with ${writer?.resource} in ${writer?.region}${writersElsewhere(ctx, store, writer?.region ?? "")}; its copy in ${ctx.lost} is lost with the region`);
    }
    const next = kept[0];
    if (store.replication === Replication.DocDbGlobalCluster) {
        const cut = unjoined(ctx, store, next.region);
        if (cut.length > 0) return verdict(tier, "down", Failover.None, `${store.store}: ${list(cut)} run(s) services but ha(s) no network path to ${next.resource} in ${next.region}, the writer after a failover (no VPC peering): their writes would fail`);
        return verdict(tier, "manual", Failover.Manual, `${store.store}: reads keep serving from the read-only secondary ${next.resource} in ${next.region}; writes stop until a person fails the global cluster over to it `
            + `(${docDbFailoverCommand(store, next.region)}) and points the surviving stamps' writer there by kubectl on their mongo-connection Secrets (no up runs while ${ctx.lost}'s APIs are down), `
            + `then commits intergalactic:mongo.writerRegion ${next.region} before the next up (README, failover runbook)`);
    }
    if (store.automaticFailover) {
        return verdict(tier, "serving", Failover.Automatic, `${store.store}: reads move to ${next.region}; writes stop until ${store.service}'s service-managed failover makes ${next.region} the write region (next in failover priority)`);
    }
    return verdict(tier, "down", Failover.None, `${store.store} (${store.service}) has service-managed failover off: its writes stop until ${ctx.lost} returns`);
}

/**
 * DocumentDB global clusters: the surviving regions that run services but whose network is not joined to the writer's
 * region, so their writes reach no primary (a secondary forwards none). Other stores: none (Cosmos DB takes writes
 * through each region's own endpoint).
 */
function unjoined(ctx: LossContext, store: ReplicatedStore, writerRegion: string): string[] {
    if (store.writePaths === undefined) return [];
    const joined = (a: string, b: string) => store.writePaths!.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    return serving(ctx).filter((r) => r !== writerRegion && !joined(r, writerRegion));
}

/** The surviving regions that write to the writer across a join, as the verdict tells them. */
function writersElsewhere(ctx: LossContext, store: ReplicatedStore, writerRegion: string): string {
    const across = store.writePaths === undefined ? [] : serving(ctx).filter((r) => r !== writerRegion);
    return across.length > 0 ? ` (${list(across)} write(s) there across the VPC peering)` : "";
}

/**
 * With every region up: per region that runs services, where it writes each user database. A DocumentDB secondary takes
 * no writes, so a region other than the primary's writes only across a VPC peering to it; a Cosmos DB account takes
 * them through each region's own endpoint and routes them to its write region.
 */
export function userDatabaseWrites(stores: readonly ReplicatedStore[], services: ReadonlyMap<string, readonly string[]>): string[] {
    const regions = [...services.keys()].filter((r) => (services.get(r) ?? []).length > 0);
    return stores.filter((s) => s.kind === StoreKind.UserDatabase).flatMap((store) => {
        const writer = store.copies.find((c) => c.writable);
        if (writer === undefined) return [];
        const joined = (r: string) => (store.writePaths ?? []).some(([a, b]) => (a === r && b === writer.region) || (b === r && a === writer.region));
        return regions.map((r) => `${store.store}: ${r} ${r === writer.region ? `writes to ${writer.resource} in its own region`
            : store.writePaths === undefined ? `writes through its own endpoint; ${store.service} takes them in ${writer.region}`
            : joined(r) ? `writes to ${writer.resource} in ${writer.region} across the VPC peering`
            : `reaches no writer (no VPC peering to ${writer.region}): it only reads`}`);
    });
}

/** Region-local stores (caches, event buses): every surviving region that runs services has its own. */
export function regionLocalTier(ctx: LossContext, kind: StoreKind): RegionTierVerdict {
    const stores = ctx.stores.filter((s) => s.kind === kind);
    if (stores.length === 0) return verdict(kind, "absent", Failover.None, `no ${kind}`);
    const regionsWith = new Set(stores.flatMap((s) => s.reachableFrom));
    const without = serving(ctx).filter((r) => !regionsWith.has(r));
    if (without.length > 0) return verdict(kind, "down", Failover.None, `${list(without)} run(s) services but has no ${kind} of its own (each region's is region-local)`);
    const lost = stores.filter((s) => s.copies.some((c) => c.region === ctx.lost)).map((s) => s.store);
    const what = kind === StoreKind.Cache ? "the survivors' caches refill from the user database on miss" : "the cookies in its pipeline are lost; clients retry through the entry";
    return verdict(kind, "serving", Failover.None, lost.length === 0 ? `no ${kind} in ${ctx.lost}` : `${list(lost)} in ${ctx.lost} is lost with it (region-local, not replicated); ${what}`);
}

/** Analyses the loss of each region of the plan in turn. */
export function analyzeRegionLoss(plan: Plan): RegionLossReport {
    const { resources, regions } = regionalPlan(plan);
    const stores = replicatedStores(resources);
    const routes = entryRoutes(resources);
    const services = servicesByRegion(resources);
    const capacity = stampCapacity(resources, planZones(plan));
    const scenarios = regions.length < 2 ? [] : regions.map((lost): RegionLossScenario => {
        const ctx: LossContext = { lost, survivors: regions.filter((r) => r !== lost), stores, routes, services };
        const tiers = [entryTier(ctx), servicesTier(ctx), userDatabaseTier(ctx), regionLocalTier(ctx, StoreKind.Cache), regionLocalTier(ctx, StoreKind.EventBus), capacityTier(capacity, lost, ctx.survivors)];
        return { lostRegion: lost, tiers, survives: tiers.every((t) => t.status !== "down"), needsPerson: tiers.some((t) => t.status === "manual") };
    });
    return {
        stack: plan.stack, cloud: plan.cloud, regions, scenarios, recovery: stores.map(recoveryPoint), userDatabaseWrites: userDatabaseWrites(stores, services),
        survives: regions.length >= 2 && scenarios.every((s) => s.survives),
    };
}
