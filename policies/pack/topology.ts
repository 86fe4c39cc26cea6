/**
 * The network facts stack policies need, read from the resources the engine
 * passes to `analyzeStack`: every subnet with its tier and zone, and the
 * subnets and zones another resource is placed in. The rules are the engine's
 * zone reader (`engine/zones.ts`, compiled into the pack as `shared/zones`), the
 * same the offline plan and the zone-loss analysis use; this file only shows
 * it the policy resources.
 *
 * Links between resources follow the engine's property dependencies (the
 * resource a property was computed from) when ids are unknown, as during a
 * preview; dependencies are known then.
 */
import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOf, known } from "./common";
import { ZoneReader, ZoneResource } from "./shared/zones";

/** A subnet with its tier (`public`, `app`, `data`, `bastion`) and zone ("" for a regional subnet). */
export interface SubnetFacts {
    readonly resource: PolicyResource;
    readonly tier: string;
    readonly zone: string;
}

/** A policy resource as the zone reader sees it; an unknown value (a preview) reads as undefined. */
class PolicyView implements ZoneResource {
    readonly type: string;
    readonly urn: string;
    readonly custom: boolean;
    readonly id: string;

    constructor(readonly resource: PolicyResource, private readonly views: Map<string, PolicyView>) {
        this.type = resource.type;
        this.urn = resource.urn;
        this.custom = !resource.type.startsWith("intergalactic:") && resource.type !== "pulumi:pulumi:Stack";
        this.id = known(() => String(resource.props.id ?? ""), "");
    }

    prop(name: string): unknown {
        return known(() => plain(this.resource.props[name]), undefined);
    }

    propertyNames(): readonly string[] {
        return Object.keys(this.resource.props);
    }

    dependencies(property: string): readonly ZoneResource[] {
        return dependenciesOf(this.resource, property).map((d) => this.views.get(d.urn) ?? new PolicyView(d, this.views));
    }
}

export class Topology {
    private readonly views = new Map<string, PolicyView>();
    private readonly reader: ZoneReader<PolicyView>;

    constructor(readonly resources: readonly PolicyResource[]) {
        for (const r of resources) this.views.set(r.urn, new PolicyView(r, this.views));
        this.reader = new ZoneReader([...this.views.values()]);
    }

    /** Every subnet of the stack. */
    subnets(): SubnetFacts[] {
        return this.reader.subnets().map(facts);
    }

    /** The zones the network spans, sorted: those of its zonal subnets and those Vpc3Az says it spans. */
    zones(): string[] {
        return this.reader.zones();
    }

    /** The zones the zonal subnets span, sorted. */
    subnetZones(): string[] {
        return this.reader.subnetZones();
    }

    /** The subnets a resource is placed in (see `engine/zones.ts`). */
    subnetsOf(resource: PolicyResource): SubnetFacts[] {
        return this.reader.subnetsOf(this.view(resource)).map(facts);
    }

    /** Zones of the subnets named by id or `Name` tag (e.g. in an annotation). */
    zonesOfNamed(refs: readonly string[]): string[] {
        return this.reader.zonesOfNamed(refs);
    }

    /** Zones of the subnets of a tier. */
    zonesOfTier(tier: string): string[] {
        return this.reader.zonesOfTier(tier);
    }

    /** The zones a resource is in; a regional subnet counts as every zone of the network (see `engine/zones.ts`). */
    zonesOf(resource: PolicyResource): string[] {
        return this.reader.zonesOf(this.view(resource));
    }

    private view(resource: PolicyResource): PolicyView {
        return this.views.get(resource.urn) ?? new PolicyView(resource, this.views);
    }
}

function facts(f: { resource: PolicyView; tier: string; zone: string }): SubnetFacts {
    return { resource: f.resource.resource, tier: f.tier, zone: f.zone };
}

/** A plain copy of a value, reading every part of it (an unknown part throws, and the caller's `known` catches it). */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
}

export function unique(values: string[]): string[] {
    return [...new Set(values)].sort();
}
