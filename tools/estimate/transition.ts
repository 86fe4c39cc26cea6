/**
 * Transition estimates: how long the engine takes to move a stack from one
 * plan to another (nothing -> running, running -> nothing, and between any
 * two plans of the same stack), with create, update and delete times per type.
 *
 * The model is the engine's own order (pulumi/pulumi
 * `pkg/resource/deploy/deployment_executor.go`, `step_generator.go`):
 * - creates and updates run while the program registers resources: each after
 *   the resources it depends on in the new plan, unchanged ones (`same`) at no cost;
 * - deletes of resources the new plan drops run only after the program is done,
 *   in "antichains" (`ScheduleDeletes`): resources whose dependencies among the
 *   condemned are all in earlier chains, executed last chain first, each chain
 *   finishing before the next starts. So deletes follow the reverse dependency
 *   graph, and a delete round lasts as long as its slowest member.
 * Replacements cannot be told apart from updates offline (mocks diff nothing);
 * they are priced as updates.
 */
import { DependencyGraph } from "../../engine/dependencies";
import { Plan, PlannedResource } from "../../engine/format";
import { PricedBy } from "./creationTimes";
import { formatDuration } from "./estimate";
import { Operation, OperationTimes, priceOperation } from "./operationTimes";
import { Task, criticalPath, simulate } from "./schedule";

/** The label of the empty state: no stack resources at all. */
export const NOTHING = "nothing";

/** A named state of a stack: a plan, or nothing. */
export interface StackState {
    readonly label: string;
    /** `undefined` for nothing. */
    readonly plan?: Plan;
}

/** One resource's step in a transition. */
export interface TransitionTask extends Task {
    readonly type: string;
    readonly name: string;
    readonly op: Operation;
    readonly pricedBy: PricedBy;
}

/** A delete task and its antichain: higher chains run first. */
export interface DeleteTask extends TransitionTask {
    readonly chain: number;
}

/** One step of a transition's critical path. */
export interface TransitionPathStep {
    readonly op: Operation;
    readonly type: string;
    readonly name: string;
    readonly start: number;
    readonly seconds: number;
}

export interface TransitionEstimate {
    readonly stack: string;
    readonly cloud: string;
    readonly from: string;
    readonly to: string;
    readonly parallelism: number;
    readonly counts: Readonly<Record<Operation, number>>;
    /** Seconds of the program phase (creates and updates). */
    readonly programSeconds: number;
    /** Seconds of the delete rounds after it. */
    readonly deleteSeconds: number;
    readonly deleteRounds: number;
    readonly predictedSeconds: number;
    /** With a serving model: when the last workload serves (may be before the engine finishes). */
    readonly servingSeconds?: number;
    /** The program's critical path (unchanged resources left out), then the slowest delete of each round. */
    readonly criticalPath: TransitionPathStep[];
    /** Protected resources the transition would delete: the engine refuses until `protect` is lifted. */
    readonly refusedDeletes: string[];
    /** Updates the cloud refuses as one request: a power state changed with other inputs (`POWER_STATE_INPUTS`), as `name (inputs)`. */
    readonly refusedUpdates: string[];
    /** Types a figure of which came from a table's default. */
    readonly defaultPricedTypes: string[];
}

/**
 * Types whose power state is one input beside the others, and the cloud's rule for changing it. AKS: an agent
 * pool is stopped or started by a PUT with `powerState` ("An Agent Pool can only be stopped if it is Running and
 * provisioning state is Succeeded", the AgentPool API's powerState), and one pool takes one operation at a time:
 * "You can't simultaneously run upgrade and scale operations on a cluster or node pool ... Each operation type must
 * complete on the target resource prior to the next request". So one update that changes the power state and any
 * other input asks for two operations in one request; it must be two `up`s, the power change alone.
 */
export const POWER_STATE_INPUTS: Readonly<Record<string, { readonly input: string; readonly source: string }>> = {
    "azure-native:containerservice:AgentPool": {
        input: "powerState",
        source: "Azure/azure-rest-api-specs#16105 (the AgentPool powerState); https://learn.microsoft.com/azure/aks/manage-node-pools (Limitations)",
    },
};

/** The inputs besides the power state that an update changes together with it; none when the power state stays. */
export function changedWithPower(before: PlannedResource, after: PlannedResource): string[] {
    const rule = POWER_STATE_INPUTS[after.type];
    if (!rule || before.type !== after.type) return [];
    if (canonical(before.inputs[rule.input]) === canonical(after.inputs[rule.input])) return [];
    const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
    return [...keys].filter((k) => k !== rule.input && canonical(before.inputs[k]) !== canonical(after.inputs[k])).sort();
}

