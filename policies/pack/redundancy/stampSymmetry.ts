/**
 * Stamp symmetry: every regional stamp has the same tiers (network, bastion, cluster, services,
 * cache, event bus) with the same sizes and counts, so that a region's clients fail over to a stamp
 * that can carry them, and a stamp can be replaced whole from the same config. The user database is
 * global data (`global-data-replication` judges it), not a stamp tier.
 *
 * Each stamp is reduced to facts per tier (`<tier>/<aspect>` -> value); the stack's own region is the
 * reference every other stamp is compared with. Names and zones differ by design (`cache-use1`,
 * us-east-1's zones a, b, d), so resources are compared by what they are sized as, never by name;
 * Deployments, autoscalers and topics by their Kubernetes or topic name, which is the same in
 * every stamp.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Types, at, configOf, list } from "../common";
import { regionalView } from "../regions";
import { Topology } from "../topology";

/** The stamp's tiers, by the component that builds each. */
export const STAMP_TIERS: Readonly<Record<string, string>> = {
    "intergalactic:index:Vpc3Az": "network",
    "intergalactic:index:BastionHost": "bastion",
    "intergalactic:index:KubernetesCluster": "cluster",
    "intergalactic:index:CookieServices": "services",
    "intergalactic:index:HaRedis": "cache",
    "intergalactic:index:KafkaQuorum": "event bus",
};

/** One fact of a resource: its aspect, its value, and whether resources of the aspect are counted as a multiset (node pools) or named (a Deployment). */
interface Fact {
    readonly aspect: string;
    readonly value: string;
    readonly counted?: boolean;
}

const show = (v: unknown): string => (v === undefined || v === null ? "unset" : typeof v === "object" ? JSON.stringify(v) : String(v));
const k8sName = (r: PolicyResource): string => show(at(r.props, "metadata.name"));

/** What each sized resource type says about its tier's size. */
const FACTS: Readonly<Record<string, (r: PolicyResource) => Fact[]>> = {
    [Types.AwsNatGateway]: () => [{ aspect: "NAT gateways", value: "NAT gateway", counted: true }],
    [Types.AzureNatGateway]: () => [{ aspect: "NAT gateways", value: "NAT gateway", counted: true }],
    [Types.AwsLaunchTemplate]: (r) => r.props.instanceType === undefined ? [] : [{ aspect: "instance type", value: show(r.props.instanceType) }],
    "aws:autoscaling/group:Group": (r) => [{ aspect: "instances", value: `min ${show(r.props.minSize)}, desired ${show(r.props.desiredCapacity)}, max ${show(r.props.maxSize)}` }],
    "azure-native:network:BastionHost": (r) => [{ aspect: "bastion host", value: `${show(at(r.props, "sku.name"))}, ${show(r.props.scaleUnits)} scale unit(s)` }],
    [Types.AwsEksCluster]: (r) => [{ aspect: "Kubernetes version", value: show(r.props.version) }],
    [Types.AwsNodeGroup]: (r) => [{
        aspect: "node pools", counted: true,
        value: `${list(r.props.instanceTypes).join("+")} min ${show(at(r.props, "scalingConfig.minSize"))} desired ${show(at(r.props, "scalingConfig.desiredSize"))} max ${show(at(r.props, "scalingConfig.maxSize"))}`,
    }],
    [Types.AzureManagedCluster]: (r) => [
        { aspect: "Kubernetes version", value: show(r.props.kubernetesVersion) },
        ...list<Record<string, unknown>>(r.props.agentPoolProfiles).map((p): Fact => ({ aspect: "system node pools", counted: true, value: agentPool(p) })),
    ],
    [Types.AzureAgentPool]: (r) => [{ aspect: "node pools", counted: true, value: agentPool(r.props) }],
    [Types.K8sDeployment]: (r) => [{ aspect: `${k8sName(r)}.replicas`, value: show(at(r.props, "spec.replicas")) }],
    [Types.K8sHpa]: (r) => [{ aspect: `${k8sName(r)}.autoscaling`, value: `min ${show(at(r.props, "spec.minReplicas"))}, max ${show(at(r.props, "spec.maxReplicas"))}` }],
    [Types.AwsRedis]: (r) => [
        { aspect: "node type", value: show(r.props.nodeType) },
        { aspect: "nodes", value: r.props.numCacheClusters !== undefined ? show(r.props.numCacheClusters) : `${show(r.props.numNodeGroups)} shard(s) x ${show(r.props.replicasPerNodeGroup)} replica(s)` },
    ],
    [Types.AzureRedis]: (r) => [{ aspect: "sku", value: `${show(at(r.props, "sku.name"))}${r.props.highAvailability === undefined ? "" : `, high availability ${show(r.props.highAvailability)}`}` }],
    [Types.AwsKafka]: (r) => [
        { aspect: "brokers", value: show(r.props.numberOfBrokerNodes) },
        { aspect: "broker type", value: show(at(r.props, "brokerNodeGroupInfo.instanceType")) },
        { aspect: "broker storage GiB", value: show(at(r.props, "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize")) },
    ],
    // MSK grows broker storage through an Application Auto Scaling target up to its maxCapacity, "the maximum scaling limit
    // that Amazon MSK can set for your broker storage" (https://docs.aws.amazon.com/msk/latest/developerguide/msk-autoexpand-details.html),
    // so a stamp with a lower ceiling fills its brokers' disks first.
    "aws:appautoscaling/target:Target": (r) => [{ aspect: `${show(r.props.scalableDimension)} autoscaling`, value: `min ${show(r.props.minCapacity)}, max ${show(r.props.maxCapacity)}` }],
    [Types.AwsKafkaTopic]: (r) => [{ aspect: `topic ${show(r.props.name)}`, value: `${show(r.props.partitions)} partition(s), replication ${show(r.props.replicationFactor)}` }],
    [Types.AzureEventHubNamespace]: (r) => [{ aspect: "sku", value: `${show(at(r.props, "sku.name"))}, capacity ${show(at(r.props, "sku.capacity"))}` }],
    "azure-native:eventhub:EventHub": (r) => [{ aspect: `topic ${show(r.props.eventHubName ?? r.name)}`, value: `${show(r.props.partitionCount)} partition(s)` }],
};

