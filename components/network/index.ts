/** The network module (`intergalactic-infra/network`): Vpc3Az, its facts and enums. Loads no cloud SDK until a Vpc3Az is built. */
export { Vpc3Az } from "./vpc3az";
export type { Vpc3AzArgs, Vpc3AzAwsArgs, Vpc3AzAzureArgs, SubnetInfo, PrivateRouteTable } from "./vpc3az";
export { SubnetTier, SUBNET_TIERS, selectSubnets } from "./facts";
export type { NetworkFacts, SubnetFacts, SubnetSelection } from "./facts";
export { NAT_STRATEGIES, NatStrategy, NetworkDefaults, Tier } from "./layout";
export { MAX_ZONES } from "./networkPlan";
export { availabilityZoneNames } from "./zones";
// IPv4 range arithmetic, for a program that lays out several networks (stamps, regions) before building them.
export { PRIVATE_RANGES, contains as cidrContains, formatCidr, mustParseCidr, parseCidr, size as cidrSize } from "./cidr";
export type { Ipv4Cidr } from "./cidr";
