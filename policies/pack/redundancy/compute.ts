/**
 * Compute redundancy: Kubernetes node pools span the zones and autoscale, and
 * every Deployment runs at least two replicas, has a PodDisruptionBudget and
 * spreads its pods over zones.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Types, at, configOf, dependenciesOf, label, list, ofTypes } from "../common";
import { Topology } from "../topology";
import { acceptHibernatedSchema, judgedAsHibernated } from "../hibernation";

/** The well-known node label Kubernetes sets to a node's zone. */
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

const poolSchema: PolicyConfigSchema = {
    properties: {
        minZones: { type: "integer", minimum: 1, default: 3, description: "The fewest zones a node pool may span." },
        acceptHibernated: acceptHibernatedSchema,
    },
};

export const nodePoolZones: StackValidationPolicy = {
    name: "node-pool-zones",
    description: "Each Kubernetes cluster's node pools together span at least `minZones` zones (default 3); every pool autoscales and keeps a node in each of its zones (with `acceptHibernated`, a hibernated plan's pools may keep none).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: poolSchema,
    validateStack: (args, report) => {
        const config = configOf<{ minZones: number; acceptHibernated: boolean }>(args, poolSchema);
        const { minZones } = config;
        // Hibernated: the pools go to zero nodes (EKS) or stop (AKS) on purpose; they still span the zones and autoscale.
        const hibernated = judgedAsHibernated(config, args.resources);
        const topology = new Topology(args.resources);
        const pools = poolsOf(args.resources, topology);
        if (pools.length === 0) args.notApplicable("the stack has no node pools");
        // One pool per zone is the pattern the cluster autoscaler balances best, so zones count per cluster.
        for (const [cluster, ofCluster] of groupBy(pools, (p) => p.cluster)) {
            const zones = [...new Set(ofCluster.flatMap((p) => p.zones))].sort();
            if (zones.length < minZones) report(`cluster ${cluster}: node pools ${ofCluster.map((p) => poolLabel(p)).join(", ")} span ${zones.length} zone(s) (${zones.join(", ") || "none"}); at least ${minZones} are required`, ofCluster[0].resource.urn);
        }
        for (const pool of pools) {
            if (!pool.autoscaling) report(`${poolLabel(pool)}: autoscaling is off (${pool.autoscalingDetail})`, pool.resource.urn);
            if (!hibernated && pool.minNodes < pool.zones.length) report(`${poolLabel(pool)}: keeps ${pool.minNodes} node(s) at minimum, fewer than its ${pool.zones.length} zones`, pool.resource.urn);
        }
    },
};

interface Pool { resource: PolicyResource; name: string; cluster: string; zones: string[]; autoscaling: boolean; autoscalingDetail: string; minNodes: number }

const poolLabel = (pool: Pool) => `${label(pool.resource)}${pool.name ? ` pool ${pool.name}` : ""}`;

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
    return map;
}

/** The cluster a pool belongs to: the resource its cluster-name property came from, else the name itself. */
function clusterOf(pool: PolicyResource, property: string): string {
    const cluster = dependenciesOf(pool, property)[0];
    return cluster ? cluster.name : String(pool.props[property] ?? "?");
}

function poolsOf(resources: readonly PolicyResource[], topology: Topology): Pool[] {
    const pools: Pool[] = [];
    for (const r of resources) {
        if (r.type === Types.AwsNodeGroup) {
            const min = Number(at(r.props, "scalingConfig.minSize") ?? 0);
            const max = Number(at(r.props, "scalingConfig.maxSize") ?? 0);
            pools.push({
                resource: r, name: "", cluster: clusterOf(r, "clusterName"), zones: topology.zonesOf(r),
                autoscaling: max > min, autoscalingDetail: `scalingConfig.minSize ${min} = maxSize ${max}`, minNodes: min,
            });
        } else if (r.type === Types.AzureAgentPool) {
            pools.push(azurePool(r, "", clusterOf(r, "resourceName"), r.props));
        } else if (r.type === Types.AzureManagedCluster) {
            list<Record<string, unknown>>(r.props.agentPoolProfiles).forEach((p) => pools.push(azurePool(r, String(p.name ?? ""), r.name, p)));
        }
    }
    return pools;
}

function azurePool(resource: PolicyResource, name: string, cluster: string, p: Record<string, unknown>): Pool {
    // Autoscaling with minCount = maxCount cannot add a node: as fixed as autoscaling off (as on AWS, min = max).
    const enabled = p.enableAutoScaling === true;
    const min = Number(p.minCount ?? 0), max = Number(p.maxCount ?? 0);
    return {
        resource, name, cluster, zones: list<string>(p.availabilityZones), autoscaling: enabled && max > min,
        autoscalingDetail: enabled ? `minCount ${min} = maxCount ${max}` : "enableAutoScaling must be true",
        minNodes: Number(enabled ? p.minCount ?? 0 : p.count ?? 0),
    };
}

