/**
 * Per tier, whether the environment keeps serving after a zone loss, judged
 * on the plan without that zone's resources (see removal.ts).
 */
import { Plan, PlannedResource } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { albOf } from "../pack/albIngress";
import { topicConfigs } from "../pack/redundancy/dataStores";

/** `serving`: keeps working; `down`: stops or loses data; `absent`: the stack has no such tier yet. */
export type TierStatus = "serving" | "down" | "absent";

export interface TierVerdict {
    readonly tier: string;
    readonly status: TierStatus;
    readonly detail: string;
}

/** What a tier check gets: the plan before and after the loss, the lost zone and the zones that remain. */
export interface LossContext {
    readonly before: Plan;
    /** Zones of resources are read before the loss: afterwards the lost zone's subnets are gone. */
    readonly beforeGraph: PlanGraph;
    readonly survivors: Plan;
    readonly graph: PlanGraph;
    readonly lost: string;
    readonly remaining: readonly string[];
}

const ofType = (plan: Plan, ...types: string[]) => plan.resources.filter((r) => types.includes(r.type));
const at = (value: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
const verdict = (tier: string, status: TierStatus, detail: string): TierVerdict => ({ tier, status, detail });

/** Every remaining app subnet still has a default route through a NAT gateway that survived. */
export function egressTier(ctx: LossContext): TierVerdict {
    const tier = "network egress";
    const appBefore = ctx.beforeGraph.networkSubnets().filter((s) => s.tier === "app");
    const app = ctx.graph.networkSubnets().filter((s) => s.tier === "app");
    const nats = ofType(ctx.survivors, "aws:ec2/natGateway:NatGateway", "azure-native:network:NatGateway");
    const natIds = new Set(nats.map((n) => n.id));
    if (appBefore.length === 0) return verdict(tier, "absent", "no app subnets");
    if (ofType(ctx.before, "aws:ec2/natGateway:NatGateway", "azure-native:network:NatGateway").length === 0) {
        return verdict(tier, "absent", "the network has no NAT gateways (natStrategy None)");
    }
    if (app.length === 0) return verdict(tier, "down", `every app subnet was in ${ctx.lost}`);
    const cut = app.filter((s) => !natIds.has(natOf(ctx.survivors, s.id) ?? ""));
    return cut.length === 0
        ? verdict(tier, "serving", `every app subnet in ${ctx.remaining.join(", ")} routes through a NAT gateway that survived`)
        : verdict(tier, "down", `app subnet(s) in ${[...new Set(cut.map((s) => s.zone))].join(", ")} lose their NAT gateway (it was in ${ctx.lost})`);
}

/** The NAT gateway id a subnet's default route uses: Azure's subnet property, AWS's route table. */
function natOf(plan: Plan, subnetId: string): string | undefined {
    const azure = plan.resources.find((r) => r.type === "azure-native:network:Subnet" && r.id === subnetId);
    if (azure) return at(azure.inputs, "natGateway.id") as string | undefined;
    const association = plan.resources.find((r) => r.type === "aws:ec2/routeTableAssociation:RouteTableAssociation" && r.inputs.subnetId === subnetId);
    const route = plan.resources.find((r) => r.type === "aws:ec2/route:Route" && r.inputs.routeTableId === association?.inputs.routeTableId && r.inputs.destinationCidrBlock === "0.0.0.0/0");
    return route?.inputs.natGatewayId as string | undefined;
}

/**
 * The Ingress class of AKS application routing: its managed NGINX runs on the cluster's nodes behind
 * the cluster's Standard Load Balancer, which AKS (not Pulumi) creates. In a region with zones that
 * load balancer's frontend is zone-redundant ([Standard Load Balancer and availability zones](https://learn.microsoft.com/azure/load-balancer/load-balancer-standard-availability-zones);
 * [AKS availability zones](https://learn.microsoft.com/azure/aks/availability-zones)), so such an
 * Ingress serves from every zone the cluster's node pools span.
 */
const AKS_APP_ROUTING_CLASS = "webapprouting.kubernetes.azure.com";

/** The zones the AKS node pools of a plan span (separate agent pools and the cluster's inline profiles). */
function aksNodeZones(plan: Plan): string[] {
    const pools = ofType(plan, "azure-native:containerservice:AgentPool").map((p) => p.inputs);
    const inline = ofType(plan, "azure-native:containerservice:ManagedCluster").flatMap((c) => (at(c.inputs, "agentPoolProfiles") as Record<string, unknown>[] | undefined) ?? []);
    const zones = [...pools, ...inline].flatMap((p) => (Array.isArray(p.availabilityZones) ? p.availabilityZones.map(String) : []));
    return [...new Set(zones)].sort();
}

/**
 * Every load balancer keeps a zone: Pulumi-made ones by their subnets or zones, ALB Ingresses by their
 * subnets annotation (else the public tier), AKS application routing Ingresses by the node pools' zones.
 */
export function loadBalancerTier(ctx: LossContext): TierVerdict {
    const types = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "azure-native:network:ApplicationGateway"];
    const subnets = ctx.beforeGraph.networkSubnets();
    const lbs: [string, string[]][] = [
        ...ofType(ctx.before, ...types).map((lb): [string, string[]] => [lb.name, ctx.beforeGraph.zonesOf(lb)]),
        ...ofType(ctx.before, "kubernetes:networking.k8s.io/v1:Ingress").flatMap((ing): [string, string[]][] => {
            const alb = albOf(ing.inputs);
            if (!alb) return [];
            const named = alb.subnets.length > 0 ? subnets.filter((s) => alb.subnets.includes(s.id)) : subnets.filter((s) => s.tier === (alb.internetFacing ? "public" : "app"));
            return [[`Ingress ${ing.name}`, [...new Set(named.map((s) => s.zone).filter((z) => z !== ""))]]];
        }),
        ...ofType(ctx.before, "kubernetes:networking.k8s.io/v1:Ingress")
            .filter((ing) => at(ing.inputs, "spec.ingressClassName") === AKS_APP_ROUTING_CLASS)
            .map((ing): [string, string[]] => [`Ingress ${ing.name} (AKS application routing)`, aksNodeZones(ctx.before)]),
    ];
    if (lbs.length === 0) return verdict("load balancers", "absent", "no load balancer in the stack");
    const stranded = lbs.filter(([, zones]) => zones.length > 0 && zones.every((z) => z === ctx.lost));
    return stranded.length === 0
        ? verdict("load balancers", "serving", `${lbs.map(([name, zones]) => `${name} keeps ${zones.filter((z) => z !== ctx.lost).join(", ") || "its zones"}`).join("; ")}`)
        : verdict("load balancers", "down", `${stranded.map(([name]) => name).join(", ")} had no zone but ${ctx.lost}`);
}

