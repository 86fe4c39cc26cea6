/**
 * The app tier of a stack: the CookieServices in the cluster, wired to the
 * data tier's neutral outputs and to the network's facts (the data tier's ranges,
 * and on AWS the public subnets of every zone for the load balancer).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectionInfo, Credentials, PerCloud } from "../../components/common";
import { NetworkFacts } from "../../components/network";
import { CookieServices, DataStoreConnectionArgs, DataStoreWriterArgs, ForwardCacheArgs, ServicesIngressArgs } from "../../components/services";
import { StackConfig } from "../config";
import { hibernationSettings } from "../hibernation";
import { buildsGlobalEntry } from "../config/globalEntry";
import { ClusterTier } from "./cluster";
import { entryHealthPath } from "./entry";


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
    /** The user database's writer, when the services read a copy that does not take writes (AWS, several stamps). */
    readonly mongoWriter?: DataStoreWriterArgs;
    readonly kafka?: DataStoreOutputs;
    /** The stamp's managed certificate for the host (`intergalactic:globalEntry.managedCertificates`), issued before the Ingress uses it. */
    readonly certificateArn?: pulumi.Output<string>;
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
    const cloudArgs = CLOUD_ARGS[config.cloud](config, deps);
    return new CookieServices(settings.name, {
        cloud: config.cloud,
        namespace: settings.namespace,
        services: settings.services.map((s) => ({ ...s })),
        imageTag: settings.imageTag,
        // A tag can be pushed again with other content; prod runs only what a digest names.
        requireDigests: config.environment === "prod",
        // Hibernated: no node will run the pods of a change applied now (stacks/hibernation.ts).
        ...(hibernationSettings(config).awaitWorkloads === false ? { awaitReadiness: false } : {}),
        // Hibernated on AWS: a destroy is refused until a wake-up gives the load balancer controller nodes again.
        ...(hibernationSettings(config).protectIngress === true ? { protectIngress: true } : {}),
        entryServices: settings.entryServices && [...settings.entryServices],
        redis: storeArgs(deps.redis),
        mongo: storeArgs(deps.mongo),
        ...(deps.mongo && deps.mongoWriter ? { mongoWriter: { connection: deps.mongoWriter.connection, credentials: deps.mongoWriter.credentials, cidrs: [...deps.mongoWriter.cidrs] } } : {}),
        kafka: storeArgs(deps.kafka),
        // The topics the Kafka tier creates: CookieServices checks that every topic a service uses is among them.
        kafkaTopics: deps.kafka ? config.kafka.topics.map((t) => t.name) : [],
        // Azure: the collections the user database creates, which are all the services find there.
        mongoCollections: deps.mongo ? cloudArgs.mongoCollections : undefined,
        // The services reach their stores only in the network's data subnets; on AWS the ALB spans its public subnets;
        // on Azure the forward cache goes into the network's resource group.
        network,
        ingress: { host: settings.host, ...cloudArgs.ingress },
        forwardCache: { enabled: settings.forwardCache.enabled, defaultTtlSeconds: settings.forwardCache.defaultTtlSeconds, originHostname: settings.forwardCache.originHostname, ...cloudArgs.forwardCache },
        mesh: { ...settings.mesh },
        tags: { ...config.tags },
    }, { providers: { kubernetes: deps.cluster.provider } });
}

/**
 * Per cloud, the services' args only that cloud takes, in its groups: the certificates, CloudFront's TTL cap, and on
 * Azure the collections the store creates. The config parser refuses the other cloud's keys.
 */
const CLOUD_ARGS: PerCloud<(config: StackConfig, deps: ServicesDependencies) => {
    readonly ingress: Pick<ServicesIngressArgs, "aws" | "azure">; readonly forwardCache: Pick<ForwardCacheArgs, "aws">; readonly mongoCollections?: string[];
}> = {
    aws: (config, deps) => ({
        ingress: { aws: {
            certificateArn: deps.certificateArn ?? config.services.certificateArn,
            // Behind the global entry, Route 53 checks each stamp's ALB by its own name, which the host's rules do not serve.
            ...(buildsGlobalEntry(config) ? { anyHostHealthPath: entryHealthPath(config) } : {}),
        } },
        forwardCache: { aws: { maxTtlSeconds: config.services.forwardCache.maxTtlSeconds, certificateArn: config.services.forwardCache.certificateArn } },
    }),
    azure: ({ services, mongo }) => ({
        ingress: { azure: { keyVaultCertificateUri: services.keyVaultCertificateUri, tlsSecretName: services.tlsSecretName } },
        forwardCache: {},
        // The collections the user database creates, which are all the services find there.
        mongoCollections: (mongo.collections ?? []).map((c) => c.name),
    }),
};
