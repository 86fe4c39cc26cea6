/**
 * Turns a recorded plan into scheduling tasks: one per cloud resource, timed
 * from the creation-times table, waiting on what the engine waits on
 * (`engine/dependencies.ts`).
 */
import { DependencyGraph, providerUrn } from "../../engine/dependencies";
import { Plan } from "../../engine/format";
import { CreationTimes, PricedBy, priceType } from "./creationTimes";
import { Task } from "./schedule";

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
