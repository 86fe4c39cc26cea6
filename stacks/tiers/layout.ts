/**
 * The network layout every tier builds on, as plain data. The components plan
 * with plain values (subnet counts, zones, address ranges) before anything
 * exists, so the tiers read those from the very plan Vpc3Az builds from.
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkPlan, planNetwork } from "../../components/network/networkPlan";
import { Vpc3AzArgs } from "../../components/network/vpc3az";
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
        tags: { ...config.tags },
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
