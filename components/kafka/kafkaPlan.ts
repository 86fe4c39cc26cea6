/**
 * The KafkaQuorum planner: validates the args against Kafka's rules and the
 * documented MSK and Event Hubs limits, and turns them into plain data both
 * cloud implementations build from. Every problem is collected and thrown once.
 */
import { CloudArgRules, argKeys } from "../common/cloudArgs";
import type { KafkaQuorumArgs, KafkaQuorumAwsArgs } from "./kafkaQuorum";
import { DATA_STORE_AWS_ALIASES, DATA_STORE_AWS_ELSEWHERE } from "../common/dataStore";
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { childName } from "../common/naming";
import { SIZES, Size } from "../common/size";
import { DataProtectionDefaults } from "../common/dataStore";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";
import { isPrivate, parseCidr, PRIVATE_RANGES } from "../network/cidr";
import { CLOUDWATCH_RETENTION_DAYS, NetworkDefaults } from "../network/layout";
import {
    AWS_AUTONAME_SUFFIX, AZURE_AUTONAME_SUFFIX, EVENT_HUBS_KAFKA_PORT, EVENT_HUBS_MECHANISMS, EVENT_HUBS_NAMESPACE_MAX,
    EVENT_HUBS_PREMIUM, EVENT_HUBS_PROCESSING_UNITS, KAFKA_AUTHENTICATIONS, KafkaAuthentication, KafkaDefaults,
    MSK_BROKERS, MSK_CLIENT_SUBNETS, MSK_KAFKA_VERSIONS, MSK_MAX_BROKERS, MSK_MECHANISMS, MSK_NAME_MAX, MSK_NAME_PATTERN, MSK_PORTS,
    MSK_SCRAM_SECRET_PREFIX, MSK_STORAGE_GIB, TOPIC_NAME_MAX, TOPIC_NAME_PATTERN,
} from "./layout";

/** The port and SASL mechanism clients use per authentication, per cloud: MSK's listeners, Event Hubs' Kafka endpoint. */
const CLIENT_ENDPOINT: PerCloud<{ readonly port: Readonly<Record<KafkaAuthentication, number>>; readonly mechanism: Readonly<Record<KafkaAuthentication, string>> }> = {
    aws: { port: MSK_PORTS, mechanism: MSK_MECHANISMS },
    azure: { port: { password: EVENT_HUBS_KAFKA_PORT, iam: EVENT_HUBS_KAFKA_PORT }, mechanism: EVENT_HUBS_MECHANISMS },
};

/**
 * Per cloud, the authentications whose clients nothing here can serve yet, each with why: refused rather than built
 * with credentials a client cannot use. MSK's IAM access control authenticates every client as its own IAM principal
 * (an IRSA role with `kafka-cluster:*` permissions on the cluster, its topics and groups) through the aws-msk-iam-auth
 * login on 9098 (https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html); the component makes
 * no client role, CookieServices' service accounts carry none, and the credentials output would be empty SCRAM fields.
 * Event Hubs' Entra ID access is the same on Azure: each client's own identity and role, none of which is made.
 */
const UNSERVED_AUTHENTICATION: PerCloud<Partial<Readonly<Record<KafkaAuthentication, string>>>> = {
    aws: {
        iam: "is not built on AWS: MSK IAM access control needs each client's own IAM role with kafka-cluster permissions and the aws-msk-iam-auth login "
            + "(https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html), and no client role is made (CookieServices' service accounts "
            + "carry none), so the clients would get empty credentials: use \"password\" (SASL/SCRAM)",
    },
    // Event Hubs' Entra ID access authenticates each Kafka client as its own identity holding the Azure Event Hubs
    // Data Sender or Receiver role on the namespace (https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory);
    // with local authentication off the shared key is refused too, so with no identity made the clients could not log in.
    azure: {
        iam: "is not built on Azure: Event Hubs' Entra ID (OAUTHBEARER) access needs each client's own workload identity holding the Azure Event Hubs "
            + "Data Sender or Receiver role on the namespace (https://learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory), and no client "
            + "identity or role assignment is made (CookieServices' service accounts carry none), while local authentication is turned off, so the "
            + "clients could not log in: use \"password\" (SASL/PLAIN with a send-and-listen key)",
    },
};

