/**
 * Vpc3Az: a three-tier network (public, app, data) spread over several
 * availability zones, on AWS or Azure, behind one cloud-neutral interface.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, PerCloud, implementationFor } from "../common/cloud";
import { BASTION_SUBNET_TIER, NetworkFacts, SubnetFacts, SubnetSelection, SubnetTier, factsOfPlan, recordSubnetIdBeforeRoutes, recordSubnetOwners, selectSubnets } from "./facts";
import { NatStrategy, Tier } from "./layout";
import { NetworkPlan, planNetwork, subnetsOf } from "./networkPlan";

/**
 * Each network's facts, kept beside the instance rather than on it: every property of a component
 * class becomes an output of the multi-language schema, and the facts hold plain values next to
 * Outputs, which the schema cannot describe as one output.
 */
const FACTS = new WeakMap<Vpc3Az, NetworkFacts>();
const ROUTE_TABLES = new WeakMap<Vpc3Az, readonly PrivateRouteTable[]>();

/** The args of {@link Vpc3Az} that only the AWS network uses; each is an error on Azure, where it would do nothing. */
export interface Vpc3AzAwsArgs {
    /**
     * Days to keep VPC flow logs (a CloudWatch Logs retention period). Azure keeps no flow logs here.
     * @default 30
     */
    flowLogRetentionDays?: number;
}

/**
 * The args of {@link Vpc3Az} that only the Azure network uses: what its NSGs admit beyond the layout. Each is an
 * error on AWS, where each component's own security group admits its clients.
 */
export interface Vpc3AzAzureArgs {
    /**
     * The overlay pod ranges of the clusters in the app tier (Azure CNI Overlay). Overlay pod traffic is not
     * encapsulated, so the app subnets' NSG admits these ranges within the app tier.
     * @default []
     */
    podCidrs?: string[];
    /**
     * Ports the data tier's NSG opens to the app tier beyond the data services' defaults
     * (10000, 10255, 9093, 5671, 443), e.g. `8500-8599` for Azure Managed Redis' OSS cluster policy.
     * @default []
     */
    dataPorts?: string[];
    /**
     * Ranges (e.g. a VPN's) allowed to SSH the BastionHost jump box directly, besides Azure Bastion.
     * Creates an application security group for the jump box's NIC (`jumpBoxSecurityGroupId`) and admits
     * these ranges on port 22 to its members only; pass the same ranges as the jump box's `sshAllowedCidrs`.
     * @default []
     */
    jumpBoxSshCidrs?: string[];
    /**
     * The app subnets admit HTTP(S) to the cluster's ingress only from Azure Front Door's back ends
     * (service tag `AzureFrontDoor.Backend`) instead of the internet: for a forward cache in front of the ingress.
     * @default false
     */
    ingressFromFrontDoorOnly?: boolean;
}

/**
 * Azure: the location the network's resources take when the Vpc3Az uses the default provider, which puts a
 * resource without `location` in its configured `azure-native:location`. An explicit provider's location is an
 * Input of that provider and cannot be read while planning: then none.
 */
function defaultProviderLocation(cloud: Cloud, opts: pulumi.ComponentResourceOptions | undefined): string | undefined {
    // A parent may hand down its own providers, which cannot be seen from here either.
    if (opts?.provider !== undefined || opts?.providers !== undefined || opts?.parent !== undefined) return undefined;
    return CONFIGURED_LOCATION[cloud]();
}

const CONFIGURED_LOCATION: PerCloud<() => string | undefined> = {
    [Cloud.Aws]: () => undefined,
    // ARM's spelling: "West Europe" and "westeurope" are one location.
    [Cloud.Azure]: () => new pulumi.Config("azure-native").get("location")?.toLowerCase().replace(/\s/g, "") || undefined,
};

