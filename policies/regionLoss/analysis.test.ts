/**
 * Region-loss analysis over the real stacks' plans: both prod stacks survive the loss of either
 * region, AWS's only after a person fails the user database over (writes stop until then); weakened
 * copies (a store not replicated, an entry without health checks, a region without services, a
 * region without its own cache, a region whose network reaches no copy) fail naming the tier and the
 * reason; a one-region stack has nothing to fail over to, which fails prod and does not apply to dev.
 */
import * as assert from "assert";
import { parseArgs } from "../../tools/plan/cli";
import { Plan, PlannedResource } from "../../engine/format";
import { copyOf, stackNames, stackPlan, stackStampPlan } from "../../engine/testing/plan";
import { ROOT } from "../../engine/planStack";
import { loadStackFiles } from "../../engine/stackFiles";
import { Failover, RegionLossReport, StoreKind, analyzeRegionLoss, entryRoutes, regionLossCheck, regionalPlan, replicatedStores } from ".";

const tierOf = (report: RegionLossReport, region: string, tier: string) => {
    const found = report.scenarios.find((s) => s.lostRegion === region)?.tiers.find((t) => t.tier === tier);
    assert.ok(found, `no ${tier} verdict for the loss of ${region}`);
    return found;
};
const without = (plan: Plan, drop: (r: PlannedResource) => boolean): Plan => ({ ...plan, resources: plan.resources.filter((r) => !drop(r)) });
const edit = (plan: Plan, name: string, change: (inputs: Record<string, unknown>) => void): Plan => {
    const copy = copyOf(plan);
    const found = copy.resources.filter((r) => r.name === name);
    assert.ok(found.length > 0, `no resource ${name}`);
    for (const r of found) change(r.inputs);
    return copy;
};

