/**
 * The region policies' parameters, through the real pack on the multi-region prod plans: a listed
 * difference is allowed and only it, a store kind not declared region-local must replicate, a
 * Cosmos account without service-managed failover is caught, a drained region may go unrouted, and a value a
 * preview does not know yet (the id of a resource the same up creates) counts as given.
 */
import * as assert from "assert";
import { findingsOf, runWith, stackConfig, usePolicySession } from "../../fixtures/harness";
import { patch, weakened } from "../../fixtures/cases/regions";
import { stackPlan } from "../../../engine/testing/plan";
import { UNKNOWN } from "../../../engine/format";

describe("the region policies' parameters", function () {
    this.timeout(60_000);
    const session = usePolicySession();
    const messages = async (stack: string, config: Record<string, unknown>, plan: Parameters<typeof runWith>[2], policy: string) =>
        findingsOf(await runWith(session(), stackConfig(stack, config), plan), policy).map((f) => f.message);

    it("stamp-symmetry allows the differences allowDifferences lists, a fact or a whole tier, and no other", async () => {
        const plan = await weakened("prod", (p) => {
            patch(p, "cache-use1-rg", { nodeType: "cache.r7g.xlarge" });
            patch(p, "kafka-use1-msk", { numberOfBrokerNodes: 6 });
        });
        assert.deepStrictEqual((await messages("prod", {}, plan, "stamp-symmetry")).map((m) => m.split(" ")[0]), ["cache/node", "event"]);
        assert.match((await messages("prod", { "stamp-symmetry": { allowDifferences: ["cache/node type"] } }, plan, "stamp-symmetry")).join("\n"), /^event bus\/brokers differs in us-east-1: 6 there, 3 in eu-west-1/);
        assert.deepStrictEqual(await messages("prod", { "stamp-symmetry": { allowDifferences: ["cache", "event bus"] } }, plan, "stamp-symmetry"), []);
    });

    it("stamp-symmetry compares the event bus's storage autoscaling ceiling", async () => {
        const plan = await weakened("prod", (p) => patch(p, "kafka-use1-storage-scaling", { maxCapacity: 1000 }));
        assert.deepStrictEqual(await messages("prod", {}, plan, "stamp-symmetry"), [
            'event bus/kafka:broker-storage:VolumeSize autoscaling differs in us-east-1: min 1, max 1000 there, min 1, max 2000 in eu-west-1; stamps are sized alike (or list "event bus/kafka:broker-storage:VolumeSize autoscaling" in allowDifferences)',
        ]);
    });

    it("stamp-symmetry names a tier one stamp lacks, and a service's replicas", async () => {
        const plan = await weakened("prod-azure", (p) => {
            p.resources = p.resources.filter((r) => !r.name.startsWith("cache-eastus2"));
            const hpa = p.resources.find((r) => r.name === "cookies-eastus2-bake-autoscaler")!;
            for (const props of [hpa.inputs, hpa.outputs]) (props.spec as Record<string, unknown>).maxReplicas = 3;
        });
        const found = await messages("prod", {}, plan, "stamp-symmetry");
        assert.ok(found.some((m) => /^tier "cache" is missing in eastus2 \(northeurope has it\)/.test(m)), found.join("\n"));
        assert.ok(found.some((m) => /^services\/bake\.autoscaling differs in eastus2: min \d+, max 3 there/.test(m)), found.join("\n"));
    });

    it("global-data-replication holds a cache to replication unless regionLocal declares caches region-local", async () => {
        const found = await messages("prod", { "global-data-replication": { regionLocal: ["event bus"] } }, await stackPlan("prod"), "global-data-replication");
        assert.deepStrictEqual(found.map((m) => m.replace(/ keeps.*/, "")), ['cache "cache" (ElastiCache)', 'cache "cache-use1" (ElastiCache)']);
        assert.match(found[0], /keeps its data in eu-west-1 only and cache is not declared region-local: replicate it to us-east-1, or list "cache" in regionLocal/);
    });

    it("global-data-replication requires Cosmos DB's service-managed failover unless requireAutomaticFailover is off", async () => {
        const plan = await weakened("prod-azure", (p) => patch(p, "users-db", { enableAutomaticFailover: false }));
        assert.match((await messages("prod", {}, plan, "global-data-replication")).join("\n"), /writes go to northeurope and nothing moves them when it is lost/);
        assert.deepStrictEqual(await messages("prod", { "global-data-replication": { requireAutomaticFailover: false } }, plan, "global-data-replication"), []);
    });

    it("global-data-replication names a region whose network reaches no copy (Azure: no private endpoint there)", async () => {
        const plan = await weakened("prod-azure", (p) => { p.resources = p.resources.filter((r) => r.name !== "users-endpoint-eastus2"); });
        assert.match((await messages("prod", {}, plan, "global-data-replication")).join("\n"), /user database "users" \(Cosmos DB\): no copy is reachable from the network of eastus2/);
    });

    it("global-data-replication counts, in the preview of the up that creates the global cluster, a secondary that names it by its id, not yet known", async () => {
        const plan = await weakened("prod", (p) => patch(p, "users-use1-cluster", { globalClusterIdentifier: UNKNOWN }));
        assert.deepStrictEqual(await messages("prod", {}, plan, "global-data-replication"), []);
    });

    it("entry-health counts, in a preview, a record's health check that the same up creates (its id not yet known), unless the check is disabled", async () => {
        const unevaluated = (p: Parameters<typeof patch>[0]) =>
            patch(p, "entry-latency-us-east-1", { healthCheckId: UNKNOWN, aliases: [{ evaluateTargetHealth: false, name: UNKNOWN, zoneId: UNKNOWN }] });
        assert.deepStrictEqual(await messages("prod", {}, await weakened("prod", unevaluated), "entry-health"), []);
        const disabled = await weakened("prod", (p) => { unevaluated(p); patch(p, "entry-health-us-east-1", { disabled: true }); });
        assert.match((await messages("prod", {}, disabled, "entry-health")).join("\n"), /Route 53 latency or failover record "entry-latency-us-east-1" to us-east-1 has nothing checking the region's health/);
    });

    it("entry-health requires a route to every serving stamp but those drainedRegions lists", async () => {
        const plan = await weakened("prod", (p) => { p.resources = p.resources.filter((r) => r.name !== "entry-latency-us-east-1"); });
        assert.match((await messages("prod", {}, plan, "entry-health")).join("\n"), /the stamp in us-east-1 runs services but the global entry has no enabled route to it \(a Route 53 latency or failover record\)/);
        assert.deepStrictEqual(await messages("prod", { "entry-health": { drainedRegions: ["us-east-1"] } }, plan, "entry-health"), []);
    });
});
