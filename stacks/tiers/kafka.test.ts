import * as assert from "assert";
import { cookiePipeline, pipelineTopics } from "../../components/services/cookiePipeline";
import { planStack } from "../../engine/planStack";
import { Plan, PlannedResource, REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { stampPlan } from "../../engine/regions";
import { stackNames } from "../../engine/testing/plan";

/** Auto-creation is off, so every topic the cookie services consume or produce must be declared in the stack. */
const PIPELINE_TOPICS = pipelineTopics(cookiePipeline());
const only = (plan: Plan, type: string): PlannedResource => {
    const found = plan.resources.filter((r) => r.type === type);
    assert.strictEqual(found.length, 1, `one ${type}`);
    return found[0];
};
/** The stack outputs as the engine records them on the stack resource. */
const stackOutputs = (plan: Plan) => only(plan, "pulumi:pulumi:Stack").outputs;
const appCidrs = (graph: PlanGraph) => graph.networkSubnets().filter((s) => s.tier === "app").map((s) => s.cidr);

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's event tier`, () => {
        let plan: Plan;
        let graph: PlanGraph;
        before(async () => {
            plan = stampPlan(await planStack(stack));
            graph = new PlanGraph(plan);
        });

        it("runs three MSK brokers in three distinct zones, in the network's data subnets", () => {
            const cluster = only(plan, "aws:msk/cluster:Cluster");
            assert.strictEqual(cluster.inputs.numberOfBrokerNodes, 3);
            const zones = graph.zonesOf(cluster);
            assert.strictEqual(new Set(zones).size, 3, `zones: ${zones.join(", ")}`);
            const dataSubnets = graph.networkSubnets().filter((s) => s.tier === "data").map((s) => s.id);
            const clientSubnets = (cluster.inputs.brokerNodeGroupInfo as { clientSubnets: string[] }).clientSubnets;
            assert.ok(clientSubnets.every((id) => dataSubnets.includes(id)), "brokers outside the data tier");
            assert.strictEqual(graph.topComponent(cluster).type, "intergalactic:index:KafkaQuorum");
        });

        it("creates exactly the topics the cookie services consume and produce, with three replicas", () => {
            const topics = plan.resources.filter((r) => r.type === "aws:msk/topic:Topic");
            assert.deepStrictEqual(topics.map((t) => t.inputs.name).sort(), PIPELINE_TOPICS);
            assert.ok(topics.every((t) => t.inputs.replicationFactor === 3));
        });

        it("admits only the app tier, only on the SCRAM port", () => {
            const sg = plan.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "kafka-sg")!;
            const ingress = sg.inputs.ingress as { fromPort: number; toPort: number; cidrBlocks?: string[] }[];
            assert.deepStrictEqual(ingress.map((r) => [r.fromPort, r.toPort, r.cidrBlocks]), [[9096, 9096, appCidrs(graph)]]);
        });

        it("exports the Kafka connection, keeps the credentials out of the stack outputs and secret in the component", () => {
            assert.ok(!("kafkaCredentials" in stackOutputs(plan)) && !("kafkaCredentials" in plan.stackOutputs));
            assert.strictEqual(only(plan, "intergalactic:index:KafkaQuorum").outputs.credentials, REDACTED);
            const connection = stackOutputs(plan).kafkaConnection as { endpoints: string[]; tls: boolean };
            assert.strictEqual(connection.endpoints.length, 3);
            assert.strictEqual(connection.tls, true);
        });
    });
}

for (const stack of stackNames("azure")) {
    describe(`the ${stack} stack's event tier`, () => {
        let plan: Plan;
        let graph: PlanGraph;
        before(async () => {
            plan = stampPlan(await planStack(stack));
            graph = new PlanGraph(plan);
        });

        it("is a zone-redundant Event Hubs Premium namespace closed to the public network", () => {
            const ns = only(plan, "azure-native:eventhub:Namespace").inputs as Record<string, any>;
            assert.deepStrictEqual([ns.sku.name, ns.zoneRedundant, ns.publicNetworkAccess, ns.minimumTlsVersion], ["Premium", true, "Disabled", "1.2"]);
            assert.deepStrictEqual(graph.networkSubnets().filter((s) => s.tier === "app").map((s) => s.zone).sort(), ["1", "2", "3"]);
        });

        it("creates one event hub per topic the cookie services consume and produce", () => {
            const hubs = plan.resources.filter((r) => r.type === "azure-native:eventhub:EventHub");
            assert.deepStrictEqual(hubs.map((h) => h.inputs.eventHubName).sort(), PIPELINE_TOPICS);
        });

        it("puts the namespace's private endpoint in the network's data subnet", () => {
            const ns = only(plan, "azure-native:eventhub:Namespace");
            const endpoint = plan.resources.find((r) => r.type === "azure-native:network:PrivateEndpoint"
                && (r.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId === ns.id);
            assert.ok(endpoint, "no private endpoint for the namespace");
            const dataSubnet = graph.networkSubnets().find((s) => s.tier === "data")!;
            assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, dataSubnet.id);
            assert.strictEqual(graph.topComponent(endpoint).type, "intergalactic:index:KafkaQuorum");
        });

        it("keeps the credentials out of the stack outputs and secret in the component", () => {
            assert.ok(!("kafkaCredentials" in stackOutputs(plan)) && !("kafkaCredentials" in plan.stackOutputs));
            assert.strictEqual(only(plan, "intergalactic:index:KafkaQuorum").outputs.credentials, REDACTED);
        });
    });
}
