/**
 * Zone-loss analysis over the real stacks' plans: prod survives the loss of any
 * one zone on both clouds, a single-zone variant does not, and tiers the stack
 * does not have yet are reported as absent.
 */
import * as assert from "assert";
import { parseArgs } from "../../tools/plan/cli";
import { planOf, resource } from "../fixtures/build";
import { awsNetwork } from "../fixtures/networks";
import { copyOf, stackPlan, stackStampPlan } from "../../engine/testing/plan";
import { analyzeZoneLoss, planZones, withoutZones, zoneLossCheck } from ".";

const statusOf = (report: ReturnType<typeof analyzeZoneLoss>, zone: string, tier: string) =>
    report.scenarios.find((s) => s.lostZone === zone)?.tiers.find((t) => t.tier === tier)?.status;

describe("zone-loss analysis", function () {
    this.timeout(60_000);

    for (const stack of ["prod", "prod-azure"]) {
        it(`finds that ${stack} keeps serving after the loss of any one of its first region's 3 zones, and of any zone of its stamps`, async () => {
            const report = analyzeZoneLoss(await stackStampPlan(stack));
            assert.strictEqual(report.zones.length, 3);
            const down = report.scenarios.flatMap((s) => s.tiers.filter((t) => t.status === "down").map((t) => `${s.lostZone}: ${t.tier}: ${t.detail}`));
            assert.deepStrictEqual(down, []);
            assert.strictEqual(report.survives, true);
            assert.ok(zoneLossCheck(await stackPlan(stack), "prod").ok);
        });
    }

    it("judges each stamp of a multi-region stack on its own zones, and fails naming the stamp that does not survive", async () => {
        const both = zoneLossCheck(await stackPlan("prod-azure"), "prod");
        assert.ok(both.ok, both.text);
        assert.deepStrictEqual(both.text.match(/^Stamp in .*$/gm), ["Stamp in the stack's own region:", "Stamp in eastus2:"]);
        assert.strictEqual(both.text.match(/3 zone\(s\): 1, 2, 3/g)?.length, 2);
        const weakened = withoutZones(copyOf(await stackPlan("prod")), ["us-east-1b", "us-east-1d"]);
        const check = zoneLossCheck(weakened, "prod");
        assert.strictEqual(check.ok, false);
        assert.match(check.text, /Stamp in us-east-1:\nZone-loss analysis of stack prod \(aws\): 1 zone\(s\): us-east-1a\n {2}a single-zone stack cannot survive/);
        assert.match(check.text, /Stamp in the stack's own region:\n[^]*RESULT: prod survives the loss of any one zone/);
    });

    it("judges every tier of prod, reporting the data tiers as serving", async () => {
        const report = analyzeZoneLoss(await stackPlan("prod"));
        for (const tier of ["network egress", "kafka", "redis", "mongo"]) assert.strictEqual(statusOf(report, "eu-west-1a", tier), "serving", tier);
    });

    it("judges prod-azure's Ingress, served by AKS application routing, as a load balancer in the node pools' zones", async () => {
        const report = analyzeZoneLoss(await stackPlan("prod-azure"));
        const tier = report.scenarios.find((s) => s.lostZone === "1")?.tiers.find((t) => t.tier === "load balancers");
        assert.strictEqual(tier?.status, "serving", tier?.detail);
        assert.match(tier!.detail, /Ingress \S+ \(AKS application routing\) keeps 2, 3/);
    });

    it("finds that an AKS application routing Ingress goes down with the only zone of its node pools", async () => {
        const plan = copyOf(await stackPlan("prod-azure"));
        for (const r of plan.resources) {
            if (r.type === "azure-native:containerservice:AgentPool") r.inputs.availabilityZones = ["1"];
            const profiles = r.type === "azure-native:containerservice:ManagedCluster" ? r.inputs.agentPoolProfiles : undefined;
            if (Array.isArray(profiles)) for (const p of profiles as Record<string, unknown>[]) p.availabilityZones = ["1"];
        }
        const tier = analyzeZoneLoss(plan).scenarios.find((s) => s.lostZone === "1")?.tiers.find((t) => t.tier === "load balancers");
        assert.strictEqual(tier?.status, "down", tier?.detail);
    });

    it("fails a single-zone variant of prod and says which tiers go down", async () => {
        const prod = copyOf(await stackStampPlan("prod"));
        const single = withoutZones(prod, ["eu-west-1b", "eu-west-1c"]);
        const report = analyzeZoneLoss(single);
        assert.deepStrictEqual(report.zones, ["eu-west-1a"]);
        assert.strictEqual(report.survives, false);
        for (const tier of ["network egress", "kafka", "redis", "mongo"]) assert.strictEqual(statusOf(report, "eu-west-1a", tier), "down", tier);
        const check = zoneLossCheck(single, "prod");
        assert.strictEqual(check.ok, false);
        assert.match(check.text, /RESULT: prod does not survive the loss of eu-west-1a \(network egress, [^)]*kafka, redis, mongo/);
    });

    it("reports tiers the stack does not have yet as absent, not as failures", async () => {
        const report = analyzeZoneLoss(planOf("aws", awsNetwork().all));
        const absent = report.scenarios[0].tiers.filter((t) => t.status === "absent").map((t) => t.tier);
        for (const tier of ["load balancers", "kafka", "redis", "mongo", "services"]) assert.ok(absent.includes(tier), tier);
        assert.strictEqual(report.survives, true);
    });

    it("finds that a dev stack with one NAT gateway loses egress with that zone, which dev allows", async () => {
        const dev = await stackPlan("dev");
        const report = analyzeZoneLoss(dev);
        assert.strictEqual(report.survives, false);
        assert.strictEqual(statusOf(report, "us-east-1a", "network egress"), "down");
        assert.strictEqual(zoneLossCheck(dev, "dev").ok, true);
    });

    it("finds that Redis without automatic failover goes down when its primary's zone is lost", () => {
        const net = awsNetwork();
        const rg = resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg", {
            automaticFailoverEnabled: false, preferredCacheClusterAzs: ["us-east-1a", "us-east-1b"],
        });
        const report = analyzeZoneLoss(planOf("aws", [...net.all, rg]));
        assert.strictEqual(statusOf(report, "us-east-1a", "redis"), "down");
        assert.strictEqual(statusOf(report, "us-east-1b", "redis"), "serving");
    });

    it("finds that Kafka refuses writes after a zone loss when a topic's replicas cannot stay above min.insync.replicas", () => {
        const net = awsNetwork();
        const msk = resource("aws:msk/cluster:Cluster", "kafka-msk", {
            numberOfBrokerNodes: 3, brokerNodeGroupInfo: { clientSubnets: net.subnets.data.map((s) => s.id) },
        });
        const topic = (rf: number) => resource("aws:msk/topic:Topic", "orders", { name: "orders", replicationFactor: rf, configs: "{\"min.insync.replicas\":\"2\"}" });
        assert.strictEqual(statusOf(analyzeZoneLoss(planOf("aws", [...net.all, msk, topic(3)])), "us-east-1a", "kafka"), "serving");
        const weak = analyzeZoneLoss(planOf("aws", [...net.all, msk, topic(2)]));
        assert.strictEqual(statusOf(weak, "us-east-1a", "kafka"), "down");
        assert.match(weak.scenarios[0].tiers.find((t) => t.tier === "kafka")!.detail, /topic\(s\) orders fall below min.insync.replicas/);
    });

    it("lists the zones of a plan from its subnets", async () => {
        assert.deepStrictEqual(planZones(await stackPlan("prod-azure")), ["1", "2", "3"]);
    });

    it("is switched on by the plan command's --zone-loss flag", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--zone-loss"]), { stack: "prod", zoneLoss: true });
    });
});
