import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../../engine/planStack";
import { Plan } from "../../engine/format";
import { loadCreationTimes } from "./creationTimes";
import { estimateSpinUp, formatDuration, formatEstimate, ratio } from "./estimate";
import { simulate } from "./schedule";
import { ResourceTask, planTasks } from "./tasks";
import { projectStacks } from "../../engine/testing/plan";

/** Each stack is planned once for the whole file: planning is the slow part. */
const plans = new Map<string, Promise<Plan>>();
function planOnce(stack: string): Promise<Plan> {
    if (!plans.has(stack)) plans.set(stack, planStack(stack));
    return plans.get(stack)!;
}

/** Every task a task waits for, directly or not. */
function ancestors(tasks: ResourceTask[], start: ResourceTask): ResourceTask[] {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const seen = new Set<string>();
    const pending = [...start.deps];
    while (pending.length > 0) {
        const id = pending.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        pending.push(...byId.get(id)!.deps);
    }
    return [...seen].map((id) => byId.get(id)!);
}

const DATA_STORES: Record<string, string[]> = {
    aws: ["aws:msk/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:docdb/cluster:Cluster"],
    azure: ["azure-native:eventhub:Namespace", "azure-native:redisenterprise:RedisEnterprise", "azure-native:cosmosdb:DatabaseAccount"],
};
const CLUSTERS = ["aws:eks/cluster:Cluster", "azure-native:containerservice:ManagedCluster"];

for (const { stack } of projectStacks().filter((s) => s.environment === "dev")) {
    describe(`the ${stack} stack's spin-up order`, () => {
        let tasks: ResourceTask[];
        before(async () => {
            tasks = planTasks(await planOnce(stack), loadCreationTimes());
        });

        it("creates the data tier in parallel with the Kubernetes cluster", () => {
            const stores = tasks.filter((t) => Object.values(DATA_STORES).flat().includes(t.type));
            assert.strictEqual(stores.length, 3);
            for (const store of stores) {
                assert.deepStrictEqual(ancestors(tasks, store).filter((a) => CLUSTERS.includes(a.type)).map((a) => a.name), [], `${store.name} waits for the cluster`);
            }
        });
    });
}

describe("the dev-azure stack's data stores", () => {
    it("start as soon as the resource group exists, without waiting for the subnets", async () => {
        const tasks = planTasks(await planOnce("dev-azure"), loadCreationTimes());
        for (const store of tasks.filter((t) => DATA_STORES.azure.includes(t.type))) {
            assert.deepStrictEqual(ancestors(tasks, store).map((a) => a.type), ["azure-native:resources:ResourceGroup"], store.name);
        }
    });
});

describe("the dev stack's spin-up estimate", () => {
    it("starts its critical path at the network and never predicts less than the slowest resource", async () => {
        const estimate = estimateSpinUp(await planOnce("dev"), loadCreationTimes());
        assert.strictEqual(estimate.criticalPath[0].type, "aws:ec2/vpc:Vpc");
        assert.ok(estimate.predictedSeconds >= estimate.lowerBound.seconds && estimate.predictedSeconds === estimate.criticalPathSeconds);
        assert.match(formatEstimate(estimate), /Critical path:\n/);
    });
});

describe("the spin-up estimate and the deploy order", () => {
    const GATES: Record<string, string[]> = {
        dev: ["aws:eks/nodeGroup:NodeGroup", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "kubernetes:helm.sh/v3:Release"],
        "dev-azure": ["azure-native:containerservice:AgentPool", "azure-native:authorization:RoleAssignment"],
    };
    for (const [stack, gateTypes] of Object.entries(GATES)) {
        it(`starts ${stack}'s app-tier Kubernetes objects only once the nodes, the deployer's grant and the ingress controller are done`, async () => {
            const tasks = planTasks(await planOnce(stack), loadCreationTimes());
            const runs = new Map(simulate(tasks, 2147483647).runs.map((r) => [r.id, r]));
            // Not the cluster autoscaler's release, which registers no admission webhook: the apps start beside it.
            const gates = tasks.filter((t) => gateTypes.includes(t.type) && (t.type !== "azure-native:authorization:RoleAssignment" || t.name.endsWith("deployer-admin"))
                && !(t.type === "kubernetes:helm.sh/v3:Release" && t.name.endsWith("-autoscaler")));
            const objects = tasks.filter((t) => t.type.startsWith("kubernetes:") && t.type !== "kubernetes:helm.sh/v3:Release");
            assert.ok(gates.length >= 3 && objects.length > 20);
            const lastGate = Math.max(...gates.map((g) => runs.get(g.id)!.finish));
            for (const o of objects) assert.ok(runs.get(o.id)!.start >= lastGate, `${o.name} starts at ${runs.get(o.id)!.start}s, before ${lastGate}s`);
        });
    }

    it("puts dev-azure's user pools one after another on the way to its services", async () => {
        const tasks = planTasks(await planOnce("dev-azure"), loadCreationTimes());
        const runs = simulate(tasks, 2147483647).runs.filter((r) => r.id.includes("AgentPool")).sort((a, b) => a.start - b.start);
        assert.strictEqual(runs.length, 3);
        for (let i = 1; i < runs.length; i++) assert.ok(runs[i].start >= runs[i - 1].finish, "pools overlap");
    });
});

