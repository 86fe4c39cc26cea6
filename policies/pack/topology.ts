/**
 * The network facts stack policies need, read from the resources the engine
 * passes to `analyzeStack`: every subnet with its tier and zone, and the
 * subnets another resource is placed in.
 *
 * Links between resources follow the engine's property dependencies (the
 * resource a property was computed from), not ids: ids are unknown during a
 * preview, dependencies are not.
 */
import type { PolicyResource } from "@pulumi/policy";
import { TagKeys, Types, at, dependenciesOf, known, list } from "./common";

/** A subnet with its tier (`public`, `app`, `data`, `bastion`) and zone ("" for a regional subnet). */
export interface SubnetFacts {
    readonly resource: PolicyResource;
    readonly tier: string;
    readonly zone: string;
}

/** Where subnet references live, per resource type: the top-level properties that hold them. */
const SUBNET_PROPERTIES = ["subnetId", "subnetIds", "subnets", "subnetMappings", "brokerNodeGroupInfo", "vnetSubnetID", "subnet", "subnetGroupName", "dbSubnetGroupName", "agentPoolProfiles", "vpcConfig"];
const SUBNET_TYPES: readonly string[] = [Types.AwsSubnet, Types.AzureSubnet];
const SUBNET_GROUP_TYPES: readonly string[] = [Types.AwsCacheSubnetGroup, Types.AwsDocDbSubnetGroup];

export class Topology {
    private readonly facts = new Map<string, SubnetFacts>();
    private readonly networkZones: string[];

    constructor(readonly resources: readonly PolicyResource[]) {
        this.networkZones = resources.filter((r) => r.type === Types.Vpc3Az).flatMap((r) => list<string>(r.props.zones));
        const exported = exportedSubnets(resources);
        for (const r of resources) {
            if (r.type === Types.AwsSubnet) {
                this.facts.set(r.urn, { resource: r, tier: String(at(r.props, `tags.${TagKeys.Tier}`) ?? ""), zone: String(r.props.availabilityZone ?? "") });
            } else if (r.type === Types.AzureSubnet) {
                const fromVpc = exported.get(idOf(r));
                this.facts.set(r.urn, { resource: r, tier: fromVpc?.tier ?? azureTier(r), zone: fromVpc?.zone ?? azureZone(r) });
            }
        }
    }

    /** Every subnet of the stack. */
    subnets(): SubnetFacts[] {
        return [...this.facts.values()];
    }

    /** The zones the network spans, sorted: those of its zonal subnets and those Vpc3Az says it spans. */
    zones(): string[] {
        return unique([...this.networkZones, ...this.subnets().map((s) => s.zone).filter((z) => z !== "")]);
    }

    /** The zones the zonal subnets span, sorted. */
    subnetZones(): string[] {
        return unique(this.subnets().map((s) => s.zone).filter((z) => z !== ""));
    }

    /**
     * The subnets a resource is placed in, through its subnet properties and subnet groups: by the subnet ids
     * it names when they are known (exact), else by property dependencies (during a preview; an id taken
     * from a list output depends on the whole list, so this may over-approximate).
     */
    subnetsOf(resource: PolicyResource): SubnetFacts[] {
        const byId = new Map<string, SubnetFacts>();
        for (const facts of this.facts.values()) if (idOf(facts.resource) !== "") byId.set(idOf(facts.resource), facts);
        const named = (r: PolicyResource, properties: readonly string[]) => properties.flatMap((p) => knownStrings(r.props, p)).map((id) => byId.get(id)).filter((f): f is SubnetFacts => f !== undefined);
        const groups = SUBNET_PROPERTIES.flatMap((p) => dependenciesOf(resource, p)).filter((d) => SUBNET_GROUP_TYPES.includes(d.type));
        const exact = [...named(resource, SUBNET_PROPERTIES), ...groups.flatMap((g) => named(g, ["subnetIds"]))];
        if (exact.length > 0) return [...new Map(exact.map((f) => [f.resource.urn, f])).values()];
        const found = new Map<string, SubnetFacts>();
        for (const property of SUBNET_PROPERTIES) {
            for (const dep of dependenciesOf(resource, property)) {
                if (SUBNET_TYPES.includes(dep.type)) this.add(found, dep);
                if (SUBNET_GROUP_TYPES.includes(dep.type)) dependenciesOf(dep, "subnetIds").forEach((s) => this.add(found, s));
            }
        }
        return [...found.values()];
    }

    /** Zones of the subnets named by id or `Name` tag (e.g. in an annotation). */
    zonesOfNamed(refs: readonly string[]): string[] {
        const named = this.subnets().filter((s) => refs.includes(idOf(s.resource)) || refs.includes(String(at(s.resource.props, "tags.Name") ?? "")));
        return unique(named.map((s) => s.zone).filter((z) => z !== ""));
    }

    /** Zones of the subnets of a tier. */
    zonesOfTier(tier: string): string[] {
        return unique(this.subnets().filter((s) => s.tier === tier).map((s) => s.zone).filter((z) => z !== ""));
    }

    /** Zones of the subnets a resource is placed in; a regional subnet counts as every zone of the network. */
    zonesOf(resource: PolicyResource): string[] {
        const subnets = this.subnetsOf(resource);
        if (subnets.some((s) => s.zone === "")) return this.zones();
        return unique(subnets.map((s) => s.zone));
    }

    private add(found: Map<string, SubnetFacts>, subnet: PolicyResource): void {
        const facts = this.facts.get(subnet.urn);
        if (facts) found.set(subnet.urn, facts);
    }
}

/** Vpc3Az's registered `subnets` output: tier and zone per subnet id, on both clouds. */
function exportedSubnets(resources: readonly PolicyResource[]): Map<string, { tier: string; zone: string }> {
    const map = new Map<string, { tier: string; zone: string }>();
    for (const vpc of resources.filter((r) => r.type === Types.Vpc3Az)) {
        // The ids are unknown until the subnets exist; tiers and zones then come from the subnets themselves.
        const subnets = known(() => list<Record<string, unknown>>(vpc.props.subnets).map((s) => [String(s.id), String(s.tier ?? ""), String(s.zone ?? "")]), []);
        for (const [id, tier, zone] of subnets) map.set(id, { tier, zone });
    }
    return map;
}

/** An Azure subnet's tier: `AzureBastionSubnet` by its required name, else its NSG's tier tag. */
function azureTier(subnet: PolicyResource): string {
    if (subnet.props.subnetName === "AzureBastionSubnet") return "bastion";
    const nsg = dependenciesOf(subnet, "networkSecurityGroup")[0];
    return String(at(nsg?.props, `tags.${TagKeys.Tier}`) ?? "");
}

/** Azure subnets are regional; one served by a zonal NAT gateway belongs to that gateway's zone. */
function azureZone(subnet: PolicyResource): string {
    const nat = dependenciesOf(subnet, "natGateway")[0];
    const zones = list<string>(nat?.props.zones);
    return zones.length === 1 ? zones[0] : "";
}

/** The strings inside a property, or none while it is unknown (a preview before the subnets exist). */
function knownStrings(props: Record<string, unknown>, property: string): string[] {
    return known(() => strings(props[property]), []);
}

/** A resource's id, or "" while it is unknown. */
function idOf(r: PolicyResource): string {
    return known(() => String(r.props.id ?? ""), "");
}

/** Every string inside a value (subnet ids sit in lists and nested objects). */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

export function unique(values: string[]): string[] {
    return [...new Set(values)].sort();
}
