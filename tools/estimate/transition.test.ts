import * as assert from "assert";
import { planStack } from "../../engine/planStack";
import { DependencyGraph } from "../../engine/dependencies";
import { Plan, PlannedResource } from "../../engine/format";
import { CreationTimes, PricedBy } from "./creationTimes";
import { estimateSpinUp } from "./estimate";
import { Operation, OperationTimes, loadOperationTimes, operationTableProblems, priceOperation } from "./operationTimes";
import { NOTHING, POWER_STATE_INPUTS, changedWithPower, deleteTasks, estimateTransition, formatTransition, programTasks } from "./transition";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urn = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;

function resource(type: string, name: string, opts: { deps?: string[]; inputs?: Record<string, unknown>; retain?: boolean; protect?: boolean; deletedWith?: string } = {}): PlannedResource {
    return {
        urn: urn(type, name), type, name, parent: STACK, dependencies: opts.deps ?? [], inputs: opts.inputs ?? {}, custom: true,
        id: `${name}-id`, outputs: {}, propertyDependencies: {},
        options: { protect: opts.protect ?? false, retainOnDelete: opts.retain ?? false, deletedWith: opts.deletedWith ?? "", ignoreChanges: [], provider: "" },
    };
}

const fig = (seconds: number) => ({ seconds, basis: "estimate" as const, source: "https://example.com/x", note: "n" });
const create: CreationTimes = {
    cliDefaultParallelism: { value: 2147483647, source: "https://example.com/up", note: "default" },
    default: fig(5), prefixes: [],
    types: { "t:vpc": fig(10), "t:cluster": fig(900), "t:queue": fig(1800), "t:nodes": fig(300) },
};
const times: OperationTimes = {
    create,
    update: { default: fig(5), prefixes: [], types: { "t:nodes": fig(240) } },
    delete: { default: fig(5), prefixes: [], types: { "t:vpc": fig(10), "t:cluster": fig(600), "t:queue": fig(700), "t:nodes": fig(400) } },
    retained: fig(0),
    deletedWith: fig(0),
};

/** vpc <- cluster <- nodes; vpc <- queue; a key the queue uses. */
function plan(overrides: { nodes?: Record<string, unknown>; withQueue?: boolean; extra?: PlannedResource[]; keyOpts?: { retain?: boolean; protect?: boolean } } = {}): Plan {
    const vpc = resource("t:vpc", "vpc");
    const key = resource("t:key", "key", overrides.keyOpts);
    const cluster = resource("t:cluster", "cluster", { deps: [vpc.urn] });
    const nodes = resource("t:nodes", "nodes", { deps: [cluster.urn], inputs: overrides.nodes ?? { size: 3 } });
    const queue = resource("t:queue", "queue", { deps: [vpc.urn, key.urn] });
    const stack = { ...resource("pulumi:pulumi:Stack", "p-t"), urn: STACK, custom: false, parent: "" };
    const resources = [stack, vpc, key, cluster, nodes, ...(overrides.withQueue === false ? [] : [queue]), ...(overrides.extra ?? [])];
    return { stack: "t", cloud: "aws", formatVersion: 1, resources, stackOutputs: {} };
}

