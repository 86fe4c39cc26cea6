/**
 * Queries over a recorded plan: parents and ancestors, the component a
 * resource belongs to, and the zones a resource lives in (directly, or through
 * the subnets it references).
 */
import { Plan, PlannedResource } from "./format";
import { TagKeys } from "./tags";

/** Input properties that reference subnets, by the name the providers use. */
const SUBNET_REFERENCES = ["subnetId", "subnetIds", "vpcZoneIdentifiers", "clientSubnets", "subnets", "vnetSubnetID"];

/** An index over a plan for fast lookups. */
export class PlanGraph {
    readonly byUrn = new Map<string, PlannedResource>();
    private readonly subnetZoneById = new Map<string, string>();
    private readonly childrenOf = new Map<string, PlannedResource[]>();

    constructor(readonly plan: Plan) {
        for (const r of plan.resources) {
            this.byUrn.set(r.urn, r);
            const siblings = this.childrenOf.get(r.parent) ?? [];
            siblings.push(r);
            this.childrenOf.set(r.parent, siblings);
            const zone = directZones(r)[0];
            if (/subnet/i.test(r.type) && zone) this.subnetZoneById.set(r.id, zone);
        }
        // Vpc3Az exports every subnet with its tier and zone, which covers clouds whose subnets carry no zone.
        for (const info of this.networkSubnets()) {
            if (info.zone) this.subnetZoneById.set(info.id, info.zone);
        }
    }

    /** Every subnet exported by the plan's Vpc3Az components: id, tier, zone ("" when regional), cidr. */
    networkSubnets(): { id: string; tier: string; zone: string; cidr: string }[] {
        return this.plan.resources
            .filter((r) => r.type === "intergalactic:index:Vpc3Az")
            .flatMap((r) => (r.outputs.subnets as { id: string; tier: string; zone: string; cidr: string }[] | undefined) ?? []);
    }

    children(urn: string): PlannedResource[] {
        return this.childrenOf.get(urn) ?? [];
    }

    /** Every resource below `urn`, depth first. */
    descendants(urn: string): PlannedResource[] {
        return this.children(urn).flatMap((c) => [c, ...this.descendants(c.urn)]);
    }

    /** The outermost component (below the stack) that contains the resource, or the resource itself. */
    topComponent(resource: PlannedResource): PlannedResource {
        let current = resource;
        for (;;) {
            const parent = this.byUrn.get(current.parent);
            if (!parent || parent.type === "pulumi:pulumi:Stack") return current;
            current = parent;
        }
    }

    /** Zones of a resource: its own zone fields, or the zones of the subnets it references. */
    zonesOf(resource: PlannedResource): string[] {
        const direct = directZones(resource);
        if (direct.length > 0) return direct;
        const own = this.subnetZoneById.get(resource.id);
        if (own) return [own];
        const ids = SUBNET_REFERENCES.flatMap((key) => collectStrings(resource.inputs[key]));
        const nested = collectNestedSubnetIds(resource.inputs);
        return unique([...ids, ...nested].map((id) => this.subnetZoneById.get(id)).filter((z): z is string => !!z));
    }

    /** The tier a resource is tagged with, if any. */
    tierOf(resource: PlannedResource): string | undefined {
        const tags = resource.inputs.tags as Record<string, string> | undefined;
        return tags?.[TagKeys.Tier];
    }
}

/** Zones named on the resource itself: AWS `availabilityZone(s)`, Azure `zones`, or our zone tag. */
function directZones(resource: PlannedResource): string[] {
    const i = resource.inputs;
    const tags = i.tags as Record<string, string> | undefined;
    return unique([
        ...collectStrings(i.availabilityZone),
        ...collectStrings(i.availabilityZones),
        ...collectStrings(i.preferredCacheClusterAzs),
        ...collectStrings(i.zones),
        ...(tags?.[TagKeys.Zone] ? [tags[TagKeys.Zone]] : []),
    ]);
}

function collectStrings(value: unknown): string[] {
    if (typeof value === "string") return value === "" ? [] : [value];
    if (Array.isArray(value)) return value.flatMap(collectStrings);
    return [];
}

/** Subnet ids nested in objects, e.g. `brokerNodeGroupInfo.clientSubnets` or `ipConfigurations[].subnet.id`. */
function collectNestedSubnetIds(value: unknown, key = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((v) => collectNestedSubnetIds(v, key));
    if (value === null || typeof value !== "object") {
        return typeof value === "string" && /subnet/i.test(key) ? [value] : [];
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        k === "id" && /subnet/i.test(key) ? collectStrings(v) : collectNestedSubnetIds(v, /subnet/i.test(k) ? k : key));
}

function unique<T>(values: T[]): T[] {
    return [...new Set(values)];
}
