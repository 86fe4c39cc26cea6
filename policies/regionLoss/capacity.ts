/**
 * The capacity tier of the region-loss analysis. When a region is lost the global entry sends its clients
 * to the survivors (Route 53's latency records, Front Door's origins): with two regions, the one left
 * takes every client, so each of its services must reach the replicas both stamps ran at their baseline,
 * and its node pools at their most nodes must hold those pods' requests. Read per stamp from the plan:
 * each Deployment's replicas and its HorizontalPodAutoscaler's minimum and maximum, its pods' CPU and
 * memory requests, and the node pools (EKS managed node groups, AKS agent pools) with their most nodes
 * and machine type. PodDisruptionBudgets do not matter here: they bound voluntary evictions, not scaling.
 *
 * Pure: it reads the readers' regional resources only.
 */
import type { RegionTierVerdict } from "./analysis";
import { RegionalResource } from "./readers";
import { Failover } from "./recovery";
import { Allocatable, MACHINE_SIZES, PoolKind, cpuMillis, memoryMiB, serviceAllocatable } from "./machines";

/** One service of a stamp: its baseline, how far its autoscaler goes, and what each pod requests. */
export interface StampService {
    readonly region: string;
    /** The Deployment's Kubernetes name, and its namespace: the same pair in two stamps is one service. */
    readonly service: string;
    readonly namespace: string;
    /** The HPA's `minReplicas`, else the Deployment's `replicas` (Kubernetes' default 1). */
    readonly baseline: number;
    /** The HPA's `maxReplicas`, else the baseline (nothing scales it). */
    readonly max: number;
    readonly autoscaled: boolean;
    readonly cpuMillis: number;
    readonly memoryMiB: number;
    /** Spread over zones with `DoNotSchedule`: each zone then holds at most ceil(n / zones) of its pods. */
    readonly zoneSpread: boolean;
    readonly tolerations: readonly Toleration[];
}

interface Toleration { readonly key?: string; readonly operator?: string; readonly value?: string; readonly effect?: string }
interface Taint { readonly key: string; readonly value: string; readonly effect: string }

/** One node pool of a stamp, at the most nodes it may reach. */
export interface StampPool {
    readonly region: string;
    readonly name: string;
    readonly kind: PoolKind;
    readonly machine: string;
    /** The pool's zone(s), "" for a regional pool. */
    readonly zone: string;
    readonly maxNodes: number;
    /** Where `maxNodes` comes from, e.g. `maxSize 10`, or `count 2 (autoscaling off)`. */
    readonly bound: string;
    /** Per node, for the services' pods; undefined when the machine is not in the table. */
    readonly allocatable?: Allocatable;
    readonly taints: readonly Taint[];
}

export interface StampCapacity {
    readonly services: readonly StampService[];
    readonly pools: readonly StampPool[];
}

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const AGENT_POOL = "azure-native:containerservice:AgentPool";
const MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** What scales an EKS managed node group beyond its desired size: it does not scale itself. */
const NODE_AUTOSCALERS = ["cluster-autoscaler", "karpenter"];
const ZONE_TAG = "intergalactic:zone";

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const namespaceOf = (r: RegionalResource) => str(obj(r.inputs.metadata).namespace) ?? "default";

/** A pod's requests: its containers' sum, or its largest init container's when that is more (the scheduler's rule). */
function podRequests(pod: Obj): { cpuMillis: number; memoryMiB: number } {
    const requests = (containers: unknown) => arr(containers).map((c) => obj(obj(c.resources).requests));
    const sum = (list: Obj[], read: (v: unknown) => number | undefined, key: string) => list.reduce((t, r) => t + (read(r[key]) ?? 0), 0);
    const largest = (list: Obj[], read: (v: unknown) => number | undefined, key: string) => Math.max(0, ...list.map((r) => read(r[key]) ?? 0));
    const main = requests(pod.containers), init = requests(pod.initContainers);
    return {
        cpuMillis: Math.max(sum(main, cpuMillis, "cpu"), largest(init, cpuMillis, "cpu")),
        memoryMiB: Math.max(sum(main, memoryMiB, "memory"), largest(init, memoryMiB, "memory")),
    };
}