/** Why `authentication` is not served on `cloud`, or undefined when it is: the stack's config refuses it with the same reason. */
export function unservedAuthentication(cloud: Cloud, authentication: KafkaAuthentication): string | undefined {
    return UNSERVED_AUTHENTICATION[cloud][authentication];
}

/**
 * What is wrong with `authentication` on `cloud`, or undefined: an unknown value is told the values `cloud` serves
 * (never one it refuses), a known one it does not serve gets the reason.
 */
export function authenticationProblem(cloud: Cloud, authentication: string): string | undefined {
    if (!(KAFKA_AUTHENTICATIONS as readonly string[]).includes(authentication)) {
        return `is not allowed: use one of ${KAFKA_AUTHENTICATIONS.filter((a) => unservedAuthentication(cloud, a) === undefined).join(", ")}`;
    }
    return unservedAuthentication(cloud, authentication as KafkaAuthentication);
}

/** A topic as given in the args. */
export interface KafkaTopicInput {
    readonly name: string;
    readonly partitions: number;
    readonly retentionHours: number;
}

/** Event Hubs has no brokers, volumes or replication settings of its own: its capacity is processing units from `size`. */
const EVENT_HUBS_SIZING = "Event Hubs scales by processing units: set size";
const EVENT_HUBS_STORAGE = "Event Hubs storage is part of its processing units: set size";

/**
 * The cloud groups of KafkaQuorum's args: everything in `aws` configures MSK alone, and the keys that were
 * top-level args before stay accepted there for one release. Event Hubs has no group.
 */
export const KAFKA_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<KafkaQuorumArgs>({
        cloud: true, network: true, subnets: true, allowedClientCidrs: true, allowedClientSecurityGroupIds: true, size: true, tags: true, topics: true, authentication: true, deletionProtection: true, aws: true,
        brokerCount: true, storageGiB: true, maxStorageGiB: true, storageAutoScaling: true, kafkaVersion: true, replicationFactor: true, minInSyncReplicas: true, logRetentionDays: true,
    }),
    keys: {
        aws: argKeys<KafkaQuorumAwsArgs>({
            allowedClientCidrs: true, allowedClientSecurityGroupIds: true, brokerCount: true, storageGiB: true, maxStorageGiB: true, storageAutoScaling: true, kafkaVersion: true,
            replicationFactor: true, minInSyncReplicas: true, logRetentionDays: true,
        }),
        azure: [],
    },
    aliases: {
        aws: [...DATA_STORE_AWS_ALIASES, "brokerCount", "storageGiB", "maxStorageGiB", "storageAutoScaling", "kafkaVersion", "replicationFactor", "minInSyncReplicas", "logRetentionDays"],
        azure: [],
    },
    elsewhere: {
        aws: {
            ...DATA_STORE_AWS_ELSEWHERE,
            brokerCount: EVENT_HUBS_SIZING,
            storageGiB: EVENT_HUBS_STORAGE,
            maxStorageGiB: EVENT_HUBS_STORAGE,
            storageAutoScaling: EVENT_HUBS_STORAGE,
            kafkaVersion: "Event Hubs speaks the Kafka protocol itself; remove it",
            replicationFactor: "Event Hubs Premium replicates every event over the region's zones itself; remove it",
            minInSyncReplicas: "Event Hubs Premium acknowledges a write once it is replicated over the zones; remove it",
            logRetentionDays: "Event Hubs broker logs are not collected here; topic retention is topics[].retentionHours",
        },
        azure: {},
    },
};

/** Whether the cloud's Kafka is MSK, whose brokers, storage and configuration the planner plans; Event Hubs has none. */
const RUNS_MSK: PerCloud<boolean> = { aws: true, azure: false };

