/**
 * HaMongo: a MongoDB-compatible document store that survives the loss of a
 * zone, behind one cloud-neutral interface: Amazon DocumentDB on AWS, Azure
 * Cosmos DB for MongoDB (RU) on Azure.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import { resolveCloudArgs } from "../common/cloudArgs";
import {
    ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs, DataStoreAwsArgs, DataStoreInputs, RestoreSource, dataStoreInputs, placeDataStore, withNetworkHints,
} from "../common/dataStore";
import { MongoCollectionArgs } from "./collections";
import { MongoVersion } from "./layout";
import { MIN_HA_ZONES, MONGO_CLOUD_ARGS, MongoPlan, planMongo } from "./mongoPlan";

/** The args of {@link HaMongo} that only Amazon DocumentDB (AWS) uses; each is an error on Azure, where it would do nothing. */
export interface HaMongoAwsArgs extends DataStoreAwsArgs {
    /**
     * How many DocumentDB instances (one primary, the rest replicas), placed round-robin over the
     * zones; from 3 (and at least one per zone) to 16.
     * @default - one per zone
     */
    instanceCount?: number;
    /**
     * The DocumentDB master user: 1-63 letters or digits, starting with a letter.
     * @default "cookieadmin"
     */
    masterUsername?: string;
    /**
     * An existing KMS key (id or ARN) to encrypt with instead of creating one: the key a
     * `restoreFromSnapshot` snapshot is encrypted with (the previous store's `restoreSource.encryptionKeyArn`).
     * The component adopts it (Pulumi `import`), so one key serves every spin-up. The store's key is
     * always retained when the store is deleted, because its snapshots need it.
     * @default - a new key
     */
    encryptionKeyId?: string;
    /**
     * Hibernated, for the scheduler's hibernation: only the first instance is kept and the replicas
     * are removed. The data lives in the cluster volume, not in the instances ("A cluster consists of zero or
     * more database instances and a cluster volume that manages the data for those instances",
     * https://docs.aws.amazon.com/documentdb/latest/developerguide/how-it-works.html),
     * so removing replicas removes none; the kept instance serves at once after a wake-up, where a new
     * one would take about 10 minutes.
     * @default false
     */
    hibernated?: boolean;
    /**
     * Client ranges in other networks joined to this one (an inter-region VPC peering), which the security group admits
     * on the DocumentDB port beside `allowedClientCidrs`: e.g. the app subnets of another region's stamp, whose services
     * write to this cluster while it is the global cluster's primary. Ranges, because a security group cannot name a
     * group of a peer VPC in another region ("You can't reference the security group of a peer VPC that's in a
     * different Region. Instead, use the CIDR block of the peer VPC",
     * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html). Each must be private and lie
     * outside this network. The routes to them are the peering's, not the store's.
     * @default []
     */
    peerClientCidrs?: string[];
}

/** Another region's network that reaches a replicated Cosmos DB account through a private endpoint of its own. */
export interface HaMongoReplicaAccessArgs {
    /** The network's region: one of `replicaRegions`. */
    region: string;
    /** The network's data subnet, where the endpoint goes (its resource group holds the endpoint and its DNS zone). */
    subnetId: pulumi.Input<string>;
    /** The network, which its own private DNS zone for the account is linked to. */
    networkId: pulumi.Input<string>;
}

/** The args of {@link HaMongo} that only Azure Cosmos DB for MongoDB uses; each is an error on AWS, where it would do nothing. */
export interface HaMongoAzureArgs {
    /**
     * The networks of other regions (stamps) that reach this account, each through its own private endpoint: the
     * account is one store whose locations are `replicaRegions`, so another region's services use it directly.
     * Each endpoint is built after the account's other control-plane writes and before its lock.
     * @default []
     */
    replicaAccess?: HaMongoReplicaAccessArgs[];
    /**
     * The region of the Cosmos DB account (the account names its write region explicitly). Taken from
     * the network's facts (`network.location`, the VNet's location); a value that differs from it is an error.
     * @default - the network's location; required when the facts carry none
     */
    location?: string;
    /**
     * The collections of `databaseName` the clients use, with their shard keys and indexes, created
     * through ARM: the account refuses key-based metadata writes, so clients cannot create collections or
     * indexes themselves.
     * @default []
     */
    collections?: MongoCollectionArgs[];
    /**
     * The point in time (ISO-8601 UTC) to restore `restoreFromSnapshot` to. Required with `restoreFromSnapshot`.
     * @default - no restore
     */
    restoreTimestampUtc?: string;
}

