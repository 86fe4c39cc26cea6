/**
 * The edge of the services: the public Ingress (ALB on AWS, the AKS application
 * routing nginx on Azure), the optional forward cache (CloudFront / Front Door)
 * and the optional service mesh. Args and their pure validation.
 */
import { Cloud, PerCloud } from "../common/cloud";
import { Problems } from "../common/validation";
import type * as pulumi from "@pulumi/pulumi";
import type { SubnetFacts } from "../network/facts";
import type { ServicesPlacement } from "./placement";
import { DNS_1123_SUBDOMAIN, HOST_NAME_RULE, isHostName } from "./names";
import type { ResolvedForwardCache, ResolvedIngress } from "./servicesCloudArgs";

/** The Ingress args only the AWS load balancer (an ALB) uses; each is an error on Azure, where it would do nothing. */
export interface ServicesIngressAwsArgs {
    /**
     * The ACM certificate ARN the ALB terminates TLS with (in the stack's region): an ARN, or a certificate
     * resource's output such as `aws.acm.CertificateValidation`'s `certificateArn`, which makes the Ingress (and so
     * the controller's HTTPS listener) wait until the certificate is issued; an ALB takes no certificate that is
     * still pending validation (docs.aws.amazon.com/acm/latest/userguide/dns-validation.html). An ARN given as text
     * is checked with the plan, an output once its value is known (at preview when its resource is deployed).
     * @default - required on aws
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * The public subnets the ALB spans, e.g. `vpc.selectSubnets({ tier: "public", zones })`: only the
     * network's own public subnets, in at least 2 zones. The ALB sends traffic to pod IPs from their ranges,
     * so the public services' network policy admits exactly those.
     * @default - the network's public subnets, in every zone
     */
    loadBalancerSubnets?: SubnetFacts[];
    /**
     * A path the ALB forwards whatever the Host header, e.g. `/ready`: an Ingress rule with no host that matches
     * the path exactly and sends it to the entry service it falls under. For a Route 53 health check of the ALB's
     * own DNS name, which Route 53 sends as the Host header
     * (docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html, FullyQualifiedDomainName) and
     * which the public host's rules do not match (the ALB answers 404).
     * @default - none: every rule is for the public host
     */
    anyHostHealthPath?: string;
}

/** The Ingress args only Azure's application routing add-on uses; each is an error on AWS, where it would do nothing. */
export interface ServicesIngressAzureArgs {
    /**
     * The Key Vault certificate URI the application routing add-on syncs into the Ingress' TLS secret.
     * Give this or `tlsSecretName`.
     * @default - none
     */
    keyVaultCertificateUri?: string;
    /**
     * An existing `kubernetes.io/tls` Secret in the namespace, instead of a Key Vault certificate.
     * @default - none
     */
    tlsSecretName?: string;
}

/** How the internet reaches the public services. */
export interface ServicesIngressArgs {
    /** The public host name, e.g. `cookies.example.com`; the certificate must cover it. */
    host: string;
    /**
     * The ALB's certificate and subnets (AWS only; an error on Azure).
     * @default {}
     */
    aws?: ServicesIngressAwsArgs;
    /**
     * The add-on's certificate (Azure only; an error on AWS).
     * @default {}
     */
    azure?: ServicesIngressAzureArgs;
    /**
     * Deprecated: give it as `ingress.aws.certificateArn`. An error on Azure.
     * @default - required on aws
     * @deprecated Use `ingress.aws.certificateArn`.
     */
    certificateArn?: string;
    /**
     * Deprecated: give it as `ingress.aws.loadBalancerSubnets`. An error on Azure.
     * @default - the network's public subnets, in every zone (aws)
     * @deprecated Use `ingress.aws.loadBalancerSubnets`.
     */
    loadBalancerSubnets?: SubnetFacts[];
    /**
     * Deprecated: give it as `ingress.azure.keyVaultCertificateUri`. An error on AWS.
     * @default - none
     * @deprecated Use `ingress.azure.keyVaultCertificateUri`.
     */
    keyVaultCertificateUri?: string;
    /**
     * Deprecated: give it as `ingress.azure.tlsSecretName`. An error on AWS.
     * @default - none
     * @deprecated Use `ingress.azure.tlsSecretName`.
     */
    tlsSecretName?: string;
}

/** The forward cache's args only CloudFront (AWS) uses; each is an error on Azure, where it would do nothing. */
export interface ForwardCacheAwsArgs {
    /**
     * The longest time, in seconds, a response is kept whatever the origin says. Azure Front Door cannot cap
     * the origin's max-age.
     * @default 300
     */
    maxTtlSeconds?: number;
    /**
     * The ACM certificate for `host` that CloudFront presents; CloudFront only accepts certificates in us-east-1.
     * @default - required when enabled
     */
    certificateArn?: string;
}

