/**
 * What the stack program changes when the scheduler hibernates a stack
 * (`intergalactic:schedule.mode: hibernated`) or wakes it (`waking`): a pure
 * table per cloud, read by the tiers. Hibernation keeps what is slow to create
 * or holds data, and removes or zeroes what costs by the hour and is quick to
 * bring back; it never removes or replaces a data store (stacks/hibernation.test.ts
 * compares the data resources of the running and hibernated plans).
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, withCloudSdk } from "../components/common";
import { NodeCounts, PoolPower } from "../components/kubernetes";
import { NatStrategy } from "../components/network";
import { StackConfig } from "./config";
import { ScheduleMode, Teardown } from "./config/schedule";
import { selfReferenceName } from "./selfReference";

/** The changes one mode makes to a stack's tiers; undefined fields leave the config's value. */
export interface HibernationSettings {
    /** The network's NAT strategy instead of `intergalactic:network.natStrategy`. */
    readonly natStrategy?: NatStrategy;
    /** Who sets the cluster's app node counts (AWS). */
    readonly nodeCounts?: NodeCounts;
    /** The AKS user pools' power state to write (Azure). */
    readonly userPoolPower?: PoolPower;
    /** With `userPoolPower` Stopped, how many user pools stop, the last zones' first; the others keep running (Azure). */
    readonly stoppedUserPools?: number;
    /** DocumentDB keeps its first instance only. */
    readonly mongoHibernated?: boolean;
    /** False: the bastion tier is left out (removed, and created again on the wake-up). */
    readonly bastion?: boolean;
    /** False: the services' Deployments and Services are applied without awaiting their pods (CookieServices `awaitReadiness`). */
    readonly awaitWorkloads?: boolean;
    /** True: the services' Ingress is protected, so a destroy with a preview is refused before it deletes anything (CookieServices `protectIngress`). */
    readonly protectIngress?: boolean;
}

/**
 * Per cloud and mode. Why each:
 * - AWS NAT gateway: kept ($0.045/h plus its address, $5 a week). Removing it would put its creation on
 *   the wake-up's serving path (the woken nodes pull their images through it), and a NAT gateway is
 *   reported to take up to 5-10 min to become available (kubernetes/kops#944), against a 10-minute
 *   wake-up; it also keeps dev's egress address the same every morning.
 * - AWS node groups: zero nodes (EKS takes minSize and desiredSize 0,
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html); the groups,
 *   launch template, roles and add-ons stay. The wake-up writes the counts back (NodeCounts.Reset).
 * - AWS workloads: the hibernate `up` is the first after the day's merges, so it may change a Deployment;
 *   with no node left its rollout cannot finish, and the Kubernetes provider, which awaits it (10 minutes,
 *   https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/), would fail the
 *   hibernate. The hibernated plan applies them without the await; the wake-up's plan removes the
 *   annotation again, an update that awaits the rollout on the woken nodes.
 * - AWS Ingress: protected (no cloud change). A destroy deletes the Ingress first, and the load balancer
 *   controller's finalizer holds it until the controller's pods have deleted the ALB
 *   (kubernetes-sigs/aws-load-balancer-controller#1629); at zero nodes they cannot run, so a person's destroy of
 *   the hibernated state would hang and leak the ALB, whose network interfaces then block the VPC's deletion.
 *   Pulumi refuses a protected resource's delete in the destroy's preview, before anything is deleted
 *   (pulumi/pulumi#8158); a `--skip-preview` destroy has no preview and checks protect per delete step, going
 *   on with the others (pulumi/pulumi#18396), so it deletes what does not depend on the Ingress first (the
 *   scheduler therefore wakes first and refuses a destroy over protected state). A plain `up` wakes the
 *   stack and lifts it (wakeFromZero). The other answers cost
 *   more: a node kept for the controller all night (an m6i.xlarge, $0.192/h), or the Ingress removed, which puts
 *   a new ALB (a new DNS name) on every wake-up's serving path; and Pulumi deletes removed resources after its
 *   updates, so the groups would reach zero before the Ingress's delete anyway.
 * - DocumentDB: the replicas go, the first instance stays; the cluster volume keeps the data
 *   (https://docs.aws.amazon.com/documentdb/latest/developerguide/how-it-works.html).
 * - The bastion (AWS: an instance and its group, $0.0104/h; Azure Bastion Standard, $0.29/h for two
 *   scale units): removed. It holds no data and nothing serves through it: operators wait for it
 *   after a wake-up (Azure Bastion about 10 min), the services do not.
 * - Azure keeps its NAT gateway: AKS's outbound type is userAssignedNATGateway, and its system pool
 *   nodes (which run on) need that egress to stay Ready (the AKS outbound network requirements,
 *   https://learn.microsoft.com/azure/aks/outbound-rules-control-egress).
 * - Azure user pools: one stopped, the last zone's (powerState Stopped: its VMs stop and accrue no compute
 *   charges, its autoscaler stops with it and starts again with the pool; system pools cannot be stopped,
 *   https://learn.microsoft.com/azure/aks/start-stop-nodepools), its count kept, so the wake-up only starts it.
 *   The others keep running at their counts: AKS runs one agent pool operation per cluster at a time
 *   ("Another agentpool operation ... is in progress, please wait for it to finish", cilium/cilium#25944,
 *   Azure/AKS#1913), so a wake-up starts stopped pools one after another, about 5 min each, and with the
 *   rollouts' 90 s after them only one start fits in the 10-minute wake-up; stopping all three took 16m 30s.
 *   Like AWS, the day's workload changes are applied without awaiting pods whose nodes stopped.
 * - Azure data stores (Cosmos DB, Managed Redis, Event Hubs): kept as they are. None can be stopped, each
 *   holds data, and a data store's inputs must not differ between the modes (no update, so no replacement).
 */
