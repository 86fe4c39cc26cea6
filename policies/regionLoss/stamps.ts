/**
 * What the capacity tier (`capacity.ts`) reads of each stamp: its services (Deployments, with their HPA's minimum and
 * maximum, which scale only with a metrics source, and their pods' requests) and its node pools (EKS managed node
 * groups, AKS agent pools and an AKS cluster's own pools) with their most nodes, zones, taints and what a node offers.
 *
 * Pure: it reads the readers' regional resources, and their zones as the caller's `engine/zones.ts` gives them.
 */
import { RegionalResource, serviceKey } from "./readers";
import { AksNetwork, Allocatable, MACHINE_SIZES, NodePods, PoolKind, aksDefaultPods, cpuMillis, eksDefaultPods, memoryMiB, serviceAllocatable } from "./machines";

/** One service of a stamp: its baseline, how far its autoscaler goes, and what each pod requests. */
export interface StampService {
    readonly region: string;
    /** The Deployment's Kubernetes name and namespace; `key` ({@link serviceKey}) is the same in two stamps for one service. */
    readonly service: string;
    readonly namespace: string;
    readonly key: string;
    /** The HPA's `minReplicas`, else the Deployment's `replicas` (Kubernetes' default 1). */
    readonly baseline: number;
    /** The HPA's `maxReplicas`, else (no HPA, or one without a metrics source) the baseline. */
    readonly max: number;
    /** Why `max` is what it is, e.g. `its autoscaler stops at 10`. */
    readonly limit: string;
    readonly cpuMillis: number;
    readonly memoryMiB: number;
    /** What makes the pods' requests unknown (a quantity that is none, or a container that sets none); undefined when known. */
    readonly unreadable?: string;
    /** Spread over zones with `DoNotSchedule`: each zone then holds at most ceil(n / zones) of its pods. */
    readonly zoneSpread: boolean;
    readonly tolerations: readonly Toleration[];
}

interface Toleration { readonly key?: string; readonly operator?: string; readonly value?: string; readonly effect?: string }
interface Taint { readonly key: string; readonly value: string; readonly effect: string }

/** One node pool of a stamp, at the most nodes it may reach; a pool over several zones is one per zone. */
export interface StampPool {
    readonly region: string;
    readonly name: string;
    readonly kind: PoolKind;
    readonly machine: string;
    /** The pool's zone, "" when the plan does not tell (zone-spread pods then do not count it). */
    readonly zone: string;
    readonly maxNodes: number;
    /** Where `maxNodes` comes from, e.g. `maxSize 10`, or `count 2 (autoscaling off)`. */
    readonly bound: string;
    /** Per node, for the services' pods; undefined when the machine is not in the table. */
    readonly allocatable?: Allocatable;
    readonly taints: readonly Taint[];
    /** The cluster autoscaler's `max-nodes-total` over the pool's cluster, when its release sets one. */
    readonly clusterCap?: { readonly cluster: string; readonly nodes: number };
}

export interface StampCapacity {
    readonly services: readonly StampService[];
    readonly pools: readonly StampPool[];
}

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const EKS_ADDON = "aws:eks/addon:Addon";
const AGENT_POOL = "azure-native:containerservice:AgentPool";
const MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const METRICS_SERVER = "metrics-server";
/**
 * What scales an EKS managed node group beyond its desired size (it does not scale itself): the Kubernetes Cluster
 * Autoscaler, which finds the groups by the tags EKS puts on their Auto Scaling groups
 * (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html). Karpenter does not scale node groups: it
 * launches nodes of its own, bounded by its NodePools (https://docs.aws.amazon.com/eks/latest/best-practices/karpenter.html).
 */
const CLUSTER_AUTOSCALER = "cluster-autoscaler";
/** The chart's `cloudProvider` and `awsRegion` when the values set none (kubernetes/autoscaler, `charts/cluster-autoscaler/values.yaml`). */
const CHART_DEFAULTS = { cloudProvider: "aws", awsRegion: "us-east-1" } as const;

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v : []).filter((x): x is string => typeof x === "string" && x !== "");
const namespaceOf = (r: RegionalResource) => str(obj(r.inputs.metadata).namespace) ?? "default";