const deploymentSchema: PolicyConfigSchema = {
    properties: { minReplicas: { type: "integer", minimum: 1, default: 2, description: "The fewest replicas a Deployment may run." } },
};

export const deploymentHa: StackValidationPolicy = {
    name: "deployment-ha",
    description: "Every Deployment runs at least `minReplicas` replicas (default 2, or an HPA minimum), has a PodDisruptionBudget and spreads its pods over zones.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy", "kubernetes"],
    configSchema: deploymentSchema,
    validateStack: (args, report) => {
        const { minReplicas } = configOf<{ minReplicas: number }>(args, deploymentSchema);
        const deployments = ofTypes(args, Types.K8sDeployment);
        if (deployments.length === 0) args.notApplicable("the stack has no Deployments");
        const hpas = ofTypes(args, Types.K8sHpa);
        const pdbs = ofTypes(args, Types.K8sPdb);
        const remember = remembering();
        for (const d of deployments) {
            const hpa = hpas.find((h) => targets(remember, h, d));
            const replicas = hpa ? Number(at(hpa.props, "spec.minReplicas") ?? 1) : Number(at(d.props, "spec.replicas") ?? 1);
            if (replicas < minReplicas) report(`${label(d)}: runs ${replicas} replica(s)${hpa ? " at the HPA minimum" : ""}; at least ${minReplicas} are required`, d.urn);
            if (!pdbs.some((p) => covers(remember, p, d))) report(`${label(d)}: no PodDisruptionBudget selects its pods, so a node drain may stop them all`, d.urn);
            if (!spreadsOverZones(d)) report(`${label(d)}: pods are not spread over zones (add a topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY})`, d.urn);
        }
    },
};

/** A value of a resource, computed by `compute` the first time `key` is asked for. */
type Remember = <T>(resource: PolicyResource, key: string, compute: () => T) => T;

/**
 * What a policy run reads of each resource, read once: every Deployment is matched against every HPA
 * and PDB, and each read goes through the SDK's unknown-checking proxy (about 0.1 s for the 120
 * Deployments of prod + 60 services). A read that throws (an unknown value) is not kept, so it throws
 * again where it would have: the first throw ends the policy at the same read as without this.
 */
function remembering(): Remember {
    const seen = new Map<PolicyResource, Map<string, unknown>>();
    return <T>(resource: PolicyResource, key: string, compute: () => T): T => {
        let values = seen.get(resource);
        if (!values) seen.set(resource, (values = new Map()));
        if (values.has(key)) return values.get(key) as T;
        const value = compute();
        values.set(key, value);
        return value;
    };
}

/** `at(resource.props, path)`, remembered (a path has no "#": the other keys below start with one). */
const read = (remember: Remember, r: PolicyResource, path: string) => remember(r, path, () => at(r.props, path));

const namespaceOf = (remember: Remember, r: PolicyResource) => String(read(remember, r, "metadata.namespace") ?? "default");

function targets(remember: Remember, hpa: PolicyResource, deployment: PolicyResource): boolean {
    if (namespaceOf(remember, hpa) !== namespaceOf(remember, deployment) || read(remember, hpa, "spec.scaleTargetRef.kind") !== "Deployment") return false;
    if (dependenciesOf(hpa, "spec").some((d) => d.urn === deployment.urn)) return true;
    const name = read(remember, deployment, "metadata.name");
    return name !== undefined && read(remember, hpa, "spec.scaleTargetRef.name") === name;
}

function covers(remember: Remember, pdb: PolicyResource, deployment: PolicyResource): boolean {
    if (namespaceOf(remember, pdb) !== namespaceOf(remember, deployment)) return false;
    const selector = read(remember, pdb, "spec.selector.matchLabels") as Record<string, string> | undefined;
    const labels = (read(remember, deployment, "spec.template.metadata.labels") ?? {}) as Record<string, string>;
    if (selector === undefined || remember(pdb, "#selector-size", () => Object.keys(selector).length) === 0) return false;
    const wanted = remember(pdb, "#selector-entries", () => Object.entries(selector));
    return wanted.every(([k, v]) => remember(deployment, `#label ${k}`, () => labels[k]) === v);
}

function spreadsOverZones(deployment: PolicyResource): boolean {
    const spec = at(deployment.props, "spec.template.spec");
    const constraints = list<Record<string, unknown>>(at(spec, "topologySpreadConstraints"));
    if (constraints.some((c) => c.topologyKey === ZONE_TOPOLOGY_KEY)) return true;
    const antiAffinity = [
        ...list<Record<string, unknown>>(at(spec, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")),
        ...list<Record<string, unknown>>(at(spec, "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")).map((p) => (p.podAffinityTerm ?? {}) as Record<string, unknown>),
    ];
    return antiAffinity.some((t) => t.topologyKey === ZONE_TOPOLOGY_KEY);
}
