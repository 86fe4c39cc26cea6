/**
 * Turns a recorded plan into scheduling tasks: one per cloud resource, timed
 * from the creation-times table, waiting on what the engine waits on
 * (`engine/dependencies.ts`).
 */
import { DependencyGraph, providerUrn } from "../../engine/dependencies";
import { Plan } from "../../engine/format";
import { CreationTimes, PricedBy, priceType } from "./creationTimes";
import { Task } from "./schedule";
import { GateFinder } from "../../engine/deployability/gates";
import { ALL_RULES } from "../../engine/deployability/rules";

/** A task that knows which resource it stands for. */
export interface ResourceTask extends Task {
    readonly type: string;
    readonly name: string;
    readonly pricedBy: PricedBy;
}

/** One task per cloud resource of the plan, in registration order. */
export function planTasks(plan: Plan, table: CreationTimes): ResourceTask[] {
    // The very graph the deployability analysis checks, so the estimate's critical path shows the deploy order.
    const graph = new DependencyGraph(plan);
    return graph.ordered().map((r) => {
        const priced = priceType(table, r.type);
        return { id: r.urn, type: r.type, name: r.name, seconds: priced.seconds, pricedBy: priced.via, deps: graph.direct(r.urn) };
    });
}

export { providerUrn };

/**
 * The same tasks waiting only on what the cloud requires: the values they need (property
 * dependencies: an input computed from another resource's output), their provider, and the gates
 * of the deployability rules (what must exist first, siblings the cloud serialises, in the order
 * the plan chose). Other `dependsOn` edges are left out: they could be reordered, these cannot.
 * The critical path of these tasks is the honest lower bound of a first up: only faster resources
 * shorten it.
 */
export function valueTasks(plan: Plan, table: CreationTimes): ResourceTask[] {
    const edges = requiredEdges(plan);
    return new DependencyGraph(plan).ordered().map((r) => {
        const priced = priceType(table, r.type);
        return { id: r.urn, type: r.type, name: r.name, seconds: priced.seconds, pricedBy: priced.via, deps: edges.get(r.urn) ?? [] };
    });
}

/** Per custom resource, what the cloud requires before it (see {@link valueTasks}). */
export function requiredEdges(plan: Plan): Map<string, string[]> {
    const graph = new DependencyGraph(plan);
    const gates = new GateFinder(graph);
    const custom = (urn: string): string[] => {
        const r = graph.byUrn.get(urn);
        if (!r) return [];
        return r.custom ? [urn] : graph.customBelow(urn);
    };
    return new Map(graph.ordered().map((r) => {
        const edges = new Set<string>(Object.values(r.propertyDependencies).flat().flatMap(custom));
        if (r.options.provider) custom(providerUrn(r.options.provider)).forEach((u) => edges.add(u));
        for (const need of ALL_RULES[r.type]?.needs ?? []) {
            const demand = gates.demand(need.gate, r);
            demand.required.filter((g) => g.custom).forEach((g) => edges.add(g.urn));
            (demand.orderedWith ?? []).filter((o) => graph.dependsOn(r.urn, o.urn)).forEach((o) => edges.add(o.urn));
        }
        edges.delete(r.urn);
        return [r.urn, [...edges]];
    }));
}