export const HIBERNATION: Readonly<Record<Cloud, Readonly<Record<ScheduleMode, HibernationSettings>>>> = {
    [Cloud.Aws]: {
        [ScheduleMode.Running]: {},
        [ScheduleMode.Hibernated]: { nodeCounts: NodeCounts.Zero, mongoHibernated: true, bastion: false, awaitWorkloads: false, protectIngress: true },
        [ScheduleMode.Waking]: { nodeCounts: NodeCounts.Reset },
    },
    [Cloud.Azure]: {
        // Running as well as Waking: a running plan that left powerState out would remove the input the wake-up
        // wrote, an update of every pool on the next up (pulumi/pulumi-azure-native#2507); with it, a running up
        // over stopped pools starts them, so Azure needs no self-reference.
        [ScheduleMode.Running]: { userPoolPower: PoolPower.Running },
        [ScheduleMode.Hibernated]: { userPoolPower: PoolPower.Stopped, stoppedUserPools: 1, bastion: false, awaitWorkloads: false },
        [ScheduleMode.Waking]: { userPoolPower: PoolPower.Running },
    },
};

/** The stack output that says the last deployment left an app node group at zero (KubernetesCluster.nodeGroupsAtZero). */
export const NODE_GROUPS_AT_ZERO_OUTPUT = "nodeGroupsAtZero";
/** The name of the StackReference that reads this stack's deployed cluster name back from this very stack. */
export const NODE_GROUPS_REFERENCE = "node-groups-deployed";

/**
 * Per cloud: whether a running up must look at the live node groups first. EKS: a group at zero needs its count
 * written (wakeFromZero). AKS: the running plan starts stopped pools itself (powerState Running).
 */
const RUNNING_UP_READS_NODE_GROUPS: Readonly<Record<Cloud, boolean>> = { [Cloud.Aws]: true, [Cloud.Azure]: false };