/** Kafka keeps a controller quorum and, per partition, at least min.insync.replicas in-sync replicas. */
export function kafkaTier(ctx: LossContext): TierVerdict {
    const tier = "kafka";
    const msk = ofType(ctx.survivors, "aws:msk/cluster:Cluster")[0];
    const hubs = ofType(ctx.survivors, "azure-native:eventhub:Namespace")[0];
    if (hubs) {
        return hubs.inputs.zoneRedundant === true
            ? verdict(tier, "serving", `Event Hubs namespace ${hubs.name} is zone-redundant: its replicas span the zones`)
            : verdict(tier, "down", `Event Hubs namespace ${hubs.name} is not zone-redundant`);
    }
    if (!msk) {
        return ofType(ctx.before, "aws:msk/cluster:Cluster").length > 0 ? verdict(tier, "down", `every broker was in ${ctx.lost}`) : verdict(tier, "absent", "no Kafka in the stack");
    }
    const zones = ctx.beforeGraph.zonesOf(msk);
    const brokers = Number(msk.inputs.numberOfBrokerNodes ?? 0);
    const config = ofType(ctx.survivors, "aws:msk/configuration:Configuration")[0];
    const props = new Map(String(config?.inputs.serverProperties ?? "").split(/\r?\n/).map((l) => l.split("=").map((x) => x.trim()) as [string, string]));
    const clusterRf = Number(props.get("default.replication.factor") ?? 3);
    const clusterIsr = Number(props.get("min.insync.replicas") ?? 2);
    if (!zones.includes(ctx.lost)) return verdict(tier, "serving", `no broker in ${ctx.lost}`);
    // MSK spreads brokers evenly over the zones and each partition's replicas over distinct zones (rack awareness).
    const left = brokers - brokers / zones.length;
    const quorum = zones.length >= 3;
    const topics = ofType(ctx.before, "aws:msk/topic:Topic").map((t) => ({
        name: String(t.inputs.name ?? t.name), rf: Number(t.inputs.replicationFactor ?? clusterRf),
        minIsr: Number(topicConfigs(t.inputs.configs)["min.insync.replicas"] ?? clusterIsr),
    }));
    const checked = topics.length > 0 ? topics : [{ name: "(cluster defaults)", rf: clusterRf, minIsr: clusterIsr }];
    const blocked = checked.filter((t) => t.rf - Math.ceil(t.rf / zones.length) < t.minIsr);
    const ok = left > 0 && blocked.length === 0 && quorum;
    const worst = checked[0];
    return verdict(tier, ok ? "serving" : "down", `${left}/${brokers} brokers left; ` +
        (blocked.length > 0 ? `topic(s) ${blocked.map((t) => t.name).join(", ")} fall below min.insync.replicas and refuse writes` : `every partition keeps ${worst.rf - Math.ceil(worst.rf / zones.length)} of ${worst.rf} replicas (min.insync.replicas ${worst.minIsr})`) +
        `; controller quorum ${quorum ? "kept" : "lost"} with ${zones.length - 1}/${zones.length} zones`);
}

