/**
 * The app tier of a stack: the CookieServices in the cluster, wired to the
 * data tier's neutral outputs and exposed through the public subnets of every zone.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../../components/common/cloud";
import { ConnectionInfo, Credentials } from "../../components/common/dataStore";
import { SubnetTier, NetworkFacts, selectSubnets } from "../../components/network/facts";
import { CookieServices, DataStoreConnectionArgs } from "../../components/services/cookieServices";
import { StackConfig } from "../config";
import { ClusterTier } from "./cluster";


/** A data store's neutral outputs, as HaRedis, HaMongo and KafkaQuorum export them. */
export interface DataStoreOutputs {
    readonly connection: pulumi.Output<ConnectionInfo>;
    readonly credentials: pulumi.Output<Credentials>;
}

/** The tiers the services run in and use; a missing store is reported by CookieServices when a service needs it. */
export interface ServicesDependencies {
    readonly cluster?: ClusterTier;
    readonly redis?: DataStoreOutputs;
    readonly mongo?: DataStoreOutputs;
    readonly kafka?: DataStoreOutputs;
}

const storeArgs = (store: DataStoreOutputs | undefined): DataStoreConnectionArgs | undefined =>
    store && { connection: store.connection, credentials: store.credentials };

/**
 * The stack's CookieServices, or undefined when `intergalactic:services` is absent or disabled, or
 * when the stack has no cluster to run them in.
 */
export function servicesTier(config: StackConfig, network: NetworkFacts, deps: ServicesDependencies): CookieServices | undefined {
    const settings = config.services;
    if (!settings.enabled || !deps.cluster) return undefined;
    // The network's facts give the public and data subnets' ranges as plain values and their ids as Outputs.
    const aws = config.cloud === Cloud.Aws;
    const publicSubnets = selectSubnets(network, { tier: SubnetTier.Public });
    return new CookieServices(settings.name, {
        cloud: config.cloud,
        namespace: settings.namespace,
        services: settings.services.map((s) => ({ ...s })),
        imageTag: settings.imageTag,
        // A tag can be pushed again with other content; prod runs only what a digest names.
        requireDigests: config.environment === "prod",
        entryServices: settings.entryServices && [...settings.entryServices],
        redis: storeArgs(deps.redis),
        mongo: storeArgs(deps.mongo),
        kafka: storeArgs(deps.kafka),
        // The topics the Kafka tier creates: CookieServices checks that every topic a service uses is among them.
        kafkaTopics: deps.kafka ? config.kafka.topics.map((t) => t.name) : [],
        // Azure: the collections the user database creates, which are all the services find there.
        mongoCollections: deps.mongo && !aws ? (config.mongo.collections ?? []).map((c) => c.name) : undefined,
        dataCidrs: selectSubnets(network, { tier: SubnetTier.Data }).map((s) => s.cidr),
        ingress: {
            host: settings.host,
            certificateArn: aws ? settings.certificateArn : undefined,
            loadBalancerSubnetIds: aws ? publicSubnets.map((s) => s.id) : undefined,
            loadBalancerCidrs: aws ? publicSubnets.map((s) => s.cidr) : undefined,
            keyVaultCertificateUri: aws ? undefined : settings.keyVaultCertificateUri,
            tlsSecretName: aws ? undefined : settings.tlsSecretName,
        },
        forwardCache: { ...settings.forwardCache },
        resourceGroupName: aws ? undefined : network.resourceGroupName,
        mesh: { ...settings.mesh },
        tags: { ...config.tags },
    }, { providers: { kubernetes: deps.cluster.provider } });
}
