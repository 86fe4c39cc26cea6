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
import { resolveCloudArgs } from "../common/cloudArgs";
import { BASTION_ACCESS, BASTION_CLOUD_ARGS, BastionPlan, planBastion } from "./bastionPlan";

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
     * network is given the same ranges (Vpc3Az `azure.jumpBoxSshCidrs`) and the NIC joins its group
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
     * An OpenSSH public key (`ssh-rsa` or `ssh-ed25519`). AWS: installed as the instance's key pair, required
     * with `sshAllowedCidrs`. Azure: the jump box's only login, required with `jumpBox`.
     * @default - none: no SSH login
     */
    sshPublicKey?: string;
    /**
     * Tags for every resource.
     * @default {}
     */
    tags?: Record<string, string>;
    /**
     * What only Azure Bastion uses: the jump box, its subnet and security group, the Bastion's zones and the
     * location checked for zone redundancy. Giving it on AWS is an error (the bastion is itself an instance
     * whose group spans the public subnets).
     * @default {}
     */
    azure?: BastionHostAzureArgs;
    /**
     * Deprecated: give it as `azure.jumpBox`. An error on AWS.
     * @default false
     * @deprecated Use `azure.jumpBox`.
     */
    jumpBox?: boolean;
    /**
     * Deprecated: give it as `azure.jumpBoxSubnet`. An error on AWS.
     * @default - the network's app subnet of its first zone
     * @deprecated Use `azure.jumpBoxSubnet`.
     */
    jumpBoxSubnet?: SubnetFacts;
    /**
     * Deprecated: give it as `azure.jumpBoxSecurityGroupId`. An error on AWS.
     * @default - none
     * @deprecated Use `azure.jumpBoxSecurityGroupId`.
     */
    jumpBoxSecurityGroupId?: pulumi.Input<string>;
    /**
     * Deprecated: give it as `azure.zones`. An error on AWS.
     * @default ["1", "2", "3"]
     * @deprecated Use `azure.zones`.
     */
    zones?: string[];
    /**
     * Deprecated: give it as `azure.location`. An error on AWS.
     * @default - not checked
     * @deprecated Use `azure.location`.
     */
    location?: string;
}

/** The args of {@link BastionHost} that only Azure uses; each is an error on AWS, where it would do nothing. */
export interface BastionHostAzureArgs {
    /**
     * Also create a Linux jump box VM in `jumpBoxSubnet`, without a public IP and with SSH
     * key login only.
     * @default false
     */
    jumpBox?: boolean;
    /**
     * The app subnet of the jump box; the jump box goes into its zone, so its egress uses that
     * zone's NAT gateway.
     * @default - the network's app subnet of its first zone
     */
    jumpBoxSubnet?: SubnetFacts;
    /**
     * The application security group the jump box's NIC joins (`Vpc3Az.jumpBoxSecurityGroupId`),
     * to which the app subnet's NSG admits `sshAllowedCidrs`. Required with `sshAllowedCidrs` on azure.
     * @default - none
     */
    jumpBoxSecurityGroupId?: pulumi.Input<string>;
    /**
     * The zones of Azure Bastion and its public IP; all three for zone redundancy, or `[]` for a
     * regional Bastion in a region that does not offer zone-redundant Bastion.
     * @default ["1", "2", "3"]
     */
    zones?: string[];
    /**
     * The location being deployed to (the stack's `azure-native:location`), to check up front that it
     * offers zone-redundant Bastion.
     * @default - not checked
     */
    location?: string;
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
        const cloudArgs = resolveCloudArgs(args.cloud, args, BASTION_CLOUD_ARGS);
        const azure: BastionHostAzureArgs = cloudArgs.groups.azure;
        const wiring = new Problems("network wiring");
        cloudArgs.problems.forEach((p) => wiring.add(p));
        checkNetworkFacts(wiring, "network", args.cloud, args.network);
        // An unknown cloud is reported by checkNetworkFacts; the public tier keeps the rest of the check meaningful.
        const tier = BASTION_SUBNET_TIER[args.cloud] ?? SubnetTier.Public;
        const subnets = chooseSubnets(wiring, "subnets", args.network, args.subnets, [tier], "the bastion");
        // Only a cloud whose bastion admits SSH into a jump box places one (an unknown cloud is reported above).
        const jumpBoxSubnet = BASTION_ACCESS[args.cloud]?.sshAllowedInto === "jump-box" && azure.jumpBox
            ? chooseSubnets(wiring, cloudArgs.shownAs.jumpBoxSubnet ?? "azure.jumpBoxSubnet", args.network, azure.jumpBoxSubnet && [azure.jumpBoxSubnet], [SubnetTier.App], "the jump box", 1)[0]
            : undefined;
        const plan = planBastion(name, {
            ...args,
            wiringProblems: wiring.all,
            argPaths: cloudArgs.paths,
            jumpBox: azure.jumpBox,
            jumpBoxSecurityGroupId: azure.jumpBoxSecurityGroupId,
            zones: azure.zones,
            location: azure.location,
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
            jumpBoxSecurityGroupId: azure.jumpBoxSecurityGroupId,
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
