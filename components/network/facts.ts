/**
 * Network facts: what the other components need to know about a network to
 * place themselves in it and to decide who may reach them, as one structured
 * value instead of parallel lists of ids, zones and ranges.
 *
 * The zone and address range of every subnet are fixed by the network's layout
 * before anything exists, so they are plain values; only the ids come from the
 * cloud, so they are Inputs. A component plans with the plain part (how many
 * subnets, which zones, which ranges may connect) and hands the ids to its
 * cloud implementation.
 *
 * Why plain values and not `Output`s: a component validates and plans before it
 * registers anything, which needs the zones and ranges synchronously; an Output
 * would make every placement check an `apply` that runs after resources exist.
 * Why interfaces and not the `Vpc3Az` class as an arg: Pulumi's multi-language
 * schema describes args as plain objects (a resource class is only allowed for
 * `@pulumi` packages' resources), so the same shape is the schema's object type
 * `NetworkFacts`/`SubnetFacts` for other languages, whose programs pass the plain
 * fields and the ids (e.g. from `Vpc3Az.subnets`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud } from "../common/cloud";
import type { NetworkPlan } from "./networkPlan";

/**
 * What a subnet is for. The first three are the layout's tiers; `bastion` is Azure's
 * `AzureBastionSubnet` (on AWS the bastion uses the public tier).
 */
export const SubnetTier = {
    /** Internet-facing: load balancers, NAT gateways, the AWS bastion. */
    Public: "public",
    /** Private application tier: Kubernetes workers, the Azure jump box; the data stores' clients. */
    App: "app",
    /** Isolated data tier: Redis, Mongo, Kafka. */
    Data: "data",
    /** Azure Bastion's own subnet. */
    Bastion: "bastion",
} as const;
export type SubnetTier = (typeof SubnetTier)[keyof typeof SubnetTier];

/** Every subnet tier, in a stable order. */
export const SUBNET_TIERS: readonly SubnetTier[] = [SubnetTier.Public, SubnetTier.App, SubnetTier.Data, SubnetTier.Bastion];

/** Where a bastion belongs per cloud: AWS's instance in the public subnets, Azure Bastion in its own `AzureBastionSubnet`. */
export const BASTION_SUBNET_TIER: PerCloud<SubnetTier> = { aws: SubnetTier.Public, azure: SubnetTier.Bastion };

/** One subnet of a network, as the components take it. */
export interface SubnetFacts {
    /** The subnet's id: known once the subnet exists. */
    id: pulumi.Input<string>;
    /** What the subnet is for: `public`, `app`, `data` or `bastion`. */
    tier: SubnetTier;
    /** The zone of a zonal subnet; `""` for a regional (Azure) subnet. */
    zone: string;
    /** The subnet's IPv4 range, e.g. `10.0.0.0/20`. */
    cidr: string;
}

/**
 * A network as the components take it, e.g. `Vpc3Az.facts()`: its address space, zones and
 * subnets by tier. Components place themselves in the tier they belong to and admit the tier
 * that uses them, so nobody copies an id, a zone or a range by hand.
 */
export interface NetworkFacts {
    /** The cloud the network is on: `aws` or `azure`. A component refuses a network of another cloud. */
    cloud: Cloud;
    /** The VPC (AWS) or VNet (Azure) id. */
    networkId: pulumi.Input<string>;
    /** The network's own IPv4 range: every subnet and every client range a component admits lies inside it. */
    cidrBlock: string;
    /** The zones the network spans, in order. */
    zones: string[];
    /** Every subnet of the network, zonal ones in zone order. */
    subnets: SubnetFacts[];
    /**
     * Azure: the resource group holding the network; the components' resources go there.
     * @default - parsed from the first subnet's id (Azure); unused on AWS
     */
    resourceGroupName?: pulumi.Input<string>;
    /**
     * Azure: the public addresses the app tier leaves from (its NAT gateways), which an AKS API server
     * with authorized ranges must admit.
     * @default []
     */
    egressIps?: pulumi.Input<string>[];
    /**
     * Azure: the region the network is in (its resource group and VNet), known when planning; a component
     * whose resource names its region (HaMongo's Cosmos DB account) takes it from here.
     * @default - a Vpc3Az on the default provider gives its `azure-native:location`; unset on AWS, and for
     *   a Vpc3Az built with an explicit provider, whose location cannot be read before it exists
     */
    location?: string;
    /**
     * Azure: where the network really is, its resource group's `location` output (the VNet's too). It outlives a change of
     * `azure-native:location` (azure-native keeps an existing resource's old location over the config), which
     * `location` does not, so a component that places a resource in the network's region takes this one.
     * @default - set by Vpc3Az on Azure; unset on AWS and in facts made by hand, which then rely on `location`
     */
    deployedLocation?: pulumi.Input<string>;
}

