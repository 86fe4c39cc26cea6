/** The event tier of a stack: one KafkaQuorum in the network's data subnets, open to the app tier only. */
import { PerCloud } from "../../components/common";
import { KafkaQuorum, KafkaQuorumArgs, MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING } from "../../components/kafka";
import { NetworkFacts } from "../../components/network";
import { StackConfig } from "../config";
import { dataPlacement } from "./layout";
import { PRIMARY_SCOPE, StampScope } from "./stamp";

/**
 * The stack's KafkaQuorum, or undefined when `intergalactic:kafka.enabled` is false. MSK takes at most
 * three client subnets, so on AWS the brokers use the data subnets of the network's first three zones
 * (the component's default placement).
 */
export function kafkaTier(config: StackConfig, network: NetworkFacts, scope: StampScope = PRIMARY_SCOPE): KafkaQuorum | undefined {
    const kafka = config.kafka;
    if (!kafka.enabled) return undefined;
    return new KafkaQuorum(kafka.name, {
        ...dataPlacement(config, network),
        size: kafka.size,
        authentication: kafka.authentication,
        topics: kafka.topics.map((t) => ({ ...t })),
        deletionProtection: kafka.deletionProtection,
        ...CLOUD_ARGS[config.cloud](config),
    }, scope.opts);
}

/** The args only one cloud's event bus takes: the config keys of the other cloud are refused by the config parser. */
const CLOUD_ARGS: PerCloud<(config: StackConfig) => Partial<KafkaQuorumArgs>> = {
    aws: ({ kafka, region }) => ({
        aws: {
            brokerCount: kafka.brokerCount,
            storageGiB: kafka.storageGiB,
            maxStorageGiB: kafka.maxStorageGiB,
            storageAutoScaling: kafka.storageAutoScaling && !MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING.includes(region),
            kafkaVersion: kafka.kafkaVersion,
            replicationFactor: kafka.replicationFactor,
            minInSyncReplicas: kafka.minInSyncReplicas,
            logRetentionDays: kafka.logRetentionDays,
        },
    }),
    azure: () => ({}),
};
