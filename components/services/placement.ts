/**
 * Where the services meet their network, derived from the network's facts as every other
 * component does: the data tier's ranges are where the services may reach their stores, and on
 * AWS the ALB spans the public subnets, whose ranges are where its traffic to the pods comes
 * from. Nobody copies a range or a subnet id by hand. Pure: the planner reports the problems.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud } from "../common/cloud";
import { Problems } from "../common/validation";
import { NetworkFacts, SubnetFacts, SubnetTier } from "../network/facts";
import { checkNetworkFacts, chooseSubnets, placementZones, tierRanges } from "../network/wiring";
import { ServicesArgsInput, resolveServicesArgs } from "./servicesCloudArgs";

/** The fewest zones an ALB spans: "You must specify subnets from at least two Availability Zones" (ALB docs, load-balancer-subnets). */
export const ALB_MIN_ZONES = 2;

/** The services' placement: the plain values the planner checks and the references the edge uses. */
export interface ServicesPlacement {
    /** The data subnets' ranges: the only place the services' egress to their stores may go. */
    readonly dataCidrs: readonly string[];
    /** AWS: the ranges of the load balancer's subnets, which the public services admit; empty on Azure. */
    readonly loadBalancerCidrs: readonly string[];
    /** AWS: the load balancer's subnet ids; empty on Azure. */
    readonly loadBalancerSubnetIds: readonly pulumi.Input<string>[];
    /** Azure: the network's resource group, where the forward cache's Front Door profile goes unless one is given. */
    readonly resourceGroupName?: pulumi.Input<string>;
    /** `<arg>: <value> <rule>` lines, reported by the planner with its own. */
    readonly problems: readonly string[];
}

/** What the placement reads of the args: the network, and the cloud groups' subnets and resource group. */
export interface ServicesPlacementInput extends ServicesArgsInput {
    readonly network?: NetworkFacts;
}

/**
 * The args the services took before they were wired by the network's facts. A JavaScript caller (no type check) that
 * still passes one gets an arg error naming its replacement, not a silent default.
 */
const REMOVED_ARGS: readonly { readonly arg: string; readonly get: (input: Record<string, unknown>) => unknown; readonly instead: string }[] = [
    { arg: "dataCidrs", get: (i) => i.dataCidrs, instead: "the data tier's ranges come from network (its data subnets)" },
    { arg: "ingress.loadBalancerSubnetIds", get: (i) => (i.ingress as Record<string, unknown> | undefined)?.loadBalancerSubnetIds, instead: "pass ingress.loadBalancerSubnets (the network's public subnets by default)" },
    { arg: "ingress.loadBalancerCidrs", get: (i) => (i.ingress as Record<string, unknown> | undefined)?.loadBalancerCidrs, instead: "the ranges are those of ingress.loadBalancerSubnets" },
];

/**
 * Per cloud, where the load balancer goes: AWS's ALB in public subnets of the network; Azure's add-on places its own
 * (`ingress.aws.loadBalancerSubnets` is an error there, reported with the cloud groups).
 */
const LOAD_BALANCER: PerCloud<(problems: Problems, network: NetworkFacts | undefined, given: SubnetFacts[] | undefined) => SubnetFacts[]> = {
    aws: (problems, network, given) => {
        const arg = problems.path("ingress.loadBalancerSubnets");
        const subnets = chooseSubnets(problems, arg, network, given, [SubnetTier.Public], "an internet-facing load balancer");
        placementZones(problems, arg, network, subnets, ALB_MIN_ZONES,
            "an ALB needs subnets in at least two zones and spans the zones of its subnets (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html)");
        return subnets;
    },
    azure: () => [],
};

/** Places the services in their network; problems come back for the planner. */
export function placeServices(input: ServicesPlacementInput): ServicesPlacement {
    // The groups' problems are the planner's to report; here they only say which subnets and group apply, under which name.
    const resolved = resolveServicesArgs(input);
    const problems = new Problems("network wiring", resolved.paths);
    for (const removed of REMOVED_ARGS) {
        const value = removed.get(input as unknown as Record<string, unknown>);
        problems.check(value === undefined, removed.arg, value === undefined ? undefined : "set", `is no longer an arg: ${removed.instead}`);
    }
    const cloud = input.cloud as Cloud;
    checkNetworkFacts(problems, "network", cloud, input.network);
    const loadBalancer = LOAD_BALANCER[cloud]?.(problems, input.network, resolved.ingress.loadBalancerSubnets) ?? [];
    const resourceGroupName = resolved.resourceGroupName ?? input.network?.resourceGroupName;
    return {
        dataCidrs: tierRanges(input.network, SubnetTier.Data),
        loadBalancerCidrs: loadBalancer.map((s) => s.cidr),
        loadBalancerSubnetIds: loadBalancer.map((s) => s.id),
        ...(resourceGroupName !== undefined ? { resourceGroupName } : {}),
        problems: problems.all,
    };
}
