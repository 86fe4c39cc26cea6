/**
 * The hibernated state of a stack, as a model: the running plan with what is
 * cheap to keep and slow to create kept, and what costs money by the hour
 * stopped or removed, decided per resource type from the creation times
 * (creation-times.json) and prices (prices.json). The transition estimates and
 * the cost report read it; the stack program and the reconciler do not build it
 * yet, so `intergalactic:schedule.teardown: hibernate` is refused until they do.
 */
import { Plan, PlannedResource } from "../../engine/format";
import { Operation } from "./operationTimes";
import { requiredEdges } from "./tasks";
import { ServingModel, estimateTransition, formatTransition } from "./transition";
import { loadOperationTimes } from "./operationTimes";

/** What hibernation does to a resource. */
export const Hibernate = {
    /** Kept as it is: slow to create, cheap (or free) to keep, or holding data. */
    Keep: "keep",
    /** Kept with its compute at zero: an update on hibernate and on wake-up. */
    ScaleToZero: "scale-to-zero",
    /** Deleted on hibernate, created on wake-up: costs by the hour, quick to create, holds no data. */
    Remove: "remove",
} as const;
export type Hibernate = (typeof Hibernate)[keyof typeof Hibernate];

/** The decision for one resource type, and why (figures from the creation-times and price tables). */
export interface HibernationRule {
    readonly action: Hibernate;
    readonly why: string;
}

