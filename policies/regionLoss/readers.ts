/**
 * What a multi-region stack's resources say about surviving a region: which regions hold a copy of
 * each data store and which one takes its writes, how the global entry checks each region's health,
 * and which regions run services. Read from resources as the plan records them or as a policy sees
 * them, each already placed in its region by name (`engine/regions.ts` offline, the pack's
 * `stamps.ts` in a policy).
 *
 * Pure: it imports nothing, so the policy pack can list it among its shared modules.
 */

/** One resource, placed in its region: `inputs` are a plan's inputs or a policy resource's `props`. */
export interface RegionalResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The region's name (e.g. `eu-west-1`, `northeurope`); "" when it cannot be told. */
    readonly region: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    /** URNs of what it depends on. */
    readonly dependencies: readonly string[];
    /**
     * The top-level inputs whose value is not known yet, which `inputs` then holds as undefined: during a preview, an
     * input made of another resource's output the same up creates (its `id` above all). A plan records such a value as
     * `[unknown]` in `inputs` and lists nothing here.
     */
    readonly unknown?: readonly string[];
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The region a set of resources says it is in, by majority: an Azure `location`, the region of an AWS ARN
 * (`arn`, `kmsKeyId`) or of an `availabilityZone`. Names a stack's own region, which an offline plan (its default
 * provider) records as ""; "" when none tells.
 */
