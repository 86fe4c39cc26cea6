/**
 * GlobalEntry on AWS: one Route 53 latency record per region for the public host, each an alias of
 * that region's Application Load Balancer with its target health evaluated, so Route 53 answers with
 * the lowest-latency region whose load balancer has healthy targets
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html).
 *
 * Why alias records with "evaluate target health" and not a Route 53 health check per region: a
 * health check of the ALB's own DNS name sends that name as the Host header
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-host-name),
 * which the ingress's host rule does not serve (the ALB answers 404), and a check of the public host
 * would resolve through these very records. An alias of an ALB with target health evaluated is
 * healthy while at least one target in it is (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html#rrsets-values-alias-evaluate-target-health),
 * and the ALB's targets are the pods, probed on their readiness path.
 */
import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { GlobalEntryImplementation, GlobalEntryInputs, GlobalEntryResources } from "./globalEntry";
import { EntryPlan, originName } from "./entryPlan";

export class AwsGlobalEntry implements GlobalEntryImplementation {
    build(parent: pulumi.Resource, plan: EntryPlan, inputs: GlobalEntryInputs): GlobalEntryResources {
        const opts = { parent };
        plan.origins.forEach((origin, i) => {
            const address = inputs.origins[i].address;
            // The canonical hosted zone of ALBs in the origin's region (provider data, per region).
            const albZone = lb.getHostedZoneIdOutput({ loadBalancerType: "application", region: origin.region }, opts);
            new route53.Record(originName(plan, "latency", origin), {
                zoneId: plan.hostedZoneId,
                name: plan.host,
                type: "A",
                // One record per region, told apart by its set identifier: the region, so adding one renames none.
                setIdentifier: origin.region,
                latencyRoutingPolicies: [{ region: origin.region }],
                aliases: [{ name: address, zoneId: albZone.id, evaluateTargetHealth: true }],
            }, opts);
        });
        return { entryHost: pulumi.output(plan.host), dnsRecords: pulumi.output([]) };
    }
}