/** Inputs as canonical JSON: key order never makes an update. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value !== null && typeof value === "object") {
        return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** What the engine does to a resource of the new plan, given the old one. */
export function operationFor(before: PlannedResource | undefined, after: PlannedResource): Operation {
    if (!before) return Operation.Create;
    return canonical(before.inputs) === canonical(after.inputs) && before.type === after.type ? Operation.Same : Operation.Update;
}

/** The program phase: one task per custom resource of `to`, waiting on its dependencies in `to`. */
export function programTasks(from: Plan | undefined, to: Plan | undefined, times: OperationTimes, serving?: (r: PlannedResource) => Operation | undefined,
    edges?: ReadonlyMap<string, string[]>, servingSeconds?: (r: PlannedResource) => number | undefined): TransitionTask[] {
    if (!to) return [];
    const before = new Map((from?.resources ?? []).map((r) => [r.urn, r]));
    const graph = new DependencyGraph(to);
    return graph.ordered().map((r) => {
        const planned = operationFor(before.get(r.urn), r);
        const op = planned === Operation.Same ? serving?.(r) ?? planned : planned;
        const priced = priceOperation(times, op, r.type);
        const own = op === Operation.Same ? undefined : servingSeconds?.(r);
        return { id: r.urn, type: r.type, name: r.name, op, seconds: own ?? priced.seconds, pricedBy: own === undefined ? priced.via : PricedBy.Type, deps: edges?.get(r.urn) ?? graph.direct(r.urn) };
    });
}

/** The delete phase: the custom resources of `from` that `to` drops, each in its antichain. */
export function deleteTasks(from: Plan | undefined, to: Plan | undefined, times: OperationTimes): DeleteTask[] {
    if (!from) return [];
    const kept = new Set((to?.resources ?? []).map((r) => r.urn));
    const graph = new DependencyGraph(from);
    const condemned = graph.ordered().filter((r) => !kept.has(r.urn));
    const condemnedUrns = new Set(condemned.map((r) => r.urn));
    const chain = new Map<string, number>();
    const chainOf = (urn: string): number => {
        const known = chain.get(urn);
        if (known !== undefined) return known;
        const deps = graph.direct(urn).filter((d) => condemnedUrns.has(d));
        const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(chainOf));
        chain.set(urn, value);
        return value;
    };
    return condemned.map((r) => {
        const priced = r.options.retainOnDelete ? { seconds: times.retained.seconds, via: PricedBy.Type }
            : r.options.deletedWith && condemnedUrns.has(r.options.deletedWith) ? { seconds: times.deletedWith.seconds, via: PricedBy.Type }
                : priceOperation(times, Operation.Delete, r.type);
        return { id: r.urn, type: r.type, name: r.name, op: Operation.Delete, seconds: priced.seconds, pricedBy: priced.via, deps: [], chain: chainOf(r.urn) };
    });
}

/** Estimates the transition between two states of one stack at `parallelism` (the CLI's default when omitted). */
/** How to predict serving rather than the engine's finish: extra steps, and the edges serving waits on. */
export interface ServingModel {
    /** An operation for a resource whose inputs are unchanged but which still takes time before the stack serves. */
    readonly op: (r: PlannedResource) => Operation | undefined;
    /** Per resource, what serving waits for; the engine's order when absent. */
    readonly edges?: ReadonlyMap<string, string[]>;
    /** Seconds for a serving step that the operation tables do not price (e.g. a load balancer's target health checks). */
    readonly seconds?: (r: PlannedResource) => number | undefined;
}