function agentPool(p: Record<string, unknown>): string {
    return `${show(p.vmSize)} count ${show(p.count)} min ${show(p.minCount)} max ${show(p.maxCount)}`;
}

/** The tier of a resource: that of the nearest component of `STAMP_TIERS` above it; undefined outside every tier. */
function tierOf(r: PolicyResource): string | undefined {
    for (let p: PolicyResource | undefined = r; p; p = p.parent) {
        const tier = STAMP_TIERS[p.type];
        if (tier !== undefined) return tier;
    }
    return undefined;
}

/** A stamp's facts, `<tier>/<aspect>` -> value and the resource it was read from; each tier it has is a fact `<tier>` too. */
export function stampFacts(resources: readonly PolicyResource[]): Map<string, { value: string; urn?: string }> {
    const facts = new Map<string, { value: string; urn?: string }>();
    const counted = new Map<string, { values: string[]; urn: string }>();
    for (const r of resources) {
        const tier = tierOf(r);
        if (tier === undefined) continue;
        // A tier is in the stamp when anything of it is (a component of Kubernetes objects only may be placed elsewhere).
        if (!facts.has(tier)) facts.set(tier, { value: "present", urn: r.urn });
        for (const fact of FACTS[r.type]?.(r) ?? []) {
            const key = `${tier}/${fact.aspect}`;
            if (fact.counted) {
                const entry = counted.get(key) ?? { values: [], urn: r.urn };
                entry.values.push(fact.value);
                counted.set(key, entry);
            } else if (!facts.has(key)) facts.set(key, { value: fact.value, urn: r.urn });
        }
    }
    // Subnets carry no component parent of their own tier's making on every cloud: the zone reader tells their tier.
    const subnets = new Topology(resources).subnets();
    if (subnets.length > 0) counted.set("network/subnets", { values: subnets.map((s) => s.tier || "untiered"), urn: subnets[0].resource.urn });
    for (const [key, entry] of counted) facts.set(key, { value: tally(entry.values), urn: entry.urn });
    return new Map([...facts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** "2 x a, 1 x b": the values with their counts, sorted. */
function tally(values: readonly string[]): string {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([v, n]) => `${n} x ${v}`).join(", ");
}

const symmetrySchema: PolicyConfigSchema = {
    properties: {
        allowDifferences: {
            type: "array", items: { type: "string" }, default: [],
            description: "Differences between stamps that are meant: a tier (`cache`) or one of its facts as the violation names it (`cluster/node pools`, `services/get-cookie.replicas`).",
        },
    },
};

export const stampSymmetry: StackValidationPolicy = {
    name: "stamp-symmetry",
    description: "Every regional stamp has the same tiers (network, bastion, cluster, services, cache, event bus) with the same sizes and counts as the stack's own region's, but for `allowDifferences`.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy", "regions"],
    configSchema: symmetrySchema,
    validateStack: (args, report) => {
        const { allowDifferences } = configOf<{ allowDifferences: string[] }>(args, symmetrySchema);
        const view = regionalView(args.resources);
        if (view.regions.length < 2) args.notApplicable(`the stack has one region (${view.regions[0] || "its own"}): no other stamp to compare with`);
        const allowed = (key: string) => allowDifferences.some((a) => a === key || a === key.split("/")[0]);
        const [reference, ...others] = [...view.stamps].map(([region, resources]) => ({ region, facts: stampFacts(resources) }));
        for (const other of others) {
            const keys = [...new Set([...reference.facts.keys(), ...other.facts.keys()])].sort();
            for (const key of keys.filter((k) => !allowed(k))) {
                const ours = reference.facts.get(key);
                const theirs = other.facts.get(key);
                if (ours?.value === theirs?.value) continue;
                const tier = !key.includes("/");
                if (tier && theirs === undefined) report(`tier "${key}" is missing in ${other.region} (${reference.region} has it): every stamp runs every tier`);
                else if (tier) report(`tier "${key}" is in ${other.region} but not in ${reference.region}: every stamp runs the same tiers`, theirs?.urn);
                else if (!reference.facts.has(key.split("/")[0]) || !other.facts.has(key.split("/")[0])) continue;
                else report(`${key} differs in ${other.region}: ${show(theirs?.value ?? "none")} there, ${show(ours?.value ?? "none")} in ${reference.region}; stamps are sized alike (or list "${key}" in allowDifferences)`, theirs?.urn ?? ours?.urn);
            }
        }
    },
};
