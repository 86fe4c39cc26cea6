/**
 * The stack program: one environment, composed tier by tier from the
 * components, driven only by the stack's config. `pulumi up` runs it through
 * `stacks/index.ts`; the offline plan runs it under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { availabilityZoneNames } from "../components/network/zones";
import { StackConfig, parseStackConfig } from "./config";
import { bastionTier } from "./tiers/bastion";
import { clusterTier } from "./tiers/cluster";
import { inSection } from "./tiers/configKeys";
import { kafkaTier } from "./tiers/kafka";
import { mongoTier } from "./tiers/mongo";
import { networkTier } from "./tiers/network";
import { redisTier } from "./tiers/redis";
import { servicesTier } from "./tiers/services";

/** Builds the environment and returns the stack outputs. */
export async function program(): Promise<Record<string, unknown>> {
    const config: StackConfig = parseStackConfig(pulumi.runtime.allConfig());
    const zones = await availabilityZoneNames(config.cloud);
    // Each tier's component errors name the config keys they come from, not the component's args.
    const network = inSection("network", config, () => networkTier(config, zones));
    const compute = inSection("cluster", config, () => clusterTier(config, network, zones));
    const bastion = inSection("bastion", config, () => bastionTier(config, network, zones));
    const mongo = inSection("mongo", config, () => mongoTier(config, network, zones, config.snapshots));
    const redis = inSection("redis", config, () => redisTier(config, network, zones, config.snapshots));
    const kafka = inSection("kafka", config, () => kafkaTier(config, network, zones));
    const services = inSection("services", config, () => servicesTier(config, network, zones, { cluster: compute, redis, mongo, kafka }));

    return {
        cloud: config.cloud,
        environment: config.environment,
        networkId: network.networkId,
        zones: network.zones,
        subnets: network.subnets,
        ...(compute ? { clusterName: compute.cluster.clusterName } : {}),
        bastionHostId: bastion.hostId,
        bastionConnection: bastion.connectionHint,
        ...(redis ? { redisConnection: redis.connection } : {}),
        ...(mongo ? { mongoConnection: mongo.connection } : {}),
        ...(kafka ? { kafkaConnection: kafka.connection, kafkaTopics: kafka.topicNames } : {}),
        // The scheduler records these before a teardown and restores from them at the next spin-up.
        finalSnapshots: finalSnapshotsOf({ [config.redis.name]: redis?.finalSnapshotName, [config.mongo.name]: mongo?.finalSnapshotName }),
        ...(services ? { publicHost: services.publicHost, loadBalancerAddress: services.loadBalancerAddress, forwardCacheHost: services.forwardCacheHost } : {}),
    };
}

/** `{ component name: final snapshot name }` for the data stores that take one. */
function finalSnapshotsOf(names: Record<string, pulumi.Output<string> | undefined>): pulumi.Output<Record<string, string>> {
    const entries = Object.entries(names).map(([name, snapshot]) => pulumi.output(snapshot ?? "").apply((value) => [name, value] as const));
    return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== "")));
}