export function estimateTransition(from: StackState, to: StackState, times: OperationTimes, parallelism?: number, serving?: ServingModel): TransitionEstimate {
    const edges = serving?.edges;
    const plan = to.plan ?? from.plan;
    if (!plan) throw new Error(`a transition needs a plan on at least one side (${from.label} -> ${to.label})`);
    if (from.plan && to.plan && from.plan.stack !== to.plan.stack) throw new Error(`${from.label} is stack ${from.plan.stack} and ${to.label} is stack ${to.plan.stack}: a transition is within one stack`);
    const p = parallelism ?? times.create.cliDefaultParallelism.value;
    // `serving`: resources unchanged in inputs that still take time before the stack serves (pods rescheduled on woken nodes).
    const program = programTasks(from.plan, to.plan, times, serving?.op, edges, serving?.seconds);
    const deletes = deleteTasks(from.plan, to.plan, times);
    const programRun = simulate(program, p);
    const programSeconds = programRun.makespan;
    const workloads = new Set(serving && to.plan ? to.plan.resources.filter((r) => serving.op(r) !== undefined).map((r) => r.urn) : []);
    const servingSeconds = serving ? programRun.runs.filter((r) => workloads.has(r.id)).reduce((m, r) => Math.max(m, r.finish), 0) : undefined;
    const byId = new Map<string, TransitionTask>(program.map((t) => [t.id, t]));
    const path: TransitionPathStep[] = criticalPath(program).path
        .map((run) => ({ run, task: byId.get(run.id)! }))
        .filter(({ task }) => task.op !== Operation.Same)
        .map(({ run, task }) => ({ op: task.op, type: task.type, name: task.name, start: run.start, seconds: task.seconds }));
    const chains = [...new Set(deletes.map((d) => d.chain))].sort((a, b) => b - a);
    let clock = programSeconds;
    for (const c of chains) {
        const round = deletes.filter((d) => d.chain === c);
        const slowest = round.reduce((a, b) => (b.seconds > a.seconds ? b : a));
        path.push({ op: Operation.Delete, type: slowest.type, name: slowest.name, start: clock, seconds: slowest.seconds });
        clock += simulate(round, p).makespan;
    }
    const counts: Record<Operation, number> = { create: 0, update: 0, delete: deletes.length, same: 0 };
    program.forEach((t) => counts[t.op]++);
    const fromResources = new Map((from.plan?.resources ?? []).map((r) => [r.urn, r]));
    return {
        stack: plan.stack,
        cloud: plan.cloud,
        from: from.label,
        to: to.label,
        parallelism: p,
        counts,
        programSeconds,
        deleteSeconds: clock - programSeconds,
        deleteRounds: chains.length,
        predictedSeconds: clock,
        servingSeconds,
        criticalPath: path,
        refusedDeletes: deletes.filter((d) => fromResources.get(d.id)?.options.protect).map((d) => d.name),
        refusedUpdates: (to.plan?.resources ?? []).flatMap((r) => {
            const before = fromResources.get(r.urn);
            const others = before ? changedWithPower(before, r) : [];
            return others.length > 0 ? [`${r.name} (${POWER_STATE_INPUTS[r.type].input} with ${others.join(", ")})`] : [];
        }),
        defaultPricedTypes: [...new Set([...program, ...deletes].filter((t) => t.op !== Operation.Same && t.pricedBy === PricedBy.Default).map((t) => `${t.op} ${t.type}`))].sort(),
    };
}

/** The estimate as text: totals, then the critical path step by step. */
export function formatTransition(e: TransitionEstimate): string {
    const c = e.counts;
    const lines = [
        `Transition ${e.from} -> ${e.to} for ${e.stack} (${e.cloud}): ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.same} unchanged`,
        `  predicted:        ${formatDuration(e.predictedSeconds)}`,
        ...(e.servingSeconds === undefined ? [] : [`  serving from:     ${formatDuration(e.servingSeconds)} (the last workload's pods ready)`]),
        `  program phase:    ${formatDuration(e.programSeconds)} (creates and updates, in dependency order)`,
        `  delete phase:     ${formatDuration(e.deleteSeconds)} (${e.deleteRounds} rounds, reverse dependency order, after the program)`,
    ];
    if (e.refusedDeletes.length > 0) lines.push(`  refused: deletes protected resources (${e.refusedDeletes.join(", ")}); the engine stops until protect is lifted`);
    if (e.refusedUpdates.length > 0) {
        lines.push(`  refused: changes a power state together with other inputs in one request (${e.refusedUpdates.join("; ")}); the cloud runs one operation per pool at a time: apply the other changes in one up, the power state in the next`);
    }
    lines.push("  Critical path:", `    ${"starts".padStart(9)}  ${"takes".padStart(9)}  ${"op".padEnd(6)}  resource`);
    for (const s of e.criticalPath) lines.push(`    ${formatDuration(s.start).padStart(9)}  ${formatDuration(s.seconds).padStart(9)}  ${s.op.padEnd(6)}  ${s.type} ${s.name}`);
    return lines.join("\n");
}
