/**
 * Turns a recorded plan into scheduling tasks: one per cloud resource, timed
 * from the creation-times table, waiting on what the engine waits on.
 */
import { Plan, PlannedResource } from "../plan/format";
import { CreationTimes, PricedBy, priceType } from "./creationTimes";
import { Task } from "./schedule";

/** A task that knows which resource it stands for. */
export interface ResourceTask extends Task {
    readonly type: string;
    readonly name: string;
    readonly pricedBy: PricedBy;
}

/**
 * The URN in a provider reference (`<urn>::<id>`); URNs contain `::` themselves,
 * so the id is whatever follows the last one.
 */
export function providerUrn(reference: string): string {
    const cut = reference.lastIndexOf("::");
    return cut > 0 ? reference.slice(0, cut) : reference;
}

/**
 * What a resource waits for before the engine creates it: its recorded
 * dependencies (explicit `dependsOn` and those through Outputs) and its explicit
 * provider. A component stands for all the cloud resources below it, since it
 * takes no time itself and is done when they are.
 */
function waitsFor(resource: PlannedResource, byUrn: Map<string, PlannedResource>, customBelow: (urn: string) => string[]): string[] {
    const direct = [...resource.dependencies];
    if (resource.options.provider) direct.push(providerUrn(resource.options.provider));
    const result = new Set<string>();
    for (const urn of direct) {
        const dep = byUrn.get(urn);
        if (!dep || urn === resource.urn) continue;
        if (dep.custom) result.add(urn);
        else customBelow(urn).forEach((u) => u !== resource.urn && result.add(u));
    }
    return [...result];
}

/** Memoised: the custom resources under each component, at any depth. */
function customDescendants(plan: Plan): (urn: string) => string[] {
    const children = new Map<string, PlannedResource[]>();
    for (const r of plan.resources) {
        const siblings = children.get(r.parent) ?? [];
        siblings.push(r);
        children.set(r.parent, siblings);
    }
    const memo = new Map<string, string[]>();
    const below = (urn: string): string[] => {
        const cached = memo.get(urn);
        if (cached) return cached;
        const found = (children.get(urn) ?? []).flatMap((c) => (c.custom ? [c.urn] : below(c.urn)));
        memo.set(urn, found);
        return found;
    };
    return below;
}

/** One task per cloud resource of the plan, in registration order. */
export function planTasks(plan: Plan, table: CreationTimes): ResourceTask[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const below = customDescendants(plan);
    return plan.resources
        .filter((r) => r.custom)
        .map((r) => {
            const priced = priceType(table, r.type);
            return { id: r.urn, type: r.type, name: r.name, seconds: priced.seconds, pricedBy: priced.via, deps: waitsFor(r, byUrn, below) };
        });
}