interface Requests { cpuMillis: number; memoryMiB: number }
const RESOURCES: readonly { key: "cpu" | "memory"; field: keyof Requests; read: (v: unknown) => number | undefined }[] = [
    { key: "cpu", field: "cpuMillis", read: cpuMillis }, { key: "memory", field: "memoryMiB", read: memoryMiB },
];

/**
 * A container's requests: `requests`, else `limits` per resource (a limit set without a request is copied as the
 * request, https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits). A value
 * that is no quantity (or one a preview does not know yet) is a problem, and so is an app container that sets neither:
 * the check cannot tell what its pods need, and counting 0 would pass any pool.
 */
function containerRequests(c: Obj, required: boolean, problems: string[]): Requests {
    const resources = obj(c.resources);
    const out: Requests = { cpuMillis: 0, memoryMiB: 0 };
    for (const { key, field, read } of RESOURCES) {
        const [source, value] = obj(resources.requests)[key] !== undefined ? ["request", obj(resources.requests)[key]] : ["limit", obj(resources.limits)[key]];
        if (value === undefined) {
            if (required) problems.push(`container ${str(c.name) ?? "?"} sets neither a ${key} request nor a limit`);
            continue;
        }
        const parsed = read(value);
        if (parsed === undefined) problems.push(`container ${str(c.name) ?? "?"}'s ${key} ${source} ${JSON.stringify(value)} is no quantity the check can read`);
        else out[field] = parsed;
    }
    return out;
}

/**
 * A pod's requests by the scheduler's rule: its app containers' sum plus its sidecars' (init containers with
 * `restartPolicy: Always`), or, when more, an init container's own plus the sidecars started before it
 * (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers).
 */
function podRequests(pod: Obj): Requests & { problems: string[] } {
    const problems: string[] = [];
    const app = arr(pod.containers).map((c) => containerRequests(c, true, problems));
    const total: Requests = { cpuMillis: 0, memoryMiB: 0 };
    for (const r of app) for (const { field } of RESOURCES) total[field] += r[field];
    const sidecars: Requests = { cpuMillis: 0, memoryMiB: 0 };
    const init: Requests = { cpuMillis: 0, memoryMiB: 0 };
    for (const c of arr(pod.initContainers)) {
        const r = containerRequests(c, false, problems);
        for (const { field } of RESOURCES) {
            if (c.restartPolicy === "Always") sidecars[field] += r[field];
            else init[field] = Math.max(init[field], r[field] + sidecars[field]);
        }
    }
    return {
        cpuMillis: Math.max(total.cpuMillis + sidecars.cpuMillis, init.cpuMillis),
        memoryMiB: Math.max(total.memoryMiB + sidecars.memoryMiB, init.memoryMiB), problems,
    };
}

/**
 * The regions where an HPA's resource metrics are served: an HPA scales only on what the metrics API reports, so
 * without it the HPA computes no replica count and scales nothing up (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-metrics-apis).
 * EKS does not install metrics-server: an EKS add-on or a Helm release of it must be in the plan. AKS runs it on
 * every cluster, on the system node pool (https://learn.microsoft.com/azure/aks/reliability-availability-zones-configure,
 * https://learn.microsoft.com/azure/aks/supported-kubernetes-versions lists it among each version's add-ons).
 */
function metricsRegions(resources: readonly RegionalResource[]): Set<string> {
    return new Set(resources.filter((r) => (r.type === EKS_ADDON && r.inputs.addonName === METRICS_SERVER)
        || (r.type === HELM_RELEASE && r.inputs.chart === METRICS_SERVER) || r.type === MANAGED_CLUSTER).map((r) => r.region));
}