/** Arguments of {@link HaMongo}: placement and protection shared by the data tier, plus Mongo's own. */
export interface HaMongoArgs extends DataPlacementArgs, DataProtectionArgs {
    /**
     * The MongoDB API version: `4.0` or `5.0`.
     * @default "5.0"
     */
    version?: MongoVersion;
    /**
     * The database clients use (created on Azure; created by the first write on AWS).
     * @default "cookies"
     */
    databaseName?: string;
    /**
     * What only DocumentDB uses: instances, master user, KMS key, client ranges and security groups. Giving it
     * on Azure is an error (Cosmos DB replicates itself, authenticates with account keys, encrypts with a
     * service-managed key and is reached through its private endpoint).
     * @default {}
     */
    aws?: HaMongoAwsArgs;
    /**
     * What only Cosmos DB uses: the account's region, its collections and the restore point in time. Giving it
     * on AWS is an error (DocumentDB clients create their collections; a snapshot restores as it was taken).
     * @default {}
     */
    azure?: HaMongoAzureArgs;
    /**
     * The other regions that hold a copy of this store, for a stack with a stamp per region; this store is the
     * primary, which takes every write. AWS: the cluster becomes the primary of a DocumentDB global cluster
     * created from it (its data kept), which each region's `replicaOf` store joins as a read-only secondary.
     * Azure: each region is a further location of the Cosmos DB account, in this order of failover priority.
     * @default [] (one region)
     */
    replicaRegions?: string[];
    /**
     * AWS: makes this store the copy of another region's primary instead of a store of its own: a read-only
     * secondary cluster, in this provider's region, of the primary's global cluster (its `replicationSource`);
     * writes go to the primary's region. An error on Azure, where the other regions are locations of the one
     * account and reach it through the primary's `azure.replicaAccess`.
     * @default - a store of its own
     */
    replicaOf?: pulumi.Input<string>;
    /**
     * Deprecated: give it as `aws.instanceCount`. An error on Azure.
     * @default - one per zone
     * @deprecated Use `aws.instanceCount`.
     */
    instanceCount?: number;
    /**
     * Deprecated: give it as `aws.masterUsername`. An error on Azure.
     * @default "cookieadmin"
     * @deprecated Use `aws.masterUsername`.
     */
    masterUsername?: string;
    /**
     * Deprecated: give it as `aws.encryptionKeyId`. An error on Azure.
     * @default - a new key
     * @deprecated Use `aws.encryptionKeyId`.
     */
    encryptionKeyId?: string;
    /**
     * Deprecated: give it as `azure.location`. An error on AWS.
     * @default - none; required on Azure
     * @deprecated Use `azure.location`.
     */
    location?: string;
    /**
     * Deprecated: give it as `azure.collections`. An error on AWS.
     * @default []
     * @deprecated Use `azure.collections`.
     */
    collections?: MongoCollectionArgs[];
    /**
     * Deprecated: give it as `azure.restoreTimestampUtc`. An error on AWS.
     * @default - no restore
     * @deprecated Use `azure.restoreTimestampUtc`.
     */
    restoreTimestampUtc?: string;
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
    /** What another region's `replicaOf` names: the global cluster id (AWS) or the account id (Azure); "" without replicas. */
    readonly replicationSource: pulumi.Output<string>;
    /** AWS: the ARN of the global cluster's member that takes writes, as the state last read it; "" otherwise. */
    readonly replicationWriter: pulumi.Output<string>;
    /** AWS: the ARNs of the global cluster's members, as the state last read them; [] otherwise. */
    readonly replicationMembers: pulumi.Output<string[]>;
}

