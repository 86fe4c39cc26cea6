/**
 * What the stack program changes when the scheduler hibernates a stack
 * (`intergalactic:schedule.mode: hibernated`) or wakes it (`waking`): a pure
 * table per cloud, read by the tiers. Hibernation keeps what is slow to create
 * or holds data, and removes or zeroes what costs by the hour and is quick to
 * bring back; it never removes or replaces a data store (stacks/hibernation.test.ts
 * compares the data resources of the running and hibernated plans).
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../components/common";
import { NodeCounts, PoolPower } from "../components/kubernetes";
import { NatStrategy } from "../components/network";
import { StackConfig } from "./config";
import { ScheduleMode } from "./config/schedule";

/** The changes one mode makes to a stack's tiers; undefined fields leave the config's value. */
export interface HibernationSettings {
    /** The network's NAT strategy instead of `intergalactic:network.natStrategy`. */
    readonly natStrategy?: NatStrategy;
    /** Who sets the cluster's app node counts (AWS). */
    readonly nodeCounts?: NodeCounts;
    /** The AKS user pools' power state to write (Azure). */
    readonly userPoolPower?: PoolPower;
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
 * - Azure user pools: stopped (powerState Stopped: the VMs stop and accrue no compute charges, the pool's
 *   autoscaler stops with it and starts again with the pool; system pools cannot be stopped,
 *   https://learn.microsoft.com/azure/aks/start-stop-nodepools), their counts kept, so the wake-up only
 *   starts them; the pools already wait for one another (one agent pool operation at a time). Like AWS,
 *   the day's workload changes are applied without awaiting pods no node runs.
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
        [ScheduleMode.Running]: {},
        [ScheduleMode.Hibernated]: { userPoolPower: PoolPower.Stopped, bastion: false, awaitWorkloads: false },
        [ScheduleMode.Waking]: { userPoolPower: PoolPower.Running },
    },
};

/** The stack output that says the last deployment left an app node group at zero (KubernetesCluster.nodeGroupsAtZero). */
export const NODE_GROUPS_AT_ZERO_OUTPUT = "nodeGroupsAtZero";
/** The name of the StackReference that reads it back from this very stack. */
export const NODE_GROUPS_REFERENCE = "node-groups-deployed";

/** Only a schedulable stack with a cluster can have been hibernated (the mode is refused elsewhere). */
export function tracksNodeGroupsAtZero(config: StackConfig): boolean {
    return config.cluster.enabled && config.schedule.schedulable;
}

/**
 * The config a `running` up builds from: over node groups the last deployment left at zero (AWS) or
 * stopped (Azure), the waking plan (the counts written back, the pools started). The stack file never keeps the mode, so a person's plain `pulumi up` of a
 * hibernated stack is a running up; with the desired size left to the autoscaler (ignoreChanges), Pulumi
 * would send the state's desired 0 with the plan's minimum 1, which EKS refuses: minSize <= desiredSize
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html,
 * terraform-aws-modules/terraform-aws-eks#748). Over a running state it stays `running`, so a daytime up
 * never resets the autoscaler's counts. A StackReference to the stack itself reads the outputs of its last
 * update that wrote them (none on the first up).
 */
export async function wakeFromZero(config: StackConfig): Promise<StackConfig> {
    if (!tracksNodeGroupsAtZero(config) || (config.schedule.mode ?? ScheduleMode.Running) !== ScheduleMode.Running) return config;
    const self = new pulumi.StackReference(NODE_GROUPS_REFERENCE, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
    const details = await self.getOutputDetails(NODE_GROUPS_AT_ZERO_OUTPUT);
    return details.value === true ? { ...config, schedule: { ...config.schedule, mode: ScheduleMode.Waking } } : config;
}

/** The settings of a stack's current mode. */
export function hibernationSettings(config: StackConfig): HibernationSettings {
    return HIBERNATION[config.cloud][config.schedule.mode ?? ScheduleMode.Running];
}
