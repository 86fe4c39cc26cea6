/**
 * The hibernated state of a stack: the stack program's own plan in
 * `intergalactic:schedule.mode: hibernated` (stacks/hibernation.ts), and why
 * each resource it drops or changes goes, from the creation times
 * (creation-times.json) and prices (prices.json). The wake-up runs the program
 * in `waking` mode (the running plan with the node counts written back). The
 * transition estimates and the cost report read these plans.
 */
import { Plan } from "../../engine/format";
import { Operation } from "./operationTimes";
import { requiredEdges } from "./tasks";
import { ServingModel, estimateTransition, formatTransition } from "./transition";
import { formatDuration } from "./estimate";
import { loadOperationTimes } from "./operationTimes";
import { ROOT, planStack } from "../../engine/planStack";
import { loadStackFiles } from "../../engine/stackFiles";

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
    /** Why the resources of the type that the hibernated plan leaves as they are stay, where only some take `action`. */
    readonly keptWhy?: string;
}

/**
 * Why, per type, for what the program's hibernated plan removes, scales or keeps (a test checks each
 * action against the program's plans). Types not listed are kept (API objects, keys, networks) or go with
 * the component they belong to (the bastion's role, groups and template).
 */
export const HIBERNATION_RULES: Readonly<Record<string, HibernationRule>> = {
    "aws:ec2/natGateway:NatGateway": { action: Hibernate.Keep, why: "$0.045/h: kept, since re-creating it would put a NAT gateway (reported at up to 5-10 min, kubernetes/kops#944) on the wake-up's serving path, and dev's egress address stays the same" },
    "aws:eks/nodeGroup:NodeGroup": { action: Hibernate.ScaleToZero, why: "$0.096/h per node; the group (launch template, IAM, add-ons) stays at minimum and desired 0, and the wake-up writes its counts back (3-5 min)" },
    "aws:autoscaling/group:Group": { action: Hibernate.Remove, why: "the bastion, $0.0104/h: removed with its template, role and security group; nothing serves through it, and it is back in 2-3 min" },
    "aws:docdb/clusterInstance:ClusterInstance": { action: Hibernate.Remove, why: "$0.078/h each and about 10 min to create: the replicas go, the first instance stays so the services serve without waiting 10 min for one; the cluster volume keeps the data" },
    "aws:eks/cluster:Cluster": { action: Hibernate.Keep, why: "$0.10/h, but 15 min to create: kept so wake-up never waits for a control plane" },
    "aws:msk/cluster:Cluster": { action: Hibernate.Keep, why: "30 min to create and cannot be stopped: kept ($0.14/h for 3 small brokers)" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { action: Hibernate.Keep, why: "15 min to create or restore from a snapshot and cannot be stopped: kept ($0.096/h for 3 small nodes)" },
    "aws:docdb/cluster:Cluster": { action: Hibernate.Keep, why: "the storage volume with the data; no compute without instances" },
    "azure-native:network:NatGateway": { action: Hibernate.Keep, why: "$0.045/h: kept, since AKS's outbound type userAssignedNATGateway gives the system pools' nodes, which keep running, their only egress" },
    "azure-native:containerservice:AgentPool": {
        action: Hibernate.ScaleToZero,
        why: "$0.115/h per Standard_D2s_v5 node (small): the last zone's user pool is stopped (powerState Stopped: its VMs stop and bill no compute, its autoscaler stops with it, https://learn.microsoft.com/azure/aks/start-stop-nodepools) with its count kept; the wake-up starts it, priced as a pool update",
        keptWhy: "kept running at their counts: AKS runs one agent pool operation per cluster at a time (\"Another agentpool operation ... is in progress\", cilium/cilium#25944, Azure/AKS#1913), so a wake-up starts stopped pools one after another, 5 min each, and only one start and the rollouts fit in 10 minutes (all three stopped: 16m 30s)",
    },
    "azure-native:containerservice:ManagedCluster": { action: Hibernate.Keep, why: "Free-tier control plane costs nothing and takes 7 min to create" },
    "azure-native:network:BastionHost": { action: Hibernate.Remove, why: "$0.29/h, 10 min to create but not on the serving path: operators wait for it, the services do not; its public IP goes with it" },
    "azure-native:redisenterprise:RedisEnterprise": { action: Hibernate.Keep, why: "15 min to create, cannot be stopped, and deleting it drops the cache (no snapshots): kept ($0.23/h); a data store's inputs stay the same in every mode" },
    "azure-native:eventhub:Namespace": { action: Hibernate.Keep, why: "10 min to create, cannot be paused, and it holds the events within their retention: kept at $1.23/h per processing unit, the largest hibernated cost; a data store's inputs stay the same in every mode" },
    "azure-native:cosmosdb:DatabaseAccount": { action: Hibernate.Keep, why: "holds the data; storage and the autoscale floor (10% of the maximum RU/s, billed whatever the load) are all it bills idle; lowering the maximum would change a data store's inputs, which stay the same in every mode" },
};

/** A step between woken nodes and serving that no operation table prices, with its source. */
export interface WakeStep {
    readonly seconds: number;
    readonly basis: "documented" | "reported" | "estimate";
    readonly source: string;
    readonly note: string;
}

/**
 * What serving waits for after the nodes, besides the services' own rollouts (each priced as a Deployment
 * rollout, 90 s, when its pods were evicted by the hibernation):
 * - CoreDNS: an EKS add-on running as a Deployment on the app nodes; the services resolve their stores through it.
 * - The AWS Load Balancer Controller: its pods were evicted too; it registers targets only once running.
 * - The ALB's targets: the controller registers a pod only once it passed its readiness checks
 *   (kubernetes-sigs/aws-load-balancer-controller#3678), then the target group needs its healthy threshold of
 *   checks: the controller's defaults are 2 checks 15 s apart; the registration itself is an API call.
 */
export const WAKE_STEPS = {
    coreDns: { seconds: 90, basis: "estimate", source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html", note: "CoreDNS is a Deployment (2 replicas) on the nodes: rescheduled and ready as a rollout." },
    lbController: { seconds: 90, basis: "estimate", source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/", note: "The controller is a Deployment on the nodes: rescheduled and ready as a rollout, then it reconciles the Ingress." },
    albTargets: { seconds: 45, basis: "documented", source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#health-check", note: "Healthy threshold 2 x interval 15 s (the controller's defaults) = 30 s after registration, which follows the pod's readiness (kubernetes-sigs/aws-load-balancer-controller#3678); 15 s for the controller's reconcile and the registration call." },
} as const satisfies Record<string, WakeStep>;

/** The wake-up goal of issue 18: serving within 10 minutes of the wake-up's start. */
export const WAKE_GOAL_SECONDS = 600;

const LB_CONTROLLER_CHART = "aws-load-balancer-controller";

/** The types whose nodes run the workloads. */
const NODE_TYPES = ["aws:eks/nodeGroup:NodeGroup", "azure-native:containerservice:AgentPool"];

/** The decision for one resource, with why. */
export interface HibernationDecision {
    readonly type: string;
    readonly name: string;
    readonly action: Hibernate;
    readonly why: string;
}

/** A hibernated plan and the decisions that made it. */
export interface HibernatedState {
    readonly plan: Plan;
    readonly decisions: HibernationDecision[];
}

const canonical = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b))) : v);

