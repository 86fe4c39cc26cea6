/**
 * Network redundancy: the network spans enough zones, every tier has a subnet
 * in every zone, and every zone has its own NAT gateway.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Environment, Types, configOf, environmentSchema, list, ofTypes } from "../common";
import { Topology, unique } from "../topology";

/** The zone count the platform's HA design is built for. */
export const DEFAULT_MIN_ZONES = 3;

const zonesSchema: PolicyConfigSchema = {
    properties: { minZones: { type: "integer", minimum: 1, default: DEFAULT_MIN_ZONES, description: "The fewest zones the network may span." } },
};

export const networkZoneCount: StackValidationPolicy = {
    name: "network-zone-count",
    description: "The network spans at least `minZones` availability zones (default 3).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: zonesSchema,
    validateStack: (args, report) => {
        const { minZones } = configOf<{ minZones: number }>(args, zonesSchema);
        const topology = new Topology(args.resources);
        if (topology.subnets().length === 0) args.notApplicable("the stack has no subnets");
        const zones = topology.subnetZones();
        if (zones.length < minZones) {
            report(`the network's subnets span ${zones.length} zone(s) (${zones.join(", ") || "none"}); at least ${minZones} are required so that losing one zone leaves a quorum`);
        }
    },
};

export const subnetTiersPerZone: StackValidationPolicy = {
    name: "subnet-tiers-per-zone",
    description: "Every subnet tier has a subnet in every zone of the network (a regional Azure subnet covers every zone).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    validateStack: (args, report) => {
        const topology = new Topology(args.resources);
        const zones = topology.zones();
        if (zones.length === 0) args.notApplicable("the stack has no zonal subnets");
        const tiers = unique(topology.subnets().map((s) => s.tier).filter((t) => t !== "" && t !== "bastion"));
        for (const tier of tiers) {
            const ofTier = topology.subnets().filter((s) => s.tier === tier);
            if (ofTier.some((s) => s.zone === "")) continue;
            const missing = zones.filter((z) => !ofTier.some((s) => s.zone === z));
            if (missing.length > 0) report(`tier "${tier}" has no subnet in zone(s) ${missing.join(", ")}; a zone without it cannot host that tier`);
        }
    },
};

const natSchema: PolicyConfigSchema = { properties: { environment: environmentSchema } };

export const natPerZone: StackValidationPolicy = {
    name: "nat-per-zone",
    description: "In prod every zone with private (app) subnets has its own NAT gateway, so a zone loss cuts no other zone's egress.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: natSchema,
    validateStack: (args, report) => {
        const { environment } = configOf<{ environment: Environment }>(args, natSchema);
        if (environment !== Environment.Prod) args.notApplicable("dev stacks may share one NAT gateway");
        const topology = new Topology(args.resources);
        const appZones = unique(topology.subnets().filter((s) => s.tier === "app").map((s) => s.zone).filter((z) => z !== ""));
        if (appZones.length === 0) args.notApplicable("the stack has no zonal app subnets");
        const natZones = new Map<string, number>();
        for (const nat of ofTypes(args, Types.AwsNatGateway, Types.AzureNatGateway)) {
            for (const zone of natZonesOf(nat, topology)) natZones.set(zone, (natZones.get(zone) ?? 0) + 1);
        }
        const missing = appZones.filter((z) => !natZones.has(z));
        if (missing.length > 0) report(`zone(s) ${missing.join(", ")} have app subnets but no NAT gateway of their own (NAT gateways in: ${[...natZones.keys()].sort().join(", ") || "none"})`);
        for (const [zone, count] of natZones) if (count > 1) report(`zone ${zone} has ${count} NAT gateways; one per zone is the design`);
    },
};

function natZonesOf(nat: PolicyResource, topology: Topology): string[] {
    if (nat.type === Types.AzureNatGateway) return list<string>(nat.props.zones);
    return topology.zonesOf(nat);
}