/** Arguments of {@link Vpc3Az}. Structural fields are plain values: the layout is planned before anything is created. */
export interface Vpc3AzArgs {
    /** The cloud to build the network on: `aws` or `azure`. */
    cloud: Cloud;
    /**
     * The network's IPv4 range, in private address space. Each zone gets a fixed /p+3 block of it.
     * @default "10.0.0.0/16"
     */
    cidrBlock?: string;
    /**
     * How many zones to spread over; at least 2, and no more than the region offers.
     * @default 3
     */
    zoneCount?: number;
    /**
     * The zones the region offers, in order; the first `zoneCount` are used. On AWS the AZ names
     * (`us-east-1a`, ...; see `availabilityZoneNames()`), on Azure the zone numbers.
     * @default - Azure: ["1", "2", "3"]; AWS: required
     */
    availabilityZones?: string[];
    /**
     * How the app tier reaches the internet: `OnePerAz`, `Single` (dev only) or `None`.
     * @default "OnePerAz"
     */
    natStrategy?: NatStrategy;
    /**
     * Address ranges the network must not overlap, such as peered networks or on-premises ranges.
     * @default []
     */
    avoidCidrs?: string[];
    /**
     * The args only the AWS network uses; each is an error on Azure, where it would do nothing.
     * @default {}
     */
    aws?: Vpc3AzAwsArgs;
    /**
     * The args only the Azure network uses (what its NSGs admit beyond the layout); each is an error on AWS,
     * where each component's own security group admits its clients.
     * @default {}
     */
    azure?: Vpc3AzAzureArgs;
    /**
     * Deprecated: give it as `aws.flowLogRetentionDays`. An error on Azure.
     * @default 30
     * @deprecated Use `aws.flowLogRetentionDays`.
     */
    flowLogRetentionDays?: number;
    /**
     * Deprecated: give it as `azure.podCidrs`. An error on AWS.
     * @default []
     * @deprecated Use `azure.podCidrs`.
     */
    podCidrs?: string[];
    /**
     * Deprecated: give it as `azure.dataPorts`. An error on AWS.
     * @default []
     * @deprecated Use `azure.dataPorts`.
     */
    dataPorts?: string[];
    /**
     * Deprecated: give it as `azure.jumpBoxSshCidrs`. An error on AWS.
     * @default []
     * @deprecated Use `azure.jumpBoxSshCidrs`.
     */
    jumpBoxSshCidrs?: string[];
    /**
     * Deprecated: give it as `azure.ingressFromFrontDoorOnly`. An error on AWS.
     * @default false
     * @deprecated Use `azure.ingressFromFrontDoorOnly`.
     */
    ingressFromFrontDoorOnly?: boolean;
    /**
     * Tags for every resource of the network.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** One subnet of the network, as exported. */
export interface SubnetInfo {
    /** The subnet's id. */
    id: string;
    /** `public`, `app`, `data` or `bastion`. */
    tier: string;
    /** The zone of a zonal subnet; empty for a regional (Azure) subnet. */
    zone: string;
    /** The subnet's IPv4 range. */
    cidr: string;
}

/** What a cloud implementation returns after creating the network's resources. */
export interface Vpc3AzResources {
    readonly networkId: pulumi.Output<string>;
    /** Subnet ids keyed by the plan's subnet names. */
    readonly subnetIds: Readonly<Record<string, pulumi.Output<string>>>;
    /**
     * AWS: the same subnets' ids resolving as soon as each subnet exists, where `subnetIds` wait for its routes
     * (see `subnetIdBeforeRoutes` in `facts.ts`); absent where the ids wait for nothing else.
     */
    readonly subnetIdsBeforeRoutes?: Readonly<Record<string, pulumi.Output<string>>>;
    /** Azure: the resource group holding the network. */
    readonly resourceGroupName?: pulumi.Output<string>;
    /** Azure: the public addresses of the NAT gateways the app tier leaves through. */
    readonly egressIps?: pulumi.Output<string>[];
    /** Azure: the jump box's application security group, when `azure.jumpBoxSshCidrs` is set. */
    readonly jumpBoxSecurityGroupId?: pulumi.Output<string>;
    /** Azure: where the network really is (its resource group's `location` output, which the VNet shares). */
    readonly location?: pulumi.Output<string>;
    /** AWS: the route tables of the app and data subnets, one per tier and zone; absent where subnets take no route tables of their own. */
    readonly privateRouteTables?: readonly PrivateRouteTable[];
}

/**
 * A route table of a private (app or data) subnet, for routes the network does not plan itself: another
 * network's range through a peering. Its name is the table's own (`net-rt-app-a`), stable per tier and zone.
 */
export interface PrivateRouteTable {
    readonly name: string;
    readonly tier: SubnetTier;
    readonly zone: string;
    readonly id: pulumi.Output<string>;
}

/** The resource references a cloud implementation of Vpc3Az needs besides the plan: none, a network builds on nothing else. */
export type Vpc3AzInputs = Readonly<Record<string, never>>;


/** A cloud implementation of Vpc3Az. */
export type Vpc3AzImplementation = CloudImplementation<NetworkPlan, Vpc3AzInputs, Vpc3AzResources>;

/**
 * A highly available three-tier network over `zoneCount` zones.
 *
 * Wire other components to it with {@link Vpc3Az.facts} (`network: vpc.facts()`): its zones and
 * subnet ranges are plain values known before anything exists, so HaRedis, HaMongo, KafkaQuorum,
 * KubernetesCluster, BastionHost and CookieServices place themselves in the right tier and admit the
 * tier that uses them, and refuse ranges outside the network. Other Pulumi languages read the
 * `subnets` output, which carries the same fields.
 */
export class Vpc3Az extends pulumi.ComponentResource {
    /** The VPC (AWS) or VNet (Azure) id. */
    public readonly networkId: pulumi.Output<string>;
    /** The network's IPv4 range. */
    public readonly cidrBlock: pulumi.Output<string>;
    /** The zones the network spans, in order. */
    public readonly zones: pulumi.Output<string[]>;
    /** Every subnet with its tier, zone and range. */
    public readonly subnets: pulumi.Output<SubnetInfo[]>;
    /** Public subnets: one per zone on AWS, one regional (the gateway subnet) on Azure. */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** App (private) subnets, one per zone, in zone order. */
    public readonly appSubnetIds: pulumi.Output<string[]>;
    /** Data (isolated) subnets: one per zone on AWS, one regional on Azure. */
    public readonly dataSubnetIds: pulumi.Output<string[]>;
    /** Where a bastion belongs: the public subnets on AWS, `AzureBastionSubnet` on Azure. */
    public readonly bastionSubnetIds: pulumi.Output<string[]>;
    /** The app tier's address ranges: what the data tier admits. */
    public readonly appCidrs: pulumi.Output<string[]>;
    /** Azure: the resource group holding the network; empty on AWS. */
    public readonly resourceGroupName: pulumi.Output<string>;
    /**
     * Azure: the public addresses the app tier leaves from (its NAT gateways); empty on AWS. An AKS
     * API server with authorized IP ranges must admit them, or its nodes cannot reach it.
     */
    public readonly egressIps: pulumi.Output<string[]>;
    /** Azure: the application security group for the jump box's NIC, when `azure.jumpBoxSshCidrs` is set; empty otherwise. */
    public readonly jumpBoxSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: Vpc3AzArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const plan = planNetwork(name, args);
        super("intergalactic:index:Vpc3Az", name, {}, opts);

