/**
 * HaMongo: a MongoDB-compatible document store that survives the loss of a
 * zone, behind one cloud-neutral interface: Amazon DocumentDB on AWS, Azure
 * Cosmos DB for MongoDB (RU) on Azure.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import { ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs, DataStoreInputs, RestoreSource, dataStoreInputs, placeDataStore } from "../common/dataStore";
import { MongoCollectionArgs } from "./collections";
import { MongoVersion } from "./layout";
import { MIN_HA_ZONES, MongoPlan, planMongo } from "./mongoPlan";

/** Arguments of {@link HaMongo}: placement and protection shared by the data tier, plus Mongo's own. */
export interface HaMongoArgs extends DataPlacementArgs, DataProtectionArgs {
    /**
     * AWS: how many DocumentDB instances (one primary, the rest replicas), placed round-robin over
     * `zones`; from 3 (and at least one per zone) to 16. Ignored on Azure, where Cosmos DB replicates
     * within the region on its own.
     * @default - one per zone
     */
    instanceCount?: number;
    /**
     * The MongoDB API version: `4.0` or `5.0`.
     * @default "5.0"
     */
    version?: MongoVersion;
    /**
     * AWS: the DocumentDB master user: 1-63 letters or digits, starting with a letter. Azure uses the
     * account name as the user.
     * @default "cookieadmin"
     */
    masterUsername?: string;
    /**
     * The database clients use (created on Azure; created by the first write on AWS).
     * @default "cookies"
     */
    databaseName?: string;
    /**
     * Azure: the collections of `databaseName` the clients use, with their shard keys and indexes, created
     * through ARM: the account refuses key-based metadata writes, so clients cannot create collections or
     * indexes themselves. Not allowed on AWS, where DocumentDB clients create them.
     * @default []
     */
    collections?: MongoCollectionArgs[];
    /**
     * Azure: the point in time (ISO-8601 UTC) to restore `restoreFromSnapshot` to. Required with
     * `restoreFromSnapshot` on Azure; not allowed on AWS.
     * @default - no restore
     */
    restoreTimestampUtc?: string;
    /**
     * AWS: an existing KMS key (id or ARN) to encrypt with instead of creating one: the key a
     * `restoreFromSnapshot` snapshot is encrypted with (the previous store's `restoreSource.encryptionKeyArn`).
     * The component adopts it (Pulumi `import`), so one key serves every spin-up. The store's key is
     * always retained when the store is deleted, because its snapshots need it. Not allowed on Azure.
     * @default - a new key
     */
    encryptionKeyId?: string;
    /**
     * Azure: the region of the Cosmos DB account, e.g. the stack's `azure-native:location`. Required on
     * Azure (the account names its write region explicitly); ignored on AWS.
     * @default - none; required on Azure
     */
    location?: string;
}

/** What a cloud implementation returns after creating the store's resources. */
export interface HaMongoResources {
    readonly connection: pulumi.Output<ConnectionInfo>;
    /** Must already be secret. */
    readonly credentials: pulumi.Output<Credentials>;
    /** The DocumentDB cluster ARN or the Cosmos DB account id. */
    readonly resourceId: pulumi.Output<string>;
    /** What the store leaves behind when deleted. */
    readonly restoreSource: pulumi.Output<RestoreSource>;
}

/** The resource references a cloud implementation of HaMongo needs besides the plan. */
export type HaMongoInputs = DataStoreInputs;

/** A cloud implementation of HaMongo. */
export type HaMongoImplementation = CloudImplementation<MongoPlan, HaMongoInputs, HaMongoResources>;

/** A highly available MongoDB-compatible store in the isolated data tier, reachable only from the given clients. */
export class HaMongo extends pulumi.ComponentResource {
    /** How clients reach the store: host, endpoints, port, TLS (always on) and the auth mechanism. */
    public readonly connection: pulumi.Output<ConnectionInfo>;
    /** User, password and full connection string; always a secret. */
    public readonly credentials: pulumi.Output<Credentials>;
    /** The zones the store spans. */
    public readonly zones: pulumi.Output<string[]>;
    /** The DocumentDB cluster ARN (AWS) or the Cosmos DB account id (Azure). */
    public readonly resourceId: pulumi.Output<string>;
    /**
     * What restores the store after its deletion: the final snapshot identifier (AWS) or the restorable
     * account id (Azure, continuous backup); empty when nothing is kept.
     */
    public readonly finalSnapshotName: pulumi.Output<string>;
    /** What the store leaves behind when deleted and what its restore needs (snapshot, key, point in time, how long it is kept). */
    public readonly restoreSource: pulumi.Output<RestoreSource>;

    constructor(name: string, args: HaMongoArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const placement = placeDataStore(args, {
            minZones: MIN_HA_ZONES, minZonesRule: "the store keeps an instance in each zone, so it survives the loss of one with a quorum left",
        });
        const plan = planMongo(name, {
            ...args,
            ...placement,
            allowedClientSecurityGroupCount: args.allowedClientSecurityGroupIds?.length ?? 0,
        });
        super("intergalactic:index:HaMongo", name, {}, opts);

        const implementation = implementationFor<HaMongoImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./haMongo.aws").AwsHaMongo)(),
            [Cloud.Azure]: () => new (require("./haMongo.azure").AzureHaMongo)(),
        });
        const built = implementation.build(this, plan, dataStoreInputs(args, placement.resolved));

        this.connection = built.connection;
        this.credentials = pulumi.secret(built.credentials);
        this.zones = pulumi.output([...plan.zones]);
        this.resourceId = built.resourceId;
        this.restoreSource = built.restoreSource;
        this.finalSnapshotName = built.restoreSource.snapshot;

        this.registerOutputs({
            connection: this.connection, credentials: this.credentials, zones: this.zones, resourceId: this.resourceId,
            finalSnapshotName: this.finalSnapshotName, restoreSource: this.restoreSource,
        });
    }
}
