/** The event tier of a stack: one KafkaQuorum in the network's data subnets, open to the app tier only. */
import { Cloud } from "../../components/common/cloud";
import { KafkaQuorum } from "../../components/kafka/kafkaQuorum";
import { MSK_CLIENT_SUBNETS, MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING } from "../../components/kafka/limits";
import { Tier } from "../../components/network/layout";
import { subnetsOf } from "../../components/network/networkPlan";
import { StackConfig } from "../config";
import { DataTierNetwork, networkLayout } from "./layout";

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
    // The layout is pure: the tier knows the data subnets and app ranges as plain values, from the very plan Vpc3Az builds.
    const layout = networkLayout(config, zones);
    const dataSubnets = subnetsOf(layout, Tier.Data);
    const used = config.cloud === Cloud.Aws ? dataSubnets.slice(0, MSK_CLIENT_SUBNETS.max) : dataSubnets;
    return new KafkaQuorum(kafka.name, {
        cloud: config.cloud,
        networkId: network.networkId,
        resourceGroupName: config.cloud === Cloud.Azure ? network.resourceGroupName : undefined,
        subnetIds: used.map((_, i) => network.dataSubnetIds.apply((ids) => ids[i])),
        zones: config.cloud === Cloud.Aws ? used.map((s) => s.zone!) : [...layout.zones],
        allowedClientCidrs: subnetsOf(layout, Tier.App).map((s) => s.cidr),
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
        tags: { ...config.tags },
    });
}
