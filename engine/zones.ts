/**
 * The one answer to "which zones is this resource in", for the plan graph
 * (`graph.ts`, over a recorded plan) and the policy pack (`policies/pack/topology.ts`,
 * over the resources the engine passes to a stack policy). Both hand it the
 * same view of a resource; only how a view reads its source differs.
 *
 * The rules, in order:
 * 1. A component is in no zone of its own (its `zones` output summarises its children).
 * 2. A resource that names its zones (`availabilityZone(s)`, `preferredCacheClusterAzs`, `zones`,
 *    or our zone tag) is in those.
 * 3. A subnet is in its zone: the one Vpc3Az exports for it, else its own `availabilityZone` (AWS),
 *    else the zone of the one zonal NAT gateway serving it (Azure); a regional subnet is in none.
 * 4. Anything else is in the zones of the subnets it is placed in, found by the subnet ids its
 *    subnet properties hold (directly, nested, or through a subnet group), else, while the ids are
 *    unknown (a preview), by its property dependencies. A regional subnet counts as every zone of
 *    the network.
 *
 * Pure and self-contained (it imports only the tag keys): the policy pack compiles it in.
 */
import { TagKeys } from "./tags";

/** A resource as the zone reader sees it. */
export interface ZoneResource {
    readonly type: string;
    readonly urn: string;
    /** False for a component resource. */
    readonly custom: boolean;
    /** The resource's id; "" while unknown. */
    readonly id: string;
    /** A property (what the program set, or a component's registered output); undefined while unknown. */
    prop(name: string): unknown;
    /** The names of its properties. */
    propertyNames(): readonly string[];
    /** The resources a property was computed from (the engine's property dependencies). */
    dependencies(property: string): readonly ZoneResource[];
}

/** A subnet with its tier (`public`, `app`, `data`, `bastion`) and zone ("" for a regional subnet). */
export interface SubnetFacts<R extends ZoneResource> {
    readonly resource: R;
    readonly tier: string;
    readonly zone: string;
}

/** A subnet as Vpc3Az exports it (its `subnets` output). */
export interface ExportedSubnet {
    readonly id: string;
    readonly tier: string;
    /** "" for a regional subnet. */
    readonly zone: string;
    readonly cidr: string;
}

export const ZoneTypes = {
    AwsSubnet: "aws:ec2/subnet:Subnet",
    AzureSubnet: "azure-native:network:Subnet",
    AwsCacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    AwsDocDbSubnetGroup: "aws:docdb/subnetGroup:SubnetGroup",
    Vpc3Az: "intergalactic:index:Vpc3Az",
} as const;

const SUBNET_TYPES: readonly string[] = [ZoneTypes.AwsSubnet, ZoneTypes.AzureSubnet];
const SUBNET_GROUP_TYPES: readonly string[] = [ZoneTypes.AwsCacheSubnetGroup, ZoneTypes.AwsDocDbSubnetGroup];
/** Top-level properties that place a resource in subnets, by the providers' names; any other property counts where a key in it names a subnet. */
const SUBNET_PROPERTIES: readonly string[] = ["subnetId", "subnetIds", "subnets", "subnetMappings", "vpcZoneIdentifiers", "clientSubnets", "brokerNodeGroupInfo", "vnetSubnetID", "subnet", "subnetGroupName", "dbSubnetGroupName", "agentPoolProfiles", "vpcConfig"];
/** Properties naming a resource's own zones. */
const ZONE_PROPERTIES: readonly string[] = ["availabilityZone", "availabilityZones", "preferredCacheClusterAzs", "zones"];

export class ZoneReader<R extends ZoneResource> {
    private readonly facts = new Map<string, SubnetFacts<R>>();
    private readonly byId = new Map<string, SubnetFacts<R>>();
    private readonly exported: ExportedSubnet[];
    private readonly networkZones: string[];

    constructor(resources: readonly R[]) {
        const vpcs = resources.filter((r) => r.type === ZoneTypes.Vpc3Az);
        this.exported = vpcs.flatMap((v) => list(v.prop("subnets")).map(exportedSubnet));
        this.networkZones = vpcs.flatMap((v) => strings(v.prop("zones")));
        const exportedById = new Map(this.exported.filter((s) => s.id !== "").map((s) => [s.id, s]));
        for (const r of resources) {
            if (!SUBNET_TYPES.includes(r.type)) continue;
            const fromVpc = exportedById.get(r.id);
            const facts = r.type === ZoneTypes.AwsSubnet
                ? { resource: r, tier: fromVpc?.tier ?? tagOf(r, TagKeys.Tier), zone: fromVpc?.zone ?? (strings(r.prop("availabilityZone"))[0] || tagOf(r, TagKeys.Zone)) }
                : { resource: r, tier: fromVpc?.tier ?? azureTier(r), zone: fromVpc?.zone ?? azureZone(r) };
            this.facts.set(r.urn, facts);
            if (r.id !== "") this.byId.set(r.id, facts);
        }
    }

    /** Every subnet of the plan or stack. */
    subnets(): SubnetFacts<R>[] {
        return [...this.facts.values()];
    }

    /** Every subnet Vpc3Az exports: id, tier, zone ("" when regional), cidr, in its order. */
    networkSubnets(): ExportedSubnet[] {
        return this.exported;
    }

