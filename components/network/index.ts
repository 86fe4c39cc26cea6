/** The network module (`intergalactic-infra/network`): Vpc3Az, its facts and enums. Loads no cloud SDK until a Vpc3Az is built. */
export { Vpc3Az } from "./vpc3az";
export type { Vpc3AzArgs, Vpc3AzAwsArgs, Vpc3AzAzureArgs, SubnetInfo } from "./vpc3az";
export { SubnetTier, SUBNET_TIERS, selectSubnets } from "./facts";
export type { NetworkFacts, SubnetFacts, SubnetSelection } from "./facts";
export { NatStrategy, Tier } from "./layout";
export { availabilityZoneNames } from "./zones";
