/**
 * CookieServices' edge on AWS: an internet-facing ALB made by the AWS Load
 * Balancer Controller from the Ingress (TLS from ACM, HTTP redirected to HTTPS,
 * pods as IP targets, spread over the public subnets of every zone), and the
 * optional CloudFront forward cache.
 */
import * as cloudfront from "@pulumi/aws/cloudfront";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { TagKeys, mergeTags } from "../common/tags";
import { ForwardCacheResources, IngressSettings, ServicesEdgeImplementation, ServicesEdgeInputs } from "./cookieServices";
import { cidrPeers } from "./networkPolicies";
import type { ServicePlan, ServicesPlan } from "./servicesPlan";

const ALB = "alb.ingress.kubernetes.io";
/**
 * TLS 1.3 with TLS 1.2 fallback; no TLS 1.0/1.1. Not a TLS 1.3-only policy: Route 53's HTTPS health checks of
 * the global entry need the endpoint to support TLS 1.0, 1.1 or 1.2 (docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html, Type).
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** CloudFront's viewer TLS floor. */
export const CLOUDFRONT_MIN_TLS = "TLSv1.2_2021";

export class AwsServicesEdge implements ServicesEdgeImplementation {
    ingressPeers(plan: ServicesPlan): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
        // With target type ip the ALB's nodes in the public subnets connect straight to pod IPs.
        return cidrPeers(plan.edge.loadBalancerCidrs);
    }

    ingressSettings(plan: ServicesPlan, inputs: ServicesEdgeInputs): IngressSettings {
        const tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name });
        const annotations = pulumi.all([pulumi.all([...inputs.loadBalancerSubnetIds]), inputs.certificateArn ?? plan.edge.certificateArn]).apply(([subnets, certificateArn]) => ({
            [`${ALB}/scheme`]: "internet-facing",
            [`${ALB}/target-type`]: "ip",
            // One subnet per zone: the ALB gets a node in each, so it survives the loss of a zone.
            [`${ALB}/subnets`]: subnets.join(","),
            [`${ALB}/listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
            [`${ALB}/ssl-redirect`]: "443",
            [`${ALB}/certificate-arn`]: certificateArn,
            [`${ALB}/ssl-policy`]: ALB_SSL_POLICY,
            [`${ALB}/load-balancer-attributes`]: "routing.http.drop_invalid_header_fields.enabled=true",
            [`${ALB}/tags`]: Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(","),
        }));
        return { ingressClassName: "alb", annotations, tls: [{ hosts: [...plan.edge.tlsHosts] }] };
    }

    publicServiceAnnotations(service: ServicePlan): Record<string, string> {
        return { [`${ALB}/healthcheck-path`]: service.readinessPath, [`${ALB}/healthcheck-port`]: "traffic-port" };
    }

    forwardCache(parent: pulumi.Resource, plan: ServicesPlan, _inputs: ServicesEdgeInputs, ingress: k8s.networking.v1.Ingress): ForwardCacheResources {
        const cache = plan.edge.forwardCache!;
        const name = childName(plan.name, "cdn");
        const opts = { parent };
        const policy = new cloudfront.CachePolicy(name, {
            comment: `Cacheable GETs of ${plan.edge.host}`,
            minTtl: 0,
            defaultTtl: cache.defaultTtlSeconds,
            maxTtl: cache.maxTtlSeconds,
            parametersInCacheKeyAndForwardedToOrigin: {
                // Responses are per caller: the Authorization header is part of the key, so one user's answer is never served to another.
                headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization"] } },
                cookiesConfig: { cookieBehavior: "none" },
                queryStringsConfig: { queryStringBehavior: "all" },
                enableAcceptEncodingGzip: true,
                enableAcceptEncodingBrotli: true,
            },
        }, opts);
        const originId = "load-balancer";
        const distribution = new cloudfront.Distribution(name, {
            enabled: true,
            comment: `Forward cache of ${plan.edge.host}`,
            aliases: [plan.edge.host],
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            priceClass: "PriceClass_100",
            origins: [{
                originId,
                domainName: cache.originHostname,
                customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
            }],
            defaultCacheBehavior: {
                targetOriginId: originId,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                cachedMethods: ["GET", "HEAD"],
                cachePolicyId: policy.id,
                compress: true,
            },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { acmCertificateArn: cache.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: CLOUDFRONT_MIN_TLS },
            tags: mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name }),
        }, { ...opts, dependsOn: [ingress] });
        return { host: distribution.domainName };
    }
}