function stampService(d: RegionalResource, hpas: readonly RegionalResource[]): StampService {
    const name = str(obj(d.inputs.metadata).name) ?? d.name;
    const spec = obj(d.inputs.spec);
    const pod = obj(obj(spec.template).spec);
    const hpa = hpas.find((h) => h.region === d.region && namespaceOf(h) === namespaceOf(d)
        && obj(obj(h.inputs.spec).scaleTargetRef).kind === "Deployment" && obj(obj(h.inputs.spec).scaleTargetRef).name === name);
    const hpaSpec = obj(hpa?.inputs.spec);
    const baseline = hpa ? num(hpaSpec.minReplicas) ?? 1 : num(spec.replicas) ?? 1;
    const zoneSpread = arr(pod.topologySpreadConstraints)
        .some((c) => c.topologyKey === "topology.kubernetes.io/zone" && (c.whenUnsatisfiable ?? "DoNotSchedule") === "DoNotSchedule");
    return {
        region: d.region, service: name, namespace: namespaceOf(d), baseline, max: hpa ? num(hpaSpec.maxReplicas) ?? baseline : baseline, autoscaled: hpa !== undefined,
        ...podRequests(pod), zoneSpread, tolerations: arr(pod.tolerations) as Toleration[],
    };
}

/** EKS taints (`NO_SCHEDULE`) and AKS taints (`key=value:NoSchedule`) as the scheduler's effects. */
const EKS_EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
function aksTaint(text: string): Taint {
    const [pair, effect = ""] = text.split(":");
    const [key, value = ""] = pair.split("=");
    return { key, value, effect };
}

function pool(r: RegionalResource, kind: PoolKind, name: string, p: Obj, machine: string | undefined, zone: string, max: number, bound: string, taints: Taint[]): StampPool {
    const size = machine === undefined ? undefined : MACHINE_SIZES[machine];
    return {
        region: r.region, name, kind, machine: machine ?? "an unknown machine", zone, maxNodes: max, bound, taints,
        allocatable: size && serviceAllocatable(kind, size, num(p.maxPods)),
    };
}

function aksPool(r: RegionalResource, name: string, p: Obj): StampPool {
    const autoscaled = p.enableAutoScaling === true;
    const max = autoscaled ? num(p.maxCount) ?? 0 : num(p.count) ?? 0;
    const zones = (Array.isArray(p.availabilityZones) ? p.availabilityZones : []).join("+");
    const taints = (Array.isArray(p.nodeTaints) ? p.nodeTaints : []).filter((t): t is string => typeof t === "string").map(aksTaint);
    return pool(r, PoolKind.AksAgentPool, name, p, str(p.vmSize), zones, max, autoscaled ? `maxCount ${max}` : `count ${max} (autoscaling off)`, taints);
}

/** Every node pool of the resources: the app pools and the pools inside an AKS cluster (its system pools). */
function stampPools(resources: readonly RegionalResource[]): StampPool[] {
    const scaledRegions = new Set(resources.filter((r) => r.type === HELM_RELEASE && NODE_AUTOSCALERS.includes(String(r.inputs.chart))).map((r) => r.region));
    return resources.flatMap((r): StampPool[] => {
        if (r.type === NODE_GROUP) {
            const scaling = obj(r.inputs.scalingConfig);
            const scaled = scaledRegions.has(r.region);
            const max = (scaled ? num(scaling.maxSize) : num(scaling.desiredSize)) ?? 0;
            const taints = arr(r.inputs.taints).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? ""), effect: EKS_EFFECTS[String(t.effect)] ?? String(t.effect) }));
            const machine = (Array.isArray(r.inputs.instanceTypes) ? r.inputs.instanceTypes : []).map(str)[0];
            return [pool(r, PoolKind.EksNodeGroup, r.name, r.inputs, machine, str(obj(r.inputs.tags)[ZONE_TAG]) ?? "", max,
                scaled ? `maxSize ${max}` : `desiredSize ${max} (no cluster autoscaler in ${r.region})`, taints)];
        }
        if (r.type === AGENT_POOL) return [aksPool(r, r.name, r.inputs)];
        if (r.type === MANAGED_CLUSTER) return arr(r.inputs.agentPoolProfiles).map((p) => aksPool(r, `${r.name}/${str(p.name) ?? "pool"}`, p));
        return [];
    });
}

