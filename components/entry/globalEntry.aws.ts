/**
 * GlobalEntry on AWS: per region, a Route 53 health check of the region's Application Load Balancer
 * and a latency record for the public host aliasing that ALB, with the health check attached and the
 * alias target's health evaluated, so Route 53 answers with the lowest-latency region whose services
 * answer (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html).
 *
 * Target health alone says only that the ALB has a healthy target; the health check requests the entry
 * service's readiness path through the ALB and the Ingress, so a stamp whose services fail behind
 * healthy targets (a broken rule, a readiness that fails where the ALB's target check passes) stops
 * receiving users too. It does not validate the certificate ("HTTPS health checks don't validate
 * SSL/TLS certificates, so checks don't fail if a certificate is invalid or expired",
 * docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html),
 * and it needs TLS 1.0-1.2 on the listener (API_HealthCheckConfig, Type), which the ALB's policy keeps
 * (CookieServices' ALB_SSL_POLICY).
 *
 * What the check can send: without an IP address Route 53 resolves `fqdn` and sends it as the Host
 * header and, with SNI on, in the TLS client hello (docs.aws.amazon.com/Route53/latest/APIReference/
 * API_HealthCheckConfig.html, FullyQualifiedDomainName and EnableSNI). The public host cannot be the
 * `fqdn`: it resolves through these very records, to whichever region is nearest the checker. An ALB
 * has no fixed IP address to check with the public host as Host. So the check names the ALB itself,
 * and the stamp's Ingress serves the health path for any Host (CookieServices
 * `ingress.aws.anyHostHealthPath`); SNI is off because no certificate on the listener names the ALB:
 * the ALB answers a client hello without a name with its default certificate, the public host's
 * (docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html), and
 * Route 53 would drop a name the certificate does not hold and retry anyway (API_HealthCheckConfig, EnableSNI).
 */
import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { GlobalEntryImplementation, GlobalEntryInputs, GlobalEntryResources } from "./globalEntry";
import { EntryOriginPlan, EntryPlan, originName } from "./entryPlan";

/** The ALB's HTTPS listener (the Ingress listens on 443 and redirects 80 there). */
export const HEALTH_CHECK_PORT = 443;

export class AwsGlobalEntry implements GlobalEntryImplementation {
    build(parent: pulumi.Resource, plan: EntryPlan, inputs: GlobalEntryInputs): GlobalEntryResources {
        const opts = { parent };
        plan.origins.forEach((origin, i) => {
            const address = inputs.origins[i].address;
            const check = healthCheck(plan, origin, address, opts);
            // The canonical hosted zone of ALBs in the origin's region (provider data, per region).
            const albZone = lb.getHostedZoneIdOutput({ loadBalancerType: "application", region: origin.region }, opts);
            new route53.Record(originName(plan, "latency", origin), {
                zoneId: plan.hostedZoneId,
                name: plan.host,
                type: "A",
                // One record per region, told apart by its set identifier: the region, so adding one renames none.
                setIdentifier: origin.region,
                latencyRoutingPolicies: [{ region: origin.region }],
                healthCheckId: check.id,
                aliases: [{ name: address, zoneId: albZone.id, evaluateTargetHealth: true }],
            }, opts);
        });
        return { entryHost: pulumi.output(plan.host), dnsRecords: pulumi.output([]) };
    }
}

/**
 * The region's health check. `type` and `requestInterval` cannot change once created (API_HealthCheckConfig: Type,
 * RequestInterval), and an interval left to the default is read back and replaces the check on the next up
 * (hashicorp/terraform-provider-aws#23514): both are always given. `regions` is left to Route 53 (every checker
 * region): once set, removing it changes nothing (the provider's `regions` doc).
 */
function healthCheck(plan: EntryPlan, origin: EntryOriginPlan, address: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): route53.HealthCheck {
    const name = originName(plan, "health", origin);
    return new route53.HealthCheck(name, {
        type: "HTTPS",
        fqdn: address,
        port: HEALTH_CHECK_PORT,
        resourcePath: plan.healthPath,
        enableSni: false,
        requestInterval: plan.probeIntervalSeconds,
        failureThreshold: plan.failureThreshold,
        tags: { ...plan.tags, Name: name },
    }, opts);
}
