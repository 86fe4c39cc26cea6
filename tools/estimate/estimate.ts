/**
 * The spin-up estimate: how long `pulumi up` would take to create a stack from
 * nothing, from the plan's dependency graph and typical creation times.
 */
import { Plan } from "../../engine/format";
import { CREATION_TIMES_FILE, CreationTimes, PricedBy } from "./creationTimes";
import { criticalPath, lowerBound, simulate } from "./schedule";
import { ResourceTask, planTasks, valueTasks } from "./tasks";

/** One step of the critical path. */
export interface PathStep {
    readonly type: string;
    readonly name: string;
    readonly start: number;
    readonly seconds: number;
}

/** The estimate for one stack at one parallelism. */
export interface SpinUpEstimate {
    readonly stack: string;
    readonly cloud: string;
    readonly parallelism: number;
    /** True when `parallelism` is the CLI's default rather than `--parallel`. */
    readonly defaultParallelism: boolean;
    readonly resources: number;
    /** Predicted wall-clock seconds of `pulumi up` at `parallelism`. */
    readonly predictedSeconds: number;
    readonly criticalPathSeconds: number;
    readonly criticalPath: PathStep[];
    /** The slowest single resource: no parallelism beats it. */
    readonly lowerBound: { readonly seconds: number; readonly type: string; readonly name: string };
    /**
     * The longest chain of resources each of which needs a value (an id, an endpoint, a credential)
     * of the one before, or its provider: no ordering change and no parallelism can shorten it,
     * only faster resources can. At least the slowest resource; `ratio` is taken against it.
     */
    readonly chainLowerBound: { readonly seconds: number; readonly path: PathStep[] };
    /** Seconds if everything ran one at a time. */
    readonly serialSeconds: number;
    /** Types priced by the table's default, for spotting missing entries. */
    readonly defaultPricedTypes: string[];
}

/** Estimates a plan's spin-up at `parallelism` (the Pulumi CLI's default when omitted). */
export function estimateSpinUp(plan: Plan, table: CreationTimes, parallelism?: number): SpinUpEstimate {
    const tasks = planTasks(plan, table);
    const byId = new Map<string, ResourceTask>(tasks.map((t) => [t.id, t]));
    const p = parallelism ?? table.cliDefaultParallelism.value;
    const path = criticalPath(tasks);
    const slowest = lowerBound(tasks);
    const slowestTask = byId.get(slowest.id);
    const chain = criticalPath(valueTasks(plan, table));
    return {
        stack: plan.stack,
        cloud: plan.cloud,
        parallelism: p,
        defaultParallelism: parallelism === undefined,
        resources: tasks.length,
        predictedSeconds: simulate(tasks, p).makespan,
        criticalPathSeconds: path.seconds,
        criticalPath: path.path.map((run) => {
            const t = byId.get(run.id)!;
            return { type: t.type, name: t.name, start: run.start, seconds: t.seconds };
        }),
        lowerBound: { seconds: slowest.seconds, type: slowestTask?.type ?? "", name: slowestTask?.name ?? "" },
        chainLowerBound: {
            seconds: chain.seconds,
            path: chain.path.map((run) => {
                const t = byId.get(run.id)!;
                return { type: t.type, name: t.name, start: run.start, seconds: t.seconds };
            }),
        },
        serialSeconds: tasks.reduce((s, t) => s + t.seconds, 0),
        defaultPricedTypes: [...new Set(tasks.filter((t) => t.pricedBy === PricedBy.Default).map((t) => t.type))].sort(),
    };
}

/** `1h 02m 05s`, `15m 00s`, `45s`. */
export function formatDuration(seconds: number): string {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), rest = s % 60;
    const pad = (n: number) => String(n).padStart(2, "0");
    if (h > 0) return `${h}h ${pad(m)}m ${pad(rest)}s`;
    if (m > 0) return `${m}m ${pad(rest)}s`;
    return `${rest}s`;
}

/** predicted / the chain lower bound, to two decimals; 1 when both are zero. */
export function ratio(estimate: SpinUpEstimate): number {
    if (estimate.chainLowerBound.seconds === 0) return 1;
    return Math.round((estimate.predictedSeconds / estimate.chainLowerBound.seconds) * 100) / 100;
}

/** The estimate as text lines for the plan CLI. */
export function formatEstimate(e: SpinUpEstimate): string {
    const parallel = e.defaultParallelism ? `${e.parallelism} (the Pulumi CLI's default: unbounded)` : String(e.parallelism);
    const lines = [
        `Spin-up estimate for ${e.stack} (${e.cloud}): ${e.resources} cloud resources, --parallel ${parallel}`,
        `  predicted pulumi up:        ${formatDuration(e.predictedSeconds)}`,
        `  critical path:              ${formatDuration(e.criticalPathSeconds)} (${e.criticalPath.length} resources)`,
        `  slowest single resource:    ${formatDuration(e.lowerBound.seconds)}  ${e.lowerBound.type} ${e.lowerBound.name}`,
        `  lower bound (required chain): ${formatDuration(e.chainLowerBound.seconds)}  ${e.chainLowerBound.path.map((s) => s.name).join(" -> ")}`,
        `  predicted / lower bound:    ${ratio(e).toFixed(2)}`,
        `  one at a time (--parallel 1): ${formatDuration(e.serialSeconds)}`,
        "",
        "Critical path:",
        `  ${"starts".padStart(9)}  ${"takes".padStart(9)}  resource`,
        ...e.criticalPath.map((s) => `  ${formatDuration(s.start).padStart(9)}  ${formatDuration(s.seconds).padStart(9)}  ${s.type} ${s.name}`),
    ];
    if (e.defaultPricedTypes.length > 0) {
        // The table's own path, the one a consumer has (inside the installed package), not this repository's.
        lines.push("", `Priced by the table's default (API-only): ${e.defaultPricedTypes.length} types; see ${CREATION_TIMES_FILE}`);
    }
    return lines.join("\n");
}