/** Which subnets of a network to use, in the spirit of CDK's `SubnetSelection`. */
export interface SubnetSelection {
    /** The tier to take. */
    tier: SubnetTier;
    /**
     * Only the subnets in these zones (a regional subnet has zone `""`).
     * @default - every zone
     */
    zones?: string[];
}

/** The subnets of `network` that `selection` names, in the network's order. */
export function selectSubnets(network: Pick<NetworkFacts, "subnets">, selection: SubnetSelection): SubnetFacts[] {
    return network.subnets.filter((s) => s.tier === selection.tier && (selection.zones === undefined || selection.zones.includes(s.zone)));
}

/** The distinct zones of zonal subnets, in the network's zone order (zones outside the network last). */
export function zonesOf(network: Pick<NetworkFacts, "zones">, subnets: readonly Pick<SubnetFacts, "zone">[]): string[] {
    const used = new Set(subnets.map((s) => s.zone).filter((z) => z !== ""));
    return [...network.zones.filter((z) => used.has(z)), ...[...used].filter((z) => !network.zones.includes(z))];
}

/** The cloud references of a planned network: what exists only once it is built. */
export interface NetworkReferences {
    readonly networkId: pulumi.Input<string>;
    /** A subnet's id by its name in the plan (`net-app-a`). */
    readonly subnetId: (name: string) => pulumi.Input<string>;
    readonly resourceGroupName?: pulumi.Input<string>;
    readonly egressIps?: readonly pulumi.Input<string>[];
    readonly location?: string;
    readonly deployedLocation?: pulumi.Input<string>;
}

/** The facts of a planned network: its layout's plain values, with the references of what was built from it. */
/** The network a subnet id belongs to, as an error names it. */
export interface SubnetOwner {
    /** The Vpc3Az's name. */
    readonly network: string;
    readonly cidrBlock: string;
}

/**
 * The owner of every subnet id Output a Vpc3Az of this program made, keyed by the Output object itself. A second Vpc3Az
 * of the same layout has subnets with the same tier, zone and range as the first's, and their ids are different Outputs
 * that cannot be compared before both exist; knowing which Vpc3Az made an id refuses such a subnet while planning.
 * Weak: an id whose network is gone from the program holds nothing.
 */
const SUBNET_OWNERS = new WeakMap<object, SubnetOwner>();

/** Records that the subnet ids of `facts` are the network `owner`'s. */
export function recordSubnetOwners(owner: SubnetOwner, facts: Pick<NetworkFacts, "subnets">): void {
    for (const s of facts.subnets) if (typeof s.id === "object" && s.id !== null) SUBNET_OWNERS.set(s.id, owner);
}

/** The Vpc3Az of this program that made the subnet id `id`, if one did. */
export function subnetOwner(id: unknown): SubnetOwner | undefined {
    return typeof id === "object" && id !== null ? SUBNET_OWNERS.get(id) : undefined;
}

/**
 * Each route-gated subnet id Output a Vpc3Az made, mapped to the same subnet's id as soon as the subnet exists, before
 * its route table association and default route. The facts hand out only the gated id (what is placed in a subnet and
 * sends traffic out of it is created after its way out and deleted before it); what only takes addresses in a subnet
 * and needs no way out of it (the EKS control plane's network interfaces: only the nodes pull images and reach AWS
 * APIs, https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html) reads the ungated id here, so it is not
 * held up by the NAT gateway. Keyed by the Output object, like the owners above; an id that is not a Vpc3Az's (a string,
 * an Output of another language's program) has no entry and stays as given.
 */
const IDS_BEFORE_ROUTES = new WeakMap<object, pulumi.Input<string>>();

/** Records that the gated subnet id `gated` is the subnet whose id before its routes is `before`. */
export function recordSubnetIdBeforeRoutes(gated: pulumi.Input<string>, before: pulumi.Input<string>): void {
    if (typeof gated === "object" && gated !== null) IDS_BEFORE_ROUTES.set(gated, before);
}

/** The id of the subnet `id` names, resolving as soon as the subnet exists, without waiting for its routes; `id` itself when unknown. */
export function subnetIdBeforeRoutes(id: pulumi.Input<string>): pulumi.Input<string> {
    return (typeof id === "object" && id !== null ? IDS_BEFORE_ROUTES.get(id) : undefined) ?? id;
}

export function factsOfPlan(plan: NetworkPlan, references: NetworkReferences): NetworkFacts {
    return {
        cloud: plan.cloud,
        networkId: references.networkId,
        cidrBlock: plan.cidrBlock,
        zones: [...plan.zones],
        subnets: plan.subnets.map((s) => ({ id: references.subnetId(s.name), tier: s.tier, zone: s.zone ?? "", cidr: s.cidr })),
        ...(references.resourceGroupName !== undefined ? { resourceGroupName: references.resourceGroupName } : {}),
        egressIps: [...(references.egressIps ?? [])],
        ...(references.location !== undefined ? { location: references.location } : {}),
        ...(references.deployedLocation !== undefined ? { deployedLocation: references.deployedLocation } : {}),
    };
}
