/**
 * intergalactic-infra: cloud-neutral Pulumi components for AWS and Azure.
 *
 * Importing this module loads neither cloud SDK: each component loads its
 * cloud's implementation (and SDK) only when it is built.
 */
export { Cloud, CLOUDS } from "./common/cloud";
export { Size, SIZES } from "./common/size";
export { InvalidArgumentsError } from "./common/validation";
export type { ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs } from "./common/dataStore";

export { Vpc3Az } from "./network/vpc3az";
export type { Vpc3AzArgs, SubnetInfo } from "./network/vpc3az";
export { NatStrategy, Tier } from "./network/layout";
export { availabilityZoneNames } from "./network/zones";
