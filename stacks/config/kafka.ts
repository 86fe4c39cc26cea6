/**
 * `intergalactic:kafka`: the KafkaQuorum of the stack and the topics the
 * services exchange events on. Topics are data: the services declare them
 * here and nowhere else. Absent keys take the component's defaults; range
 * checks against MSK and Event Hubs happen in KafkaQuorum itself.
 */
import { Cloud, Size, SIZES } from "../../components/common";
import { authenticationProblem, KafkaAuthentication, KafkaDefaults, KafkaTopicInput, MSK_MAX_BROKERS, MSK_STORAGE_GIB } from "../../components/kafka";
import { CLOUDWATCH_MAX_RETENTION_DAYS, PROD_LOG_RETENTION_DAYS, MAX_TOPIC_PARTITIONS, MAX_TOPIC_RETENTION_HOURS } from "./limits";
import { ConfigObject } from "./reader";

export interface KafkaConfig {
    /** False leaves the event bus out of the stack. */
    readonly enabled: boolean;
    /** The component's name. */
    readonly name: string;
    readonly size: Size;
    readonly authentication: KafkaAuthentication;
    readonly brokerCount: number;
    readonly storageGiB: number;
    /** Undefined: the component's default (4 x storageGiB). */
    readonly maxStorageGiB?: number;
    /** Off, or in a region without MSK storage auto-scaling, broker volumes keep their size. */
    readonly storageAutoScaling: boolean;
    readonly kafkaVersion: string;
    readonly replicationFactor: number;
    readonly minInSyncReplicas: number;
    readonly logRetentionDays: number;
    /** Pulumi `protect` on the cluster or namespace; on by default in prod. */
    readonly deletionProtection: boolean;
    readonly topics: readonly KafkaTopicInput[];
}

/** Stands for "not set" where a number has no fixed default. */
const UNSET = -1;

/**
 * `prod` keeps broker logs a year unless the stack says otherwise. An authentication the stack's cloud does not serve
 * is refused here, with KafkaQuorum's reason, so that the stack registers nothing: the component is made after the
 * network, the cluster and the other stores, and a `pulumi up --skip-preview` would have created them first.
 */
export function parseKafka(obj: ConfigObject, prod: boolean, cloud: Cloud): KafkaConfig {
    const maxStorage = obj.integer("maxStorageGiB", UNSET, MSK_STORAGE_GIB.min, MSK_STORAGE_GIB.max);
    const config: KafkaConfig = {
        enabled: obj.boolean("enabled", true),
        name: obj.string("name", "kafka"),
        size: obj.string("size", "medium" as Size, SIZES),
        authentication: obj.string("authentication", KafkaDefaults.authentication) as KafkaAuthentication,
        brokerCount: obj.integer("brokerCount", KafkaDefaults.brokerCount, 1, MSK_MAX_BROKERS.kraft),
        storageGiB: obj.integer("storageGiB", KafkaDefaults.storageGiB, MSK_STORAGE_GIB.min, MSK_STORAGE_GIB.max),
        maxStorageGiB: maxStorage === UNSET ? undefined : maxStorage,
        storageAutoScaling: obj.boolean("storageAutoScaling", true),
        kafkaVersion: obj.string("kafkaVersion", KafkaDefaults.kafkaVersion),
        replicationFactor: obj.integer("replicationFactor", KafkaDefaults.replicationFactor, 1, MSK_MAX_BROKERS.kraft),
        minInSyncReplicas: obj.integer("minInSyncReplicas", KafkaDefaults.minInSyncReplicas, 1, MSK_MAX_BROKERS.kraft),
        logRetentionDays: obj.integer("logRetentionDays", prod ? PROD_LOG_RETENTION_DAYS : KafkaDefaults.logRetentionDays, 1, CLOUDWATCH_MAX_RETENTION_DAYS),
        topics: obj.objectList("topics").map(parseTopic),
        deletionProtection: obj.boolean("deletionProtection", prod),
    };
    const problem = authenticationProblem(cloud, config.authentication);
    if (problem !== undefined) obj.problems.add(`${obj.keyOf("authentication")}: ${JSON.stringify(config.authentication)} ${problem}`);
    obj.rejectUnknownKeys();
    return config;
}

function parseTopic(obj: ConfigObject): KafkaTopicInput {
    if (!obj.has("name")) obj.problems.add(`${obj.path}.name: missing: every topic needs a name`);
    const topic: KafkaTopicInput = {
        name: obj.string("name", ""),
        partitions: obj.integer("partitions", 3, 1, MAX_TOPIC_PARTITIONS),
        retentionHours: obj.integer("retentionHours", 168, 1, MAX_TOPIC_RETENTION_HOURS),
    };
    obj.rejectUnknownKeys();
    return topic;
}
