/**
 * The compute tier of a stack: one KubernetesCluster with a node group in the
 * app subnet of every zone the network spans, and a Kubernetes provider for
 * the tiers that deploy into it.
 */
import * as k8s from "@pulumi/kubernetes";
import { PerCloud } from "../../components/common";
import { KubernetesCluster, KubernetesClusterArgs } from "../../components/kubernetes";
import { kubernetesProvider } from "../../components/services";
import { NetworkFacts, SubnetTier, selectSubnets } from "../../components/network";
import { StackConfig } from "../config";
import { hibernationSettings } from "../hibernation";
import { PRIMARY_SCOPE, StampScope } from "./stamp";
import { INTER_REGION_PEERING_MTU } from "./peering";

/** The cluster and a provider that deploys into it. */
export interface ClusterTier {
    readonly cluster: KubernetesCluster;
    /** For the app tier: `{ provider }` on everything it deploys into the cluster. */
    readonly provider: k8s.Provider;
}

/**
 * The stack's cluster, or undefined when `intergalactic:cluster.enabled` is false; it spans the
 * network's zones.
 */
export function clusterTier(config: StackConfig, network: NetworkFacts, scope: StampScope = PRIMARY_SCOPE): ClusterTier | undefined {
    const settings = config.cluster;
    if (!settings.enabled) return undefined;
    // The cluster takes the network's app subnets, one node group per zone, and on Azure admits the
    // network's NAT addresses to its API server.
    const cluster = new KubernetesCluster(settings.name, {
        cloud: config.cloud,
        network,
        kubernetesVersion: settings.kubernetesVersion,
        nodeSize: settings.nodeSize,
        minNodesPerZone: settings.minNodesPerZone,
        maxNodesPerZone: settings.maxNodesPerZone,
        publicEndpointCidrs: [...settings.publicEndpointCidrs],
        ...CLOUD_ARGS[config.cloud](config, network),
        tags: { ...config.tags },
    }, scope.opts);
    return { cluster, provider: kubernetesProvider(`${settings.name}-apps`, cluster.kubeconfig) };
}

/** The ranges of the subnets whose hosts call the EKS private endpoint: the app tier's, then the bastion's (public on AWS). */
export function apiCallerRanges(network: NetworkFacts): string[] {
    return [SubnetTier.App, SubnetTier.Public].flatMap((tier) => selectSubnets(network, { tier }).map((s) => s.cidr));
}

/** Per cloud, the args only that cloud's cluster takes: the stack config refuses the other cloud's keys. */
const CLOUD_ARGS: PerCloud<(config: StackConfig, network: NetworkFacts) => Partial<KubernetesClusterArgs>> = {
    aws: (config, network) => ({
        aws: {
            // By default the tiers that call the private endpoint, not the whole network: the app tier (pods and any
            // node outside the cluster security group; managed nodes already reach the API through that group's
            // inbound-from-itself rule, docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html) and the public
            // tier, where the bastion runs. The data tier and the unallocated space have no caller. Kubernetes still
            // authenticates every caller.
            privateEndpointCidrs: [...(config.cluster.privateEndpointCidrs ?? apiCallerRanges(network))],
            adminPrincipalArns: [...config.cluster.adminPrincipalArns],
            logRetentionDays: config.cluster.logRetentionDays,
            // Hibernated: the node groups at zero; waking: their counts written back (stacks/hibernation.ts).
            nodeCounts: hibernationSettings(config).nodeCounts,
            // Several stamps: pods reach the other stamps' networks across an inter-region peering (peering.ts), so
            // they send no packet larger than it carries, in either direction of their TCP connections.
            ...(config.stamps.length > 1 ? { networkMtu: INTER_REGION_PEERING_MTU } : {}),
        },
    }),
    azure: (config) => ({
        azure: {
            deployerPrincipalType: config.cluster.deployerPrincipalType,
            // The managed ingress reads the services' certificate from this vault.
            ingressKeyVaultIds: config.services.enabled && config.services.keyVaultId ? [config.services.keyVaultId] : [],
            // Hibernated: the last user pool stopped, the others running; waking: started again (stacks/hibernation.ts).
            userPoolPower: hibernationSettings(config).userPoolPower,
            stoppedUserPools: hibernationSettings(config).stoppedUserPools,
        },
    }),
};
