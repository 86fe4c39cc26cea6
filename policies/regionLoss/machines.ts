/**
 * What one node of a pool offers the pods the scheduler places on it: the machine's vCPUs and memory (a
 * small table of the types the stacks use, each with its source) less what the node keeps for itself,
 * per the formula its cloud documents. Pure: it imports nothing.
 */

/** How a pool's nodes keep resources from pods: each has its own documented formula. */
export const PoolKind = { EksNodeGroup: "EKS managed node group", AksAgentPool: "AKS agent pool" } as const;
export type PoolKind = (typeof PoolKind)[keyof typeof PoolKind];

export interface MachineSize {
    readonly vcpus: number;
    readonly memoryGiB: number;
    /** Pods per node when the pool sets none: EKS's VPC CNI limit, `ENIs x (IPv4 per ENI - 1) + 2`. */
    readonly defaultMaxPods?: number;
    readonly source: string;
}

/**
 * Max pods as nodeadm reckons them (`calculateStandardMaxPods` in `nodeadm/internal/kubelet/eni_max_pods.go`) from the
 * ENIs and IPv4 addresses per ENI it embeds per instance type (`nodeadm/internal/kubelet/instance-info.jsonl`):
 * m6i.large 3 x (10 - 1) + 2, m6i.xlarge and m6i.2xlarge 4 x (15 - 1) + 2.
 */
const M6I = "https://aws.amazon.com/ec2/instance-types/m6i/; max pods: https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/eni_max_pods.go, "
    + "https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/instance-info.jsonl";
const DSV5 = "https://learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv5-series";

/**
 * The node machines a stack may run: those of `intergalactic:cluster.nodeSize` small, medium and large on each cloud
 * (`components/kubernetes/layout.ts` maps them), and AKS's system pool machine; a test plans each size and keeps
 * this table equal to what the stacks plan.
 */
export const MACHINE_SIZES: Readonly<Record<string, MachineSize>> = {
    "m6i.large": { vcpus: 2, memoryGiB: 8, defaultMaxPods: 29, source: M6I },
    "m6i.xlarge": { vcpus: 4, memoryGiB: 16, defaultMaxPods: 58, source: M6I },
    "m6i.2xlarge": { vcpus: 8, memoryGiB: 32, defaultMaxPods: 58, source: M6I },
    Standard_D2s_v5: { vcpus: 2, memoryGiB: 8, source: DSV5 },
    Standard_D4s_v5: { vcpus: 4, memoryGiB: 16, source: DSV5 },
    Standard_D8s_v5: { vcpus: 8, memoryGiB: 32, source: DSV5 },
};

/** What a node offers pods. */
export interface Allocatable {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
    readonly pods: number;
}

/**
 * The part of a machine's memory its kernel never reports to the kubelet (firmware, the hypervisor's share): Karpenter's
 * `VM_MEMORY_OVERHEAD_PERCENT` default, a tunable heuristic (https://karpenter.sh/docs/reference/settings/,
 * aws/karpenter-provider-aws#5161), taken on Azure too as the same guess (AKS documents its reservations against the
 * VM's full memory).
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/**
 * What DaemonSets (kube-proxy, the CNI, CSI and identity agents) and the system Deployments that land on app nodes
 * (on EKS: CoreDNS and metrics-server x 2 each, the load balancer controller's and the cluster autoscaler's
 * `replicaCount` 2) take of each node. The plan lists these add-ons but not their requests (the EKS add-ons and the
 * charts set them themselves), and neither EKS nor AKS documents one figure for them, so this is an assumption with
 * no source, not checked against the add-ons' own requests; on 2-vCPU nodes (m6i.large, Standard_D2s_v5) 10% is
 * under 200m CPU. On AKS the system Deployments run on the system pools (tainted `CriticalAddonsOnly`), which hold
 * none of the services' pods.
 */
export const SYSTEM_PODS = { cpuShare: 0.1, memoryShare: 0.1, podSlots: 10 } as const;

/** The kubelet's hard eviction threshold (`memory.available<100Mi`) on both clouds: nodeadm's and AKS's default. */
const EVICTION_MIB = 100;

/**
 * EKS (AL2023, nodeadm): kube-reserved CPU is 6% of the first core, 1% of the second, 0.5% of the third and fourth
 * and 0.25% of the rest; memory 11 MiB per pod the node may hold plus 255 MiB
 * (`getCPUMillicoresToReserve`, `getMemoryMebibytesToReserve` in nodeadm's `internal/kubelet/config.go`,
 * https://github.com/awslabs/amazon-eks-ami).
 */
function eksReserved(size: MachineSize, maxPods: number): { cpuMillis: number; memoryMiB: number } {
    const millis = size.vcpus * 1000;
    const band = (from: number, to: number, tenThousandths: number) => Math.max(0, Math.min(millis, to) - from) * tenThousandths / 10000;
    return { cpuMillis: band(0, 1000, 600) + band(1000, 2000, 100) + band(2000, 4000, 50) + band(4000, Infinity, 25), memoryMiB: 11 * maxPods + 255 };
}

