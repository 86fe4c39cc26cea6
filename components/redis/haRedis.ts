/**
 * HaRedis: a highly available, encrypted Redis-compatible cache with a copy of
 * every shard in each of three or more zones, on AWS (ElastiCache) or Azure
 * (Azure Managed Redis), behind one cloud-neutral interface.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import {
    ConnectionInfo, Credentials, DataPlacementArgs, DataProtectionArgs, DataStoreAwsArgs, DataStoreInputs, NOTHING_KEPT, RestoreSource, RestoreSourceKind, dataStoreInputs, placeDataStore, withNetworkHints,
} from "../common/dataStore";
import { RedisEngine } from "./layout";
import { resolveCloudArgs } from "../common/cloudArgs";
import { MIN_ZONES, REDIS_CLOUD_ARGS, RedisPlan, planRedis } from "./redisPlan";

/** The args of {@link HaRedis} that only ElastiCache (AWS) uses; each is an error on Azure, where it would do nothing. */
export interface HaRedisAwsArgs extends DataStoreAwsArgs {
    /**
     * The engine, `valkey` or `redis` (Redis OSS).
     * @default "valkey"
     */
    engine?: RedisEngine;
    /**
     * The engine version as major.minor, e.g. `8.0`.
     * @default "8.0"
     */
    engineVersion?: string;
    /**
     * Replicas per shard, 1-5; at least `zones.length - 1` so each zone holds a copy of every shard.
     * @default - `zones.length - 1` (2 for three zones)
     */
    replicasPerShard?: number;
    /**
     * An existing KMS key (id or ARN) to encrypt with instead of creating one: the key a
     * `restoreFromSnapshot` snapshot is encrypted with (the previous cache's `restoreSource.encryptionKeyArn`).
     * The component adopts it (Pulumi `import`), so one key serves every spin-up. The cache's key is
     * always retained when the cache is deleted, because its snapshots need it.
     * @default - a new key
     */
    encryptionKeyId?: string;
}

/** Arguments of {@link HaRedis}. */
export interface HaRedisArgs extends DataPlacementArgs, DataProtectionArgs {
    /**
     * Shards the data is split over. 1 keeps one endpoint for ordinary clients; more turns on
     * cluster mode (AWS) or the OSS cluster policy (Azure), which needs cluster-aware clients.
     * @default 1
     */
    shards?: number;
    /**
     * What only ElastiCache uses: engine, version, replicas, KMS key, client ranges and security groups.
     * Giving it on Azure is an error (Azure Managed Redis runs one engine, picks its version, keeps one
     * replica per shard, encrypts with a service-managed key and is reached through its private endpoint).
     * @default {}
     */
    aws?: HaRedisAwsArgs;
    /**
     * Deprecated: give it as `aws.engine`. An error on Azure.
     * @default "valkey"
     * @deprecated Use `aws.engine`.
     */
    engine?: RedisEngine;
    /**
     * Deprecated: give it as `aws.engineVersion`. An error on Azure.
     * @default "8.0"
     * @deprecated Use `aws.engineVersion`.
     */
    engineVersion?: string;
    /**
     * Deprecated: give it as `aws.replicasPerShard`. An error on Azure.
     * @default - `zones.length - 1` (2 for three zones)
     * @deprecated Use `aws.replicasPerShard`.
     */
    replicasPerShard?: number;
    /**
     * Deprecated: give it as `aws.encryptionKeyId`. An error on Azure.
     * @default - a new key
     * @deprecated Use `aws.encryptionKeyId`.
     */
    encryptionKeyId?: string;
}

/** What a cloud implementation returns after creating the cache's resources. */
export interface HaRedisResources {
    readonly connection: pulumi.Output<ConnectionInfo>;
    /** Already a secret. */
    readonly credentials: pulumi.Output<Credentials>;
    /** The cache's id: the replication group id (AWS) or the cluster's ARM id (Azure). */
    readonly resourceId: pulumi.Output<string>;
    /** AWS: the ARN of the project key the cache and its snapshots are encrypted with; "" on Azure. */
    readonly encryptionKeyArn: pulumi.Output<string>;
}

/** The resource references a cloud implementation of HaRedis needs besides the plan. */
export type HaRedisInputs = DataStoreInputs;

