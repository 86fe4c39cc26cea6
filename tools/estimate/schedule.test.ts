import * as assert from "assert";
import * as fc from "fast-check";
import { ScheduleError, Task, criticalPath, lowerBound, simulate } from "./schedule";

const t = (id: string, seconds: number, ...deps: string[]): Task => ({ id, seconds, deps });
const sum = (tasks: Task[]) => tasks.reduce((s, x) => s + x.seconds, 0);

/** Random DAGs: each task may depend only on tasks before it, so there is never a cycle. */
const dags = fc.array(fc.record({ seconds: fc.integer({ min: 0, max: 1000 }), deps: fc.array(fc.nat(), { maxLength: 4 }) }), { minLength: 1, maxLength: 40 })
    .map((specs) => specs.map((s, i) => t(`r${i}`, s.seconds, ...(i === 0 ? [] : s.deps.map((d) => `r${d % i}`)))));

describe("the spin-up scheduling simulation", () => {
    const diamond = [t("vpc", 10), t("subnet", 5, "vpc"), t("cluster", 600, "subnet"), t("cache", 900, "subnet"), t("app", 60, "cluster", "cache")];

    for (const [p, makespan] of [[1, 1575], [2, 975], [3, 975], [2147483647, 975]] as const) {
        it(`finishes the diamond graph in ${makespan} s with ${p} slot(s)`, () => {
            assert.strictEqual(simulate(diamond, p).makespan, makespan);
        });
    }

    it("starts a task only after all of its dependencies have finished", () => {
        const runs = new Map(simulate(diamond, 2).runs.map((r) => [r.id, r]));
        assert.strictEqual(runs.get("app")!.start, 915);
        assert.strictEqual(runs.get("cluster")!.start, 15);
        assert.strictEqual(runs.get("cache")!.start, 15);
    });

    it("starts ready tasks in registration order when slots are scarce", () => {
        const runs = simulate([t("a", 10), t("b", 1), t("c", 1)], 1).runs.map((r) => r.id);
        assert.deepStrictEqual(runs, ["a", "b", "c"]);
    });

    it("gives zero for an empty graph", () => {
        assert.strictEqual(simulate([], 4).makespan, 0);
        assert.strictEqual(criticalPath([]).seconds, 0);
        assert.strictEqual(lowerBound([]).seconds, 0);
    });

    for (const [tasks, message] of [
        [[t("a", 1, "b"), t("b", 1, "a")], /cycle through a, b/],
        [[t("a", 1, "ghost")], /a depends on ghost, which is not a task/],
        [[t("a", -1)], /a: seconds -1 must be a finite number >= 0/],
        [[t("a", 1), t("a", 2)], /a appears twice/],
    ] as const) {
        it(`refuses an unschedulable graph: ${message.source}`, () => {
            assert.throws(() => simulate([...tasks], 1), (e: Error) => e instanceof ScheduleError && message.test(e.message));
        });
    }

    for (const p of [0, 1.5, -3]) {
        it(`refuses parallelism ${p}`, () => assert.throws(() => simulate(diamond, p), /parallelism .* must be an integer >= 1/));
    }
});

describe("the critical path", () => {
    it("follows the slowest chain, resource by resource", () => {
        const path = criticalPath([t("vpc", 10), t("subnet", 5, "vpc"), t("cluster", 600, "subnet"), t("cache", 900, "subnet"), t("app", 60, "cluster", "cache")]);
        assert.strictEqual(path.seconds, 975);
        assert.deepStrictEqual(path.path.map((r) => [r.id, r.start, r.finish]), [["vpc", 0, 10], ["subnet", 10, 15], ["cache", 15, 915], ["app", 915, 975]]);
    });

    it("names the slowest single task as the lower bound", () => {
        assert.deepStrictEqual(lowerBound([t("a", 5), t("b", 50), t("c", 7)]), { seconds: 50, id: "b" });
    });
});

describe("scheduling properties", () => {
    it("never predicts less than the lower bound or the critical path", () => {
        fc.assert(fc.property(dags, fc.integer({ min: 1, max: 8 }), (tasks, p) => {
            const makespan = simulate(tasks, p).makespan;
            return makespan >= lowerBound(tasks).seconds && makespan >= criticalPath(tasks).seconds;
        }));
    });

    it("with one slot takes the sum of all durations", () => {
        fc.assert(fc.property(dags, (tasks) => simulate(tasks, 1).makespan === sum(tasks)));
    });

    it("with unbounded slots takes exactly the critical path", () => {
        fc.assert(fc.property(dags, (tasks) => simulate(tasks, 2147483647).makespan === criticalPath(tasks).seconds));
    });

    it("runs every task once and never more than P at a time", () => {
        fc.assert(fc.property(dags, fc.integer({ min: 1, max: 5 }), (tasks, p) => {
            const runs = simulate(tasks, p).runs;
            const busy = runs.map((r) => runs.filter((o) => o.finish > o.start && o.start <= r.start && r.start < o.finish).length);
            return runs.length === tasks.length && new Set(runs.map((r) => r.id)).size === tasks.length && busy.every((n) => n <= p);
        }));
    });

    it("never starts a task before its dependencies finish", () => {
        fc.assert(fc.property(dags, fc.integer({ min: 1, max: 5 }), (tasks, p) => {
            const byId = new Map(simulate(tasks, p).runs.map((r) => [r.id, r]));
            return tasks.every((x) => x.deps.every((d) => byId.get(d)!.finish <= byId.get(x.id)!.start));
        }));
    });
});
