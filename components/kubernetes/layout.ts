/**
 * Constants of the Kubernetes cluster shared by the planner and both clouds:
 * defaults, the size table, and the limits the providers document.
 */
import { Cloud } from "../common/cloud";
import { Size } from "../common/size";

/** Defaults applied when an arg is omitted. */
export const ClusterDefaults = {
    /**
     * A minor version in standard support on both EKS and AKS (see {@link KUBERNETES_SUPPORT_ENDS});
     * each cloud picks the latest patch of it.
     */
    kubernetesVersion: "1.35",
    nodeSize: Size.Medium as Size,
    minNodesPerZone: 1,
    maxNodesPerZone: 5,
    /** Days to keep EKS control-plane logs (a CloudWatch Logs retention period). */
    logRetentionDays: 90,
} as const;

/**
 * The MTUs the VPC CNI takes for the nodes' ENIs and the pods: `AWS_VPC_ENI_MTU`, "The valid range is from `576` to
 * `9001`", default 9001, and `POD_MTU` defaults to it (aws/amazon-vpc-cni-k8s README and #2791).
 */
export const VPC_CNI_MTU = { min: 576, max: 9001 } as const;

/**
 * Worker machine per size and cloud: general purpose, 2/4/8 vCPU with 4 GiB per vCPU.
 * The Azure v5 sizes without a local temp disk, so nodes use managed OS disks.
 */
export const NODE_MACHINES: Readonly<Record<Cloud, Readonly<Record<Size, string>>>> = {
    [Cloud.Aws]: { [Size.Small]: "m6i.large", [Size.Medium]: "m6i.xlarge", [Size.Large]: "m6i.2xlarge" },
    [Cloud.Azure]: { [Size.Small]: "Standard_D2s_v5", [Size.Medium]: "Standard_D4s_v5", [Size.Large]: "Standard_D8s_v5" },
};

/**
 * Who sets the app node groups' node counts on an `up`. EKS's scaling config takes minSize 0 and
 * desiredSize 0 (maxSize at least 1) (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html).
 */
export const NodeCounts = {
    /** The plan's counts on create, then the cluster autoscaler's: an update never resets the current size. */
    Autoscaled: "autoscaled",
    /** Hibernated: no nodes (minimum and desired 0), written on the update. */
    Zero: "zero",
    /**
     * Waking: the plan's minimum and desired counts written again. With the desired size left to the
     * autoscaler, raising the minimum above a desired 0 fails ("Minimum capacity 1 can't be greater than
     * desired size 0", terraform-aws-modules/terraform-aws-eks#748).
     */
    Reset: "reset",
} as const;
export type NodeCounts = (typeof NodeCounts)[keyof typeof NodeCounts];

/**
 * AKS user pools' power state on an `up` (the AgentPool's `powerState.code`). A stopped pool stops its VMs,
 * accrues no compute charges and stops its cluster autoscaler until started again; system pools cannot be
 * stopped (https://learn.microsoft.com/azure/aks/start-stop-nodepools).
 */
export const PoolPower = {
    /** Started (again): the wake-up's value. */
    Running: "Running",
    /** Hibernated. */
    Stopped: "Stopped",
} as const;
export type PoolPower = (typeof PoolPower)[keyof typeof PoolPower];

/** AKS system pools run only cluster add-ons (they are tainted CriticalAddonsOnly); AKS asks for >= 2 vCPU and 4 GiB. */
export const AKS_SYSTEM_POOL = { vmSize: "Standard_D2s_v5", minCount: 1, maxCount: 3 } as const;

/** Most nodes one group may hold, per cloud: EKS's managed node group quota and AKS's node pool limit. */
export const MAX_NODES_PER_GROUP: Readonly<Record<Cloud, number>> = { [Cloud.Aws]: 450, [Cloud.Azure]: 1000 };

/** Most CIDRs each cloud accepts for the public API endpoint (AKS authorized IP ranges: 200). */
export const MAX_PUBLIC_ENDPOINT_CIDRS: Readonly<Record<Cloud, number>> = { [Cloud.Aws]: 40, [Cloud.Azure]: 200 };

/** EKS needs subnets in at least two zones; HA wants three. */
export const MIN_ZONES = 2;

/**
 * The last day of standard support of each Kubernetes minor version, per cloud (UTC dates). A
 * minor missing here is not offered by that cloud, or not yet known to this table; a minor past its
 * date is refused, because AKS no longer creates clusters on it and EKS moves it to paid extended
 * support (EKS's default upgrade policy).
 * - EKS: 14 months of standard support from the EKS release
 *   (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; dates per release:
 *   https://endoflife.date/amazon-eks).
 * - AKS: end of life is the last day of the month in the AKS release calendar
 *   (https://learn.microsoft.com/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar).
 */