export function regionNamedBy(values: readonly Readonly<Record<string, unknown>>[]): string {
    const votes = new Map<string, number>();
    const vote = (region: string | undefined) => {
        if (region !== undefined && region !== "") votes.set(region, (votes.get(region) ?? 0) + 1);
    };
    for (const v of values) {
        if (typeof v.location === "string" && v.location.toLowerCase() !== "global") vote(v.location);
        for (const arn of [v.arn, v.kmsKeyId]) {
            const region = typeof arn === "string" ? arn.split(":")[3] : undefined;
            if (region !== undefined && AWS_REGION.test(region)) vote(region);
        }
        if (typeof v.availabilityZone === "string") vote(v.availabilityZone.replace(/[a-z]$/, ""));
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

/** The kinds of store a stamp holds. */
export const StoreKind = { UserDatabase: "user database", Cache: "cache", EventBus: "event bus" } as const;
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];

/** How a store's copies in other regions are kept. */
export const Replication = {
    /** A DocumentDB global cluster: one writable primary cluster, read-only secondaries. */
    DocDbGlobalCluster: "DocumentDB global cluster",
    /** A Cosmos DB account's further locations, with one write region. */
    CosmosLocations: "Cosmos DB locations",
    /** None: the store lives in one region only. */
    None: "none",
} as const;
export type Replication = (typeof Replication)[keyof typeof Replication];

/** One region's copy of a store. */
export interface StoreCopy {
    readonly region: string;
    /** The resource holding it (the cluster, account or namespace). */
    readonly resource: string;
    /** Whether this copy takes writes now. */
    readonly writable: boolean;
}

export interface ReplicatedStore {
    /** The store's component name (`users`, `cache-use1`), else its resource's. */
    readonly store: string;
    readonly kind: StoreKind;
    /** What it runs on (DocumentDB, Cosmos DB, ElastiCache, ...). */
    readonly service: string;
    readonly replication: Replication;
    readonly copies: readonly StoreCopy[];
    /** The regions whose networks reach a copy (AWS: where a copy is; Azure: where a private endpoint to the account is). */
    readonly reachableFrom: readonly string[];
    /** Cosmos DB: service-managed failover (`enableAutomaticFailover`); DocumentDB global clusters fail over only when a person asks. */
    readonly automaticFailover: boolean;
    /** Cosmos DB: the account's default consistency level. */
    readonly consistency?: string;
    /** DocumentDB: the global cluster's identifier, for the failover command. */
    readonly globalClusterIdentifier?: string;
    /**
     * DocumentDB global clusters: the pairs of regions whose networks are joined (`joinedRegions`). A stamp's services
     * write to the primary cluster's endpoint only, in its own region or across such a join: a secondary forwards no
     * writes (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters-connect.html).
     */
    readonly writePaths?: readonly (readonly [string, string])[];
}

const COMPONENT_TAG = "intergalactic:component";
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const tagOf = (r: RegionalResource): string => str((r.inputs.tags as Record<string, unknown> | undefined)?.[COMPONENT_TAG]) ?? r.name;
const ofType = (resources: readonly RegionalResource[], ...types: string[]) => resources.filter((r) => types.includes(r.type));
const dependsOn = (r: RegionalResource, on: RegionalResource) => r.dependencies.includes(on.urn);
/** Whether the resource sets the input: to a value, or to one a preview does not know yet (which the up will). */
const given = (r: RegionalResource, key: string) => r.inputs[key] !== undefined || (r.unknown ?? []).includes(key);
const unique = (values: readonly string[]) => [...new Set(values)];

export const DOCDB_CLUSTER = "aws:docdb/cluster:Cluster";
export const DOCDB_GLOBAL_CLUSTER = "aws:docdb/globalCluster:GlobalCluster";
export const COSMOS_ACCOUNT = "azure-native:cosmosdb:DatabaseAccount";
const PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint";

/** Region-local stores: one copy per resource, in its own region. */
const LOCAL_STORES: readonly { readonly type: string; readonly kind: StoreKind; readonly service: string }[] = [
    { type: "aws:elasticache/replicationGroup:ReplicationGroup", kind: StoreKind.Cache, service: "ElastiCache" },
    { type: "azure-native:redisenterprise:RedisEnterprise", kind: StoreKind.Cache, service: "Azure Managed Redis" },
    { type: "aws:msk/cluster:Cluster", kind: StoreKind.EventBus, service: "MSK" },
    { type: "azure-native:eventhub:Namespace", kind: StoreKind.EventBus, service: "Event Hubs" },
];

/** Every data store of the resources, with the regions holding a copy of it. */
export function replicatedStores(resources: readonly RegionalResource[]): ReplicatedStore[] {
    return [...documentDbStores(resources), ...cosmosStores(resources), ...LOCAL_STORES.flatMap((s) => ofType(resources, s.type).map((r): ReplicatedStore => ({
        store: tagOf(r), kind: s.kind, service: s.service, replication: Replication.None,
        copies: [{ region: r.region, resource: r.name, writable: true }], reachableFrom: [r.region], automaticFailover: false,
    })))];
}

/**
 * DocumentDB: a global cluster's primary is the cluster it was created from (its dependency, `sourceDbClusterIdentifier`),
 * its secondaries the clusters that join it (`globalClusterIdentifier`, depending on it); a cluster in no global cluster
 * is a store of one region. A secondary that names the global cluster by its `id` (as `HaMongo` does) names a value
 * the preview of the up that creates the global cluster does not know yet ("when ... pulumi preview runs, the outputs
 * for a new resource do not yet have any possible values", https://www.pulumi.com/docs/iac/concepts/inputs-outputs/apply/;
 * `@pulumi/policy` hands a policy such a value as unknown, its `proxy.js`): it joins all the same.
 */
function documentDbStores(resources: readonly RegionalResource[]): ReplicatedStore[] {
    const clusters = ofType(resources, DOCDB_CLUSTER);
    const inGlobal = new Set<string>();
    const globals = ofType(resources, DOCDB_GLOBAL_CLUSTER).map((g): ReplicatedStore => {
        const primary = clusters.filter((c) => dependsOn(g, c));
        const secondaries = clusters.filter((c) => dependsOn(c, g) && given(c, "globalClusterIdentifier"));
        for (const c of [...primary, ...secondaries]) inGlobal.add(c.urn);
        const copies = [...primary.map((c) => ({ region: c.region, resource: c.name, writable: true })), ...secondaries.map((c) => ({ region: c.region, resource: c.name, writable: false }))];
        return {
            store: primary[0] ? tagOf(primary[0]) : g.name, kind: StoreKind.UserDatabase, service: "DocumentDB", replication: Replication.DocDbGlobalCluster,
            copies, reachableFrom: unique(copies.map((c) => c.region)), automaticFailover: false, globalClusterIdentifier: str(g.inputs.globalClusterIdentifier),
            writePaths: joinedRegions(resources),
        };
    });
    const alone = clusters.filter((c) => !inGlobal.has(c.urn)).map((c): ReplicatedStore => ({
        store: tagOf(c), kind: StoreKind.UserDatabase, service: "DocumentDB", replication: Replication.None,
        copies: [{ region: c.region, resource: c.name, writable: true }], reachableFrom: [c.region], automaticFailover: false,
    }));
    return [...globals, ...alone];
}

const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const PEERING_ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter";
const ROUTE = "aws:ec2/route:Route";

/**
 * The pairs of regions whose networks are joined: a VPC peering requested in one region and accepted in the other (its
 * accepter depends on the request), with routes through it in both. Without the accepter an inter-region request never
 * becomes active; without the routes on one side no reply comes back.
 */
export function joinedRegions(resources: readonly RegionalResource[]): (readonly [string, string])[] {
    const routes = ofType(resources, ROUTE);
    return ofType(resources, PEERING_ACCEPTER).flatMap((accepter): (readonly [string, string])[] => {
        const request = ofType(resources, PEERING).find((p) => dependsOn(accepter, p));
        if (request === undefined || request.region === accepter.region) return [];
        const sides = new Set(routes.filter((r) => dependsOn(r, accepter) || dependsOn(r, request)).map((r) => r.region));
        return sides.has(request.region) && sides.has(accepter.region) ? [[request.region, accepter.region]] : [];
    });
}

/** Cosmos DB: a copy per location; the write region is failover priority 0 (every location with multi-region writes). */
function cosmosStores(resources: readonly RegionalResource[]): ReplicatedStore[] {
    return ofType(resources, COSMOS_ACCOUNT).map((account): ReplicatedStore => {
        const locations = ((account.inputs.locations as { locationName?: string; failoverPriority?: number }[] | undefined) ?? [])
            .filter((l) => str(l.locationName) !== undefined)
            .sort((a, b) => (a.failoverPriority ?? 0) - (b.failoverPriority ?? 0));
        const multiWrite = account.inputs.enableMultipleWriteLocations === true;
        const copies = locations.map((l, i) => ({ region: l.locationName as string, resource: account.name, writable: multiWrite || i === 0 }));
        const endpoints = ofType(resources, PRIVATE_ENDPOINT).filter((e) => dependsOn(e, account));
        const reachableFrom = account.inputs.publicNetworkAccess === "Disabled" ? unique(endpoints.map((e) => e.region)) : unique(copies.map((c) => c.region));
        return {
            store: tagOf(account), kind: StoreKind.UserDatabase, service: "Cosmos DB", replication: copies.length > 1 ? Replication.CosmosLocations : Replication.None,
            copies, reachableFrom, automaticFailover: account.inputs.enableAutomaticFailover === true,
            consistency: str((account.inputs.consistencyPolicy as Record<string, unknown> | undefined)?.defaultConsistencyLevel),
        };
    });
}

/** How the entry learns that a region is down. */
export const EntryService = { Route53: "Route 53", FrontDoor: "Front Door" } as const;
export type EntryService = (typeof EntryService)[keyof typeof EntryService];

/** One region behind the global entry. */
export interface EntryRoute {
    readonly service: EntryService;
    readonly region: string;
    /** The record or origin. */
    readonly resource: string;
    /** What checks the region's health; undefined when nothing does (the entry keeps sending clients there). */
    readonly healthCheck?: string;
    /** False for a disabled Front Door origin. */
    readonly enabled: boolean;
}

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ORIGIN = "azure-native:cdn:AFDOrigin";
const ORIGIN_GROUP = "azure-native:cdn:AFDOriginGroup";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ROUTING_POLICIES = ["latencyRoutingPolicies", "failoverRoutingPolicies", "weightedRoutingPolicies", "geolocationRoutingPolicies", "geoproximityRoutingPolicy"];

/**
 * The routes of the global entry: Route 53 records of a routing policy (a set identifier) and Front Door origins, each
 * in the region of the Ingress it points at (else the region its latency policy names, else its own).
 */
export function entryRoutes(resources: readonly RegionalResource[]): EntryRoute[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ingressRegion = (r: RegionalResource) => r.dependencies.map((d) => byUrn.get(d)).find((d) => d?.type === INGRESS)?.region;
    const healthChecks = ofType(resources, HEALTH_CHECK);
    const checksOf = (r: RegionalResource) => healthChecks.filter((c) => dependsOn(r, c));
    const records = ofType(resources, RECORD).filter((r) => str(r.inputs.setIdentifier) !== undefined && ROUTING_POLICIES.some((p) => r.inputs[p] !== undefined));
    const routes = records.map((r): EntryRoute => {
        const alias = ((r.inputs.aliases as { evaluateTargetHealth?: boolean }[] | undefined) ?? [])[0];
        const latency = str(((r.inputs.latencyRoutingPolicies as { region?: string }[] | undefined) ?? [])[0]?.region);
        const checks = [...recordHealthChecks(r, checksOf(r)), ...(alias?.evaluateTargetHealth === true ? ["the alias target's health (evaluate target health)"] : [])];
        return { service: EntryService.Route53, region: ingressRegion(r) ?? latency ?? r.region, resource: r.name, healthCheck: checks.length > 0 ? checks.join(" and ") : undefined, enabled: true };
    });
    const groups = ofType(resources, ORIGIN_GROUP);
    const origins = ofType(resources, ORIGIN).map((o): EntryRoute => {
        const group = groups.find((g) => dependsOn(o, g));
        const probe = group?.inputs.healthProbeSettings as { probePath?: string; probeIntervalInSeconds?: number; probeProtocol?: string } | undefined;
        const healthCheck = probe && str(probe.probePath) !== undefined ? `${probe.probeProtocol ?? "HTTP"} probes of ${probe.probePath} every ${probe.probeIntervalInSeconds ?? 240} s (origin group ${group?.name})` : undefined;
        return { service: EntryService.FrontDoor, region: ingressRegion(o) ?? o.region, resource: o.name, healthCheck, enabled: o.inputs.enabledState !== "Disabled" };
    });
    return [...routes, ...origins];
}

/**
 * What a record's Route 53 health check requests: the check it names (`healthCheckId`) among those it depends on. A
 * disabled check is healthy to Route 53 whatever the endpoint answers, which keeps routing there (the provider's
 * `disabled` doc), so it checks nothing. A record without `healthCheckId` has none, whatever it depends on; one whose
 * `healthCheckId` a preview does not know yet (the id of a check the same up creates) names it all the same.
 */
function recordHealthChecks(record: RegionalResource, checks: readonly RegionalResource[]): string[] {
    if (str(record.inputs.healthCheckId) === undefined && !given(record, "healthCheckId")) return [];
    const named = checks.length > 0 ? checks : [undefined];
    return named.filter((c) => c?.inputs.disabled !== true).map((c) => c === undefined ? "a Route 53 health check"
        : `${str(c.inputs.type) ?? "HTTP"} checks of ${str(c.inputs.resourcePath) ?? "/"} every ${typeof c.inputs.requestInterval === "number" ? c.inputs.requestInterval : 30} s (health check ${c.name})`);
}

/**
 * What makes two stamps' Deployments one service: `<namespace>/<name>`, a Deployment's identity in its cluster
 * (`default` when the manifest names no namespace). The services tier and the capacity tier both match by it.
 */
export function serviceKey(r: RegionalResource): string {
    const metadata = r.inputs.metadata as Record<string, unknown> | undefined;
    return `${str(metadata?.namespace) ?? "default"}/${str(metadata?.name) ?? r.name}`;
}

/** The Deployments of each region, by {@link serviceKey}. */
export function servicesByRegion(resources: readonly RegionalResource[]): Map<string, string[]> {
    const regions = new Map<string, string[]>();
    for (const d of ofType(resources, "kubernetes:apps/v1:Deployment")) regions.set(d.region, [...(regions.get(d.region) ?? []), serviceKey(d)]);
    return regions;
}