/** A CDN in front of the load balancer that answers repeated cacheable GETs (seed 004's forward-cache proxy). */
export interface ForwardCacheArgs {
    /**
     * Whether to create the forward cache.
     * @default false
     */
    enabled?: boolean;
    /**
     * Seconds a cacheable GET response is kept when the origin sends no `Cache-Control`.
     * @default 60
     */
    defaultTtlSeconds?: number;
    /**
     * A host name that resolves to the load balancer and that the certificate covers, e.g.
     * `origin.cookies.example.com`: the cache connects to it over HTTPS and checks the certificate.
     * @default - required when enabled
     */
    originHostname?: string;
    /**
     * CloudFront's TTL cap and certificate (AWS only; an error on Azure).
     * @default {}
     */
    aws?: ForwardCacheAwsArgs;
    /**
     * Deprecated: give it as `forwardCache.aws.maxTtlSeconds`. An error on Azure.
     * @default 300 on aws
     * @deprecated Use `forwardCache.aws.maxTtlSeconds`.
     */
    maxTtlSeconds?: number;
    /**
     * Deprecated: give it as `forwardCache.aws.certificateArn`. An error on Azure.
     * @default - required when enabled on aws
     * @deprecated Use `forwardCache.aws.certificateArn`.
     */
    certificateArn?: string;
}

/** An Istio-style service mesh for mutual TLS between the services. */
export interface ServiceMeshArgs {
    /**
     * Label the namespace for sidecar injection and require mTLS (PeerAuthentication STRICT). Needs Istio
     * with the Istio CNI plugin: the `restricted` pod security level forbids the init container's NET_ADMIN.
     * @default false
     */
    enabled?: boolean;
}

/** The validated edge. */
export interface EdgePlan {
    readonly host: string;
    /** AWS only, when given as text; "" on Azure or when given as an output (ServicesEdgeInputs' `certificateArn`). */
    readonly certificateArn: string;
    /** AWS only: the path served for any Host (`ingress.aws.anyHostHealthPath`); "" when none. */
    readonly anyHostHealthPath: string;
    readonly loadBalancerSubnetCount: number;
    readonly loadBalancerCidrs: readonly string[];
    /** Azure only; "" when unused. */
    readonly keyVaultCertificateUri: string;
    /** Azure only; "" when unused. */
    readonly tlsSecretName: string;
    readonly forwardCache?: ForwardCachePlan;
    readonly mesh: boolean;
    /** The hosts the Ingress' certificate must cover: the public host, and the forward cache's origin host when it is on. */
    readonly tlsHosts: readonly string[];
}

export interface ForwardCachePlan {
    readonly defaultTtlSeconds: number;
    readonly maxTtlSeconds: number;
    readonly originHostname: string;
    /** AWS only; "" on Azure. */
    readonly certificateArn: string;
}

export const EdgeDefaults = { defaultTtlSeconds: 60, maxTtlSeconds: 300 } as const;
/** CloudFront's and Front Door's longest cache duration: one year. */
export const MAX_CACHE_TTL_SECONDS = 31_536_000;

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/;
/** What `ingress.aws.certificateArn` must be, text or an output's value. */
export const CERTIFICATE_ARN_RULE = "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>): the ALB terminates TLS with it";
export const isAcmCertificateArn = (arn: string): boolean => ACM_ARN.test(arn);
const KEY_VAULT_CERTIFICATE_URI = /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.azure\.net\/(certificates|secrets)\/[a-zA-Z0-9-]{1,127}(\/[0-9a-f]{32})?$/;

/**
 * Validates the ingress, forward cache and mesh args for `cloud`: their cloud groups resolved (`resolveServicesArgs`,
 * which reports another cloud's keys), `problems` naming each key as the user wrote it.
 */
export function planEdge(
    problems: Problems, cloud: Cloud, ingress: ResolvedIngress, cache: ResolvedForwardCache, mesh: ServiceMeshArgs,
    placement: Pick<ServicesPlacement, "loadBalancerCidrs" | "loadBalancerSubnetIds">,
): EdgePlan {
    problems.check(isHostName(ingress.host), "ingress.host", ingress.host, HOST_NAME_RULE);
    INGRESS[cloud].check(problems, ingress);
    const forwardCache = cache.enabled ? planForwardCache(problems, cloud, ingress.host, cache) : undefined;
    return {
        host: ingress.host,
        ...INGRESS[cloud].fields(ingress),
        loadBalancerCidrs: [...placement.loadBalancerCidrs],
        loadBalancerSubnetCount: placement.loadBalancerSubnetIds.length,
        forwardCache,
        mesh: mesh.enabled ?? false,
        tlsHosts: [ingress.host, ...(forwardCache ? [forwardCache.originHostname] : [])],
    };
}

/** An absolute URL path an Ingress rule can match exactly, as Route 53 requests it (at most 255 characters, API_HealthCheckConfig ResourcePath). */
const EXACT_PATH = /^\/[A-Za-z0-9._~\/-]{0,254}$/;