/** What hibernation did to each cloud resource of the running plan, read from the two plans the program builds. */
export function hibernationDecisions(running: Plan, hibernated: Plan): HibernationDecision[] {
    const after = new Map(hibernated.resources.map((r) => [r.urn, r]));
    return running.resources.filter((r) => r.custom).map((r): HibernationDecision => {
        const kept = after.get(r.urn);
        const action = !kept ? Hibernate.Remove : canonical(kept.inputs) === canonical(r.inputs) ? Hibernate.Keep : Hibernate.ScaleToZero;
        const rule = HIBERNATION_RULES[r.type];
        const why = rule?.action === action ? rule.why
            : action === Hibernate.Keep && rule?.keptWhy ? rule.keptWhy
            : action === Hibernate.Remove ? (r.type === "aws:ec2/route:Route" ? "goes with the NAT gateway it routes to" : "goes with the component it belongs to (the bastion)")
                : action === Hibernate.Keep ? "kept as it is" : "changed by the hibernated plan";
        return { type: r.type, name: r.name, action, why };
    });
}

/** The hibernated state of a stack whose running plan is given: the program's plan in hibernated mode. */
export async function hibernatedState(running: Plan, root = ROOT): Promise<HibernatedState> {
    const plan = await planInMode(running.stack, "hibernated", root);
    return { plan, decisions: hibernationDecisions(running, plan) };
}

/** The scheduler's modes of a stack program (`intergalactic:schedule.mode`, stacks/config/schedule.ts). */
export type StackMode = "running" | "hibernated" | "waking";

/**
 * The config that runs a stack's program in a mode: its `intergalactic:schedule` section with `mode`
 * set, as the scheduler sets it (`pulumi config set --path intergalactic:schedule.mode`).
 */
export function modeConfig(stack: string, mode: StackMode, root = ROOT): Record<string, string> {
    const section = loadStackFiles(root, stack).config["intergalactic:schedule"];
    return { "intergalactic:schedule": JSON.stringify({ ...(section === undefined ? {} : JSON.parse(section)), mode }) };
}

/** Plans a stack's program in one of the scheduler's modes. */
export function planInMode(stack: string, mode: StackMode, root = ROOT): Promise<Plan> {
    return planStack(stack, root, undefined, modeConfig(stack, mode, root));
}

