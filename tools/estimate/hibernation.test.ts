import * as assert from "assert";
import { Plan } from "../../engine/format";
import { costOfState, loadPrices } from "./cost";
import { HIBERNATION_RULES, HibernatedState, Hibernate, WAKE_STEPS, formatHibernation, hibernatedState, planInMode, wakeServing } from "./hibernation";
import { loadOperationTimes } from "./operationTimes";
import { estimateTransition } from "./transition";
import { stackNames, stackRegion } from "../../engine/testing/plan";

const STORES = ["aws:docdb/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:msk/cluster:Cluster",
    "azure-native:cosmosdb:DatabaseAccount", "azure-native:redisenterprise:RedisEnterprise", "azure-native:eventhub:Namespace"];

describe("the hibernated state, from the program's plans", () => {
    const running = new Map<string, Plan>();
    const waking = new Map<string, Plan>();
    const hibernated = new Map<string, HibernatedState>();
    const times = loadOperationTimes();
    before(async function () {
        this.timeout(240_000);
        for (const s of stackNames(undefined, "dev")) {
            running.set(s, await planInMode(s, "running"));
            waking.set(s, await planInMode(s, "waking"));
            hibernated.set(s, await hibernatedState(running.get(s)!));
        }
    });
    const wake = (s: string) => estimateTransition({ label: "hibernated", plan: hibernated.get(s)!.plan }, { label: "running", plan: waking.get(s)! },
        times, undefined, wakeServing(waking.get(s)!, hibernated.get(s)!.decisions));

    it("gives every decision a reason", () => {
        for (const [type, rule] of Object.entries(HIBERNATION_RULES)) assert.ok(rule.why.length > 20 && Object.values(Hibernate).includes(rule.action), type);
        for (const h of hibernated.values()) for (const d of h.decisions) assert.ok(d.why.length > 5, `${d.type} ${d.name}`);
    });

    it("says for every listed type what the program really does to it", () => {
        for (const [stack, h] of hibernated) {
            const some = ["aws:docdb/clusterInstance:ClusterInstance", "azure-native:containerservice:AgentPool"];
            for (const d of h.decisions.filter((x) => HIBERNATION_RULES[x.type] && !some.includes(x.type))) {
                assert.strictEqual(d.action, HIBERNATION_RULES[d.type].action, `${stack}: ${d.type} ${d.name}`);
            }
            // The last zone's user pool stops, the others run on, each with its reason.
            const pools = h.decisions.filter((x) => x.type === "azure-native:containerservice:AgentPool");
            if (pools.length > 0) {
                assert.deepStrictEqual(pools.map((x) => x.action), [...pools.slice(1).map(() => Hibernate.Keep), Hibernate.ScaleToZero]);
                assert.deepStrictEqual(pools.map((x) => x.why), [...pools.slice(1).map(() => HIBERNATION_RULES[pools[0].type].keptWhy), HIBERNATION_RULES[pools[0].type].why]);
            }
            // The DocumentDB primary stays, the replicas go.
            const instances = h.decisions.filter((x) => x.type === "aws:docdb/clusterInstance:ClusterInstance").map((x) => x.action);
            if (instances.length > 0) assert.deepStrictEqual(instances, [Hibernate.Keep, ...instances.slice(1).map(() => Hibernate.Remove)]);
        }
    });

    for (const stack of stackNames(undefined, "dev")) {
        it(`keeps every data store of ${stack} and the keys, and costs less than running but more than torn down`, () => {
            const { plan } = hibernated.get(stack)!;
            const up = running.get(stack)!;
            for (const r of up.resources.filter((x) => STORES.includes(x.type) || x.type === "aws:kms/key:Key")) {
                assert.ok(plan.resources.some((h) => h.urn === r.urn), `${r.name} is removed`);
            }
            const region = stackRegion(stack);
            const cost = (state: Plan | undefined) => costOfState("s", up, state, region, loadPrices()).hourly;
            assert.ok(cost(plan) < cost(up) && cost(plan) > cost(undefined));
        });
    }

    it("predicts dev serving within 10 minutes of a wake-up, before the DocumentDB replicas are back", () => {
        const w = wake("dev");
        // The node groups are written back and the pods rolled out: more than nothing, and within the budget.
        assert.ok(w.servingSeconds! <= 600 && w.servingSeconds! >= 5 * 60, `${w.servingSeconds} s`);
        assert.ok(w.predictedSeconds > w.servingSeconds!);
    });

    it("prices dev-azure's stopped user pool at no compute and the two kept running at their nodes' hours", () => {
        // A stopped pool's VMs bill no compute (https://learn.microsoft.com/azure/aks/start-stop-nodepools).
        const up = running.get("dev-azure")!;
        const lines = costOfState("s", up, hibernated.get("dev-azure")!.plan, "westeurope", loadPrices()).lines;
        assert.deepStrictEqual(lines.filter((l) => l.resource.startsWith("azure-native:containerservice:AgentPool")).map((l) => l.resource),
            ["azure-native:containerservice:AgentPool cluster-nodes-z1", "azure-native:containerservice:AgentPool cluster-nodes-z2"]);
        const runningLines = costOfState("s", up, up, "westeurope", loadPrices()).lines;
        assert.strictEqual(runningLines.filter((l) => l.resource.startsWith("azure-native:containerservice:AgentPool")).length, 3);
    });

    it("predicts dev-azure serving within 10 minutes of a wake-up: the one stopped user pool started, then the rollouts", () => {
        // AKS runs one agent pool operation at a time (cilium/cilium#25944): the wake-up starts only what it stopped.
        const w = wake("dev-azure");
        assert.strictEqual(w.servingSeconds, times.update.types["azure-native:containerservice:AgentPool"].seconds + 90);
        assert.ok(w.servingSeconds! <= 600, `${w.servingSeconds} s`);
    });

    it("changes a user pool's power state alone in dev-azure's hibernate and wake-up: AKS takes one pool operation at a time", () => {
        const sleep = estimateTransition({ label: "running", plan: running.get("dev-azure")! }, { label: "hibernated", plan: hibernated.get("dev-azure")!.plan }, times);
        const w = wake("dev-azure");
        assert.ok(sleep.counts.update > 0 && w.counts.update > 0);
        assert.deepStrictEqual([sleep.refusedUpdates, w.refusedUpdates], [[], []]);
    });

    it("counts CoreDNS, the load balancer controller and the ALB's target health checks in dev's wake-up, each with a source", () => {
        // Nodes written back (300 s), then CoreDNS (the services and the controller resolve through it), then the
        // rollouts and the controller beside each other, then the targets' health checks: 300 + 90 + 90 + 45.
        for (const [name, s] of Object.entries(WAKE_STEPS)) {
            assert.match(s.source, /^https:\/\//, name);
            assert.ok(s.seconds > 0 && s.note.length > 20, name);
        }
        assert.strictEqual(wake("dev").servingSeconds, 300 + WAKE_STEPS.coreDns.seconds + Math.max(90, WAKE_STEPS.lbController.seconds) + WAKE_STEPS.albTargets.seconds);
    });

    it("says whether each stack's wake-up meets the 10-minute goal", () => {
        assert.match(formatHibernation(running.get("dev")!, hibernated.get("dev")!, waking.get("dev")!), /wake-up goal: +serving within 10m 00s: met, 1m 15s to spare/);
        assert.match(formatHibernation(running.get("dev-azure")!, hibernated.get("dev-azure")!, waking.get("dev-azure")!),
            /wake-up goal: +serving within 10m 00s: met, 3m 30s to spare/);
    });

    it("prints what goes, what stays and both transitions", () => {
        const text = formatHibernation(running.get("dev")!, hibernated.get("dev")!, waking.get("dev")!);
        assert.match(text, /removed:\n(    [^\n]*\n)*    aws:docdb\/clusterInstance:ClusterInstance: /);
        assert.match(text, /kept:\n(    [^\n]*\n)*    aws:ec2\/natGateway:NatGateway: \$0\.045\/h: kept/);
        assert.match(text, /scaled to zero:\n(    [^\n]*\n)*    aws:eks\/nodeGroup:NodeGroup: /);
        assert.match(text, /Transition hibernated -> running for dev \(aws\)[^\n]*\n  predicted: [^\n]*\n  serving from: /);
        assert.match(text, /Transition running -> hibernated for dev/);
    });
});