/** Redis keeps a member that can be (or is) the primary. */
export function redisTier(ctx: LossContext): TierVerdict {
    const tier = "redis";
    const aws = ofType(ctx.survivors, "aws:elasticache/replicationGroup:ReplicationGroup")[0];
    const azure = ofType(ctx.survivors, "azure-native:redisenterprise:RedisEnterprise")[0];
    if (azure) return azureRedis(ctx, azure);
    if (!aws) {
        return ofType(ctx.before, "aws:elasticache/replicationGroup:ReplicationGroup").length > 0 ? verdict(tier, "down", `every member was in ${ctx.lost}`) : verdict(tier, "absent", "no Redis in the stack");
    }
    // Members can only be in zones the network has subnets in.
    const networkZones = [...ctx.remaining, ctx.lost];
    const members = ((aws.inputs.preferredCacheClusterAzs as string[] | undefined) ?? ctx.beforeGraph.zonesOf(aws)).filter((z) => networkZones.includes(z));
    const surviving = members.filter((z) => z !== ctx.lost);
    const primaryLost = members[0] === ctx.lost;
    if (surviving.length === 0) return verdict(tier, "down", `every member was in ${ctx.lost}`);
    if (primaryLost && aws.inputs.automaticFailoverEnabled !== true) return verdict(tier, "down", `the primary was in ${ctx.lost} and automatic failover is off`);
    return verdict(tier, "serving", `${surviving.length}/${members.length} members left${primaryLost ? "; a replica is promoted" : ""}`);
}

function azureRedis(ctx: LossContext, redis: PlannedResource): TierVerdict {
    const zones = (redis.inputs.zones as string[] | undefined) ?? [];
    if (redis.inputs.highAvailability === "Disabled") return verdict("redis", "down", `${redis.name} has high availability off: one node, no replica`);
    if (zones.length > 0 && zones.every((z) => z === ctx.lost)) return verdict("redis", "down", `${redis.name} was only in zone ${ctx.lost}`);
    return verdict("redis", "serving", zones.length > 0 ? `${redis.name} keeps zones ${zones.filter((z) => z !== ctx.lost).join(", ")}` : `${redis.name} is highly available and zone-redundant`);
}

