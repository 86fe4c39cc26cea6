/**
 * Queries over a recorded plan: parents and ancestors, the component a
 * resource belongs to, and the zones a resource lives in (the zone reader of
 * `zones.ts`, shared with the policy pack).
 */
import { Plan, PlannedResource } from "./format";
import { TagKeys } from "./tags";
import { ExportedSubnet, ZoneReader, ZoneResource } from "./zones";

/** A recorded resource as the zone reader sees it: what the program set (a component's registered outputs). */
class PlanView implements ZoneResource {
    readonly type: string;
    readonly urn: string;
    readonly custom: boolean;
    readonly id: string;
    private readonly props: Record<string, unknown>;

    constructor(readonly resource: PlannedResource, private readonly views: Map<string, PlanView>) {
        this.type = resource.type;
        this.urn = resource.urn;
        this.custom = resource.custom;
        this.id = resource.id;
        this.props = resource.custom ? resource.inputs : resource.outputs;
    }

    prop(name: string): unknown {
        return this.props[name];
    }

    propertyNames(): readonly string[] {
        return Object.keys(this.props);
    }

    dependencies(property: string): readonly ZoneResource[] {
        return (this.resource.propertyDependencies[property] ?? []).map((urn) => this.views.get(urn)).filter((v): v is PlanView => v !== undefined);
    }
}

/** An index over a plan for fast lookups. */
export class PlanGraph {
    readonly byUrn = new Map<string, PlannedResource>();
    private readonly childrenOf = new Map<string, PlannedResource[]>();
    private readonly views = new Map<string, PlanView>();
    private readonly zoneReader: ZoneReader<PlanView>;

    constructor(readonly plan: Plan) {
        for (const r of plan.resources) {
            this.byUrn.set(r.urn, r);
            const siblings = this.childrenOf.get(r.parent) ?? [];
            siblings.push(r);
            this.childrenOf.set(r.parent, siblings);
            this.views.set(r.urn, new PlanView(r, this.views));
        }
        this.zoneReader = new ZoneReader([...this.views.values()]);
    }

    /** Every subnet exported by the plan's Vpc3Az components: id, tier, zone ("" when regional), cidr. */
    networkSubnets(): ExportedSubnet[] {
        return this.zoneReader.networkSubnets();
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

    /** The zones a resource is in (see `zones.ts` for the rules). */
    zonesOf(resource: PlannedResource): string[] {
        return this.zoneReader.zonesOf(this.views.get(resource.urn) ?? new PlanView(resource, this.views));
    }

    /** The tier a resource is tagged with, if any. */
    tierOf(resource: PlannedResource): string | undefined {
        const tags = resource.inputs.tags as Record<string, string> | undefined;
        return tags?.[TagKeys.Tier];
    }
}
