/**
 * The dependency graph the deployment engine orders a plan by, in one place, so
 * the spin-up estimate and the deployability analysis read the same edges.
 *
 * The engine creates a resource only after everything it depends on, and
 * deletes it before any of them (pulumi/pulumi `pkg/resource/graph`
 * `DependingOn`: dependencies, property dependencies, `deletedWith` and the
 * resource's provider). A component takes no time and creates nothing itself:
 * depending on one means depending on the custom resources below it.
 */
import { Plan, PlannedResource } from "./format";

/**
 * The URN in a provider reference (`<urn>::<id>`); URNs contain `::` themselves,
 * so the id is whatever follows the last one.
 */
export function providerUrn(reference: string): string {
    const cut = reference.lastIndexOf("::");
    return cut > 0 ? reference.slice(0, cut) : reference;
}

/** The edges of one resource as recorded: dependencies, property dependencies, `deletedWith` and its provider. */
export function recordedEdges(resource: PlannedResource): string[] {
    const edges = new Set<string>(resource.dependencies);
    for (const deps of Object.values(resource.propertyDependencies)) deps.forEach((d) => edges.add(d));
    if (resource.options.deletedWith) edges.add(resource.options.deletedWith);
    if (resource.options.provider) edges.add(providerUrn(resource.options.provider));
    edges.delete(resource.urn);
    return [...edges];
}

/** Cloud resources and providers are what the engine orders; components only group them. */
const isOrdered = (r: PlannedResource) => r.custom;

/** An index of the plan's ordering edges between custom resources (providers included). */
export class DependencyGraph {
    readonly byUrn: Map<string, PlannedResource>;
    private readonly children = new Map<string, PlannedResource[]>();
    private readonly customBelowMemo = new Map<string, string[]>();
    private readonly directMemo = new Map<string, string[]>();
    private readonly closureMemo = new Map<string, ReadonlySet<string>>();
    private readonly dependentsIndex = new Map<string, string[]>();

    constructor(readonly plan: Plan) {
        this.byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        for (const r of plan.resources) {
            const siblings = this.children.get(r.parent) ?? [];
            siblings.push(r);
            this.children.set(r.parent, siblings);
        }
        for (const r of this.ordered()) {
            for (const d of this.direct(r.urn)) {
                const list = this.dependentsIndex.get(d) ?? [];
                list.push(r.urn);
                this.dependentsIndex.set(d, list);
            }
        }
    }

    /** The custom resources (and providers) of the plan, in registration order. */
    ordered(): PlannedResource[] {
        return this.plan.resources.filter(isOrdered);
    }

    /** The custom resources below a component, at any depth. */
    customBelow(urn: string): string[] {
        const cached = this.customBelowMemo.get(urn);
        if (cached) return cached;
        const found = (this.children.get(urn) ?? []).flatMap((c) => (isOrdered(c) ? [c.urn] : this.customBelow(c.urn)));
        this.customBelowMemo.set(urn, found);
        return found;
    }

    /** What the engine waits for before creating `urn` (and deletes only after it): custom resources only. */
    direct(urn: string): string[] {
        const cached = this.directMemo.get(urn);
        if (cached) return cached;
        const resource = this.byUrn.get(urn);
        const result = new Set<string>();
        for (const edge of resource ? recordedEdges(resource) : []) {
            const dep = this.byUrn.get(edge);
            if (!dep) continue;
            if (isOrdered(dep)) result.add(edge);
            else this.customBelow(edge).forEach((u) => u !== urn && result.add(u));
        }
        const list = [...result];
        this.directMemo.set(urn, list);
        return list;
    }

    /** The resources that wait for `urn` directly. */
    dependents(urn: string): string[] {
        return this.dependentsIndex.get(urn) ?? [];
    }

    /** Everything `urn` waits for, directly or not. */
    closure(urn: string): ReadonlySet<string> {
        const cached = this.closureMemo.get(urn);
        if (cached) return cached;
        const seen = new Set<string>();
        const pending = [...this.direct(urn)];
        while (pending.length > 0) {
            const next = pending.pop()!;
            if (seen.has(next)) continue;
            seen.add(next);
            const known = this.closureMemo.get(next);
            if (known) known.forEach((k) => seen.add(k));
            else pending.push(...this.direct(next));
        }
        this.closureMemo.set(urn, seen);
        return seen;
    }

    /** True when the engine creates `dependency` before `urn` and deletes it after `urn`. */
    dependsOn(urn: string, dependency: string): boolean {
        return this.closure(urn).has(dependency);
    }
}
