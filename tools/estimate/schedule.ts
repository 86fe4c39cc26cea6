/**
 * Scheduling over a dependency graph of timed tasks: the list-scheduling
 * simulation of a deployment engine with P slots, the critical path and the
 * lower bound. Pure functions over plain data; the plan-specific part lives in
 * `tasks.ts`.
 */

/** One unit of work: a cloud resource to create. */
export interface Task {
    /** Unique id (the resource's URN). */
    readonly id: string;
    /** Seconds the task takes once started. */
    readonly seconds: number;
    /** Ids of the tasks that must finish before this one starts. */
    readonly deps: readonly string[];
}

/** When a task ran in a simulation. */
export interface TaskRun {
    readonly id: string;
    readonly start: number;
    readonly finish: number;
}

/** The outcome of a list-scheduling simulation. */
export interface Schedule {
    /** Seconds from the first start to the last finish. */
    readonly makespan: number;
    /** Every task's start and finish, in the order they started. */
    readonly runs: TaskRun[];
}

/** The longest chain of dependent tasks. */
export interface CriticalPath {
    /** Sum of the chain's durations. */
    readonly seconds: number;
    /** The chain, first task first. */
    readonly path: TaskRun[];
}

/** Thrown for a graph that cannot be scheduled: a cycle, a missing dependency, a bad duration or parallelism. */
export class ScheduleError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ScheduleError";
    }
}

/** A binary min-heap; the simulation needs O(log n) queues to stay linear-ish at thousands of tasks. */
class MinHeap<T> {
    private readonly items: T[] = [];
    constructor(private readonly less: (a: T, b: T) => boolean) {}

    get size(): number {
        return this.items.length;
    }

    peek(): T | undefined {
        return this.items[0];
    }

    push(item: T): void {
        const a = this.items;
        a.push(item);
        for (let i = a.length - 1; i > 0;) {
            const parent = (i - 1) >> 1;
            if (!this.less(a[i], a[parent])) break;
            [a[i], a[parent]] = [a[parent], a[i]];
            i = parent;
        }
    }

    pop(): T | undefined {
        const a = this.items;
        const top = a[0];
        const last = a.pop();
        if (a.length > 0 && last !== undefined) {
            a[0] = last;
            for (let i = 0; ;) {
                const l = 2 * i + 1, r = l + 1;
                let m = i;
                if (l < a.length && this.less(a[l], a[m])) m = l;
                if (r < a.length && this.less(a[r], a[m])) m = r;
                if (m === i) break;
                [a[i], a[m]] = [a[m], a[i]];
                i = m;
            }
        }
        return top;
    }
}

interface Indexed {
    readonly index: Map<string, number>;
    readonly dependents: number[][];
    readonly depIndexes: number[][];
}

/** Validates the graph and indexes it: dependents per task, dependencies as indexes. */
function indexTasks(tasks: readonly Task[]): Indexed {
    const index = new Map<string, number>();
    tasks.forEach((t, i) => {
        if (index.has(t.id)) throw new ScheduleError(`task ${t.id} appears twice`);
        if (!Number.isFinite(t.seconds) || t.seconds < 0) throw new ScheduleError(`task ${t.id}: seconds ${t.seconds} must be a finite number >= 0`);
        index.set(t.id, i);
    });
    const dependents: number[][] = tasks.map(() => []);
    const depIndexes = tasks.map((t, i) => [...new Set(t.deps)].map((d) => {
        const j = index.get(d);
        if (j === undefined) throw new ScheduleError(`task ${t.id} depends on ${d}, which is not a task`);
        dependents[j].push(i);
        return j;
    }));
    return { index, dependents, depIndexes };
}

/** Task indexes in an order where every task comes after its dependencies; throws on a cycle. */
function topologicalOrder(tasks: readonly Task[], { dependents, depIndexes }: Indexed): number[] {
    const pending = depIndexes.map((d) => d.length);
    const order = tasks.map((_, i) => i).filter((i) => pending[i] === 0);
    for (let k = 0; k < order.length; k++) {
        for (const j of dependents[order[k]]) if (--pending[j] === 0) order.push(j);
    }
    if (order.length !== tasks.length) {
        const stuck = tasks.filter((_, i) => pending[i] > 0).map((t) => t.id);
        throw new ScheduleError(`the dependencies form a cycle through ${stuck.slice(0, 5).join(", ")}`);
    }
    return order;
}

/**
 * Simulates list scheduling with `parallelism` slots: a task starts as soon as
 * its dependencies have finished and a slot is free; ready tasks start in the
 * order they became ready, ties in the order given (the program's registration order).
 */
export function simulate(tasks: readonly Task[], parallelism: number): Schedule {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new ScheduleError(`parallelism ${parallelism} must be an integer >= 1`);
    const indexed = indexTasks(tasks);
    topologicalOrder(tasks, indexed);
    const { dependents, depIndexes } = indexed;
    const pending = depIndexes.map((d) => d.length);
    const ready = new MinHeap<{ at: number; i: number }>((a, b) => a.at < b.at || (a.at === b.at && a.i < b.i));
    const running = new MinHeap<{ finish: number; i: number }>((a, b) => a.finish < b.finish || (a.finish === b.finish && a.i < b.i));
    tasks.forEach((_, i) => pending[i] === 0 && ready.push({ at: 0, i }));
    const runs: TaskRun[] = [];
    let now = 0;
    while (runs.length < tasks.length || running.size > 0) {
        while (running.size < parallelism && ready.size > 0) {
            const { i } = ready.pop()!;
            const finish = now + tasks[i].seconds;
            runs.push({ id: tasks[i].id, start: now, finish });
            running.push({ finish, i });
        }
        const done = running.pop();
        if (!done) break;
        now = done.finish;
        for (const j of dependents[done.i]) if (--pending[j] === 0) ready.push({ at: now, i: j });
    }
    return { makespan: runs.reduce((m, r) => Math.max(m, r.finish), 0), runs };
}

/** The longest chain of dependent tasks by total duration: the wall-clock floor at any parallelism. */
export function criticalPath(tasks: readonly Task[]): CriticalPath {
    const indexed = indexTasks(tasks);
    const order = topologicalOrder(tasks, indexed);
    const finish = new Array<number>(tasks.length).fill(0);
    const via = new Array<number>(tasks.length).fill(-1);
    for (const i of order) {
        let start = 0;
        for (const d of indexed.depIndexes[i]) {
            if (finish[d] > start || (finish[d] === start && via[i] === -1)) {
                start = finish[d];
                via[i] = d;
            }
        }
        finish[i] = start + tasks[i].seconds;
    }
    let end = -1;
    finish.forEach((f, i) => (end === -1 || f > finish[end]) && (end = i));
    const path: TaskRun[] = [];
    for (let i = end; i !== -1; i = via[i]) path.unshift({ id: tasks[i].id, start: finish[i] - tasks[i].seconds, finish: finish[i] });
    return { seconds: end === -1 ? 0 : finish[end], path };
}

/** The slowest single task: no schedule can finish sooner. */
export function lowerBound(tasks: readonly Task[]): { seconds: number; id: string } {
    return tasks.reduce((best, t) => (t.seconds > best.seconds ? { seconds: t.seconds, id: t.id } : best), { seconds: 0, id: "" });
}
