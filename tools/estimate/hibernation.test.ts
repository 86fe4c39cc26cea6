import * as assert from "assert";
import { planStack } from "../../engine/planStack";
import { Plan } from "../../engine/format";
import { costOfState, loadPrices } from "./cost";
import { HIBERNATION_RULES, Hibernate, formatHibernation, hibernatedPlan, wakeServing } from "./hibernation";
import { loadOperationTimes } from "./operationTimes";
import { estimateTransition } from "./transition";

const STORES = ["aws:docdb/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:msk/cluster:Cluster",
    "azure-native:cosmosdb:DatabaseAccount", "azure-native:redisenterprise:RedisEnterprise", "azure-native:eventhub:Namespace"];

describe("the hibernation model", () => {
    const plans = new Map<string, Plan>();
    const times = loadOperationTimes();
    before(async function () {
        this.timeout(120_000);
        for (const s of ["dev", "dev-azure"]) plans.set(s, await planStack(s));
    });
    const names = (p: Plan, type: string) => p.resources.filter((r) => r.type === type).map((r) => r.name);

    it("gives every decision a reason", () => {
        for (const [type, rule] of Object.entries(HIBERNATION_RULES)) assert.ok(rule.why.length > 20 && Object.values(Hibernate).includes(rule.action), type);
    });

    it("removes dev's NAT gateway, its address and routes and the DocumentDB replicas, scales the nodes and the bastion to zero", () => {
        const running = plans.get("dev")!;
        const { plan } = hibernatedPlan(running);
        assert.deepStrictEqual(names(plan, "aws:ec2/natGateway:NatGateway"), []);
        assert.deepStrictEqual(names(plan, "aws:ec2/eip:Eip"), []);
        assert.ok(plan.resources.every((r) => r.type !== "aws:ec2/route:Route" || !r.inputs.natGatewayId));
        assert.deepStrictEqual(names(plan, "aws:docdb/clusterInstance:ClusterInstance"), [names(running, "aws:docdb/clusterInstance:ClusterInstance")[0]]);
        for (const ng of plan.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual((ng.inputs.scalingConfig as { desiredSize: number }).desiredSize, 0);
        assert.strictEqual(plan.resources.find((r) => r.type === "aws:autoscaling/group:Group")!.inputs.desiredCapacity, 0);
        assert.deepStrictEqual(names(plan, "aws:eks/cluster:Cluster"), names(running, "aws:eks/cluster:Cluster"));
    });

    for (const stack of ["dev", "dev-azure"]) {
        it(`keeps every data store of ${stack} and the keys, and costs less than running but more than torn down`, () => {
            const running = plans.get(stack)!;
            const { plan } = hibernatedPlan(running);
            for (const r of running.resources.filter((x) => STORES.includes(x.type) || x.type === "aws:kms/key:Key")) {
                assert.ok(plan.resources.some((h) => h.urn === r.urn), `${r.name} is removed`);
            }
            const region = stack === "dev" ? "us-east-1" : "westeurope";
            const cost = (state: Plan | undefined) => costOfState("s", running, state, region, loadPrices()).hourly;
            assert.ok(cost(plan) < cost(running) && cost(plan) > cost(undefined));
        });
    }

    it("predicts dev serving within 10 minutes of a wake-up, before the DocumentDB replicas are back", () => {
        const running = plans.get("dev")!;
        const h = hibernatedPlan(running);
        const wake = estimateTransition({ label: "hibernated", plan: h.plan }, { label: "running", plan: running }, times, undefined, wakeServing(running, h.decisions));
        assert.ok(wake.servingSeconds! <= 600, `${wake.servingSeconds} s`);
        assert.ok(wake.predictedSeconds >= wake.servingSeconds!);
        assert.ok(wake.criticalPath.some((s) => s.type === "aws:eks/nodeGroup:NodeGroup") || wake.criticalPath.some((s) => s.type === "aws:docdb/clusterInstance:ClusterInstance"));
    });

    it("names dev-azure's floor: three user pools scaled one after another, over 10 minutes", () => {
        const running = plans.get("dev-azure")!;
        const h = hibernatedPlan(running);
        const wake = estimateTransition({ label: "hibernated", plan: h.plan }, { label: "running", plan: running }, times, undefined, wakeServing(running, h.decisions));
        assert.strictEqual(wake.criticalPath.filter((s) => s.type === "azure-native:containerservice:AgentPool").length, 3);
        assert.ok(wake.servingSeconds! > 600 && wake.servingSeconds! < 20 * 60, `${wake.servingSeconds} s`);
    });

    it("prints what goes, what stays and both transitions", () => {
        const running = plans.get("dev")!;
        const text = formatHibernation(running, hibernatedPlan(running));
        assert.match(text, /removed:\n    aws:ec2\/eip:Eip: /);
        assert.match(text, /Transition hibernated -> running for dev \(aws\)[^\n]*\n  predicted: [^\n]*\n  serving from: /);
        assert.match(text, /Transition running -> hibernated for dev/);
    });
});
