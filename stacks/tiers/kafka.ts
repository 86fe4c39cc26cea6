/** The event tier of a stack: one KafkaQuorum in the network's data subnets, open to the app tier only. */
import { KafkaQuorum } from "../../components/kafka/kafkaQuorum";
import { MSK_CLIENT_SUBNETS, MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING } from "../../components/kafka/layout";
import { StackConfig } from "../config";
import { DataTierNetwork, dataPlacement } from "./layout";

/** What this data tier takes from the network tier. */
export type KafkaNetwork = DataTierNetwork;

/**
 * The stack's KafkaQuorum, or undefined when `intergalactic:kafka.enabled` is false. `zones` are the
 * region's zones as given to the network. MSK takes at most three client subnets, so on AWS the
 * brokers use the data subnets of the network's first three zones.
 */
export function kafkaTier(config: StackConfig, network: KafkaNetwork, zones: string[]): KafkaQuorum | undefined {
    const kafka = config.kafka;
    if (!kafka.enabled) return undefined;
    return new KafkaQuorum(kafka.name, {
        ...dataPlacement(config, network, zones, MSK_CLIENT_SUBNETS.max),
        size: kafka.size,
        authentication: kafka.authentication,
        brokerCount: kafka.brokerCount,
        storageGiB: kafka.storageGiB,
        maxStorageGiB: kafka.maxStorageGiB,
        storageAutoScaling: kafka.storageAutoScaling && !MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING.includes(config.region),
        kafkaVersion: kafka.kafkaVersion,
        replicationFactor: kafka.replicationFactor,
        minInSyncReplicas: kafka.minInSyncReplicas,
        logRetentionDays: kafka.logRetentionDays,
        topics: kafka.topics.map((t) => ({ ...t })),
        deletionProtection: kafka.deletionProtection,
    });
}
