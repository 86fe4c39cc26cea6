/**
 * Enumerations and defaults of the network layout, shared by both clouds.
 */

/** A tier of subnets. Each tier has a fixed address slot in every zone. */
export const Tier = {
    /** Internet-facing: load balancers, NAT gateways, the bastion. */
    Public: "public",
    /** Private application tier: Kubernetes workers; egress through NAT. */
    App: "app",
    /** Isolated data tier: Redis, Mongo, Kafka; no route to the internet. */
    Data: "data",
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/** Every tier in a stable order. */
export const TIERS: readonly Tier[] = [Tier.Public, Tier.App, Tier.Data];

/** How the private (app) tier reaches the internet. */
export const NatStrategy = {
    /** One NAT gateway per zone; each zone's app subnets route through their own zone's NAT, so a zone loss cuts no other zone's egress. */
    OnePerAz: "OnePerAz",
    /** One NAT gateway for all zones: cheaper, but egress fails with its zone. Meant for dev. */
    Single: "Single",
    /** No NAT gateway: the app tier has no internet egress at all. */
    None: "None",
} as const;
export type NatStrategy = (typeof NatStrategy)[keyof typeof NatStrategy];

/** Every NAT strategy, in a stable order. */
export const NAT_STRATEGIES: readonly NatStrategy[] = [NatStrategy.OnePerAz, NatStrategy.Single, NatStrategy.None];

/** Defaults applied when an arg is omitted. */
export const NetworkDefaults = {
    cidrBlock: "10.0.0.0/16",
    zoneCount: 3,
    natStrategy: NatStrategy.OnePerAz as NatStrategy,
    flowLogRetentionDays: 30,
    /** Azure's availability zones are logical numbers, the same in every zone-enabled region. */
    azureZones: ["1", "2", "3"] as readonly string[],
} as const;

/** The subnet Azure Bastion must live in: Azure requires exactly this name. */
export const AZURE_BASTION_SUBNET = "AzureBastionSubnet";
/** Azure Bastion's documented minimum subnet size is /26. */
export const AZURE_BASTION_MIN_PREFIX_SIZE = 26;
/** The smallest subnet AWS allows is /28. */
export const AWS_MIN_SUBNET_PREFIX_SIZE = 28;
/** AWS allows VPC CIDR blocks from /16 to /28. */
export const AWS_VPC_PREFIX_RANGE = { min: 16, max: 28 } as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