/** Types with a decision other than keep; every other type is kept (API objects, keys, networks). */
export const HIBERNATION_RULES: Readonly<Record<string, HibernationRule>> = {
    "aws:ec2/natGateway:NatGateway": { action: Hibernate.Remove, why: "$0.045/h each, 2 min to create, no data: removed with its Elastic IP and the routes to it" },
    "aws:ec2/eip:Eip": { action: Hibernate.Remove, why: "$0.005/h; only the NAT gateways' addresses, which go with them" },
    "aws:eks/nodeGroup:NodeGroup": { action: Hibernate.ScaleToZero, why: "$0.096/h per node; the group (launch template, IAM, add-ons) stays and scales back in 3-5 min" },
    "aws:autoscaling/group:Group": { action: Hibernate.ScaleToZero, why: "the bastion instance, $0.0104/h; back in 2-3 min" },
    "aws:docdb/clusterInstance:ClusterInstance": { action: Hibernate.Remove, why: "$0.078/h each and about 10 min to create: the replicas go, the primary (the first instance) stays so the services serve without waiting 10 min for one; the cluster keeps the data" },
    "aws:eks/cluster:Cluster": { action: Hibernate.Keep, why: "$0.10/h, but 15 min to create: kept so wake-up never waits for a control plane" },
    "aws:msk/cluster:Cluster": { action: Hibernate.Keep, why: "30 min to create and cannot be stopped: kept ($0.14/h for 3 small brokers)" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { action: Hibernate.Keep, why: "15 min to create or restore from a snapshot and cannot be stopped: kept ($0.096/h for 3 small nodes)" },
    "aws:docdb/cluster:Cluster": { action: Hibernate.Keep, why: "the storage volume with the data; no compute without instances" },
    "azure-native:network:NatGateway": { action: Hibernate.Remove, why: "$0.045/h, 30 s to create, no data: removed with its public IP; the subnets lose their NAT reference" },
    "azure-native:containerservice:AgentPool": { action: Hibernate.ScaleToZero, why: "$0.115/h per node; user pools scale to zero (the system pool keeps its one node) and back in about 5 min" },
    "azure-native:containerservice:ManagedCluster": { action: Hibernate.Keep, why: "Free-tier control plane costs nothing and takes 7 min to create" },
    "azure-native:network:BastionHost": { action: Hibernate.Remove, why: "$0.29/h, 10 min to create but not on the serving path: operators wait for it, the services do not" },
    "azure-native:redisenterprise:RedisEnterprise": { action: Hibernate.Keep, why: "15 min to create, cannot be stopped, and deleting it drops the cache (no snapshots): kept ($0.23/h)" },
    "azure-native:eventhub:Namespace": { action: Hibernate.Keep, why: "10 min to create: removing it alone would put wake-up over 10 min; kept at $1.23/h per processing unit, the largest hibernated cost" },
    "azure-native:cosmosdb:DatabaseAccount": { action: Hibernate.Keep, why: "holds the data; storage and the autoscale floor (10% of the maximum RU/s) are all it bills" },
};

/** The decision for one resource, with why. */
export interface HibernationDecision {
    readonly type: string;
    readonly name: string;
    readonly action: Hibernate;
    readonly why: string;
}

const isNatPublicIp = (r: PlannedResource, natIps: Set<string>) => r.type === "azure-native:network:PublicIPAddress" && natIps.has(r.id);

/** The hibernated plan of a running plan, and each decision that is not a plain keep. */
export function hibernatedPlan(running: Plan): { plan: Plan; decisions: HibernationDecision[] } {
    const decisions: HibernationDecision[] = [];
    const removed = new Set<string>();
    // Azure NAT gateways name their public IPs by id; AWS routes name the NAT gateway they use.
    const natIps = new Set(running.resources.filter((r) => r.type === "azure-native:network:NatGateway")
        .flatMap((r) => ((r.inputs.publicIpAddresses as { id: string }[] | undefined) ?? []).map((ip) => ip.id)));
    const primary = running.resources.find((r) => r.type === "aws:docdb/clusterInstance:ClusterInstance");
    for (const r of running.resources.filter((x) => x.custom)) {
        const rule = HIBERNATION_RULES[r.type];
        if (r === primary) {
            decisions.push({ type: r.type, name: r.name, action: Hibernate.Keep, why: "the DocumentDB primary: an instance takes about 10 min to create, over the wake-up budget" });
        } else if (rule?.action === Hibernate.Remove || isNatPublicIp(r, natIps) || (r.type === "aws:ec2/route:Route" && r.inputs.natGatewayId)) {
            removed.add(r.urn);
            decisions.push({ type: r.type, name: r.name, action: Hibernate.Remove, why: rule?.why ?? "goes with the NAT gateway it serves" });
        } else if (rule) {
            decisions.push({ type: r.type, name: r.name, action: rule.action, why: rule.why });
        }
    }
    const resources = running.resources.filter((r) => !removed.has(r.urn)).map((r) => scaledToZero(r));
    return { plan: { ...running, resources }, decisions };
}

function scaledToZero(r: PlannedResource): PlannedResource {
    const inputs = { ...r.inputs };
    if (r.type === "aws:eks/nodeGroup:NodeGroup") inputs.scalingConfig = { ...(inputs.scalingConfig as object), desiredSize: 0, minSize: 0 };
    else if (r.type === "aws:autoscaling/group:Group") Object.assign(inputs, { desiredCapacity: 0, minSize: 0 });
    else if (r.type === "azure-native:containerservice:AgentPool") Object.assign(inputs, { count: 0, minCount: 0 });
    else if (r.type === "azure-native:network:Subnet" && inputs.natGateway) delete inputs.natGateway;
    else return r;
    return { ...r, inputs };
}

/**
 * Serving after a wake-up. A workload whose nodes were scaled to zero serves once its pods are
 * rescheduled and ready although its inputs are unchanged: priced as a rollout, after what the
 * cloud requires before it (its values, schedulable nodes). The engine does not hold its pods back
 * for the DocumentDB replicas being re-created: with the primary kept the store serves, so the
 * replicas are left out of what serving waits for.
 */
export function wakeServing(running: Plan, decisions: readonly HibernationDecision[]): ServingModel {
    const replicas = new Set(running.resources.filter((r) => r.type === "aws:docdb/clusterInstance:ClusterInstance" &&
        decisions.some((d) => d.name === r.name && d.type === r.type && d.action === Hibernate.Remove)).map((r) => r.urn));
    const edges = new Map([...requiredEdges(running)].map(([urn, deps]) => [urn, deps.filter((d) => !replicas.has(d))]));
    return { op: (r) => (r.type === "kubernetes:apps/v1:Deployment" ? Operation.Update : undefined), edges };
}

/** The report's hibernation section: what goes and what stays, and the predicted hibernate and wake-up. */
export function formatHibernation(running: Plan, hibernated: { plan: Plan; decisions: HibernationDecision[] }): string {
    const times = loadOperationTimes();
    const wake = estimateTransition({ label: "hibernated", plan: hibernated.plan }, { label: "running", plan: running }, times, undefined, wakeServing(running, hibernated.decisions));
    const sleep = estimateTransition({ label: "running", plan: running }, { label: "hibernated", plan: hibernated.plan }, times);
    const byAction = (a: Hibernate) => [...new Map(hibernated.decisions.filter((d) => d.action === a).map((d) => [d.type, d.why])).entries()]
        .map(([type, why]) => `    ${type}: ${why}`);
    return [
        "Hibernation (modelled, tools/estimate/hibernation.ts):",
        "  removed:", ...byAction(Hibernate.Remove),
        "  scaled to zero:", ...byAction(Hibernate.ScaleToZero),
        "  kept:", ...byAction(Hibernate.Keep),
        formatTransition(wake),
        formatTransition(sleep),
    ].join("\n");
}
