/**
 * The capacity tier of the region-loss analysis. When a region is lost the global entry sends its clients
 * to the survivors (Route 53's latency records, Front Door's origins): with two regions, the one left
 * takes every client. What this checks is the baseline: each of the survivor's services must reach the replicas
 * both stamps ran at their HPA `minReplicas` (or fixed `replicas`), every service of the lost stamp must have a
 * counterpart there, and the survivor's node pools at their most nodes must hold those pods' requests. It does not
 * know the load either region carries; it also says whether the pools hold every service at its HPA `maxReplicas`.
 * What it reads of each stamp is `stamps.ts`'. PodDisruptionBudgets do not matter here: they bound voluntary
 * evictions, not scaling.
 *
 * Pure: it judges what `stamps.ts` read.
 */
import type { RegionTierVerdict } from "./analysis";
import { Failover } from "./recovery";
import { StampCapacity, StampPool, StampService } from "./stamps";

export { StampCapacity, StampPool, StampService, stampCapacity } from "./stamps";

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
const unique = (values: readonly string[]) => [...new Set(values)];

interface Need { readonly s: StampService; readonly replicas: number }

/**
 * Whether the pools hold the replicas: the nodes they need, or the first shortfall. A zone-spread service's pods go
 * ceil(n / z) to each zone of the pools it tolerates (z > 1); a pool whose zone is not known holds none of them.
 */
function fit(need: readonly Need[], usable: readonly StampPool[], survivor: string, what: string): { nodes: number } | { short: string } {
    const pods = need.flatMap(({ s, replicas }): Pod[] => {
        const zones = unique(usable.filter((p) => p.zone !== "" && tolerates(s, p)).map((p) => p.zone)).sort();
        return s.zoneSpread && zones.length > 1
            ? zones.flatMap((zone) => Array.from({ length: Math.ceil(replicas / zones.length) }, () => ({ service: s, zone })))
            : Array.from({ length: replicas }, () => ({ service: s }));
    });
    const { nodes, unplaced } = pack(pods, usable);
    if (unplaced.length > 0) {
        const { service: s, zone } = unplaced[0];
        return { short: `a ${s.service} pod in ${survivor}${zone ? ` (zone ${zone})` : ""} requests ${s.cpuMillis}m CPU and ${s.memoryMiB} MiB, more than a node of any pool it may run on there offers` };
    }
    for (const zone of unique(usable.map((p) => p.zone))) {
        const inZone = usable.filter((p) => p.zone === zone);
        const used = nodes.filter((n) => inZone.includes(n.pool)).length;
        const max = inZone.reduce((t, p) => t + p.maxNodes, 0);
        if (used > max) {
            return { short: `${survivor} needs ${used} nodes${zone ? ` in zone ${zone}` : " in pools of no known zone"} for ${what}, its node pools there stop at ${max} (${inZone.map((p) => `${p.name} ${p.bound}`).join(", ")})` };
        }
    }
    for (const cluster of unique(usable.flatMap((p) => (p.clusterCap ? [p.clusterCap.cluster] : [])))) {
        const inCluster = usable.filter((p) => p.clusterCap?.cluster === cluster);
        const used = nodes.filter((n) => inCluster.includes(n.pool)).length;
        const cap = inCluster[0].clusterCap!.nodes;
        if (used > cap) return { short: `${survivor} needs ${used} nodes in cluster ${cluster} for ${what}, its cluster autoscaler stops at ${cap} (max-nodes-total)` };
    }
    return { nodes: nodes.length };
}

/** One survivor taking its own clients and the lost region's: down with the first shortfall, else the figures. */
function survivorVerdict(capacity: StampCapacity, lost: string, survivor: string): RegionTierVerdict {
    const own = capacity.services.filter((s) => s.region === survivor);
    const gone = capacity.services.filter((s) => s.region === lost);
    if (own.length === 0) return verdict("absent", `${survivor} runs no services`);
    const unreadable = [...own, ...gone].find((s) => s.unreadable !== undefined);
    if (unreadable) return verdict("down", `${unreadable.service} in ${unreadable.region}: ${unreadable.unreadable}, so what its pods need is not known`);
    const orphan = gone.find((g) => !own.some((s) => s.key === g.key));
    if (orphan) return verdict("down", `${orphan.service} in namespace ${orphan.namespace} of ${lost} has no counterpart in ${survivor}: nothing there takes its ${orphan.baseline} replica(s)' clients`);
    const need = own.map((s) => ({ s, replicas: s.baseline + gone.filter((g) => g.key === s.key).reduce((t, g) => t + g.baseline, 0) }));
    const short = need.find(({ s, replicas }) => replicas > s.max);
    if (short) return verdict("down", `${short.s.service} in ${survivor} needs ${short.replicas} replicas (${short.s.baseline} of its own, ${short.replicas - short.s.baseline} of ${lost}'s), ${short.s.limit}`);
    // Pools whose taints every service's pods refuse (AKS's system pools, CriticalAddonsOnly) hold none of them.
    const usable = capacity.pools.filter((p) => p.region === survivor && p.maxNodes > 0 && own.some((s) => tolerates(s, p)));
    if (usable.length === 0) return verdict("down", `${survivor} has no node pool its services' pods may run on`);
    const unknown = usable.find((p) => p.allocatable === undefined);
    if (unknown) return verdict("down", `${unknown.name} in ${survivor} runs ${unknown.machine}, whose vCPUs and memory the capacity table does not know (policies/regionLoss/machines.ts)`);
    const baseline = fit(need, usable, survivor, `its own and ${lost}'s baseline pods`);
    if ("short" in baseline) return verdict("down", baseline.short);
    const max = usable.reduce((t, p) => t + p.maxNodes, 0);
    const machines = unique(usable.map((p) => `${p.machine}: ${p.allocatable!.cpuMillis}m CPU, ${gib(p.allocatable!.memoryMiB)}, ${p.allocatable!.pods} pods for services per node`));
    const top = fit(own.map((s) => ({ s, replicas: s.max })), usable, survivor, "every service at its maxReplicas");
    const atMax = `at every service's maxReplicas (${own.reduce((t, s) => t + s.max, 0)} pods) ${"short" in top ? `it falls short: ${top.short}` : `they need ${top.nodes} nodes`}`;
    return verdict("serving", `${survivor} holds its own and ${lost}'s baseline (HPA minReplicas): ${need.map(({ s, replicas }, i) => `${s.service} to ${replicas} of max ${s.max}${i === 0 ? " replicas" : ""}`).join(", ")}; `
        + `its pods need ${baseline.nodes} nodes of max ${max} (${usable.length} pool(s), ${machines.join("; ")}); ${atMax}`);
}

/**
 * Each surviving region holds the lost region's baseline on top of its own: every service of the lost stamp has a
 * counterpart there, whose autoscaler reaches its own baseline plus the lost stamp's (with two regions, what both ran
 * together; with more, the entry may send all of a lost region's clients to its nearest survivor), and its node pools
 * at their maximum hold those pods.
 */
export function capacityTier(capacity: StampCapacity, lost: string, survivors: readonly string[]): RegionTierVerdict {
    if (capacity.services.length === 0) return verdict("absent", "no Deployments in any region");
    const verdicts = survivors.map((s) => survivorVerdict(capacity, lost, s)).filter((v) => v.status !== "absent");
    if (verdicts.length === 0) return verdict("down", `no region but ${lost} runs services`);
    const down = verdicts.filter((v) => v.status === "down");
    return verdict(down.length > 0 ? "down" : "serving", (down.length > 0 ? down : verdicts).map((v) => v.detail).join("; "));
}
