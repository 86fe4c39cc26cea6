/**
 * Enumerations, defaults and the documented service limits KafkaQuorum
 * validates against, in one place so every rule can cite its source.
 */
import { Size } from "../common/size";

/** How Kafka clients authenticate. */
export const KafkaAuthentication = {
    /**
     * A user name and password: SASL/SCRAM-SHA-512 on MSK (secret in Secrets Manager), SASL/PLAIN with a
     * Send+Listen shared access key on Event Hubs (needs the namespace's local authentication enabled).
     */
    Password: "password",
    /**
     * Cloud identity (SASL/IAM on MSK, SASL/OAUTHBEARER with Entra ID on Event Hubs). Refused on both clouds:
     * each client would need its own IAM role or workload identity, and none is made (`unservedAuthentication`).
     */
    Iam: "iam",
} as const;
export type KafkaAuthentication = (typeof KafkaAuthentication)[keyof typeof KafkaAuthentication];
export const KAFKA_AUTHENTICATIONS: readonly KafkaAuthentication[] = [KafkaAuthentication.Password, KafkaAuthentication.Iam];

/** Defaults applied when an arg is omitted. */
export const KafkaDefaults = {
    brokerCount: 3,
    storageGiB: 100,
    /** KRaft: the metadata quorum runs in MSK-managed controllers instead of ZooKeeper. */
    kafkaVersion: "3.9.x.kraft",
    replicationFactor: 3,
    minInSyncReplicas: 2,
    authentication: KafkaAuthentication.Password as KafkaAuthentication,
    logRetentionDays: 30,
    /** Storage auto-scaling may grow each broker's volume up to this multiple of `storageGiB` (capped at the MSK maximum). */
    maxStorageMultiple: 4,
} as const;

/**
 * MSK versions this component creates. Every one is 3.6.0 or later, which the MSK topic APIs
 * (`aws.msk.Topic`) require; `.kraft` versions run the KRaft metadata quorum.
 */
export const MSK_KAFKA_VERSIONS: readonly string[] = [
    "3.6.0", "3.7.x", "3.7.x.kraft", "3.8.x", "3.8.x.kraft", "3.9.x", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft",
];

/**
 * MSK Standard brokers per cluster: 30 for ZooKeeper clusters, 60 for KRaft clusters (default quotas,
 * https://docs.aws.amazon.com/msk/latest/developerguide/limits.html).
 */
export const MSK_MAX_BROKERS = { zookeeper: 30, kraft: 60 } as const;
/** MSK: EBS volume per broker, 1 to 16384 GiB. */
export const MSK_STORAGE_GIB = { min: 1, max: 16384 } as const;
/** MSK: brokers spread evenly over 2 or 3 client subnets in distinct AZs (us-west-1 offers only 2). */
export const MSK_CLIENT_SUBNETS = { min: 2, max: 3 } as const;
/** Regions where MSK offers no storage auto-scaling: Osaka, Cape Town and Malaysia. */
export const MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING: readonly string[] = ["ap-northeast-3", "af-south-1", "ap-southeast-5"];
/** MSK storage auto-scaling: target utilization must be 10-80%; MSK recommends 50-60%. */
export const MSK_STORAGE_TARGET_UTILIZATION = 60;
/** Listener ports MSK opens for private clients per authentication. */
export const MSK_PORTS: Readonly<Record<KafkaAuthentication, number>> = { password: 9096, iam: 9098 };
/** The SASL mechanism clients configure per authentication on MSK. */
export const MSK_MECHANISMS: Readonly<Record<KafkaAuthentication, string>> = { password: "SCRAM-SHA-512", iam: "AWS_MSK_IAM" };
/** MSK only accepts SCRAM secrets whose name starts with this prefix. */
export const MSK_SCRAM_SECRET_PREFIX = "AmazonMSK_";
/** MSK cluster and configuration names: letters, digits and hyphens, starting with a letter or digit, at most 64 characters. */
export const MSK_NAME_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]*$/;
export const MSK_NAME_MAX = 64;
/** The AWS provider's autonaming appends "-" and 7 characters. */
export const AWS_AUTONAME_SUFFIX = 8;

/** One MSK broker size per Size, with the partitions (leaders and followers) MSK recommends per broker. */
export const MSK_BROKERS: Readonly<Record<Size, { instanceType: string; partitionsPerBroker: number }>> = {
    small: { instanceType: "kafka.t3.small", partitionsPerBroker: 300 },
    medium: { instanceType: "kafka.m7g.large", partitionsPerBroker: 1000 },
    large: { instanceType: "kafka.m7g.2xlarge", partitionsPerBroker: 2000 },
};

/** Event Hubs Premium processing units per Size (Premium offers 1, 2, 4, 8 or 16). */
export const EVENT_HUBS_PROCESSING_UNITS: Readonly<Record<Size, number>> = { small: 1, medium: 2, large: 4 };
/** Event Hubs Premium quotas. */
export const EVENT_HUBS_PREMIUM = {
    partitionsPerEventHub: 100,
    partitionsPerProcessingUnit: 200,
    eventHubsPerProcessingUnit: 100,
    /** 90 days. */
    maxRetentionHours: 90 * 24,
} as const;
/** The Kafka endpoint of an Event Hubs namespace. */
export const EVENT_HUBS_KAFKA_PORT = 9093;
export const EVENT_HUBS_MECHANISMS: Readonly<Record<KafkaAuthentication, string>> = { password: "PLAIN", iam: "OAUTHBEARER" };
/** Namespace names: 6-50 letters, digits and hyphens, starting with a letter and ending with a letter or digit. */
export const EVENT_HUBS_NAMESPACE_MAX = 50;
/** azure-native autonaming appends 8 characters. */
export const AZURE_AUTONAME_SUFFIX = 8;
/** The private DNS zone Azure documents for Event Hubs (and Service Bus) private endpoints. */
export const EVENT_HUBS_PRIVATE_DNS_ZONE = "privatelink.servicebus.windows.net";
/** The private-link sub-resource of an Event Hubs namespace. */
export const EVENT_HUBS_PRIVATE_LINK_GROUP = "namespace";

/**
 * Topic names valid for both Kafka (at most 249 of `[A-Za-z0-9._-]`) and Event Hubs (letters, digits, periods,
 * hyphens and underscores, starting and ending with a letter or digit).
 */
export const TOPIC_NAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
export const TOPIC_NAME_MAX = 249;