/** The resource references a cloud implementation of HaMongo needs besides the plan. */
export interface HaMongoInputs extends DataStoreInputs {
    /** AWS: the primary's `replicationSource` when this store is its copy in another region. */
    readonly replicaOf?: pulumi.Input<string>;
    /** Azure: the other regions' networks that reach the account. */
    readonly replicaAccess?: readonly HaMongoReplicaAccessArgs[];
    /** Azure: where the network really is (`network.deployedLocation`), when the network gives it. */
    readonly location?: pulumi.Input<string>;
}

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
    /** What a copy in another region names as its `replicaOf`: the global cluster id (AWS) or the account id (Azure); "" without `replicaRegions`. */
    public readonly replicationSource: pulumi.Output<string>;
    /**
     * AWS: the ARN of the DocumentDB global cluster's member that takes writes (`globalClusterMembers[].isWriter`), as the
     * state last read it: after a global failover it names the new primary only once the global cluster is refreshed.
     * "" without `replicaRegions` and on Azure (Cosmos DB moves its write region itself).
     */
    public readonly replicationWriter: pulumi.Output<string>;
    /**
     * AWS: the ARNs of the DocumentDB global cluster's members (`globalClusterMembers[].dbClusterArn`), as the state last
     * read them: the provider reads them right after the create, before any secondary joins, so until a refresh they list
     * the source cluster only; a cluster detached by `remove-from-global-cluster` leaves them at the next refresh.
     * [] without `replicaRegions` and on Azure.
     */
    public readonly replicationMembers: pulumi.Output<string[]>;

    constructor(name: string, args: HaMongoArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const cloudArgs = resolveCloudArgs(args.cloud, args, MONGO_CLOUD_ARGS);
        const aws: HaMongoAwsArgs = cloudArgs.groups.aws;
        const azure: HaMongoAzureArgs = cloudArgs.groups.azure;
        const placement = placeDataStore(args, {
            minZones: MIN_HA_ZONES, minZonesRule: "the store keeps an instance in each zone, so it survives the loss of one with a quorum left",
        }, aws, cloudArgs.shownAs.allowedClientCidrs);
        const plan = withNetworkHints(args, () => planMongo(name, {
            ...args,
            ...placement,
            wiringProblems: [...cloudArgs.problems, ...placement.wiringProblems],
            argPaths: cloudArgs.paths,
            instanceCount: aws.instanceCount,
            masterUsername: aws.masterUsername,
            encryptionKeyId: aws.encryptionKeyId,
            hibernated: aws.hibernated,
            peerClientCidrs: aws.peerClientCidrs,
            networkCidrBlock: args.network?.cidrBlock,
            allowedClientSecurityGroupCount: aws.allowedClientSecurityGroupIds?.length ?? 0,
            location: azure.location,
            networkLocation: args.network?.location,
            networkDeploysLocation: args.network?.deployedLocation !== undefined,
            locationKey: cloudArgs.shownAs.location,
            collections: azure.collections,
            restoreTimestampUtc: azure.restoreTimestampUtc,
            replicaRegions: args.replicaRegions,
            accountScope: `${pulumi.getProject()}-${pulumi.getStack()}`,
            replica: args.replicaOf !== undefined,
            replicaAccessRegions: azure.replicaAccess?.map((a) => a.region),
        }));
        super("intergalactic:index:HaMongo", name, {}, opts);

        const implementation = implementationFor<HaMongoImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./haMongo.aws").AwsHaMongo)(),
            [Cloud.Azure]: () => new (require("./haMongo.azure").AzureHaMongo)(),
        });
        const built = implementation.build(this, plan, { ...dataStoreInputs(aws, placement.resolved), replicaOf: args.replicaOf, replicaAccess: azure.replicaAccess,
            ...(args.network?.deployedLocation !== undefined ? { location: args.network.deployedLocation } : {}),
        });

        this.connection = built.connection;
        this.credentials = pulumi.secret(built.credentials);
        this.zones = pulumi.output([...plan.zones]);
        this.resourceId = built.resourceId;
        this.restoreSource = built.restoreSource;
        this.finalSnapshotName = built.restoreSource.snapshot;
        this.replicationSource = built.replicationSource;
        this.replicationWriter = built.replicationWriter;
        this.replicationMembers = built.replicationMembers;

        this.registerOutputs({
            connection: this.connection, credentials: this.credentials, zones: this.zones, resourceId: this.resourceId,
            finalSnapshotName: this.finalSnapshotName, restoreSource: this.restoreSource, replicationSource: this.replicationSource,
            replicationWriter: this.replicationWriter, replicationMembers: this.replicationMembers,
        });
    }
}
