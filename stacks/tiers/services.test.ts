import * as assert from "assert";
import { Deployment } from "kubernetes-models/apps/v1";
import { stackPlan } from "../../engine/testing/plan";
import { Plan, PlannedResource, REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";

type Obj = Record<string, any>;
const ofKind = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const policy = (plan: Plan, name: string) => ofKind(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((r) => (r.inputs.metadata as Obj).name === name)!.inputs.spec as Obj;
const dataCidrs = (graph: PlanGraph) => graph.networkSubnets().filter((s) => s.tier === "data").map((s) => s.cidr);

describe("the dev stack's app tier", () => {
    let plan: Plan;
    let graph: PlanGraph;
    before(async () => {
        plan = await stackPlan("dev");
        graph = new PlanGraph(plan);
    });

    it("runs the five cookie services in the cluster through the cluster's provider", () => {
        const deployments = ofKind(plan, "kubernetes:apps/v1:Deployment");
        assert.deepStrictEqual(deployments.map((d) => (d.inputs.metadata as Obj).name).sort(), ["bake", "get-cookie", "mix", "pack", "prepare-cookie"]);
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name.endsWith("-apps"))!;
        for (const d of deployments) {
            assert.ok(d.options.provider.startsWith(provider.urn), d.name);
            new Deployment({ apiVersion: "apps/v1", kind: "Deployment", ...(d.inputs as Obj) } as never).validate();
        }
    });

    it("spreads the ALB over the public subnet of every zone the network spans", () => {
        const ingress = ofKind(plan, "kubernetes:networking.k8s.io/v1:Ingress")[0];
        const subnets = (ingress.inputs.metadata as Obj).annotations["alb.ingress.kubernetes.io/subnets"].split(",");
        const publicSubnets = graph.networkSubnets().filter((s) => s.tier === "public");
        assert.deepStrictEqual(subnets.sort(), publicSubnets.map((s) => s.id).sort());
        assert.strictEqual(new Set(publicSubnets.map((s) => s.zone)).size, 3);
        const admitted = policy(plan, "get-cookie-flows").ingress[0].from.map((p: Obj) => p.ipBlock.cidr);
        assert.deepStrictEqual(admitted.sort(), publicSubnets.map((s) => s.cidr).sort());
    });

    it("lets the services reach only the network's data subnets, on the ports the stores report", () => {
        const egress = policy(plan, "prepare-cookie-flows").egress.filter((r: Obj) => r.to[0].ipBlock);
        for (const rule of egress) assert.deepStrictEqual(rule.to.map((p: Obj) => p.ipBlock.cidr), dataCidrs(graph));
        const redis = plan.resources.find((r) => r.type === "intergalactic:index:HaRedis")!;
        assert.deepStrictEqual(egress[0].ports, [{ protocol: "TCP", port: (redis.outputs.connection as Obj).port }]);
    });

    it("hands the stores' credentials to the pods only through Secrets the plan redacts", () => {
        const secrets: PlannedResource[] = ofKind(plan, "kubernetes:core/v1:Secret");
        assert.strictEqual(secrets.length, 3);
        for (const s of secrets) assert.strictEqual(s.inputs.stringData, REDACTED);
    });

    it("uses only topics the Kafka tier creates", () => {
        const component = plan.resources.find((r) => r.type === "intergalactic:index:CookieServices")!;
        const kafka = plan.resources.find((r) => r.type === "intergalactic:index:KafkaQuorum")!;
        for (const topic of component.outputs.kafkaTopics as string[]) assert.ok((kafka.outputs.topicNames as string[]).includes(topic), topic);
    });
});