function stampService(d: RegionalResource, hpas: readonly RegionalResource[], metrics: ReadonlySet<string>): StampService {
    const name = str(obj(d.inputs.metadata).name) ?? d.name;
    const spec = obj(d.inputs.spec);
    const pod = obj(obj(spec.template).spec);
    const hpa = hpas.find((h) => h.region === d.region && namespaceOf(h) === namespaceOf(d)
        && obj(obj(h.inputs.spec).scaleTargetRef).kind === "Deployment" && obj(obj(h.inputs.spec).scaleTargetRef).name === name);
    const hpaSpec = obj(hpa?.inputs.spec);
    const baseline = hpa ? num(hpaSpec.minReplicas) ?? 1 : num(spec.replicas) ?? 1;
    const scales = hpa !== undefined && metrics.has(d.region);
    const max = scales ? num(hpaSpec.maxReplicas) ?? baseline : baseline;
    const limit = !hpa ? `it runs a fixed ${max} (no autoscaler)`
        : !scales ? `its HPA cannot scale past ${max}: no metrics-server in ${d.region}` : `its autoscaler stops at ${max}`;
    const zoneSpread = arr(pod.topologySpreadConstraints)
        .some((c) => c.topologyKey === "topology.kubernetes.io/zone" && (c.whenUnsatisfiable ?? "DoNotSchedule") === "DoNotSchedule");
    const { problems, ...requests } = podRequests(pod);
    return {
        region: d.region, service: name, namespace: namespaceOf(d), key: serviceKey(d), baseline, max, limit, ...requests,
        unreadable: problems.length > 0 ? problems.join("; ") : undefined, zoneSpread, tolerations: arr(pod.tolerations) as Toleration[],
    };
}

/** EKS taints (`NO_SCHEDULE`) and AKS taints (`key=value:NoSchedule`) as the scheduler's effects. */
const EKS_EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
function aksTaint(text: string): Taint {
    const [pair, effect = ""] = text.split(":");
    const [key, value = ""] = pair.split("=");
    return { key, value, effect };
}

interface PoolFacts {
    readonly kind: PoolKind;
    readonly name: string;
    readonly machine?: string;
    readonly zones: readonly string[];
    readonly maxNodes: number;
    readonly bound: string;
    readonly taints: Taint[];
    readonly pods: (size: (typeof MACHINE_SIZES)[string]) => NodePods;
    readonly clusterCap?: StampPool["clusterCap"];
}

/**
 * The pool in each of its zones. A pool over several zones keeps its nodes balanced across them (EC2 Auto Scaling's
 * and AKS's zone balancing), without the scheduler choosing which zone a new node lands in, so each zone counts only
 * its even share, rounded down: conservative for zone-spread pods, a little low for the rest.
 */
function pools(r: RegionalResource, f: PoolFacts): StampPool[] {
    const size = f.machine === undefined ? undefined : MACHINE_SIZES[f.machine];
    const base = {
        region: r.region, name: f.name, kind: f.kind, machine: f.machine ?? "an unknown machine", zone: f.zones[0] ?? "", maxNodes: f.maxNodes,
        bound: f.bound, taints: f.taints, allocatable: size && serviceAllocatable(f.kind, size, f.pods(size)), clusterCap: f.clusterCap,
    };
    if (f.zones.length <= 1) return [base];
    const each = Math.floor(f.maxNodes / f.zones.length);
    return f.zones.map((zone) => ({ ...base, name: `${f.name} (${zone})`, zone, maxNodes: each, bound: `${f.bound} over ${f.zones.length} zones, ${each} in each` }));
}

const fixedPods = (maxPods: number | undefined, fallback: (size: (typeof MACHINE_SIZES)[string]) => NodePods) =>
    (size: (typeof MACHINE_SIZES)[string]): NodePods => (maxPods === undefined ? fallback(size) : { slots: maxPods, reservedFor: maxPods });

