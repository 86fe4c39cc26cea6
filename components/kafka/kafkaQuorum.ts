/**
 * KafkaQuorum: a replicated Kafka endpoint for the data tier, on Amazon MSK or
 * on the Kafka endpoint of Azure Event Hubs Premium, behind one interface.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import { resolveCloudArgs } from "../common/cloudArgs";
import { ConnectionInfo, Credentials, DataPlacementArgs, DataStoreAwsArgs, DataStoreInputs, dataStoreInputs, placeDataStore, withNetworkHints } from "../common/dataStore";
import { KAFKA_CLOUD_ARGS, KafkaPlan, planKafka } from "./kafkaPlan";
import { KafkaAuthentication, MSK_CLIENT_SUBNETS } from "./layout";

/** Brokers in two zones keep a topic writable when one zone fails; MSK takes 2 or 3 client subnets in distinct zones. */
const KAFKA_MIN_ZONES = MSK_CLIENT_SUBNETS.min;

/** A topic (an event hub on Azure): data, declared by the services that use it. */
export interface KafkaTopic {
    /** The topic name: letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit. */
    name: string;
    /** Partitions: the unit of parallelism and ordering. Azure Premium allows up to 100 per topic. */
    partitions: number;
    /** Hours to keep events. Azure Premium allows up to 2160 (90 days). */
    retentionHours: number;
}

/** The args of {@link KafkaQuorum} that only Amazon MSK (AWS) uses; each is an error on Azure, where it would do nothing. */
export interface KafkaQuorumAwsArgs extends DataStoreAwsArgs {
    /**
     * MSK brokers; a multiple of the number of subnets.
     * @default 3
     */
    brokerCount?: number;
    /**
     * The EBS volume per broker at creation, 1-16384 GiB; storage auto-scaling grows it.
     * @default 100
     */
    storageGiB?: number;
    /**
     * The largest volume per broker storage auto-scaling may grow to, from `storageGiB` to 16384 GiB.
     * @default - 4 x storageGiB, at most 16384
     */
    maxStorageGiB?: number;
    /**
     * Grow broker storage automatically (target tracking at 60% utilization) up to `maxStorageGiB`. Turn it off in
     * regions where MSK has no storage auto-scaling (Osaka, Cape Town, Malaysia).
     * @default true
     */
    storageAutoScaling?: boolean;
    /**
     * The Kafka version; a `.kraft` version runs the KRaft metadata quorum instead of ZooKeeper.
     * @default "3.9.x.kraft"
     */
    kafkaVersion?: string;
    /**
     * Replicas per partition (`default.replication.factor`); at most `brokerCount`.
     * @default 3
     */
    replicationFactor?: number;
    /**
     * Replicas that must acknowledge a write (`min.insync.replicas`); below `replicationFactor`.
     * @default 2
     */
    minInSyncReplicas?: number;
    /**
     * Days to keep broker logs in CloudWatch Logs (a CloudWatch retention period).
     * @default 30
     */
    logRetentionDays?: number;
}

/** Arguments of {@link KafkaQuorum}. */
export interface KafkaQuorumArgs extends DataPlacementArgs {
    /**
     * The topics to create. Topics are never created implicitly (`auto.create.topics.enable=false`).
     * @default []
     */
    topics?: KafkaTopic[];
    /**
     * How clients authenticate: `password` (SCRAM on MSK, a shared access key on Azure) or `iam`. `iam` is an error on
     * both clouds: MSK's IAM access control needs each client's own IAM role, Event Hubs' Entra ID access each client's own
     * identity with a data role on the namespace, and nothing here makes either, so the clients could not log in.
     * @default "password"
     */
    authentication?: KafkaAuthentication;
    /**
     * Refuse deletion of the event bus and its topics' data: Pulumi `protect` on the MSK cluster or the
     * Event Hubs namespace (neither service has a deletion-protection flag of its own).
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * What only MSK uses: brokers, storage, Kafka version, replication, broker logs, client ranges and security
     * groups. Giving it on Azure is an error (Event Hubs Premium scales by processing units from `size`, speaks
     * the Kafka protocol itself, replicates over the zones and is reached through its private endpoint).
     * @default {}
     */
    aws?: KafkaQuorumAwsArgs;
    /**
     * Deprecated: give it as `aws.brokerCount`. An error on Azure.
     * @default 3
     * @deprecated Use `aws.brokerCount`.
     */
    brokerCount?: number;
    /**
     * Deprecated: give it as `aws.storageGiB`. An error on Azure.
     * @default 100
     * @deprecated Use `aws.storageGiB`.
     */
    storageGiB?: number;
    /**
     * Deprecated: give it as `aws.maxStorageGiB`. An error on Azure.
     * @default - 4 x storageGiB, at most 16384
     * @deprecated Use `aws.maxStorageGiB`.
     */
    maxStorageGiB?: number;
    /**
     * Deprecated: give it as `aws.storageAutoScaling`. An error on Azure.
     * @default true
     * @deprecated Use `aws.storageAutoScaling`.
     */
    storageAutoScaling?: boolean;
    /**
     * Deprecated: give it as `aws.kafkaVersion`. An error on Azure.
     * @default "3.9.x.kraft"
     * @deprecated Use `aws.kafkaVersion`.
     */
    kafkaVersion?: string;
    /**
     * Deprecated: give it as `aws.replicationFactor`. An error on Azure.
     * @default 3
     * @deprecated Use `aws.replicationFactor`.
     */
    replicationFactor?: number;
    /**
     * Deprecated: give it as `aws.minInSyncReplicas`. An error on Azure.
     * @default 2
     * @deprecated Use `aws.minInSyncReplicas`.
     */
    minInSyncReplicas?: number;
    /**
     * Deprecated: give it as `aws.logRetentionDays`. An error on Azure.
     * @default 30
     * @deprecated Use `aws.logRetentionDays`.
     */
    logRetentionDays?: number;
}

