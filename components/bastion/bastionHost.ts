/**
 * BastionHost: the way operators reach private hosts of the network, on AWS or
 * Azure, behind one cloud-neutral interface.
 *
 * - AWS: an auto scaling group of exactly one instance over the public subnets
 *   of every zone, reached with SSM Session Manager (no inbound port), and by
 *   SSH only from the ranges given.
 * - Azure: Azure Bastion (Standard, zone-redundant) in `AzureBastionSubnet`,
 *   optionally with a jump box VM in an app subnet.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import { Size } from "../common/size";
import { Problems } from "../common/validation";
import { BASTION_SUBNET_TIER, NetworkFacts, SubnetFacts, SubnetTier } from "../network/facts";
import { checkNetworkFacts, chooseSubnets } from "../network/wiring";
import { BASTION_ACCESS, BastionPlan, planBastion } from "./bastionPlan";

/** Arguments of {@link BastionHost}. Structural fields are plain values: they are validated before anything is created. */
export interface BastionHostArgs {
    /** The cloud to build on: `aws` or `azure`. */
    cloud: Cloud;
    /**
     * The network the bastion gives access to, e.g. `vpc.facts()` of a Vpc3Az. Its range is, on AWS, the only
     * destination the bastion may SSH to and, on Azure, where the jump box accepts SSH from (this covers
     * `AzureBastionSubnet`).
     */
    network: NetworkFacts;
    /**
     * Where the bastion runs. AWS: public subnets of at least two zones (the instance moves to another
     * zone when its zone fails). Azure: exactly the network's `bastion` subnet (`AzureBastionSubnet`); the
     * bastion's resources go into that subnet's resource group.
     * @default - the network's public subnets (AWS) or its bastion subnet (Azure)
     */
    subnets?: SubnetFacts[];
    /**
     * IPv4 ranges allowed to SSH in. A /0 is refused. AWS: the instance's security group admits them on
     * port 22. Azure: ranges routed into the VNet (peered networks, a VPN) allowed to SSH the jump box
     * directly: its NIC admits them, and the app subnet's NSG admits them to the jump box alone when the
     * network is given the same ranges (Vpc3Az `jumpBoxSshCidrs`) and the NIC joins its group
     * (`jumpBoxSecurityGroupId`, then required). Empty means no SSH port at all: use Session Manager
     * (AWS) or Azure Bastion.
     * @default []
     */
    sshAllowedCidrs?: string[];
    /**
     * The capacity tier: `small`, `medium` or `large`, mapped to an instance type (AWS) or jump box VM size (Azure).
     * @default "small"
     */
    size?: Size;
    /**
     * Azure only: also create a Linux jump box VM in `jumpBoxSubnet`, without a public IP and with SSH
     * key login only. On AWS the bastion instance is the jump host and this must stay false.
     * @default false
     */
    jumpBox?: boolean;
    /**
     * Azure only: the app subnet of the jump box; the jump box goes into its zone, so its egress uses that
     * zone's NAT gateway.
     * @default - the network's app subnet of its first zone
     */
    jumpBoxSubnet?: SubnetFacts;
    /**
     * Azure only: the application security group the jump box's NIC joins (`Vpc3Az.jumpBoxSecurityGroupId`),
     * to which the app subnet's NSG admits `sshAllowedCidrs`. Required with `sshAllowedCidrs` on azure.
     * @default - none
     */
    jumpBoxSecurityGroupId?: pulumi.Input<string>;
    /**
     * An OpenSSH public key (`ssh-rsa` or `ssh-ed25519`). AWS: installed as the instance's key pair, required
     * with `sshAllowedCidrs`. Azure: the jump box's only login, required with `jumpBox`.
     * @default - none: no SSH login
     */
    sshPublicKey?: string;
    /**
     * Azure only: the zones of Azure Bastion and its public IP; all three for zone redundancy, or `[]` for a
     * regional Bastion in a region that does not offer zone-redundant Bastion.
     * @default ["1", "2", "3"]
     */
    zones?: string[];
    /**
     * Azure only: the location being deployed to (the stack's `azure-native:location`), to check up front that it
     * offers zone-redundant Bastion.
     * @default - not checked
     */
    location?: string;
    /**
     * Tags for every resource.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** The resource references a cloud implementation needs besides the plan. */
export interface BastionHostInputs {
    readonly networkId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly jumpBoxSubnetId?: pulumi.Input<string>;
    readonly jumpBoxSecurityGroupId?: pulumi.Input<string>;
}

/** What a cloud implementation returns after creating the bastion's resources. */
export interface BastionHostResources {
    readonly hostId: pulumi.Output<string>;
    readonly connectionHint: pulumi.Output<string>;
    readonly securityGroupId?: pulumi.Output<string>;
    readonly autoScalingGroupName?: pulumi.Output<string>;
    readonly publicIp?: pulumi.Output<string>;
    readonly jumpBoxId?: pulumi.Output<string>;
}

/** A cloud implementation of BastionHost. */
export type BastionHostImplementation = CloudImplementation<BastionPlan, BastionHostInputs, BastionHostResources>;

/** Operator access to the private network: SSM-managed instance (AWS) or Azure Bastion (Azure). */
export class BastionHost extends pulumi.ComponentResource {
    /** AWS: the auto scaling group's ARN. Azure: the Bastion's resource id. */
    public readonly hostId: pulumi.Output<string>;
    /** A command that opens a session through the bastion. */
    public readonly connectionHint: pulumi.Output<string>;
    /** AWS: the instance's security group (let it reach private hosts on 22); empty on Azure. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** AWS: the auto scaling group's name; empty on Azure. */
    public readonly autoScalingGroupName: pulumi.Output<string>;
    /** Azure: the Bastion's public IP address; empty on AWS, where the instance's address changes on replacement. */
    public readonly publicIp: pulumi.Output<string>;
    /** Azure: the jump box VM's resource id; empty without a jump box and on AWS. */
    public readonly jumpBoxId: pulumi.Output<string>;