/** Per prod stack: its regions, and what the loss of each does to the user database. */
const PROD: Readonly<Record<string, { regions: string[]; second: string; firstLoss: { status: string; failover: string; detail: RegExp } }>> = {
    prod: {
        regions: ["eu-west-1", "us-east-1"], second: "use1",
        firstLoss: { status: "manual", failover: Failover.Manual, detail: /reads keep serving from the read-only secondary users-use1-cluster in us-east-1; writes stop until a person fails the global cluster over to it \(aws docdb failover-global-cluster --region us-east-1 --global-cluster-identifier intergalactic-prod-users-global / },
    },
    "prod-azure": {
        regions: ["northeurope", "eastus2"], second: "eastus2",
        firstLoss: { status: "serving", failover: Failover.Automatic, detail: /writes stop until Cosmos DB's service-managed failover makes eastus2 the write region/ },
    },
};

describe("region-loss analysis", function () {
    this.timeout(120_000);

    it("has expectations for every prod stack", () => {
        assert.deepStrictEqual(Object.keys(PROD).sort(), stackNames(undefined, "prod").sort());
    });

    for (const [stack, expected] of Object.entries(PROD)) {
        it(`finds that ${stack} survives the loss of either region, and says truthfully what the loss of ${expected.regions[0]} does to writes`, async () => {
            const check = regionLossCheck(await stackPlan(stack), "prod");
            assert.ok(check.ok, check.text);
            assert.deepStrictEqual(check.report.regions, expected.regions);
            const down = check.report.scenarios.flatMap((s) => s.tiers.filter((t) => t.status === "down").map((t) => `${s.lostRegion}: ${t.tier}: ${t.detail}`));
            assert.deepStrictEqual(down, []);
            const [first, second] = expected.regions;
            const users = tierOf(check.report, first, StoreKind.UserDatabase);
            assert.deepStrictEqual([users.status, users.failover], [expected.firstLoss.status, expected.firstLoss.failover], users.detail);
            assert.match(users.detail, expected.firstLoss.detail);
            assert.strictEqual(tierOf(check.report, second, StoreKind.UserDatabase).status, "serving");
            for (const region of expected.regions) {
                const entry = tierOf(check.report, region, "global entry");
                assert.deepStrictEqual([entry.status, entry.failover], ["serving", Failover.Automatic], entry.detail);
                assert.strictEqual(tierOf(check.report, region, "services").status, "serving");
                for (const kind of [StoreKind.Cache, StoreKind.EventBus]) {
                    const t = tierOf(check.report, region, kind);
                    assert.deepStrictEqual([t.status, t.failover], ["serving", Failover.None], t.detail);
                    assert.match(t.detail, /is lost with it \(region-local, not replicated\)/);
                }
            }
        });
    }

    it("fails prod for neither region but tells that the loss of eu-west-1 needs a person, in the scenario and the result", async () => {
        const { text } = regionLossCheck(await stackPlan("prod"), "prod");
        assert.match(text, /^Losing eu-west-1: keeps serving reads; writes wait for a person$/m);
        assert.match(text, /^Losing us-east-1: keeps serving$/m);
        assert.match(text, /^RESULT: prod survives the loss of any one region; a person must fail over after the loss of eu-west-1 \(user database\)$/m);
        assert.match(regionLossCheck(await stackPlan("prod-azure"), "prod").text, /^RESULT: prod-azure survives the loss of any one region$/m);
    });

    it("gives each store's recovery point with its source and who fails it over", async () => {
        const aws = analyzeRegionLoss(await stackPlan("prod")).recovery;
        const users = aws.find((p) => p.store === "users");
        assert.strictEqual(users?.failover, Failover.Manual);
        assert.match(users!.rpo, /typically under a second/);
        assert.match(users!.source, /API_CreateGlobalCluster\.html; .*API_FailoverGlobalCluster\.html/);
        assert.match(users!.action, /remove-from-global-cluster/);
        const azure = analyzeRegionLoss(await stackPlan("prod-azure")).recovery.find((p) => p.store === "users");
        assert.deepStrictEqual([azure?.failover, azure?.rpo], [Failover.Automatic, "under 15 minutes of writes (Session consistency, one write region)"]);
        assert.match(azure!.source, /consistency-levels#rto/);
        for (const p of aws.filter((x) => x.kind !== StoreKind.UserDatabase)) assert.deepStrictEqual([p.failover, p.action], [Failover.None, ""], p.store);
    });

    it("AWS: every stamp writes the user database with both regions up, us-east-1 across the VPC peering; without the accepter it only reads", async () => {
        const plan = await stackPlan("prod");
        assert.deepStrictEqual(analyzeRegionLoss(plan).userDatabaseWrites, [
            "users: eu-west-1 writes to users-cluster in its own region",
            "users: us-east-1 writes to users-cluster in eu-west-1 across the VPC peering",
        ]);
        assert.match(regionLossCheck(plan, "prod").text, /^With every region up, the user database's writes:\n {2}users: eu-west-1 writes/m);
        // The loss of eu-west-1 still needs the global failover, and the writer moved with it.
        assert.match(tierOf(analyzeRegionLoss(plan), "eu-west-1", StoreKind.UserDatabase).detail, /and points the surviving stamps' writer there by kubectl on their mongo-connection Secrets \(no up runs while eu-west-1's APIs are down\), then commits intergalactic:mongo\.writerRegion us-east-1 before the next up \(README, failover runbook\)$/);
        const unaccepted = without(plan, (r) => r.type === "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter");
        assert.deepStrictEqual(analyzeRegionLoss(unaccepted).userDatabaseWrites.slice(1), ["users: us-east-1 reaches no writer (no VPC peering to eu-west-1): it only reads"]);
        const azure = analyzeRegionLoss(await stackPlan("prod-azure")).userDatabaseWrites;
        assert.deepStrictEqual(azure, ["users: northeurope writes to users-db in its own region", "users: eastus2 writes through its own endpoint; Cosmos DB takes them in northeurope"]);
    });

    describe("weakened copies fail, naming the tier and the reason", () => {
        const fails = (plan: Plan, lost: string, tier: string, reason: RegExp) => {
            const check = regionLossCheck(plan, "prod");
            assert.strictEqual(check.ok, false, check.text);
            const t = tierOf(check.report, lost, tier);
            assert.strictEqual(t.status, "down", t.detail);
            assert.match(t.detail, reason);
            assert.match(check.text, new RegExp(`^RESULT: ${plan.stack} does not survive the loss of (.*; )?${lost} \\([^)]*${tier}`, "m"));
        };

        it("AWS: a user database not replicated to us-east-1 (no global cluster, no secondary)", async () => {
            const plan = without(await stackPlan("prod"), (r) => r.type === "aws:docdb/globalCluster:GlobalCluster" || /^users-use1-(cluster|db-)/.test(r.name));
            fails(plan, "eu-west-1", StoreKind.UserDatabase, /^users \(DocumentDB\) has no copy outside eu-west-1: not replicated/);
        });

        it("AWS, three regions: a stamp whose network is not joined to the writer's (no peering) cannot write", async () => {
            const services = JSON.parse(loadStackFiles(ROOT, "prod").config["intergalactic:services"]) as Record<string, unknown>;
            const arns = { ...(services.regionCertificateArns as Record<string, string>), "us-west-2": "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-4000-8000-000000000101" };
            const three = await stackPlan("prod", { "intergalactic:regions": JSON.stringify(["eu-west-1", "us-east-1", "us-west-2"]), "intergalactic:services": JSON.stringify({ ...services, regionCertificateArns: arns }) });
            const joined = analyzeRegionLoss(three);
            assert.match(tierOf(joined, "us-east-1", StoreKind.UserDatabase).detail, /writes stay with users-cluster in eu-west-1 \(us-west-2 write\(s\) there across the VPC peering\)/);
            const cut = without(three, (r) => /^peering-euw1-usw2/.test(r.name) || /-to-(usw2|euw1)$/.test(r.name) && /^net(-usw2)?-rt-/.test(r.name));
            fails(cut, "us-east-1", StoreKind.UserDatabase, /^users: us-west-2 run\(s\) services but ha\(s\) no network path to the writer users-cluster in eu-west-1 \(no VPC peering\)/);
        });

        it("Azure: a Cosmos DB account with no second location", async () => {
            const plan = edit(await stackPlan("prod-azure"), "users-db", (i) => { i.locations = (i.locations as unknown[]).slice(0, 1); });
            fails(plan, "northeurope", StoreKind.UserDatabase, /^users \(Cosmos DB\) has no copy outside northeurope/);
        });

        it("Azure: a Cosmos DB account without service-managed failover", async () => {
            const plan = edit(await stackPlan("prod-azure"), "users-db", (i) => { i.enableAutomaticFailover = false; });
            fails(plan, "northeurope", StoreKind.UserDatabase, /service-managed failover off: its writes stop until northeurope returns/);
        });

        it("Azure: a region whose network has no endpoint to the user database", async () => {
            const plan = without(await stackPlan("prod-azure"), (r) => r.name === "users-endpoint-eastus2");
            fails(plan, "northeurope", StoreKind.UserDatabase, /^eastus2 run\(s\) services but reach no copy of users in their own network/);
        });

        it("AWS: a latency record with neither a health check nor target health evaluated", async () => {
            const plan = edit(await stackPlan("prod"), "entry-latency-us-east-1", (i) => { (i.aliases as Record<string, unknown>[])[0].evaluateTargetHealth = false; delete i.healthCheckId; });
            fails(plan, "us-east-1", "global entry", /^entry-latency-us-east-1 send\(s\) clients to us-east-1 with nothing checking its health: Route 53 keeps routing there/);
            assert.strictEqual(tierOf(analyzeRegionLoss(plan), "eu-west-1", "global entry").status, "serving");
        });

        it("AWS: a latency record whose only check is a disabled health check (healthy to Route 53 whatever the region answers)", async () => {
            const unevaluated = edit(await stackPlan("prod"), "entry-latency-us-east-1", (i) => { (i.aliases as Record<string, unknown>[])[0].evaluateTargetHealth = false; });
            assert.match(tierOf(analyzeRegionLoss(unevaluated), "us-east-1", "global entry").detail, /on HTTPS checks of \/ready every 30 s \(health check entry-health-us-east-1\)/);
            const plan = edit(unevaluated, "entry-health-us-east-1", (i) => { i.disabled = true; });
            fails(plan, "us-east-1", "global entry", /^entry-latency-us-east-1 send\(s\) clients to us-east-1 with nothing checking its health/);
        });

        it("Azure: a Front Door origin group without health probes", async () => {
            const plan = edit(await stackPlan("prod-azure"), "entry-origins", (i) => { delete i.healthProbeSettings; });
            fails(plan, "eastus2", "global entry", /entry-origin-eastus2 send\(s\) clients to eastus2 with nothing checking its health: Front Door keeps routing there/);
        });

        for (const [stack, second] of [["prod", "use1"], ["prod-azure", "eastus2"]] as const) {
            it(`${stack}: a second region with no services`, async () => {
                const plan = without(await stackPlan(stack), (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.startsWith(`cookies-${second}-`));
                const first = PROD[stack].regions[0];
                fails(plan, first, "services", new RegExp(`^no region but ${first} runs services$`));
                assert.match(tierOf(analyzeRegionLoss(plan), first, "global entry").detail, /no route of the entry leads to a region that keeps serving \(none\)/);
            });
        }

        it("AWS: a second region with no cache of its own", async () => {
            const plan = without(await stackPlan("prod"), (r) => r.name === "cache-use1-rg");
            fails(plan, "eu-west-1", StoreKind.Cache, /^us-east-1 run\(s\) services but has no cache of its own/);
        });
    });

    it("finds nothing to fail over to in a stack of one region: a failure for prod, not applicable to dev", async () => {
        const single = regionLossCheck(await stackStampPlan("prod"), "prod");
        assert.strictEqual(single.ok, false);
        assert.deepStrictEqual(single.report.regions, ["eu-west-1"]);
        assert.match(single.text, /^RESULT: prod does not survive the loss of its only region: a one-region stack has nothing to fail over to/m);
        for (const stack of stackNames(undefined, "dev")) {
            const dev = regionLossCheck(await stackPlan(stack), "dev");
            assert.strictEqual(dev.ok, true, stack);
            assert.strictEqual(dev.report.scenarios.length, 0);
            assert.match(dev.text, /^RESULT: not applicable: \S+ runs in one region, so there is nothing to fail over to/m, stack);
        }
    });

    it("reads which regions hold each store's copies and what the entry checks, from the plan alone", async () => {
        const aws = regionalPlan(await stackPlan("prod"));
        const users = replicatedStores(aws.resources).find((s) => s.store === "users");
        assert.deepStrictEqual(users?.copies, [
            { region: "eu-west-1", resource: "users-cluster", writable: true },
            { region: "us-east-1", resource: "users-use1-cluster", writable: false },
        ]);
        assert.deepStrictEqual(entryRoutes(aws.resources).map((r) => [r.region, r.resource]), [["eu-west-1", "entry-latency-eu-west-1"], ["us-east-1", "entry-latency-us-east-1"]]);
        for (const route of entryRoutes(aws.resources)) {
            assert.match(route.healthCheck ?? "", new RegExp(`^HTTPS checks of /ready every 30 s \\(health check entry-health-${route.region}\\) and the alias target's health \\(evaluate target health\\)$`));
        }
        const azure = regionalPlan(await stackPlan("prod-azure"));
        const cosmos = replicatedStores(azure.resources).find((s) => s.store === "users");
        assert.deepStrictEqual([cosmos?.copies.map((c) => [c.region, c.writable]), cosmos?.reachableFrom, cosmos?.automaticFailover], [
            [["northeurope", true], ["eastus2", false]], ["northeurope", "eastus2"], true,
        ]);
        assert.deepStrictEqual(entryRoutes(azure.resources).map((r) => [r.region, r.healthCheck]), [
            ["northeurope", "Https probes of /ready every 30 s (origin group entry-origins)"], ["eastus2", "Https probes of /ready every 30 s (origin group entry-origins)"],
        ]);
    });

    it("is switched on by the plan command's --region-loss flag", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--region-loss"]), { stack: "prod", regionLoss: true });
    });
});