/** The plain values the planner needs: the structural part of KafkaQuorumArgs. */
export interface KafkaPlanInput {
    /** Per key of the built cloud's group, the path the user wrote it at (`ResolvedCloudArgs.paths`), so each problem names that key (`azure.zones`). */
    argPaths?: Readonly<Record<string, string>>;
    /** Problems of the network wiring found before planning (`placeDataStore`), reported with the planner's own. */
    wiringProblems?: readonly string[];
    cloud: string;
    /** How many subnets were given (their ids are Outputs; only the count is structural). */
    subnetCount: number;
    zones?: readonly string[];
    brokerCount?: number;
    topics?: readonly KafkaTopicInput[];
    storageGiB?: number;
    maxStorageGiB?: number;
    storageAutoScaling?: boolean;
    kafkaVersion?: string;
    replicationFactor?: number;
    minInSyncReplicas?: number;
    authentication?: string;
    size?: string;
    allowedClientCidrs?: readonly string[];
    logRetentionDays?: number;
    deletionProtection?: boolean;
    tags?: Readonly<Record<string, string>>;
}

/** One topic to create. */
export interface TopicSpec extends KafkaTopicInput {
    /** Child resource name, from the topic's name (never its position). */
    readonly resourceName: string;
}

/** Everything a cloud implementation needs. */
export interface KafkaPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly zones: readonly string[];
    readonly size: Size;
    readonly authentication: KafkaAuthentication;
    readonly topics: readonly TopicSpec[];
    readonly allowedClientCidrs: readonly string[];
    /** The port and SASL mechanism clients use. */
    readonly port: number;
    readonly mechanism: string;
    /** MSK only. */
    readonly msk: {
        readonly brokerCount: number;
        readonly instanceType: string;
        readonly kafkaVersion: string;
        readonly storageGiB: number;
        readonly maxStorageGiB: number;
        /** True when storage auto-scaling is on and has room to grow. */
        readonly storageAutoScaling: boolean;
        readonly replicationFactor: number;
        readonly minInSyncReplicas: number;
        readonly logRetentionDays: number;
        readonly scramSecretNamePrefix: string;
        /** The broker configuration (`server.properties`). */
        readonly serverProperties: string;
    };
    /** Event Hubs only. */
    readonly eventHubs: { readonly processingUnits: number; readonly namespaceResourceName: string };
    /** Pulumi `protect` on the cluster or namespace that holds the topics' data. */
    readonly deletionProtection: boolean;
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
}

/** Validates the args and plans the quorum; throws one error listing every problem. */
export function planKafka(name: string, input: KafkaPlanInput): KafkaPlan {
    const problems = new Problems(`KafkaQuorum "${name}"`, input.argPaths);
    (input.wiringProblems ?? []).forEach((p) => problems.add(p));
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const size = (input.size ?? "medium") as Size;
    const sizeOk = problems.oneOf("size", size, SIZES);
    const authentication = (input.authentication ?? KafkaDefaults.authentication) as KafkaAuthentication;
    if (cloudOk) {
        const problem = authenticationProblem(cloud, authentication);
        problems.check(problem === undefined, "authentication", authentication, problem ?? "");
    } else problems.oneOf("authentication", authentication, KAFKA_AUTHENTICATIONS);
    const topics = checkTopics(problems, name, input.topics ?? []);
    const allowedClientCidrs = [...(input.allowedClientCidrs ?? [])];
    checkClientCidrs(problems, allowedClientCidrs);
    const zones = [...(input.zones ?? [])];
    problems.check(zones.length > 0 && new Set(zones).size === zones.length && zones.every((z) => z.length > 0), "network.zones", zones,
        "must be distinct, non-empty zone names");

    const msk = planMsk(problems, name, input, size, sizeOk && cloudOk && RUNS_MSK[cloud], topics);
    const eventHubs = { processingUnits: EVENT_HUBS_PROCESSING_UNITS[size] ?? 1, namespaceResourceName: childName(name, "eventhubs") };
    if (cloudOk) {
        const checks: PerCloud<() => void> = {
            aws: () => checkAwsPlacement(problems, input.subnetCount, zones, msk.brokerCount),
            azure: () => checkAzure(problems, name, input.subnetCount, zones, topics, eventHubs.processingUnits),
        };
        checks[cloud]();
    }
    problems.throwIfAny();

    return {
        name, cloud, zones, size, authentication, topics, allowedClientCidrs,
        port: CLIENT_ENDPOINT[cloud].port[authentication],
        mechanism: CLIENT_ENDPOINT[cloud].mechanism[authentication],
        msk, eventHubs, deletionProtection: input.deletionProtection ?? DataProtectionDefaults.deletionProtection,
        tags: { ...(input.tags ?? {}) },
    };
}