    constructor(name: string, args: BastionHostArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const wiring = new Problems("network wiring");
        checkNetworkFacts(wiring, "network", args.cloud, args.network);
        // An unknown cloud is reported by checkNetworkFacts; the public tier keeps the rest of the check meaningful.
        const tier = BASTION_SUBNET_TIER[args.cloud] ?? SubnetTier.Public;
        const subnets = chooseSubnets(wiring, "subnets", args.network, args.subnets, [tier], "the bastion");
        // Only a cloud whose bastion admits SSH into a jump box places one (an unknown cloud is reported above).
        const jumpBoxSubnet = BASTION_ACCESS[args.cloud]?.sshAllowedInto === "jump-box" && args.jumpBox
            ? chooseSubnets(wiring, "jumpBoxSubnet", args.network, args.jumpBoxSubnet && [args.jumpBoxSubnet], [SubnetTier.App], "the jump box", 1)[0]
            : undefined;
        const plan = planBastion(name, {
            ...args,
            wiringProblems: wiring.all,
            subnetIds: subnets.map((s) => s.id),
            networkCidr: args.network?.cidrBlock,
            bastionSubnetCidrs: subnets.map((s) => s.cidr),
            jumpBoxSubnetId: jumpBoxSubnet?.id,
            jumpBoxZone: jumpBoxSubnet?.zone,
        });
        super("intergalactic:index:BastionHost", name, {}, opts);

        const implementation = implementationFor<BastionHostImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./bastionHost.aws").AwsBastionHost)(),
            [Cloud.Azure]: () => new (require("./bastionHost.azure").AzureBastionHost)(),
        });
        const built = implementation.build(this, plan, {
            networkId: args.network.networkId, subnetIds: subnets.map((s) => s.id), jumpBoxSubnetId: jumpBoxSubnet?.id,
            jumpBoxSecurityGroupId: args.jumpBoxSecurityGroupId,
        });

        const none = pulumi.output("");
        this.hostId = built.hostId;
        this.connectionHint = built.connectionHint;
        this.securityGroupId = built.securityGroupId ?? none;
        this.autoScalingGroupName = built.autoScalingGroupName ?? none;
        this.publicIp = built.publicIp ?? none;
        this.jumpBoxId = built.jumpBoxId ?? none;

        this.registerOutputs({
            hostId: this.hostId, connectionHint: this.connectionHint, securityGroupId: this.securityGroupId,
            autoScalingGroupName: this.autoScalingGroupName, publicIp: this.publicIp, jumpBoxId: this.jumpBoxId,
        });
    }
}