/** What a cloud implementation returns after creating the quorum's resources. */
export interface KafkaQuorumResources {
    readonly connection: pulumi.Output<ConnectionInfo>;
    readonly credentials: pulumi.Output<Credentials>;
    /** The MSK cluster ARN or the Event Hubs namespace id. */
    readonly resourceId: pulumi.Output<string>;
    /** AWS: the brokers' security group; Azure: empty. */
    readonly securityGroupId: pulumi.Output<string>;
}

/** The resource references a cloud implementation of KafkaQuorum needs besides the plan. */
export type KafkaQuorumInputs = DataStoreInputs;

/** A cloud implementation of KafkaQuorum. */
export type KafkaQuorumImplementation = CloudImplementation<KafkaPlan, KafkaQuorumInputs, KafkaQuorumResources>;

/** A replicated, TLS-only, private Kafka endpoint with declared topics. */
export class KafkaQuorum extends pulumi.ComponentResource {
    /** Bootstrap endpoints, port, TLS and the SASL mechanism; no credentials. */
    public readonly connection: pulumi.Output<ConnectionInfo>;
    /** The client credentials, always a secret. */
    public readonly credentials: pulumi.Output<Credentials>;
    /** The MSK cluster ARN (AWS) or the Event Hubs namespace id (Azure); the same name on every data store. */
    public readonly resourceId: pulumi.Output<string>;
    /**
     * Deprecated: the same value as `resourceId`, the name every data store uses for its cloud id; removed in the next release.
     * @deprecated Read `resourceId`.
     */
    public readonly clusterId: pulumi.Output<string>;
    /** The zones the brokers (AWS) or the zone-redundant namespace (Azure) span, in order. */
    public readonly zones: pulumi.Output<string[]>;
    /** The names of the topics created. */
    public readonly topicNames: pulumi.Output<string[]>;
    /** AWS: the brokers' security group, for rules that admit more clients; empty on Azure. */
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: KafkaQuorumArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const cloudArgs = resolveCloudArgs(args.cloud, args, KAFKA_CLOUD_ARGS);
        const aws: KafkaQuorumAwsArgs = cloudArgs.groups.aws;
        const placement = placeDataStore(args, {
            minZones: KAFKA_MIN_ZONES, minZonesRule: "brokers in at least two zones keep the topics writable when one zone fails",
            maxSubnets: MSK_CLIENT_SUBNETS.max,
        }, aws, cloudArgs.shownAs.allowedClientCidrs);
        const plan = withNetworkHints(args, () => planKafka(name, {
            ...args,
            ...placement,
            wiringProblems: [...cloudArgs.problems, ...placement.wiringProblems],
            argPaths: cloudArgs.paths,
            brokerCount: aws.brokerCount,
            storageGiB: aws.storageGiB,
            maxStorageGiB: aws.maxStorageGiB,
            storageAutoScaling: aws.storageAutoScaling,
            kafkaVersion: aws.kafkaVersion,
            replicationFactor: aws.replicationFactor,
            minInSyncReplicas: aws.minInSyncReplicas,
            logRetentionDays: aws.logRetentionDays,
        }));
        super("intergalactic:index:KafkaQuorum", name, {}, opts);

        const implementation = implementationFor<KafkaQuorumImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./kafkaQuorum.aws").AwsKafkaQuorum)(),
            [Cloud.Azure]: () => new (require("./kafkaQuorum.azure").AzureKafkaQuorum)(),
        });
        const built = implementation.build(this, plan, dataStoreInputs(aws, placement.resolved));

        this.connection = built.connection;
        this.credentials = pulumi.secret(built.credentials);
        this.resourceId = built.resourceId;
        this.clusterId = built.resourceId;
        this.zones = pulumi.output([...plan.zones]);
        this.topicNames = pulumi.output(plan.topics.map((t) => t.name));
        this.securityGroupId = built.securityGroupId;

        this.registerOutputs({
            connection: this.connection, credentials: this.credentials, resourceId: this.resourceId, clusterId: this.clusterId,
            zones: this.zones, topicNames: this.topicNames, securityGroupId: this.securityGroupId,
        });
    }
}