/** Validates the MSK-only args (only when building on AWS) and resolves their defaults. */
function planMsk(problems: Problems, name: string, input: KafkaPlanInput, size: Size, onAws: boolean, topics: readonly TopicSpec[]): KafkaPlan["msk"] {
    const brokerCount = input.brokerCount ?? KafkaDefaults.brokerCount;
    const storageGiB = input.storageGiB ?? KafkaDefaults.storageGiB;
    const maxStorageGiB = input.maxStorageGiB ?? Math.min(MSK_STORAGE_GIB.max, Math.max(storageGiB * KafkaDefaults.maxStorageMultiple, storageGiB + 1));
    const kafkaVersion = input.kafkaVersion ?? KafkaDefaults.kafkaVersion;
    const replicationFactor = input.replicationFactor ?? KafkaDefaults.replicationFactor;
    const minInSyncReplicas = input.minInSyncReplicas ?? KafkaDefaults.minInSyncReplicas;
    const logRetentionDays = input.logRetentionDays ?? KafkaDefaults.logRetentionDays;
    const broker = MSK_BROKERS[size] ?? MSK_BROKERS.medium;
    if (onAws) {
        checkMskName(problems, name);
        const brokersOk = problems.integer("brokerCount", brokerCount, MSK_CLIENT_SUBNETS.min,
            kafkaVersion.endsWith(".kraft") ? MSK_MAX_BROKERS.kraft : MSK_MAX_BROKERS.zookeeper);
        problems.oneOf("kafkaVersion", kafkaVersion, MSK_KAFKA_VERSIONS);
        const storageOk = problems.integer("storageGiB", storageGiB, MSK_STORAGE_GIB.min, MSK_STORAGE_GIB.max);
        if (storageOk && problems.integer("maxStorageGiB", maxStorageGiB, MSK_STORAGE_GIB.min, MSK_STORAGE_GIB.max)) {
            problems.check(maxStorageGiB >= storageGiB, "maxStorageGiB", maxStorageGiB,
                `is below storageGiB (${storageGiB}): MSK storage auto-scaling only grows volumes (set it equal to storageGiB for a fixed size)`);
        }
        const rfOk = problems.integer("replicationFactor", replicationFactor, 1);
        if (rfOk && brokersOk) {
            problems.check(replicationFactor <= brokerCount, "replicationFactor", replicationFactor,
                `exceeds brokerCount (${brokerCount}): Kafka places each replica on a different broker`);
        }
        if (problems.integer("minInSyncReplicas", minInSyncReplicas, 1) && rfOk) {
            problems.check(minInSyncReplicas < replicationFactor, "minInSyncReplicas", minInSyncReplicas,
                `must be below replicationFactor (${replicationFactor}) so that writes continue while one replica is down`);
        }
        problems.check(CLOUDWATCH_RETENTION_DAYS.includes(logRetentionDays), "logRetentionDays", logRetentionDays,
            `is not a CloudWatch Logs retention period: use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
        if (brokersOk && rfOk) checkPartitionsPerBroker(problems, topics, replicationFactor, brokerCount, size, broker);
    }
    return {
        brokerCount, instanceType: broker.instanceType, kafkaVersion, storageGiB, maxStorageGiB,
        storageAutoScaling: (input.storageAutoScaling ?? true) && maxStorageGiB > storageGiB, replicationFactor,
        minInSyncReplicas, logRetentionDays, scramSecretNamePrefix: `${MSK_SCRAM_SECRET_PREFIX}${name}-`,
        serverProperties: serverProperties(replicationFactor, minInSyncReplicas),
    };
}

/**
 * The broker configuration: replicated by default, no topic appears by accident (topics are declared),
 * and a replica that fell behind never becomes leader (no silent data loss).
 */
export function serverProperties(replicationFactor: number, minInSyncReplicas: number): string {
    return [
        "auto.create.topics.enable=false",
        `default.replication.factor=${replicationFactor}`,
        `min.insync.replicas=${minInSyncReplicas}`,
        "unclean.leader.election.enable=false",
        "delete.topic.enable=true",
    ].join("\n") + "\n";
}

function checkMskName(problems: Problems, name: string): void {
    const max = MSK_NAME_MAX - AWS_AUTONAME_SUFFIX;
    problems.check(MSK_NAME_PATTERN.test(name) && name.length <= max, "name", name,
        `must be 1-${max} letters, digits or hyphens starting with a letter or digit: it names the MSK cluster and configuration (at most ${MSK_NAME_MAX} characters with the provider's random suffix)`);
}

function checkAwsPlacement(problems: Problems, subnetCount: number, zones: readonly string[], brokerCount: number): void {
    const subnetsOk = problems.check(subnetCount >= MSK_CLIENT_SUBNETS.min && subnetCount <= MSK_CLIENT_SUBNETS.max, "subnets", `${subnetCount} subnets`,
        `must be ${MSK_CLIENT_SUBNETS.min} or ${MSK_CLIENT_SUBNETS.max} data subnets: MSK spreads brokers over 2-3 client subnets in distinct AZs`);
    problems.check(zones.length === subnetCount, "network.zones", zones,
        `must name the zone of each of the ${subnetCount} subnets, one per subnet: MSK requires the client subnets in distinct AZs`);
    if (subnetsOk && Number.isInteger(brokerCount)) {
        problems.check(brokerCount % subnetCount === 0, "brokerCount", brokerCount,
            `must be a multiple of the ${subnetCount} client subnets: MSK distributes brokers evenly over them`);
    }
}

function checkPartitionsPerBroker(problems: Problems, topics: readonly TopicSpec[], rf: number, brokers: number, size: Size,
    broker: { instanceType: string; partitionsPerBroker: number }): void {
    const replicas = topics.reduce((sum, t) => sum + (Number.isInteger(t.partitions) ? t.partitions : 0), 0) * rf;
    const perBroker = Math.ceil(replicas / brokers);
    problems.check(perBroker <= broker.partitionsPerBroker, "topics", `${replicas} partition replicas`,
        `put ${perBroker} on each of ${brokers} brokers, above the ${broker.partitionsPerBroker} MSK recommends for ${broker.instanceType} (size ${size}; beyond it MSK refuses SCRAM secret associations and some updates): add brokers, pick a larger size or use fewer partitions`);
}

function checkTopics(problems: Problems, name: string, topics: readonly KafkaTopicInput[]): TopicSpec[] {
    const seen = new Map<string, string>();
    topics.forEach((topic, i) => {
        const arg = `topics[${i}]`;
        problems.check(typeof topic.name === "string" && topic.name.length <= TOPIC_NAME_MAX && TOPIC_NAME_PATTERN.test(topic.name), `${arg}.name`, topic.name,
            `must be 1-${TOPIC_NAME_MAX} letters, digits, '.', '_' or '-', starting and ending with a letter or digit (Kafka and Event Hubs names)`);
        problems.integer(`${arg}.partitions`, topic.partitions, 1);
        problems.integer(`${arg}.retentionHours`, topic.retentionHours, 1);
        // Kafka treats '.' and '_' alike in metric names and refuses topics that collide that way.
        const key = String(topic.name).replace(/\./g, "_").toLowerCase();
        const clash = seen.get(key);
        problems.check(clash === undefined, `${arg}.name`, topic.name,
            `collides with topic ${JSON.stringify(clash)}: names must differ by more than case or '.' versus '_'`);
        seen.set(key, topic.name);
    });
    return topics.map((t) => ({ ...t, resourceName: childName(name, "topic", t.name) }));
}

function checkClientCidrs(problems: Problems, cidrs: readonly string[]): void {
    cidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `allowedClientCidrs[${i}]`, text, parsed);
        else problems.check(isPrivate(parsed), `allowedClientCidrs[${i}]`, text,
            `is not private address space: the data tier admits only ranges inside ${PRIVATE_RANGES.join(", ")}`);
    });
}