/** AKS's kube-reserved CPU per host core count (https://learn.microsoft.com/azure/aks/node-resource-reservations). */
const AKS_RESERVED_CPU: readonly (readonly [number, number])[] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];

/**
 * AKS 1.29 and later: the CPU table above (a core count between two columns takes the larger one's figure) and, of
 * memory, the lesser of 20 MB per pod plus 50 MB and 25% of the VM's memory
 * (https://learn.microsoft.com/azure/aks/node-resource-reservations). The MB are taken as MiB, which reserves
 * about 5% more than AKS does: a little less for the pods, never more.
 */
function aksReserved(size: MachineSize, maxPods: number): { cpuMillis: number; memoryMiB: number } {
    const cpu = AKS_RESERVED_CPU.find(([cores]) => cores >= size.vcpus)?.[1] ?? AKS_RESERVED_CPU[AKS_RESERVED_CPU.length - 1][1];
    return { cpuMillis: cpu, memoryMiB: Math.min(20 * maxPods + 50, 0.25 * size.memoryGiB * 1024) };
}

/**
 * The pods a node may hold: its pod slots, and the count its kube-reserved memory is reckoned for. The two are the
 * pool's `maxPods` when it sets one or its default is known; else the fewest slots and the most reserved memory the
 * defaults allow, so neither is overstated.
 */
export interface NodePods {
    readonly slots: number;
    readonly reservedFor: number;
}

/** The kubelet's own default `maxPods` (https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/). */
const KUBELET_MAX_PODS = 110;

/** EKS: the machine's VPC CNI limit (above), else the kubelet's default (nodeadm's `defaultMaxPods`). */
export function eksDefaultPods(size: MachineSize): NodePods {
    const pods = size.defaultMaxPods ?? KUBELET_MAX_PODS;
    return { slots: pods, reservedFor: pods };
}

/** How an AKS cluster gives pods addresses: its `networkProfile`, and whether the pool has a pod subnet. */
export interface AksNetwork {
    readonly networkPlugin?: string;
    readonly networkPluginMode?: string;
    readonly podSubnet: boolean;
}

/**
 * AKS's default max pods per node by network (https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning#maximum-pods-per-node):
 * Azure CNI Overlay 250, Azure CNI Pod Subnet 110, Azure CNI (node subnet, legacy) 30, kubenet 110. Another or an
 * unset plugin (AKS's default plugin has changed between API versions) takes the lowest (30) for slots and the
 * highest (250) for reserved memory.
 */
export function aksDefaultPods(network: AksNetwork): NodePods {
    const known = AKS_DEFAULT_MAX_PODS[network.networkPlugin ?? ""]?.(network);
    return known === undefined ? { slots: 30, reservedFor: 250 } : { slots: known, reservedFor: known };
}

/** The documented defaults per `networkPlugin` (above); Azure CNI's by its mode and whether pods have a subnet of their own. */
const AKS_DEFAULT_MAX_PODS: Readonly<Record<string, (network: AksNetwork) => number>> = {
    azure: (network) => (network.networkPluginMode === "overlay" ? 250 : network.podSubnet ? 110 : 30),
    kubenet: () => 110,
};

const RESERVED: Readonly<Record<PoolKind, (size: MachineSize, maxPods: number) => { cpuMillis: number; memoryMiB: number }>> = {
    [PoolKind.EksNodeGroup]: eksReserved,
    [PoolKind.AksAgentPool]: aksReserved,
};

/** kube-reserved CPU and memory of one node of the pool, for the pods its memory reservation is reckoned for. */
export function kubeReserved(kind: PoolKind, size: MachineSize, pods: number): { cpuMillis: number; memoryMiB: number } {
    return RESERVED[kind](size, pods);
}

/**
 * What one node of the pool offers the services' pods, after the node's own reservations and the system pods' share:
 * `pods` is the pool's `maxPods` when it sets one, else its cloud's default ({@link eksDefaultPods}, {@link aksDefaultPods}).
 */
export function serviceAllocatable(kind: PoolKind, size: MachineSize, pods: NodePods): Allocatable {
    const reserved = RESERVED[kind](size, pods.reservedFor);
    const memory = size.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD) - reserved.memoryMiB - EVICTION_MIB;
    return {
        cpuMillis: Math.floor((size.vcpus * 1000 - reserved.cpuMillis) * (1 - SYSTEM_PODS.cpuShare)),
        memoryMiB: Math.floor(memory * (1 - SYSTEM_PODS.memoryShare)),
        pods: Math.max(0, pods.slots - SYSTEM_PODS.podSlots),
    };
}

/** A Kubernetes CPU quantity ("100m", "0.5", 2) in millicores; undefined when it is not one. */
export function cpuMillis(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
    return m ? Number(m[1]) * (m[2] === "m" ? 1 : 1000) : undefined;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
    "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** A Kubernetes memory quantity ("128Mi", "1G", bytes) in MiB; undefined when it is not one. */
export function memoryMiB(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    const m = /^(\d+(?:\.\d+)?)([kMGT]i?|Ki)?$/.exec(text);
    const unit = m ? MEMORY_UNITS[m[2] ?? ""] : undefined;
    return m && unit !== undefined ? (Number(m[1]) * unit) / 2 ** 20 : undefined;
}