function aksPools(r: RegionalResource, name: string, p: Obj, zones: readonly string[], network: Obj): StampPool[] {
    const autoscaled = p.enableAutoScaling === true;
    const max = autoscaled ? num(p.maxCount) ?? 0 : num(p.count) ?? 0;
    const taints = strings(p.nodeTaints).map(aksTaint);
    const aks: AksNetwork = { networkPlugin: str(network.networkPlugin), networkPluginMode: str(network.networkPluginMode), podSubnet: str(p.podSubnetID) !== undefined };
    return pools(r, {
        kind: PoolKind.AksAgentPool, name, machine: str(p.vmSize), zones, maxNodes: max, bound: autoscaled ? `maxCount ${max}` : `count ${max} (autoscaling off)`,
        taints, pods: fixedPods(num(p.maxPods), () => aksDefaultPods(aks)),
    });
}

/** The cluster autoscaler release that scales the node group: its chart's values discover the group's cluster, in the group's region. */
function autoscalerOf(group: RegionalResource, releases: readonly RegionalResource[]): Obj | undefined {
    return releases.map((h) => obj(h.inputs.values)).find((v) => (str(v.cloudProvider) ?? CHART_DEFAULTS.cloudProvider) === CHART_DEFAULTS.cloudProvider
        && str(obj(v.autoDiscovery).clusterName) !== undefined && obj(v.autoDiscovery).clusterName === group.inputs.clusterName
        && (str(v.awsRegion) ?? CHART_DEFAULTS.awsRegion) === group.region);
}

/** Every node pool of the resources: the app pools and the pools inside an AKS cluster (its system pools). */
function stampPools(resources: readonly RegionalResource[], zonesOf: (urn: string) => readonly string[]): StampPool[] {
    const releases = resources.filter((r) => r.type === HELM_RELEASE && r.inputs.chart === CLUSTER_AUTOSCALER);
    const clusters = new Map(resources.filter((r) => r.type === MANAGED_CLUSTER).map((c) => [c.urn, c]));
    return resources.flatMap((r): StampPool[] => {
        if (r.type === NODE_GROUP) {
            const scaling = obj(r.inputs.scalingConfig);
            const autoscaler = autoscalerOf(r, releases);
            const max = (autoscaler ? num(scaling.maxSize) : num(scaling.desiredSize)) ?? 0;
            const cluster = String(r.inputs.clusterName ?? "");
            const total = Number(obj(autoscaler?.extraArgs)["max-nodes-total"] ?? NaN);
            return pools(r, {
                kind: PoolKind.EksNodeGroup, name: r.name, machine: strings(r.inputs.instanceTypes)[0], zones: zonesOf(r.urn), maxNodes: max,
                bound: autoscaler ? `maxSize ${max}` : `desiredSize ${max} (no cluster autoscaler discovers ${cluster} in ${r.region})`,
                taints: arr(r.inputs.taints).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? ""), effect: EKS_EFFECTS[String(t.effect)] ?? String(t.effect) })),
                pods: fixedPods(undefined, eksDefaultPods), clusterCap: Number.isFinite(total) ? { cluster, nodes: total } : undefined,
            });
        }
        if (r.type === AGENT_POOL) {
            const cluster = r.dependencies.map((d) => clusters.get(d)).find((c) => c !== undefined);
            return aksPools(r, r.name, r.inputs, zonesOf(r.urn), obj(cluster?.inputs.networkProfile));
        }
        // A cluster's own profiles name their zones (`availabilityZones`, as engine/zones.ts reads a resource's).
        if (r.type === MANAGED_CLUSTER) {
            return arr(r.inputs.agentPoolProfiles).flatMap((p) => aksPools(r, `${r.name}/${str(p.name) ?? "pool"}`, p, strings(p.availabilityZones), obj(r.inputs.networkProfile)));
        }
        return [];
    });
}

/** Every stamp's services and node pools, read from the plan's regional resources and their zones (`planZones`). */
export function stampCapacity(resources: readonly RegionalResource[], zonesOf: (urn: string) => readonly string[]): StampCapacity {
    const hpas = resources.filter((r) => r.type === HPA);
    const metrics = metricsRegions(resources);
    return { services: resources.filter((r) => r.type === DEPLOYMENT).map((d) => stampService(d, hpas, metrics)), pools: stampPools(resources, zonesOf) };
}