    /** The zones the network spans, sorted: those Vpc3Az says it spans and those of its zonal subnets. */
    zones(): string[] {
        return sorted([...this.networkZones, ...this.subnetZones()]);
    }

    /** The zones the zonal subnets span, sorted. */
    subnetZones(): string[] {
        return sorted(this.subnets().map((s) => s.zone));
    }

    /** Zones of the subnets of a tier, sorted. */
    zonesOfTier(tier: string): string[] {
        return sorted(this.subnets().filter((s) => s.tier === tier).map((s) => s.zone));
    }

    /** Zones of the subnets named by id or `Name` tag (e.g. in an annotation), sorted. */
    zonesOfNamed(refs: readonly string[]): string[] {
        return sorted(this.subnets().filter((s) => refs.includes(s.resource.id) || refs.includes(tagOf(s.resource, "Name"))).map((s) => s.zone));
    }

    /**
     * The subnets a resource is placed in: by the subnet ids its subnet properties hold, directly or
     * through a subnet group (exact), else by property dependencies (while the ids are unknown; an id
     * taken from a list output depends on the whole list, so this may over-approximate).
     */
    subnetsOf(resource: ZoneResource): SubnetFacts<R>[] {
        const exact = [...this.named(subnetIdsOf(resource, resource.propertyNames())), ...this.groupsOf(resource).flatMap((g) => this.named(strings(g.prop("subnetIds"))))];
        if (exact.length > 0) return distinct(exact);
        const found: SubnetFacts<R>[] = [];
        for (const property of SUBNET_PROPERTIES) {
            for (const dep of resource.dependencies(property)) {
                const own = this.facts.get(dep.urn);
                if (own) found.push(own);
                if (SUBNET_GROUP_TYPES.includes(dep.type)) dep.dependencies("subnetIds").forEach((s) => this.facts.has(s.urn) && found.push(this.facts.get(s.urn)!));
            }
        }
        return distinct(found);
    }

    /** The zones a resource is in, by the rules at the top of this file. */
    zonesOf(resource: ZoneResource): string[] {
        if (!resource.custom) return [];
        const direct = unique([...ZONE_PROPERTIES.flatMap((p) => strings(resource.prop(p))), tagOf(resource, TagKeys.Zone)]);
        if (direct.length > 0) return direct;
        const own = this.facts.get(resource.urn);
        if (own) return own.zone === "" ? [] : [own.zone];
        const subnets = this.subnetsOf(resource);
        if (subnets.some((s) => s.zone === "")) return this.zones();
        return sorted(subnets.map((s) => s.zone));
    }

    private named(ids: readonly string[]): SubnetFacts<R>[] {
        return ids.map((id) => this.byId.get(id)).filter((f): f is SubnetFacts<R> => f !== undefined);
    }

    private groupsOf(resource: ZoneResource): ZoneResource[] {
        return SUBNET_PROPERTIES.flatMap((p) => resource.dependencies(p)).filter((d) => SUBNET_GROUP_TYPES.includes(d.type));
    }
}

/** The strings a resource's subnet properties hold, and those under any key naming a subnet (e.g. `ipConfigurations[].subnet.id`). */
function subnetIdsOf(resource: ZoneResource, names: readonly string[]): string[] {
    return names.flatMap((p) => SUBNET_PROPERTIES.includes(p) || SUBNET_KEY.test(p) ? strings(resource.prop(p)) : underSubnetKeys(resource.prop(p)));
}

const SUBNET_KEY = /subnet/i;

function underSubnetKeys(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(underSubnetKeys);
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => SUBNET_KEY.test(k) ? strings(v) : underSubnetKeys(v));
}

function exportedSubnet(value: unknown): ExportedSubnet {
    const s = (value ?? {}) as Record<string, unknown>;
    return { id: String(s.id ?? ""), tier: String(s.tier ?? ""), zone: String(s.zone ?? ""), cidr: String(s.cidr ?? "") };
}

/** An Azure subnet's tier: `AzureBastionSubnet` by its required name, else its NSG's tier tag. */
function azureTier(subnet: ZoneResource): string {
    if (subnet.prop("subnetName") === "AzureBastionSubnet") return "bastion";
    const nsg = subnet.dependencies("networkSecurityGroup")[0];
    return nsg ? tagOf(nsg, TagKeys.Tier) : "";
}

/** Azure subnets are regional; one served by a zonal NAT gateway belongs to that gateway's zone. */
function azureZone(subnet: ZoneResource): string {
    const nat = subnet.dependencies("natGateway")[0];
    const zones = nat ? strings(nat.prop("zones")) : [];
    return zones.length === 1 ? zones[0] : "";
}

function tagOf(resource: ZoneResource, key: string): string {
    const tags = resource.prop("tags");
    const value = tags !== null && typeof tags === "object" ? (tags as Record<string, unknown>)[key] : undefined;
    return typeof value === "string" ? value : "";
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** Every non-empty string inside a value (subnet ids and zones sit in lists and nested objects). */
function strings(value: unknown): string[] {
    if (typeof value === "string") return value === "" ? [] : [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

function unique(values: readonly string[]): string[] {
    return [...new Set(values.filter((v) => v !== ""))];
}

function sorted(values: readonly string[]): string[] {
    return unique(values).sort();
}

function distinct<T extends { resource: { urn: string } }>(facts: readonly T[]): T[] {
    return [...new Map(facts.map((f) => [f.resource.urn, f])).values()];
}