function checkAzure(problems: Problems, name: string, subnetCount: number, zones: readonly string[], topics: readonly TopicSpec[], units: number): void {
    const namespaceName = childName(name, "eventhubs");
    const max = EVENT_HUBS_NAMESPACE_MAX - AZURE_AUTONAME_SUFFIX;
    problems.check(/^[A-Za-z][A-Za-z0-9-]*$/.test(name) && namespaceName.length <= max, "name", name,
        `must start with a letter, use only letters, digits and hyphens, and be at most ${max - "-eventhubs".length} characters: Event Hubs namespace names are 6-${EVENT_HUBS_NAMESPACE_MAX} characters`);
    problems.check(subnetCount === 1, "subnets", `${subnetCount} subnets`, "must be exactly the one regional data subnet on azure, where the private endpoint goes");
    problems.check(zones.every((z) => NetworkDefaults.azureZones.includes(z)), "network.zones", zones,
        `are not Azure zones: use a subset of ${NetworkDefaults.azureZones.join(", ")}`);
    topics.forEach((t, i) => {
        problems.check(!(t.partitions > EVENT_HUBS_PREMIUM.partitionsPerEventHub), `topics[${i}].partitions`, t.partitions,
            `exceeds the ${EVENT_HUBS_PREMIUM.partitionsPerEventHub} partitions an Event Hubs Premium event hub allows`);
        problems.check(!(t.retentionHours > EVENT_HUBS_PREMIUM.maxRetentionHours), `topics[${i}].retentionHours`, t.retentionHours,
            `exceeds the ${EVENT_HUBS_PREMIUM.maxRetentionHours} hours (90 days) Event Hubs Premium retains events`);
    });
    const partitions = topics.reduce((sum, t) => sum + (Number.isInteger(t.partitions) ? t.partitions : 0), 0);
    problems.check(partitions <= EVENT_HUBS_PREMIUM.partitionsPerProcessingUnit * units, "topics", `${partitions} partitions`,
        `exceed the ${EVENT_HUBS_PREMIUM.partitionsPerProcessingUnit * units} a Premium namespace with ${units} processing units allows (${EVENT_HUBS_PREMIUM.partitionsPerProcessingUnit} per unit): pick a larger size`);
    problems.check(topics.length <= EVENT_HUBS_PREMIUM.eventHubsPerProcessingUnit * units, "topics", `${topics.length} topics`,
        `exceed the ${EVENT_HUBS_PREMIUM.eventHubsPerProcessingUnit * units} event hubs a Premium namespace with ${units} processing units allows`);
}

/**
 * The broker log group's name prefix. MSK delivers broker logs as vended logs: at creation CloudWatch Logs adds
 * the group to the account's log-delivery resource policy, which is capped at 5120 characters and never shrinks
 * when a group is deleted; a group under `/aws/vendedlogs/` is covered by one wildcard entry instead, so the
 * policy does not grow with each dev spin-up's new group
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html; "prefix your log
 * group names with /aws/vendedlogs/", https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html).
 */
export function brokerLogGroupPrefix(stack: string, component: string): string {
    return `/aws/vendedlogs/msk/${stack}-${component}-`;
}
