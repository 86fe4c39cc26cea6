/**
 * The network layout every tier builds on, as plain data. The components plan
 * with plain values (subnet counts, zones, address ranges) before anything
 * exists, so the tiers read those from the very plan Vpc3Az builds from.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../../components/common/cloud";
import { DataPlacementArgs } from "../../components/common/dataStore";
import { AKS_POD_CIDR } from "../../components/kubernetes/layout";
import { Tier } from "../../components/network/layout";
import { NetworkPlan, planNetwork, subnetsOf } from "../../components/network/networkPlan";
import { Vpc3AzArgs } from "../../components/network/vpc3az";
import { AZURE_OSS_CLUSTER_NODE_PORTS } from "../../components/redis/layout";
import { StackConfig } from "../config";

/** The network component's name: part of every subnet's name. */
export const NETWORK_NAME = "net";

/** The Vpc3Az args of a stack, from its config and the region's zones. */
export function networkArgs(config: StackConfig, availabilityZones: string[]): Vpc3AzArgs {
    return {
        cloud: config.cloud,
        cidrBlock: config.network.cidrBlock,
        zoneCount: config.network.zoneCount,
        availabilityZones,
        natStrategy: config.network.natStrategy,
        avoidCidrs: [...config.network.avoidCidrs],
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        ...(config.cloud === Cloud.Azure ? azureAdmission(config) : {}),
        tags: { ...config.tags },
    };
}

/**
 * What the Azure NSGs must admit for the stack's own tiers: the cluster's overlay pod range within the
 * app tier, the jump box's SSH ranges to the jump box, and Azure Managed Redis' OSS cluster node ports when the cache is sharded (`shards > 1`
 * switches it to the OSS cluster policy).
 */
function azureAdmission(config: StackConfig): Pick<Vpc3AzArgs, "podCidrs" | "dataPorts" | "jumpBoxSshCidrs" | "ingressFromFrontDoorOnly"> {
    return {
        // The jump box's own SSH ranges must pass the app subnet's NSG too (to the jump box alone).
        jumpBoxSshCidrs: config.bastion.jumpBox ? [...config.bastion.sshAllowedCidrs] : [],
        podCidrs: config.cluster.enabled ? [AKS_POD_CIDR] : [],
        dataPorts: config.redis.enabled && config.redis.shards > 1 ? [AZURE_OSS_CLUSTER_NODE_PORTS] : [],
        // The Front Door forward cache is then the ingress's only client: nobody may go around it.
        ingressFromFrontDoorOnly: config.services.enabled && config.services.forwardCache.enabled === true,
    };
}

/** The stack's network layout: the same plan the network tier's Vpc3Az builds. */
export function networkLayout(config: StackConfig, availabilityZones: string[]): NetworkPlan {
    return planNetwork(NETWORK_NAME, networkArgs(config, availabilityZones));
}

/** What a data tier (cache, documents, events) takes from the network tier. */
export interface DataTierNetwork {
    readonly networkId: pulumi.Output<string>;
    readonly dataSubnetIds: pulumi.Output<string[]>;
    /** Azure: the network's resource group; the store goes there without waiting for the subnets. */
    readonly resourceGroupName: pulumi.Output<string>;
}

/**
 * Where a data tier's store goes and who may reach it: the network's data subnets (on AWS at most
 * `maxSubnets` of them, in zone order) and their zones, open to the app tier's ranges only.
 */
export function dataPlacement(config: StackConfig, network: DataTierNetwork, zones: string[], maxSubnets = Number.MAX_SAFE_INTEGER): DataPlacementArgs {
    const layout = networkLayout(config, zones);
    const aws = config.cloud === Cloud.Aws;
    const dataSubnets = subnetsOf(layout, Tier.Data);
    const used = aws ? dataSubnets.slice(0, maxSubnets) : dataSubnets;
    return {
        cloud: config.cloud,
        networkId: network.networkId,
        resourceGroupName: aws ? undefined : network.resourceGroupName,
        subnetIds: used.map((_, i) => network.dataSubnetIds.apply((ids) => ids[i])),
        zones: aws ? used.map((s) => s.zone!) : [...layout.zones],
        allowedClientCidrs: subnetsOf(layout, Tier.App).map((s) => s.cidr),
        tags: { ...config.tags },
    };
}
