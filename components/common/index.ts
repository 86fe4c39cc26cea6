/** The shared vocabulary of every component: clouds, sizes, the validation error and the data tier's neutral connection. */
export { Cloud, CLOUDS, CLOUD_SDKS, MissingCloudSdkError, withCloudSdk } from "./cloud";
export type { PerCloud } from "./cloud";
export { Size, SIZES } from "./size";
// Problems and show are how every arg error is collected and worded; a program that reads its own
// configuration (as this repository's stacks do) reports its keys the same way.
export { InvalidArgumentsError, Problems, show } from "./validation";
export { DataProtectionDefaults, RestoreSourceKind } from "./dataStore";
export type { ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs, DataStoreAwsArgs, RestoreSource } from "./dataStore";