describe("a full rebuild against its lower bound", () => {
    for (const stack of projectStacks().map((s) => s.stack)) {
        it(`predicts ${stack}'s first up within 1.1x of the chain the cloud requires`, async () => {
            const e = estimateSpinUp(await planOnce(stack), loadCreationTimes());
            assert.ok(e.chainLowerBound.seconds >= e.lowerBound.seconds, "the chain includes the slowest resource");
            assert.ok(e.predictedSeconds <= 1.1 * e.chainLowerBound.seconds, `${e.predictedSeconds} s vs ${e.chainLowerBound.seconds} s`);
        });
    }

    it("keeps dev-azure's data stores off its critical path", async () => {
        const e = estimateSpinUp(await planOnce("dev-azure"), loadCreationTimes());
        assert.deepStrictEqual(e.criticalPath.filter((s) => DATA_STORES.azure.includes(s.type)), []);
    });

    it("has on dev's critical path only MSK among the data stores, the one that creates slower than the cluster", async () => {
        const e = estimateSpinUp(await planOnce("dev"), loadCreationTimes());
        assert.deepStrictEqual(e.criticalPath.filter((s) => DATA_STORES.aws.includes(s.type)).map((s) => s.type), ["aws:msk/cluster:Cluster"]);
    });
});

describe("the README's table of full rebuilds", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const table = readme.slice(readme.indexOf("\n| stack | prediction (unbounded) |") + 1);
    const lines = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
    const rows = new Map(lines.map((l) => l.split("|").slice(1, -1).map((c) => c.trim())).map((cells) => [cells[0], cells] as const));
    const duration = (cell: string) => cell.match(/^(\d+h )?(\d+m )?\d+s/)?.[0];
    for (const stack of projectStacks().map((s) => s.stack)) {
        it(`quotes ${stack}'s prediction, slowest resource, lower bound and ratio as the estimate gives them`, async () => {
            const e = estimateSpinUp(await planOnce(stack), loadCreationTimes());
            const row = rows.get(stack);
            assert.ok(row, `no row for ${stack}`);
            const [, predicted, slowest, chain, quotient] = row;
            assert.deepStrictEqual(
                [duration(predicted), duration(slowest), duration(chain), quotient],
                [formatDuration(e.predictedSeconds), formatDuration(e.lowerBound.seconds), formatDuration(e.chainLowerBound.seconds), ratio(e).toFixed(2)],
            );
        });
    }
});

describe("what a faster Kafka would buy dev", () => {
    it("is the gap to the cluster's own chain, which waits neither for the NAT routes nor for the cluster autoscaler", async () => {
        const plan = await planOnce("dev");
        const table = loadCreationTimes();
        const msk = "aws:msk/cluster:Cluster";
        const free = { ...table, types: { ...table.types, [msk]: { ...table.types[msk], seconds: 0 } } };
        const without = estimateSpinUp(plan, free);
        assert.ok(without.criticalPath.some((s) => s.type === "aws:eks/cluster:Cluster"), "without MSK the cluster is on the critical path");
        const names = without.criticalPath.map((s) => s.name);
        assert.deepStrictEqual(names.filter((n) => /default-route|nat|autoscaler/.test(n)), [], names.join(" -> "));
        assert.strictEqual(formatDuration(without.predictedSeconds), "27m 43s");
    });
});