describe("a power state changed with other inputs", () => {
    const POOL = "azure-native:containerservice:AgentPool";
    const pool = (inputs: Record<string, unknown>) => resource(POOL, "pool", { inputs: { count: 2, orchestratorVersion: "1.31", ...inputs } });
    const onePool = (inputs: Record<string, unknown>): Plan => ({ stack: "t", cloud: "azure", formatVersion: 1, resources: [pool(inputs)], stackOutputs: {} });
    const running = { powerState: { code: "Running" } };
    const stopped = { powerState: { code: "Stopped" } };

    it("is refused, naming the pool and the other inputs, with the rule's source", () => {
        const e = estimateTransition({ label: "running", plan: onePool(running) }, { label: "hibernated", plan: onePool({ ...stopped, orchestratorVersion: "1.32", maxCount: 3 }) }, times);
        assert.deepStrictEqual(e.refusedUpdates, ["pool (powerState with maxCount, orchestratorVersion)"]);
        assert.match(formatTransition(e), /refused: changes a power state together with other inputs in one request \(pool \(powerState with maxCount, orchestratorVersion\)\)/);
        assert.match(POWER_STATE_INPUTS[POOL].source, /manage-node-pools/);
    });

    it("is not refused when the power state changes alone, or the other inputs without it", () => {
        assert.deepStrictEqual(changedWithPower(pool(running), pool(stopped)), []);
        assert.deepStrictEqual(changedWithPower(pool(running), pool({ ...running, orchestratorVersion: "1.32" })), []);
        assert.deepStrictEqual(changedWithPower(pool({}), pool({ ...stopped, count: 0 })), ["count"]);
        const e = estimateTransition({ label: "hibernated", plan: onePool(stopped) }, { label: "running", plan: onePool(running) }, times);
        assert.deepStrictEqual([e.refusedUpdates, e.counts.update], [[], 1]);
    });
});

describe("transition estimates", () => {
    it("predicts nothing -> running exactly as the spin-up estimate does", () => {
        const e = estimateTransition({ label: NOTHING }, { label: "running", plan: plan() }, times);
        assert.strictEqual(e.predictedSeconds, estimateSpinUp(plan(), create).predictedSeconds);
        assert.strictEqual(e.predictedSeconds, 1810);
        assert.deepStrictEqual(e.criticalPath.map((s) => [s.op, s.name, s.start]), [["create", "vpc", 0], ["create", "queue", 10]]);
        assert.deepStrictEqual(e.counts, { create: 5, update: 0, delete: 0, same: 0 });
    });

    it("deletes in the engine's rounds: dependents first, each round as long as its slowest member", () => {
        const e = estimateTransition({ label: "running", plan: plan() }, { label: NOTHING }, times);
        // Rounds by depth: nodes (2), cluster and queue (1), vpc and key (0); run from the deepest.
        assert.deepStrictEqual(e.criticalPath.map((s) => [s.name, s.start, s.seconds]), [["nodes", 0, 400], ["queue", 400, 700], ["vpc", 1100, 10]]);
        assert.strictEqual(e.predictedSeconds, 400 + 700 + 10);
        assert.strictEqual(e.deleteRounds, 3);
    });

    it("never deletes a resource in a round before one that depends on it", () => {
        const p = plan();
        const graph = new DependencyGraph(p);
        const tasks = new Map(deleteTasks(p, undefined, times).map((t) => [t.id, t]));
        for (const t of tasks.values()) {
            for (const dep of graph.direct(t.id)) assert.ok(tasks.get(dep)!.chain < t.chain, `${t.name} is deleted in the round of ${dep} or after it`);
        }
    });

    it("prices a changed resource as an update and an unchanged one as nothing", () => {
        const tasks = programTasks(plan(), plan({ nodes: { size: 0 } }), times);
        assert.deepStrictEqual(tasks.map((t) => [t.name, t.op, t.seconds]), [
            ["vpc", "same", 0], ["key", "same", 0], ["cluster", "same", 0], ["nodes", "update", 240], ["queue", "same", 0],
        ]);
        const e = estimateTransition({ label: "a", plan: plan() }, { label: "b", plan: plan({ nodes: { size: 0 } }) }, times);
        assert.deepStrictEqual(e.criticalPath.map((s) => [s.op, s.name, s.start]), [["update", "nodes", 0]]);
    });

    it("treats key order in inputs as no change", () => {
        const tasks = programTasks(plan({ nodes: { a: 1, b: 2 } }), plan({ nodes: { b: 2, a: 1 } }), times);
        assert.ok(tasks.every((t) => t.op === Operation.Same));
    });

    it("starts the deletes only once the program's creates and updates are done", () => {
        const extra = resource("t:cluster", "second", { deps: [] });
        const e = estimateTransition({ label: "a", plan: plan() }, { label: "b", plan: plan({ withQueue: false, extra: [extra] }) }, times);
        assert.deepStrictEqual(e.criticalPath.map((s) => [s.op, s.name, s.start, s.seconds]), [["create", "second", 0, 900], ["delete", "queue", 900, 700]]);
        assert.strictEqual(e.predictedSeconds, 1600);
    });

    it("costs nothing for a retained resource and names the protected ones the engine refuses to delete", () => {
        const retained = deleteTasks(plan({ keyOpts: { retain: true } }), undefined, times).find((t) => t.name === "key")!;
        assert.strictEqual(retained.seconds, 0);
        const e = estimateTransition({ label: "running", plan: plan({ keyOpts: { protect: true } }) }, { label: NOTHING }, times);
        assert.deepStrictEqual(e.refusedDeletes, ["key"]);
        assert.match(formatTransition(e), /refused: deletes protected resources \(key\)/);
    });

    it("costs nothing for a resource deleted with another that goes too", () => {
        const p = plan();
        const child = resource("t:nodes", "child", { deletedWith: urn("t:cluster", "cluster") });
        p.resources.push(child);
        assert.strictEqual(deleteTasks(p, undefined, times).find((t) => t.name === "child")!.seconds, 0);
    });

    it("refuses a transition between two stacks or between two nothings", () => {
        assert.throws(() => estimateTransition({ label: NOTHING }, { label: NOTHING }, times), /needs a plan on at least one side/);
        assert.throws(() => estimateTransition({ label: "a", plan: plan() }, { label: "b", plan: { ...plan(), stack: "u" } }, times), /a transition is within one stack/);
    });
});

