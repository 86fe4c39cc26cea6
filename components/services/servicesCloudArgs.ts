/**
 * The cloud groups of CookieServices' args, with the same rules as every other component's
 * (`components/common/cloudArgs.ts`): what only one cloud uses sits in that cloud's group, a key of
 * another cloud's group is an error naming why it does nothing there, unknown keys are named with
 * the near key, and the ungrouped keys stay accepted (deprecated) on their own cloud.
 *
 * The groups sit where their keys belong: the Ingress' certificate and subnets in `ingress.aws` /
 * `ingress.azure`, CloudFront's settings in `forwardCache.aws`, the Front Door profile's resource
 * group in `azure`. Pure: the planner reports the problems with its own.
 */
import { CloudArgRules, argKeys, resolveCloudArgs } from "../common/cloudArgs";
import type * as pulumi from "@pulumi/pulumi";
import type { CookieServicesArgs, CookieServicesAzureArgs } from "./cookieServices";
import type { ForwardCacheArgs, ForwardCacheAwsArgs, ServicesIngressArgs, ServicesIngressAwsArgs, ServicesIngressAzureArgs } from "./edgePlan";

/** CookieServices' top-level args: `azure` holds the Front Door profile's resource group. */
export const SERVICES_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<CookieServicesArgs>({
        cloud: true, namespace: true, services: true, imageTag: true, requireDigests: true, awaitReadiness: true, protectIngress: true, entryServices: true,
        redis: true, mongo: true, mongoWriter: true, kafka: true, kafkaTopics: true, mongoCollections: true, network: true, ingress: true, forwardCache: true,
        mesh: true, tags: true, azure: true, resourceGroupName: true,
    }),
    keys: { aws: [], azure: argKeys<CookieServicesAzureArgs>({ resourceGroupName: true }) },
    aliases: { aws: [], azure: ["resourceGroupName"] },
    elsewhere: { aws: {}, azure: { resourceGroupName: "CloudFront is a global resource outside any resource group; remove it" } },
};

/** The Ingress' args: the ALB's certificate and subnets in `ingress.aws`, the add-on's certificate in `ingress.azure`. */
export const INGRESS_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<ServicesIngressArgs>({
        host: true, aws: true, azure: true, certificateArn: true, loadBalancerSubnets: true, keyVaultCertificateUri: true, tlsSecretName: true,
    }),
    keys: {
        aws: argKeys<ServicesIngressAwsArgs>({ certificateArn: true, loadBalancerSubnets: true, anyHostHealthPath: true }),
        azure: argKeys<ServicesIngressAzureArgs>({ keyVaultCertificateUri: true, tlsSecretName: true }),
    },
    aliases: { aws: ["certificateArn", "loadBalancerSubnets"], azure: ["keyVaultCertificateUri", "tlsSecretName"] },
    elsewhere: {
        aws: {
            certificateArn: "the application routing add-on serves a Key Vault certificate or a TLS Secret: set ingress.azure.keyVaultCertificateUri or ingress.azure.tlsSecretName",
            loadBalancerSubnets: "the application routing add-on places the load balancer; remove it",
            anyHostHealthPath: "Front Door's health probes send the origin host header, which the Ingress serves; remove it",
        },
        azure: { "*": "the ALB terminates TLS with an ACM certificate: set ingress.aws.certificateArn" },
    },
};

/** The forward cache's args: CloudFront's TTL cap and certificate in `forwardCache.aws`. */
export const FORWARD_CACHE_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<ForwardCacheArgs>({ enabled: true, defaultTtlSeconds: true, originHostname: true, aws: true, maxTtlSeconds: true, certificateArn: true }),
    keys: { aws: argKeys<ForwardCacheAwsArgs>({ maxTtlSeconds: true, certificateArn: true }), azure: [] },
    aliases: { aws: ["maxTtlSeconds", "certificateArn"], azure: [] },
    elsewhere: {
        aws: {
            // Front Door's rules set a duration only as HonorOrigin, OverrideAlways or OverrideIfOriginMissing: nothing
            // caps a longer max-age the origin sends, and OverrideAlways would also cache what the origin marks no-store.
            maxTtlSeconds: "Azure Front Door keeps a response for the origin's Cache-Control max-age and cannot cap it; without one it keeps defaultTtlSeconds",
            certificateArn: "Front Door manages the certificate of its endpoint; remove it",
        },
        azure: {},
    },
};

/** The Ingress with its groups resolved: the built cloud's keys, flat. */
export interface ResolvedIngress extends ServicesIngressAwsArgs, ServicesIngressAzureArgs {
    readonly host: string;
}

/** The forward cache with its group resolved. */
export interface ResolvedForwardCache extends ForwardCacheAwsArgs {
    readonly enabled?: boolean;
    readonly defaultTtlSeconds?: number;
    readonly originHostname?: string;
}

/** CookieServices' cloud groups, resolved for the built cloud. */
export interface ResolvedServicesArgs {
    readonly ingress: ResolvedIngress;
    readonly forwardCache: ResolvedForwardCache;
    readonly resourceGroupName?: pulumi.Input<string>;
    /** Every group problem, `<arg>: <value> <rule>`. */
    readonly problems: readonly string[];
    /** Per grouped key (`ingress.certificateArn`), the path the user wrote it at, for the planner's `Problems`. */
    readonly paths: Readonly<Record<string, string>>;
}

/** What the resolver reads: the component's args, and the keys the planner adds to them (ignored here). */
export interface ServicesArgsInput {
    readonly cloud: string;
    readonly ingress?: ServicesIngressArgs;
    readonly forwardCache?: ForwardCacheArgs;
    readonly resourceGroupName?: pulumi.Input<string>;
    readonly azure?: CookieServicesAzureArgs;
}

/** Keys the planner's input carries besides the user's args, and keys `placeServices` reports as removed with their replacement. */
const NOT_USER_KEYS: Readonly<Record<"top" | "ingress", readonly string[]>> = {
    top: ["kubernetesProvider", "placement", "dataCidrs"],
    ingress: ["loadBalancerSubnetIds", "loadBalancerCidrs"],
};

function without(obj: object | undefined, keys: readonly string[]): object {
    return Object.fromEntries(Object.entries(obj ?? {}).filter(([key]) => !keys.includes(key)));
}

/** Resolves the three places CookieServices has cloud groups (top level, `ingress`, `forwardCache`) for the built cloud. */
export function resolveServicesArgs(input: ServicesArgsInput): ResolvedServicesArgs {
    const top = resolveCloudArgs(input.cloud, without(input, NOT_USER_KEYS.top), SERVICES_CLOUD_ARGS);
    const ingress = resolveCloudArgs(input.cloud, without(input.ingress, NOT_USER_KEYS.ingress), INGRESS_CLOUD_ARGS, "ingress.");
    const cache = resolveCloudArgs(input.cloud, input.forwardCache ?? {}, FORWARD_CACHE_CLOUD_ARGS, "forwardCache.");
    const cacheArgs = input.forwardCache ?? {};
    return {
        ingress: { host: input.ingress?.host as string, ...ingress.groups.aws, ...ingress.groups.azure },
        forwardCache: {
            enabled: cacheArgs.enabled, defaultTtlSeconds: cacheArgs.defaultTtlSeconds, originHostname: cacheArgs.originHostname, ...cache.groups.aws,
        },
        resourceGroupName: (top.groups.azure as CookieServicesAzureArgs).resourceGroupName,
        problems: [...top.problems, ...ingress.problems, ...cache.problems],
        paths: { ...top.paths, ...ingress.paths, ...cache.paths },
    };
}