/** Every stamp's services and node pools, read from the plan's regional resources. */
export function stampCapacity(resources: readonly RegionalResource[]): StampCapacity {
    const hpas = resources.filter((r) => r.type === HPA);
    return { services: resources.filter((r) => r.type === DEPLOYMENT).map((d) => stampService(d, hpas)), pools: stampPools(resources) };
}

/** Whether the pod tolerates every taint that keeps pods off the pool's nodes. */
function tolerates(service: StampService, p: StampPool): boolean {
    return p.taints.filter((t) => t.effect === "NoSchedule" || t.effect === "NoExecute").every((t) => service.tolerations.some((o) =>
        (o.key === undefined || o.key === "" ? o.operator === "Exists" : o.key === t.key && (o.operator === "Exists" || (o.value ?? "") === t.value))
        && (o.effect === undefined || o.effect === "" || o.effect === t.effect)));
}

interface Pod { readonly service: StampService; readonly zone?: string }
interface OpenNode { readonly pool: StampPool; cpu: number; memory: number; pods: number }

const fits = (a: { cpu: number; memory: number; pods: number }, pod: StampService) => a.cpu >= pod.cpuMillis && a.memory >= pod.memoryMiB && a.pods >= 1;
const fresh = (p: StampPool): OpenNode => ({ pool: p, cpu: p.allocatable!.cpuMillis, memory: p.allocatable!.memoryMiB, pods: p.allocatable!.pods });

/**
 * First-fit decreasing: the largest pods first, each on the first open node of its zone with room, else on a new node
 * of the first pool there with nodes left, else (over every pool's maximum, to count what is missing) on a new node
 * of a pool there whose node fits it. Pods that fit no node of any pool they may use are left over.
 */
function pack(pods: readonly Pod[], pools: readonly StampPool[]): { nodes: OpenNode[]; unplaced: Pod[] } {
    const nodes: OpenNode[] = [];
    const unplaced: Pod[] = [];
    const order = [...pods].sort((a, b) => b.service.cpuMillis - a.service.cpuMillis || b.service.memoryMiB - a.service.memoryMiB);
    for (const pod of order) {
        const usable = pools.filter((p) => (pod.zone === undefined || p.zone === pod.zone) && tolerates(pod.service, p) && fits(fresh(p), pod.service));
        let node = nodes.find((n) => usable.includes(n.pool) && fits(n, pod.service));
        if (!node) {
            const next = usable.find((p) => nodes.filter((n) => n.pool === p).length < p.maxNodes) ?? usable[0];
            if (next === undefined) {
                unplaced.push(pod);
                continue;
            }
            node = fresh(next);
            nodes.push(node);
        }
        node.cpu -= pod.service.cpuMillis;
        node.memory -= pod.service.memoryMiB;
        node.pods -= 1;
    }
    return { nodes, unplaced };
}

const verdict = (status: RegionTierVerdict["status"], detail: string): RegionTierVerdict => ({ tier: "capacity", status, failover: status === "serving" ? Failover.Automatic : Failover.None, detail });
const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