export const KUBERNETES_SUPPORT_ENDS: Readonly<Record<Cloud, Readonly<Record<string, string>>>> = {
    [Cloud.Aws]: { "1.32": "2026-03-23", "1.33": "2026-07-29", "1.34": "2026-12-02", "1.35": "2027-03-27" },
    [Cloud.Azure]: { "1.32": "2026-03-31", "1.33": "2026-07-31", "1.34": "2026-11-30", "1.35": "2027-03-31", "1.36": "2027-06-30", "1.37": "2027-10-31" },
};

/**
 * The Kubernetes service range. Both clouds require it not to overlap the network;
 * 172.20.0.0/16 is outside every range the network planner hands out from 10/8.
 */
export const SERVICE_CIDR = "172.20.0.0/16";
/** AKS requires the cluster DNS service address inside the service range (not its first address). */
export const DNS_SERVICE_IP = "172.20.0.10";

/** EKS control-plane log types: all five, so audits and auth failures are kept. */
export const EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * Pods per node on AKS. With Azure CNI Overlay pods take addresses of the overlay pod range, not of
 * the node's subnet: each node gets a /24 of {@link AKS_POD_CIDR} and uses one subnet address.
 */
export const AKS_MAX_PODS = 30;
/**
 * Azure CNI Overlay's pod range (AKS's default `--pod-cidr`). It must not overlap the cluster's
 * subnets, the service range or any connected network; every node takes a /24 of it, so a /16 holds
 * 256 nodes (https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay).
 */
export const AKS_POD_CIDR = "10.244.0.0/16";
/** The block of the pod range each overlay node takes. */
export const AKS_POD_BLOCK_PREFIX = 24;
/** Azure reserves 5 addresses in every subnet. */
export const AZURE_RESERVED_ADDRESSES = 5;
/** Extra nodes an upgrade adds per pool (AKS's default max surge is one node). */
export const AKS_UPGRADE_SURGE = 1;

/** Linux AKS pool names: a lowercase letter, then lowercase letters and digits, at most 12 characters. */
export const AKS_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** EKS cluster names: letters, digits, hyphens and underscores, starting alphanumeric, at most 100 characters. */
export const EKS_CLUSTER_NAME_MAX = 100;
/** The random suffix the EKS cluster's name gets after `<baseName>-`, so a replacement never waits for the old name. */
export const EKS_NAME_SUFFIX_LENGTH = 6;

/** The AWS Load Balancer Controller chart (kube-system), pinned so an upgrade is a reviewed change. */
export const AWS_LB_CONTROLLER_CHART = {
    chart: "aws-load-balancer-controller",
    version: "1.13.0",
    repo: "https://aws.github.io/eks-charts",
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
} as const;

/**
 * The Kubernetes Cluster Autoscaler chart, which scales the EKS node groups between their bounds
 * (AKS runs its own). Its image minor version must match the cluster's, so the tag follows it.
 */
export const CLUSTER_AUTOSCALER_CHART = {
    chart: "cluster-autoscaler",
    version: "9.52.1",
    repo: "https://kubernetes.github.io/autoscaler",
    namespace: "kube-system",
    serviceAccount: "cluster-autoscaler",
} as const;

/** A chart pinned above: the repository, version and namespace it installs from. */
export interface PinnedChart {
    readonly chart: string;
    readonly version: string;
    readonly repo: string;
    readonly namespace: string;
}

/**
 * The Helm release fields every pinned chart is installed with: its pin, released under the chart's
 * own name, and `atomic`, so a failed install or upgrade rolls back instead of leaving a half-applied
 * controller.
 */
export function pinnedRelease(chart: PinnedChart) {
    return {
        name: chart.chart,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: chart.namespace,
        atomic: true,
    };
}

/**
 * The newest Cluster Autoscaler patch release per Kubernetes minor: the autoscaler's minor must match
 * the cluster's, and later patches fix bugs of the `.0` release
 * (1.33.3 and 1.34.2: kubernetes/k8s.io#8815; 1.35.0: kubernetes/autoscaler release cluster-autoscaler-1.35.0).
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = { "1.33": "v1.33.3", "1.34": "v1.34.2", "1.35": "v1.35.0" };

/** The Cluster Autoscaler image for a Kubernetes minor version such as `1.35` (planning checks that one is known). */
export const clusterAutoscalerImageTag = (kubernetesVersion: string): string => CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion];
