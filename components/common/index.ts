/** The shared vocabulary of every component: clouds, sizes, the validation error and the data tier's neutral connection. */
export { Cloud, CLOUDS, CLOUD_SDKS, MissingCloudSdkError } from "./cloud";
export type { PerCloud } from "./cloud";
export { Size, SIZES } from "./size";
export { InvalidArgumentsError } from "./validation";
export type { ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs, DataStoreAwsArgs } from "./dataStore";
