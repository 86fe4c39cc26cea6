/** The access tier of a stack: the BastionHost in the network's bastion subnets. */
import * as pulumi from "@pulumi/pulumi";
import { BastionHost, BastionHostArgs } from "../../components/bastion";
import { PerCloud } from "../../components/common";
import { NetworkFacts } from "../../components/network";
import { StackConfig } from "../config";
import { stampName } from "../config/stamps";
import { PRIMARY_SCOPE, StampScope } from "./stamp";

/** What the access tier takes from the network tier: its facts, and the jump box's application security group. */
export interface BastionNetwork {
    facts(): NetworkFacts;
    /** Azure: the jump box's application security group (set when the jump box has SSH ranges). */
    readonly jumpBoxSecurityGroupId: pulumi.Output<string>;
}

/** The stack's BastionHost, in the network's public subnets (AWS) or its AzureBastionSubnet (Azure). */
export function bastionTier(config: StackConfig, network: BastionNetwork, scope: StampScope = PRIMARY_SCOPE): BastionHost {
    const bastion = config.bastion;
    return new BastionHost(stampName(scope, "bastion"), {
        cloud: config.cloud,
        network: network.facts(),
        sshAllowedCidrs: [...bastion.sshAllowedCidrs],
        size: bastion.size,
        sshPublicKey: bastion.sshPublicKey,
        ...CLOUD_ARGS[config.cloud](config, network),
        tags: { ...config.tags },
    }, scope.opts);
}

/** The args only one cloud's bastion takes. */
const CLOUD_ARGS: PerCloud<(config: StackConfig, network: BastionNetwork) => Partial<BastionHostArgs>> = {
    aws: () => ({}),
    azure: ({ bastion, region }, network) => ({
        azure: {
            // The jump box sits in the first zone's app subnet (the default), and in that zone, so it egresses through that zone's NAT.
            jumpBox: bastion.jumpBox,
            jumpBoxSecurityGroupId: bastion.jumpBox && bastion.sshAllowedCidrs.length > 0 ? network.jumpBoxSecurityGroupId : undefined,
            zones: [...bastion.zones],
            location: region,
        },
    }),
};
