import * as assert from "assert";
import { Plan, PlannedResource } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { ofType, stackNames, stackStampPlan } from "../../engine/testing/plan";
import { contains, mustParseCidr } from "../../components/network/cidr";

type Rule = { cidrBlocks?: string[]; fromPort?: number; toPort?: number };
type NsgRule = { direction: string; access: string; sourceAddressPrefix?: string; sourceAddressPrefixes?: string[]; destinationPortRange?: string; destinationPortRanges?: string[] };

/** The data stores each AWS stack runs, by their security group, and the port clients use. */
const AWS_STORES = [["cache-sg", 6379], ["users-sg", 27017], ["kafka-sg", 9096]] as const;
/** The Azure data services' ports: Azure Managed Redis, Cosmos DB for MongoDB, Event Hubs' Kafka endpoint. */
const AZURE_STORE_PORTS = [["redis", "10000"], ["mongo", "10255"], ["kafka", "9093"]] as const;

const covers = (ranges: readonly string[], cidr: string) => ranges.some((r) => contains(mustParseCidr(r), mustParseCidr(cidr)));
const appSubnets = (plan: Plan) => new PlanGraph(plan).networkSubnets().filter((s) => s.tier === "app");

for (const stack of stackNames("aws")) {
    describe(`the data stores of the ${stack} stack`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it("has an app subnet in every zone the network spans", () => {
            const zones = plan.stackOutputs.zones as string[];
            assert.deepStrictEqual(appSubnets(plan).map((s) => s.zone), zones);
        });

        for (const [group, port] of AWS_STORES) {
            it(`lets every app-tier zone's subnet reach ${group.replace(/-sg$/, "")} on ${port}`, () => {
                const sg: PlannedResource = ofType(plan, "aws:ec2/securityGroup:SecurityGroup").find((r) => r.name === group)!;
                const rules = (sg.inputs.ingress as Rule[]).filter((r) => r.fromPort! <= port && port <= r.toPort!);
                for (const subnet of appSubnets(plan)) {
                    assert.ok(rules.some((r) => covers(r.cidrBlocks ?? [], subnet.cidr)), `${group} does not admit ${subnet.zone}'s ${subnet.cidr}`);
                }
            });
        }
    });
}

for (const stack of stackNames("azure")) {
    describe(`the data stores of the ${stack} stack`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        for (const [store, port] of AZURE_STORE_PORTS) {
            it(`lets every app-tier zone's subnet reach the ${store} endpoint in the data subnet on ${port}`, () => {
                const subnets = ofType(plan, "azure-native:network:Subnet");
                const data = subnets.find((s) => s.name === "net-data")!;
                const nsgId = (data.inputs.networkSecurityGroup as { id: string }).id;
                const nsg = ofType(plan, "azure-native:network:NetworkSecurityGroup").find((n) => n.id === nsgId)!;
                const allows = (nsg.inputs.securityRules as NsgRule[])
                    .filter((r) => r.direction === "Inbound" && r.access === "Allow")
                    .filter((r) => [r.destinationPortRange, ...(r.destinationPortRanges ?? [])].includes(port));
                const endpoints = ofType(plan, "azure-native:network:PrivateEndpoint");
                assert.ok(endpoints.every((e) => (e.inputs.subnet as { id: string }).id === data.id), "a private endpoint outside the data subnet");
                for (const subnet of appSubnets(plan)) {
                    const sources = allows.flatMap((r) => [...(r.sourceAddressPrefix ? [r.sourceAddressPrefix] : []), ...(r.sourceAddressPrefixes ?? [])]);
                    assert.ok(covers(sources.filter((s) => /\//.test(s)), subnet.cidr), `the data subnet's NSG does not admit ${subnet.zone}'s ${subnet.cidr} on ${port}`);
                }
            });
        }
    });
}
