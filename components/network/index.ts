/** The network module (`intergalactic-infra/network`): Vpc3Az and its enums. Loads no cloud SDK until a Vpc3Az is built. */
export { Vpc3Az } from "./vpc3az";
export type { Vpc3AzArgs, SubnetInfo } from "./vpc3az";
export { NatStrategy, Tier } from "./layout";
export { availabilityZoneNames } from "./zones";