/** Mongo keeps a member that can be elected primary. */
export function mongoTier(ctx: LossContext): TierVerdict {
    const tier = "mongo";
    const cosmos = ofType(ctx.survivors, "azure-native:cosmosdb:DatabaseAccount")[0];
    if (cosmos) {
        const locations = (cosmos.inputs.locations as { isZoneRedundant?: boolean }[] | undefined) ?? [];
        return locations.length > 0 && locations.every((l) => l.isZoneRedundant === true)
            ? verdict(tier, "serving", `${cosmos.name} is zone-redundant`)
            : verdict(tier, "down", `${cosmos.name} is not zone-redundant`);
    }
    const all = ofType(ctx.before, "aws:docdb/clusterInstance:ClusterInstance");
    if (all.length === 0) return verdict(tier, "absent", "no Mongo in the stack");
    const left = ofType(ctx.survivors, "aws:docdb/clusterInstance:ClusterInstance");
    return left.length > 0
        ? verdict(tier, "serving", `${left.length}/${all.length} instances left; DocumentDB promotes one of them if the primary was lost`)
        : verdict(tier, "down", `every instance was in ${ctx.lost}`);
}

/** Each service keeps replicas on nodes in the surviving zones. */
export function servicesTier(ctx: LossContext): TierVerdict {
    const tier = "services";
    const deployments = ofType(ctx.before, "kubernetes:apps/v1:Deployment");
    const pools = ofType(ctx.survivors, "aws:eks/nodeGroup:NodeGroup", "aws:autoscaling/group:Group", "azure-native:containerservice:AgentPool", "azure-native:containerservice:ManagedCluster")
        .filter((p) => p.type !== "aws:autoscaling/group:Group" || /node|worker/i.test(p.name));
    const nodeZones = [...new Set(pools.flatMap((p) => poolZones(ctx.beforeGraph, p)))].filter((z) => z !== ctx.lost && ctx.remaining.includes(z));
    if (deployments.length === 0) return verdict(tier, "absent", `no Deployments yet (nodes left in ${nodeZones.join(", ") || "no zone"})`);
    if (nodeZones.length === 0) return verdict(tier, "down", "no node pool keeps a node in a surviving zone");
    const hpas = ofType(ctx.before, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    const stranded = deployments.filter((d) => replicasLeft(d, nodeZones.length + 1, hpas) < 1);
    return stranded.length === 0
        ? verdict(tier, "serving", `${deployments.length} Deployment(s) keep replicas on nodes in ${nodeZones.join(", ")}`)
        : verdict(tier, "down", `${stranded.map((d) => d.name).join(", ")} may have had every replica in ${ctx.lost}`);
}

function poolZones(graph: PlanGraph, pool: PlannedResource): string[] {
    if (pool.type === "azure-native:containerservice:ManagedCluster") {
        return ((pool.inputs.agentPoolProfiles as { availabilityZones?: string[] }[] | undefined) ?? []).flatMap((p) => p.availabilityZones ?? []);
    }
    return graph.zonesOf(pool);
}

/**
 * Replicas left after losing one of `zones` zones: spread pods lose at most ceil(n/zones); unspread ones may all be in it.
 * A Deployment with an autoscaler sets no count of its own: the HPA's `minReplicas` is the floor.
 */
function replicasLeft(deployment: PlannedResource, zones: number, hpas: PlannedResource[]): number {
    const namespace = (r: PlannedResource) => String(at(r.inputs, "metadata.namespace") ?? "default");
    const hpa = hpas.find((h) => namespace(h) === namespace(deployment) && at(h.inputs, "spec.scaleTargetRef.kind") === "Deployment"
        && at(h.inputs, "spec.scaleTargetRef.name") === at(deployment.inputs, "metadata.name"));
    const replicas = Number((hpa ? at(hpa.inputs, "spec.minReplicas") : at(deployment.inputs, "spec.replicas")) ?? 1);
    const constraints = (at(deployment.inputs, "spec.template.spec.topologySpreadConstraints") as { topologyKey?: string }[] | undefined) ?? [];
    const spread = constraints.some((c) => c.topologyKey === "topology.kubernetes.io/zone");
    return spread ? replicas - Math.ceil(replicas / zones) : 0;
}