/** A cloud implementation of HaRedis. */
export type HaRedisImplementation = CloudImplementation<RedisPlan, HaRedisInputs, HaRedisResources>;

/**
 * A highly available Redis-compatible cache in the data tier, reachable only from the given clients, over TLS.
 *
 * On AWS the cache's own security group admits `aws.allowedClientCidrs` (by default the network's app tier) and `aws.allowedClientSecurityGroupIds`.
 * On Azure the cache is reachable only through its private endpoint in the data subnet, so the data
 * subnet's NSG (Vpc3Az admits the app tier on port 10000) decides who connects.
 */
export class HaRedis extends pulumi.ComponentResource {
    /** How clients connect: host, endpoints, port, TLS (always) and the auth mechanism. No secrets. */
    public readonly connection: pulumi.Output<ConnectionInfo>;
    /** The password and a `rediss://` URI; a Pulumi secret. */
    public readonly credentials: pulumi.Output<Credentials>;
    /** The replication group id (AWS) or the Azure Managed Redis cluster's id (Azure); the same name on every data store. */
    public readonly resourceId: pulumi.Output<string>;
    /**
     * Deprecated: the same value as `resourceId`, the name every data store uses for its cloud id; removed in the next release.
     * @deprecated Read `resourceId`.
     */
    public readonly cacheId: pulumi.Output<string>;
    /** The zones holding copies of the data, in order. */
    public readonly zones: pulumi.Output<string[]>;
    /** The name of the snapshot taken when the cache is deleted; empty when none is taken (always on Azure). */
    public readonly finalSnapshotName: pulumi.Output<string>;
    /** What the cache leaves behind when deleted and what its restore needs. */
    public readonly restoreSource: pulumi.Output<RestoreSource>;

    constructor(name: string, args: HaRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const cloudArgs = resolveCloudArgs(args.cloud, args, REDIS_CLOUD_ARGS);
        const aws: HaRedisAwsArgs = cloudArgs.groups.aws;
        const placement = placeDataStore(args, {
            minZones: MIN_ZONES, minZonesRule: "the cache keeps a copy of every shard in each zone, so losing one zone leaves copies in the others",
        }, aws, cloudArgs.shownAs.allowedClientCidrs);
        const plan = withNetworkHints(args, () => planRedis(name, {
            ...args,
            ...placement,
            wiringProblems: [...cloudArgs.problems, ...placement.wiringProblems],
            argPaths: cloudArgs.paths,
            engine: aws.engine,
            engineVersion: aws.engineVersion,
            replicasPerShard: aws.replicasPerShard,
            encryptionKeyId: aws.encryptionKeyId,
            allowedClientSecurityGroupCount: aws.allowedClientSecurityGroupIds?.length ?? 0,
        }));
        super("intergalactic:index:HaRedis", name, {}, opts);

        const implementation = implementationFor<HaRedisImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./haRedis.aws").AwsHaRedis)(),
            [Cloud.Azure]: () => new (require("./haRedis.azure").AzureHaRedis)(),
        });
        const built = implementation.build(this, plan, dataStoreInputs(aws, placement.resolved));

        this.connection = built.connection;
        this.credentials = pulumi.secret(built.credentials);
        this.resourceId = built.resourceId;
        this.cacheId = built.resourceId;
        this.zones = pulumi.output([...plan.zones]);
        this.finalSnapshotName = pulumi.output(plan.finalSnapshotName ?? "");
        this.restoreSource = plan.finalSnapshotName === undefined ? pulumi.output(NOTHING_KEPT) : built.encryptionKeyArn.apply((arn) => ({
            kind: RestoreSourceKind.ElastiCacheSnapshot,
            snapshot: plan.finalSnapshotName!,
            // The cache's own key, retained when the cache is deleted: the snapshot cannot be restored without it.
            encryptionKeyArn: arn,
            needsPointInTime: false,
            restorableForDays: 0,
        }));
        this.registerOutputs({
            connection: this.connection, credentials: this.credentials, resourceId: this.resourceId, cacheId: this.cacheId, zones: this.zones,
            finalSnapshotName: this.finalSnapshotName, restoreSource: this.restoreSource,
        });
    }
}
