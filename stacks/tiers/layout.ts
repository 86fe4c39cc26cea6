/**
 * The network every tier builds on: the Vpc3Az args from stack config, and how
 * the other tiers take the network. They use only Vpc3Az's public facts (zones,
 * subnets by tier with their ranges), exactly as a consumer of the library does.
 */
import { DataPlacementArgs, PerCloud } from "../../components/common";
import { AKS_POD_CIDR } from "../../components/kubernetes";
import { NetworkFacts, Vpc3AzArgs, Vpc3AzAzureArgs } from "../../components/network";
import { AZURE_OSS_CLUSTER_NODE_PORTS } from "../../components/redis";
import { StackConfig } from "../config";
import { hibernationSettings } from "../hibernation";

/** The network component's name: part of every subnet's name. */
export const NETWORK_NAME = "net";

/** The Vpc3Az args of a stack, from its config and the region's zones. */
export function networkArgs(config: StackConfig, availabilityZones: string[]): Vpc3AzArgs {
    return {
        cloud: config.cloud,
        cidrBlock: config.network.cidrBlock,
        zoneCount: config.network.zoneCount,
        availabilityZones,
        // Hibernated on AWS: no NAT gateway (stacks/hibernation.ts).
        natStrategy: hibernationSettings(config).natStrategy ?? config.network.natStrategy,
        avoidCidrs: [...config.network.avoidCidrs],
        ...ADMISSION[config.cloud](config),
        tags: { ...config.tags },
    };
}

/** Per cloud, what the network must admit for the stack's own tiers beyond its defaults: the Azure NSGs' extra rules; AWS uses security groups per component. */
const ADMISSION: PerCloud<(config: StackConfig) => Pick<Vpc3AzArgs, "aws" | "azure">> = {
    aws: (config) => ({ aws: { flowLogRetentionDays: config.network.flowLogRetentionDays } }),
    azure: (config) => ({ azure: azureAdmission(config) }),
};

/**
 * What the Azure NSGs must admit for the stack's own tiers: the cluster's overlay pod range within the
 * app tier, the jump box's SSH ranges to the jump box, and Azure Managed Redis' OSS cluster node ports when the cache is sharded (`shards > 1`
 * switches it to the OSS cluster policy).
 */
function azureAdmission(config: StackConfig): Vpc3AzAzureArgs {
    return {
        // The jump box's own SSH ranges must pass the app subnet's NSG too (to the jump box alone).
        jumpBoxSshCidrs: config.bastion.jumpBox ? [...config.bastion.sshAllowedCidrs] : [],
        podCidrs: config.cluster.enabled ? [AKS_POD_CIDR] : [],
        dataPorts: config.redis.enabled && config.redis.shards > 1 ? [AZURE_OSS_CLUSTER_NODE_PORTS] : [],
        // The Front Door forward cache is then the ingress's only client: nobody may go around it.
        ingressFromFrontDoorOnly: config.services.enabled && config.services.forwardCache.enabled === true,
    };
}

/**
 * Where a data tier's store goes and who may reach it: the network itself, as its facts. The store
 * places itself in the network's data subnets (MSK: the first three zones') and admits its app tier.
 */
export function dataPlacement(config: StackConfig, network: NetworkFacts): DataPlacementArgs {
    return { cloud: config.cloud, network, tags: { ...config.tags } };
}