describe("the update and delete table", () => {
    const real = loadOperationTimes();

    it("gives every figure a number, a basis, a public source and a note", () => {
        assert.deepStrictEqual(operationTableProblems(real), []);
    });

    it("lists every problem of a bad figure", () => {
        const bad = { ...real, delete: { ...real.delete, types: { "x:y:Z": { seconds: -1, basis: "guess", source: "http://x", note: "" } } } } as unknown as OperationTimes;
        assert.deepStrictEqual(operationTableProblems(bad), [
            "delete.x:y:Z: seconds -1 must be a number >= 0",
            "delete.x:y:Z: basis guess must be one of documented, reported, estimate",
            "delete.x:y:Z: source http://x must be a public https URL",
            "delete.x:y:Z: note must say what the figure rests on",
        ]);
    });

    it("prices the delete of every type that takes minutes to create explicitly", () => {
        for (const [type, figure] of Object.entries(real.create.types)) {
            if (figure.seconds >= 60) assert.notStrictEqual(priceOperation(real, Operation.Delete, type).via, PricedBy.Default, type);
        }
    });
});

const STACKS = ["dev", "prod", "dev-azure", "prod-azure"];
describe("the four stacks' transitions", () => {
    const plans = new Map<string, Plan>();
    const times = loadOperationTimes();
    before(async function () {
        this.timeout(120_000);
        for (const s of STACKS) plans.set(s, await planStack(s));
    });

    for (const stack of STACKS) {
        it(`estimates ${stack} from nothing to running and back, each with its critical path`, () => {
            const p = plans.get(stack)!;
            const up = estimateTransition({ label: NOTHING }, { label: "running", plan: p }, times);
            const down = estimateTransition({ label: "running", plan: p }, { label: NOTHING }, times);
            assert.strictEqual(up.predictedSeconds, estimateSpinUp(p, times.create).predictedSeconds);
            assert.strictEqual(up.counts.create, down.counts.delete);
            assert.ok(down.predictedSeconds > 0 && down.criticalPath.length === down.deleteRounds);
            // The teardown ends with what everything stands on: the network (AWS VPC, Azure resource group).
            assert.match(down.criticalPath[down.criticalPath.length - 1].type, /aws:ec2\/vpc:Vpc|azure-native:resources:ResourceGroup/);
            assert.match(formatTransition(down), /Critical path:/);
            assert.deepStrictEqual(down.refusedDeletes.length > 0, stack.startsWith("prod"), "only prod protects what a teardown deletes");
            const same = estimateTransition({ label: "running", plan: p }, { label: "running", plan: p }, times);
            assert.strictEqual(same.predictedSeconds, 0);
        });
    }
});