        const implementation = implementationFor<Vpc3AzImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./vpc3az.aws").AwsVpc3Az)(),
            [Cloud.Azure]: () => new (require("./vpc3az.azure").AzureVpc3Az)(),
        });
        const built = implementation.build(this, plan, {});

        const idsOf = (tier: SubnetTier) =>
            pulumi.all(plan.subnets.filter((s) => s.tier === tier).map((s) => built.subnetIds[s.name]));
        this.networkId = built.networkId;
        this.cidrBlock = pulumi.output(plan.cidrBlock);
        this.zones = pulumi.output([...plan.zones]);
        this.subnets = pulumi.all(plan.subnets.map((s) => built.subnetIds[s.name].apply((id) => ({
            id, tier: s.tier, zone: s.zone ?? "", cidr: s.cidr,
        }))));
        this.publicSubnetIds = idsOf(Tier.Public);
        this.appSubnetIds = idsOf(Tier.App);
        this.dataSubnetIds = idsOf(Tier.Data);
        this.bastionSubnetIds = idsOf(BASTION_SUBNET_TIER[plan.cloud]);
        this.appCidrs = pulumi.output(subnetsOf(plan, Tier.App).map((s) => s.cidr));
        this.resourceGroupName = built.resourceGroupName ?? pulumi.output("");
        this.jumpBoxSecurityGroupId = built.jumpBoxSecurityGroupId ?? pulumi.output("");
        this.egressIps = pulumi.all(built.egressIps ?? []);
        const facts = factsOfPlan(plan, {
            networkId: built.networkId, subnetId: (subnet) => built.subnetIds[subnet],
            resourceGroupName: built.resourceGroupName, egressIps: built.egressIps, location: defaultProviderLocation(plan.cloud, opts),
            ...(built.location !== undefined ? { deployedLocation: built.location } : {}),
        });
        FACTS.set(this, facts);
        ROUTE_TABLES.set(this, [...(built.privateRouteTables ?? [])]);
        recordSubnetOwners({ network: name, cidrBlock: plan.cidrBlock }, facts);
        for (const [subnet, before] of Object.entries(built.subnetIdsBeforeRoutes ?? {})) recordSubnetIdBeforeRoutes(built.subnetIds[subnet], before);

        this.registerOutputs({
            networkId: this.networkId, cidrBlock: this.cidrBlock, zones: this.zones, subnets: this.subnets,
            publicSubnetIds: this.publicSubnetIds, appSubnetIds: this.appSubnetIds, dataSubnetIds: this.dataSubnetIds,
            bastionSubnetIds: this.bastionSubnetIds, appCidrs: this.appCidrs, resourceGroupName: this.resourceGroupName,
            jumpBoxSecurityGroupId: this.jumpBoxSecurityGroupId, egressIps: this.egressIps,
        });
    }

    /**
     * The network's facts, for the other components' `network` arg: its cloud, id, address space,
     * zones and every subnet with its tier, zone and range as plain values (fixed by the layout
     * before anything exists) and its id as an Output.
     *
     * A method rather than a property: Pulumi infers a component's multi-language schema from its
     * properties, which must all be Outputs, and an Output would hide the zones and ranges until
     * after the other components have had to plan with them. Methods are not part of the schema.
     */
    public facts(): NetworkFacts {
        const facts = FACTS.get(this)!;
        return { ...facts, zones: [...facts.zones], subnets: facts.subnets.map((s) => ({ ...s })), egressIps: [...(facts.egressIps ?? [])] };
    }

    /**
     * The route tables of the private (app and data) subnets, in the plan's subnet order: where a route to a joined
     * network (a peering) goes. Empty on Azure, whose subnets reach a peered network by the VNet's own routes. A
     * method, like `facts()`, so that it is not part of the multi-language schema.
     */
    public privateRouteTables(): PrivateRouteTable[] {
        return [...(ROUTE_TABLES.get(this) ?? [])];
    }

    /** The subnets of one tier (optionally only some zones), in zone order, e.g. `vpc.selectSubnets({ tier: SubnetTier.App })`. */
    public selectSubnets(selection: SubnetSelection): SubnetFacts[] {
        return selectSubnets(this.facts(), selection);
    }
}