/** One survivor taking its own clients and the lost region's: down with the first shortfall, else the figures. */
function survivorVerdict(capacity: StampCapacity, lost: string, survivor: string): RegionTierVerdict {
    const own = capacity.services.filter((s) => s.region === survivor);
    const lostBaseline = (of: StampService) => capacity.services.filter((s) => s.region === lost && s.service === of.service && s.namespace === of.namespace).reduce((t, s) => t + s.baseline, 0);
    if (own.length === 0) return verdict("absent", `${survivor} runs no services`);
    const need = own.map((s) => ({ s, replicas: s.baseline + lostBaseline(s) }));
    const short = need.find(({ s, replicas }) => replicas > s.max);
    if (short) {
        return verdict("down", `${short.s.service} in ${survivor} needs ${short.replicas} replicas (${short.s.baseline} of its own, ${short.replicas - short.s.baseline} of ${lost}'s), `
            + (short.s.autoscaled ? `its autoscaler stops at ${short.s.max}` : `it runs a fixed ${short.s.max} (no autoscaler)`));
    }
    // Pools whose taints every service's pods refuse (AKS's system pools, CriticalAddonsOnly) hold none of them.
    const usable = capacity.pools.filter((p) => p.region === survivor && p.maxNodes > 0 && own.some((s) => tolerates(s, p)));
    if (usable.length === 0) return verdict("down", `${survivor} has no node pool its services' pods may run on`);
    const unknown = usable.find((p) => p.allocatable === undefined);
    if (unknown) return verdict("down", `${unknown.name} in ${survivor} runs ${unknown.machine}, whose vCPUs and memory the capacity table does not know (policies/regionLoss/machines.ts)`);
    const zones = [...new Set(usable.map((p) => p.zone))];
    const pods = need.flatMap(({ s, replicas }): Pod[] => (s.zoneSpread && zones.length > 1
        ? zones.flatMap((zone) => Array.from({ length: Math.ceil(replicas / zones.length) }, () => ({ service: s, zone })))
        : Array.from({ length: replicas }, () => ({ service: s }))));
    const { nodes, unplaced } = pack(pods, usable);
    if (unplaced.length > 0) {
        const s = unplaced[0].service;
        return verdict("down", `a ${s.service} pod in ${survivor} requests ${s.cpuMillis}m CPU and ${s.memoryMiB} MiB, more than a node of any pool it may run on offers`);
    }
    for (const zone of zones) {
        const inZone = usable.filter((p) => p.zone === zone);
        const used = nodes.filter((n) => inZone.includes(n.pool)).length;
        const max = inZone.reduce((t, p) => t + p.maxNodes, 0);
        if (used > max) {
            return verdict("down", `${survivor} needs ${used} nodes${zone ? ` in zone ${zone}` : ""} for its own and ${lost}'s baseline pods, its node pools there stop at ${max} (${inZone.map((p) => `${p.name} ${p.bound}`).join(", ")})`);
        }
    }
    const max = usable.reduce((t, p) => t + p.maxNodes, 0);
    const machines = [...new Set(usable.map((p) => `${p.machine}: ${p.allocatable!.cpuMillis}m CPU, ${gib(p.allocatable!.memoryMiB)}, ${p.allocatable!.pods} pods for services per node`))];
    return verdict("serving", `${survivor} scales for its own and ${lost}'s clients: ${need.map(({ s, replicas }, i) => `${s.service} to ${replicas} of max ${s.max}${i === 0 ? " replicas" : ""}`).join(", ")}; `
        + `its pods need ${nodes.length} nodes of max ${max} (${usable.length} pool(s), ${machines.join("; ")})`);
}

/**
 * Each surviving region can take the lost region's clients on top of its own: its services' autoscalers reach their
 * own baseline plus the lost stamp's (with two regions, what both ran together; with more, the entry may send all of a
 * lost region's clients to its nearest survivor), and its node pools at their maximum hold those pods.
 */
export function capacityTier(capacity: StampCapacity, lost: string, survivors: readonly string[]): RegionTierVerdict {
    if (capacity.services.length === 0) return verdict("absent", "no Deployments in any region");
    const verdicts = survivors.map((s) => survivorVerdict(capacity, lost, s)).filter((v) => v.status !== "absent");
    if (verdicts.length === 0) return verdict("down", `no region but ${lost} runs services`);
    const down = verdicts.filter((v) => v.status === "down");
    return verdict(down.length > 0 ? "down" : "serving", (down.length > 0 ? down : verdicts).map((v) => v.detail).join("; "));
}