function checkAwsIngress(problems: Problems, ingress: ResolvedIngress): void {
    const arn = ingress.certificateArn;
    // An output is checked once its value is known (CookieServices, knownCertificateArn), with the same rule.
    problems.check(arn !== undefined && (typeof arn !== "string" || isAcmCertificateArn(arn)), "ingress.certificateArn", arn, CERTIFICATE_ARN_RULE);
    if (ingress.anyHostHealthPath !== undefined) {
        problems.check(EXACT_PATH.test(ingress.anyHostHealthPath), "ingress.aws.anyHostHealthPath", ingress.anyHostHealthPath,
            "must be an absolute URL path of at most 255 characters, such as /ready (a Route 53 health check's resource path)");
    }
}

function checkAzureIngress(problems: Problems, ingress: ResolvedIngress): void {
    const uri = ingress.keyVaultCertificateUri;
    const secret = ingress.tlsSecretName;
    problems.check((uri === undefined) !== (secret === undefined), "ingress.keyVaultCertificateUri", uri ?? null,
        `and ${problems.path("ingress.tlsSecretName")}: set exactly one, so the Ingress has one TLS certificate`);
    if (uri !== undefined) {
        problems.check(KEY_VAULT_CERTIFICATE_URI.test(uri), "ingress.keyVaultCertificateUri", uri,
            "is not a Key Vault certificate URI (https://<vault>.vault.azure.net/certificates/<name>)");
    }
    if (secret !== undefined) {
        problems.check(DNS_1123_SUBDOMAIN.test(secret) && secret.length <= 253, "ingress.tlsSecretName", secret, "is not a valid Secret name");
    }
}

/**
 * Per cloud, what the Ingress args mean: AWS's ALB takes an ACM certificate and admits load balancer ranges; Azure's
 * application routing add-on serves a Key Vault certificate or a TLS Secret.
 */
const INGRESS: PerCloud<{
    readonly check: (problems: Problems, ingress: ResolvedIngress) => void;
    readonly fields: (ingress: ResolvedIngress) => Pick<EdgePlan, "certificateArn" | "anyHostHealthPath" | "keyVaultCertificateUri" | "tlsSecretName">;
}> = {
    aws: {
        check: (problems, ingress) => checkAwsIngress(problems, ingress),
        fields: (ingress) => ({ certificateArn: typeof ingress.certificateArn === "string" ? ingress.certificateArn : "", anyHostHealthPath: ingress.anyHostHealthPath ?? "", keyVaultCertificateUri: "", tlsSecretName: "" }),
    },
    azure: {
        check: (problems, ingress) => checkAzureIngress(problems, ingress),
        fields: (ingress) => ({ certificateArn: "", anyHostHealthPath: "", keyVaultCertificateUri: ingress.keyVaultCertificateUri ?? "", tlsSecretName: ingress.tlsSecretName ?? "" }),
    },
};

/**
 * Per cloud, what the forward cache honours: CloudFront caps a response's TTL and takes an ACM certificate from
 * us-east-1; Azure Front Door cannot cap it and manages its own certificate (see the checks below).
 */
const FORWARD_CACHE: PerCloud<{ readonly capsTtl: boolean; readonly acmCertificate: boolean }> = {
    aws: { capsTtl: true, acmCertificate: true },
    azure: { capsTtl: false, acmCertificate: false },
};

function planForwardCache(problems: Problems, cloud: Cloud, host: string, cache: ResolvedForwardCache): ForwardCachePlan {
    const capsTtl = FORWARD_CACHE[cloud].capsTtl;
    const defaultTtl = cache.defaultTtlSeconds ?? EdgeDefaults.defaultTtlSeconds;
    // Azure has no maximum (forwardCache.aws is refused there); its plan carries the default so nothing reads a made-up cap.
    const maxTtl = capsTtl ? cache.maxTtlSeconds ?? EdgeDefaults.maxTtlSeconds : defaultTtl;
    problems.integer("forwardCache.defaultTtlSeconds", defaultTtl, 0, MAX_CACHE_TTL_SECONDS);
    // With every TTL at 0 nothing is cached, and CloudFront then refuses a cache key with headers or query strings.
    if (capsTtl && problems.integer("forwardCache.maxTtlSeconds", maxTtl, 1, MAX_CACHE_TTL_SECONDS)) {
        problems.check(maxTtl >= defaultTtl, "forwardCache.maxTtlSeconds", maxTtl, `must be at least forwardCache.defaultTtlSeconds (${defaultTtl})`);
    }
    const origin = cache.originHostname ?? "";
    if (problems.check(isHostName(origin), "forwardCache.originHostname", cache.originHostname,
        "must be a host name that resolves to the load balancer and that the ingress certificate covers")) {
        problems.check(origin !== host, "forwardCache.originHostname", origin, "must differ from ingress.host, which points at the cache itself");
    }
    if (FORWARD_CACHE[cloud].acmCertificate) {
        const region = ACM_ARN.exec(cache.certificateArn ?? "")?.[1];
        problems.check(region === "us-east-1", "forwardCache.certificateArn", cache.certificateArn,
            "must be an ACM certificate ARN in us-east-1: CloudFront only uses certificates from us-east-1");
    }
    return { defaultTtlSeconds: defaultTtl, maxTtlSeconds: maxTtl, originHostname: origin, certificateArn: FORWARD_CACHE[cloud].acmCertificate ? cache.certificateArn ?? "" : "" };
}
