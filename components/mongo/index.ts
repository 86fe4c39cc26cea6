/** The document module (`intergalactic-infra/mongo`): HaMongo and its version enum. Loads no cloud SDK until an HaMongo is built. */
export { HaMongo } from "./haMongo";
export type { HaMongoArgs, HaMongoReplicaAccessArgs } from "./haMongo";
export { DocDbLimits, MONGO_VERSIONS, MongoDefaults, MongoVersion } from "./layout";
export { credentialsAtHost, writerCredentials } from "./credentials";
export type { MongoCollectionArgs, MongoIndexArgs } from "./collections";
