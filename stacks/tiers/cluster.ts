/**
 * The compute tier of a stack: one KubernetesCluster with a node group in the
 * app subnet of every zone the network spans, and a Kubernetes provider for
 * the tiers that deploy into it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../../components/common/cloud";
import { KubernetesCluster } from "../../components/kubernetes/kubernetesCluster";
import { kubernetesProvider } from "../../components/kubernetes/provider";
import { Tier } from "../../components/network/layout";
import { subnetsOf } from "../../components/network/networkPlan";
import { StackConfig } from "../config";
import { networkLayout } from "./layout";

/** What the compute tier takes from the network tier. */
export interface ClusterNetwork {
    readonly networkId: pulumi.Output<string>;
    readonly appSubnetIds: pulumi.Output<string[]>;
    /** Every subnet of the network: Azure serialises subnet writes on a VNet, and AKS must start after the last one. */
    readonly subnets: pulumi.Output<unknown[]>;
    /** Azure: the NAT gateways' public addresses, which an AKS API with authorized ranges must admit. */
    readonly egressIps: pulumi.Output<string[]>;
}

/** The cluster and a provider that deploys into it. */
export interface ClusterTier {
    readonly cluster: KubernetesCluster;
    /** For the app tier: `{ provider }` on everything it deploys into the cluster. */
    readonly provider: k8s.Provider;
}

/**
 * The stack's cluster, or undefined when `intergalactic:cluster.enabled` is false. `zones` are the
 * region's zones as given to the network; the cluster uses the same ones the network spans.
 */
export function clusterTier(config: StackConfig, network: ClusterNetwork, zones: string[]): ClusterTier | undefined {
    const settings = config.cluster;
    if (!settings.enabled) return undefined;
    // The layout is pure, so the tier knows the app subnets' count, zones and ranges as plain values
    // (the cluster plans with them before anything exists); it is the very plan Vpc3Az builds from.
    const layout = networkLayout(config, zones);
    const app = subnetsOf(layout, Tier.App);
    const cluster = new KubernetesCluster(settings.name, {
        cloud: config.cloud,
        networkId: network.networkId,
        // Each id resolves once every subnet of the network is written: AKS fails while the VNet is
        // Updating (Azure/AKS#4522), and Azure writes a VNet's subnets one at a time.
        subnetIds: app.map((_, i) => pulumi.all([network.appSubnetIds, network.subnets]).apply(([ids]) => ids[i])),
        subnetCidrs: app.map((s) => s.cidr),
        zones: app.map((s) => s.zone!),
        kubernetesVersion: settings.kubernetesVersion,
        nodeSize: settings.nodeSize,
        minNodesPerZone: settings.minNodesPerZone,
        maxNodesPerZone: settings.maxNodesPerZone,
        publicEndpointCidrs: [...settings.publicEndpointCidrs],
        // By default anything inside the network (the bastion, in-network runners) may reach the
        // private endpoint; Kubernetes still authenticates every caller.
        privateEndpointCidrs: [...(settings.privateEndpointCidrs ?? [config.network.cidrBlock])],
        adminPrincipalArns: [...settings.adminPrincipalArns],
        nodeEgressIps: config.cloud === Cloud.Azure ? layout.nats.map((_, i) => network.egressIps.apply((ips) => ips[i])) : undefined,
        deployerPrincipalType: settings.deployerPrincipalType,
        logRetentionDays: settings.logRetentionDays,
        // The managed ingress reads the services' certificate from this vault.
        ingressKeyVaultIds: config.cloud === Cloud.Azure && config.services.enabled && config.services.keyVaultId ? [config.services.keyVaultId] : [],
        tags: { ...config.tags },
    });
    return { cluster, provider: kubernetesProvider(`${settings.name}-apps`, cluster.kubeconfig) };
}