/** Only a schedulable stack with a cluster on a cloud whose running plan cannot wake it alone can have node groups at zero to wake. */
export function tracksNodeGroupsAtZero(config: StackConfig): boolean {
    return RUNNING_UP_READS_NODE_GROUPS[config.cloud] && config.cluster.enabled && config.schedule.schedulable;
}

/** A node group as EKS holds it now. */
export interface LiveNodeGroup {
    readonly name: string;
    readonly desiredSize: number;
}

/**
 * Whether a running up over these live groups must write their counts (the waking plan): a group below the
 * configured minimum (with the desired size left to the autoscaler, Pulumi would send it under the plan's
 * minimum, which EKS refuses: minSize <= desiredSize), or every group at zero (no node runs the autoscaler,
 * so nothing would ever scale them up). One group at 0 with a minimum of 0 is the autoscaler's choice and
 * stays its own.
 */
export function groupsNeedWaking(groups: readonly LiveNodeGroup[], minNodesPerZone: number): boolean {
    return groups.length > 0 && (groups.some((g) => g.desiredSize < minNodesPerZone) || groups.every((g) => g.desiredSize === 0));
}

/**
 * The config a `running` up builds from: over live node groups that need it (groupsNeedWaking), the waking plan
 * (the counts written back). The stack file never keeps the mode, so a person's plain `pulumi up` of a
 * hibernated stack is a running up; with the desired size left to the autoscaler (ignoreChanges), Pulumi
 * would send the state's desired 0 with the plan's minimum 1, which EKS refuses
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html,
 * terraform-aws-modules/terraform-aws-eks#748). Decided from the live groups, not from a previous output: a
 * hibernate that failed after its groups reached zero keeps the outputs of the update before it
 * (pulumi/pulumi#15754). Only a cluster this stack's last outputs name, and only once EKS lists it, is read
 * (stacks/hibernation.aws.ts): a first up reads no output and calls no invoke, so it cannot fail here.
 */
export async function wakeFromZero(config: StackConfig): Promise<StackConfig> {
    if (!tracksNodeGroupsAtZero(config) || (config.schedule.mode ?? ScheduleMode.Running) !== ScheduleMode.Running) return config;
    const self = new pulumi.StackReference(NODE_GROUPS_REFERENCE, { name: selfReferenceName() });
    const deployed = (await self.getOutputDetails("clusterName")).value;
    if (typeof deployed !== "string" || deployed === "") return config;
    const live: typeof import("./hibernation.aws") = withCloudSdk(Cloud.Aws, () => require("./hibernation.aws"));
    const groups = await live.liveNodeGroups(deployed);
    return groups && groupsNeedWaking(groups, config.cluster.minNodesPerZone) ? { ...config, schedule: { ...config.schedule, mode: ScheduleMode.Waking } } : config;
}

/**
 * The stack output that says which plan this is, published with any mode but running: `{ mode, teardown }`. The
 * policy pack reads it (policies/pack/hibernation.ts) to judge a hibernated plan of a stack whose schedule asks for
 * hibernation by what hibernation keeps, where the stack's pack config accepts it; running plans publish nothing,
 * so they keep every check.
 */
export const SCHEDULE_OUTPUT = "schedule";

/** The schedule output of a plan in a scheduler's mode; none for the running plan. */
export function scheduleOutput(config: StackConfig): Record<string, { mode: ScheduleMode; teardown: Teardown }> {
    const mode = config.schedule.mode ?? ScheduleMode.Running;
    return mode === ScheduleMode.Running ? {} : { [SCHEDULE_OUTPUT]: { mode, teardown: config.schedule.teardown ?? Teardown.Destroy } };
}

/** The settings of a stack's current mode. */
export function hibernationSettings(config: StackConfig): HibernationSettings {
    // Only a schedulable stack is ever hibernated (a mode is refused elsewhere): the others keep their inputs as they
    // were, so Azure's Running power state does not update every pool of a stack that was never stopped.
    if (!config.schedule.schedulable) return {};
    return HIBERNATION[config.cloud][config.schedule.mode ?? ScheduleMode.Running];
}