/**
 * Serving after a wake-up. A workload whose nodes were scaled to zero serves once its pods are
 * rescheduled and ready although its inputs are unchanged: priced as a rollout, after what the
 * cloud requires before it (its values, schedulable nodes). The engine does not hold its pods back
 * for the DocumentDB replicas being re-created: with the primary kept the store serves, so the
 * replicas are left out of what serving waits for. Azure's user pools are stopped, not scaled: their
 * start is the pool's update, and the workloads roll out after it as on AWS.
 */
export function wakeServing(running: Plan, decisions: readonly HibernationDecision[]): ServingModel {
    const nodesStopped = decisions.some((d) => d.action === Hibernate.ScaleToZero && NODE_TYPES.includes(d.type));
    const replicas = new Set(running.resources.filter((r) => r.type === "aws:docdb/clusterInstance:ClusterInstance" &&
        decisions.some((d) => d.name === r.name && d.type === r.type && d.action === Hibernate.Remove)).map((r) => r.urn));
    const edges = new Map([...requiredEdges(running)].map(([urn, deps]) => [urn, deps.filter((d) => !replicas.has(d))]));
    const step = (r: { type: string; inputs: Record<string, unknown> }): WakeStep | undefined => {
        if (r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "coredns") return WAKE_STEPS.coreDns;
        if (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === LB_CONTROLLER_CHART) return WAKE_STEPS.lbController;
        if (r.type === "kubernetes:networking.k8s.io/v1:Ingress" && (r.inputs.spec as { ingressClassName?: string } | undefined)?.ingressClassName === "alb") return WAKE_STEPS.albTargets;
        return undefined;
    };
    // The ALB serves once the rolled-out pods are its healthy targets: its Ingress waits for every Deployment and
    // the controller. Nothing else does at run time: the engine orders objects after the controller for its
    // webhooks on create, but the services' pods start beside it on the woken nodes (its pod webhook only
    // injects readiness gates in namespaces labelled for it, which these are not).
    const deployments = running.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.urn);
    const controllers = new Set(running.resources.filter((r) => step(r) === WAKE_STEPS.lbController).map((r) => r.urn));
    for (const [urn, deps] of edges) edges.set(urn, deps.filter((d) => !controllers.has(d)));
    for (const r of running.resources.filter((x) => step(x) === WAKE_STEPS.albTargets)) {
        edges.set(r.urn, [...new Set([...(edges.get(r.urn) ?? []), ...deployments, ...controllers])]);
    }
    return {
        op: (r) => (nodesStopped && (r.type === "kubernetes:apps/v1:Deployment" || step(r) !== undefined) ? Operation.Update : undefined),
        edges,
        seconds: (r) => (nodesStopped ? step(r)?.seconds : undefined),
    };
}

/** Whether a wake-up's predicted serving meets the 10-minute goal, as the report prints it. */
export function wakeGoalLine(servingSeconds: number | undefined): string {
    if (servingSeconds === undefined) return "  wake-up goal:     no serving prediction";
    const gap = WAKE_GOAL_SECONDS - servingSeconds;
    return gap >= 0 ? `  wake-up goal:     serving within 10m 00s: met, ${formatDuration(gap)} to spare`
        : `  wake-up goal:     serving within 10m 00s: NOT met, ${formatDuration(-gap)} over`;
}

/** The report's hibernation section: what goes and what stays, and the predicted hibernate and wake-up. */
export function formatHibernation(running: Plan, hibernated: HibernatedState, waking: Plan = running): string {
    const times = loadOperationTimes();
    const wake = estimateTransition({ label: "hibernated", plan: hibernated.plan }, { label: "running", plan: waking }, times, undefined, wakeServing(waking, hibernated.decisions));
    const sleep = estimateTransition({ label: "running", plan: running }, { label: "hibernated", plan: hibernated.plan }, times);
    const byAction = (a: Hibernate) => [...new Map(hibernated.decisions.filter((d) => d.action === a).map((d) => [d.type, d.why])).entries()]
        .map(([type, why]) => `    ${type}: ${why}`);
    return [
        "Hibernation (the program's hibernated plan, stacks/hibernation.ts; reasons in tools/estimate/hibernation.ts):",
        "  removed:", ...byAction(Hibernate.Remove),
        "  scaled to zero:", ...byAction(Hibernate.ScaleToZero),
        "  kept:", ...byAction(Hibernate.Keep).filter((line) => Object.keys(HIBERNATION_RULES).some((type) => line.startsWith(`    ${type}: `))),
        `    and ${hibernated.decisions.filter((d) => d.action === Hibernate.Keep && !HIBERNATION_RULES[d.type]).length} more resources as they are (networks, keys, roles, Kubernetes objects)`,
        formatTransition(wake),
        wakeGoalLine(wake.servingSeconds),
        formatTransition(sleep),
    ].join("\n");
}
