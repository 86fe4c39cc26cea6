/** The access tier of a stack: the BastionHost in the network's bastion subnets. */
import * as pulumi from "@pulumi/pulumi";
import { BastionHost } from "../../components/bastion/bastionHost";
import { Cloud } from "../../components/common/cloud";
import { Tier } from "../../components/network/layout";
import { subnetsOf } from "../../components/network/networkPlan";
import { StackConfig } from "../config";
import { networkLayout } from "./layout";

/** What the access tier takes from the network tier. */
export interface BastionNetwork {
    readonly networkId: pulumi.Output<string>;
    readonly bastionSubnetIds: pulumi.Output<string[]>;
    readonly appSubnetIds: pulumi.Output<string[]>;
    /** Azure: the jump box's application security group (set when the jump box has SSH ranges). */
    readonly jumpBoxSecurityGroupId: pulumi.Output<string>;
}

/** The stack's BastionHost. `zones` are the region's zones as given to the network. */
export function bastionTier(config: StackConfig, network: BastionNetwork, zones: string[]): BastionHost {
    // The layout is pure, so the tier knows how many bastion subnets there are (BastionHost validates
    // the count before anything exists); it is the very plan Vpc3Az builds from.
    const layout = networkLayout(config, zones);
    const bastionSubnets = config.cloud === Cloud.Aws ? subnetsOf(layout, Tier.Public) : layout.subnets.filter((s) => s.tier === "bastion");
    const bastion = config.bastion;
    return new BastionHost("bastion", {
        cloud: config.cloud,
        networkId: network.networkId,
        subnetIds: bastionSubnets.map((_, i) => network.bastionSubnetIds.apply((ids) => ids[i])),
        networkCidr: layout.cidrBlock,
        sshAllowedCidrs: [...bastion.sshAllowedCidrs],
        size: bastion.size,
        sshPublicKey: bastion.sshPublicKey,
        // The jump box sits in the first zone's app subnet, and in that zone, so it egresses through that zone's NAT.
        jumpBox: bastion.jumpBox,
        jumpBoxSubnetId: bastion.jumpBox ? network.appSubnetIds.apply((ids) => ids[0]) : undefined,
        jumpBoxSecurityGroupId: config.cloud === Cloud.Azure && bastion.jumpBox && bastion.sshAllowedCidrs.length > 0 ? network.jumpBoxSecurityGroupId : undefined,
        jumpBoxZone: config.cloud === Cloud.Azure ? layout.zones[0] : undefined,
        zones: config.cloud === Cloud.Azure ? [...bastion.zones] : undefined,
        location: config.cloud === Cloud.Azure ? config.region : undefined,
        tags: { ...config.tags },
    });
}
