/**
 * Load balancers span at least two zones: AWS requires an Application Load
 * Balancer to have subnets in at least two Availability Zones, and an Azure
 * Application Gateway or Standard Load Balancer survives a zone loss only when
 * it is zone-redundant (`zones` lists several zones).
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { albOf } from "../albIngress";
import { Types, configOf, label, list, ofTypes } from "../common";
import { Topology } from "../topology";

const schema: PolicyConfigSchema = {
    properties: { minZones: { type: "integer", minimum: 2, default: 2, description: "The fewest zones a load balancer may span." } },
};

export const loadBalancerZones: StackValidationPolicy = {
    name: "load-balancer-zones",
    description: "Load balancers span at least `minZones` availability zones (default 2).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: schema,
    validateStack: (args, report) => {
        const { minZones } = configOf<{ minZones: number }>(args, schema);
        const balancers = [
            ...ofTypes(args, Types.AwsLoadBalancer, Types.AwsAlbLoadBalancer, Types.AzureAppGateway, Types.AzureLoadBalancer),
            ...ofTypes(args, Types.K8sIngress).filter((i) => albOf(i.props) !== undefined),
        ];
        if (balancers.length === 0) args.notApplicable("the stack has no load balancers");
        const topology = new Topology(args.resources);
        for (const lb of balancers) {
            for (const [where, zones] of zonesOf(lb, topology)) {
                if (zones.length < minZones) {
                    report(`${label(lb)}${where}: spans ${zones.length} zone(s) (${zones.join(", ") || "none"}); at least ${minZones} are required`, lb.urn);
                }
            }
        }
    },
};

/** The zones of a load balancer, or of each Azure LB frontend: [where, zones]. */
function zonesOf(lb: PolicyResource, topology: Topology): [string, string[]][] {
    if (lb.type === Types.AzureAppGateway) return [["", list<string>(lb.props.zones)]];
    const alb = lb.type === Types.K8sIngress ? albOf(lb.props) : undefined;
    if (alb) {
        // Without a subnets annotation the controller uses every subnet tagged for its scheme: the tier's subnets. In
        // the preview of the up that creates the subnets the annotation's ids are not known yet: judged by the tier's
        // subnets, which the program lists, instead of the whole policy being skipped as unable to run in a preview
        // (@pulumi/policy's UnknownValueError); the up's own run reads the ids.
        const zones = alb.subnets.length > 0 ? topology.zonesOfNamed(alb.subnets) : topology.zonesOfTier(alb.internetFacing ? "public" : "app");
        return [[" (its ALB)", zones]];
    }
    if (lb.type === Types.AzureLoadBalancer) {
        // A frontend in a subnet takes `zones`; one with a public IP takes the IP's zones, which this rule does not see.
        return list<Record<string, unknown>>(lb.props.frontendIPConfigurations)
            .filter((f) => f.subnet !== undefined)
            .map((f, i) => [` frontend ${String(f.name ?? i)}`, list<string>(f.zones)]);
    }
    return [["", topology.zonesOf(lb)]];
}
