/**
 * The project's four stacks pass the pack with their own per-stack config (dev
 * relaxed, prod strict), and a deliberately weakened prod is caught with the
 * policy and the resource named.
 */
import * as assert from "assert";
import { Plan } from "../engine/format";
import { findingsOf, runWith, stackConfig, usePolicySession } from "./fixtures/harness";
import { copyOf, stackNames, stackPlan } from "../engine/testing/plan";
import { withoutZones } from "./zoneLoss";

const describeFindings = (findings: { policy: string; resourceName: string; message: string }[]) =>
    findings.map((f) => `[${f.policy}] ${f.resourceName}: ${f.message}`).join("\n");

describe("the stacks under the policy pack", function () {
    this.timeout(60_000);
    const session = usePolicySession();

    for (const stack of stackNames()) {
        it(`passes ${stack} with policies/config/${stack}.json`, async () => {
            const result = await runWith(session(), stackConfig(stack), await stackPlan(stack));
            const mandatory = result.findings.filter((f) => f.level === "mandatory");
            assert.strictEqual(mandatory.length, 0, describeFindings(mandatory));
        });
    }

    /** Each stack's result of the region policies: judged and passed in the multi-region prod stacks, not applicable (one region) in dev. */
    const REGION_RESULTS: Readonly<Record<string, string | undefined>> = {
        prod: undefined, "prod-azure": undefined,
        dev: "the stack has one region (us-east-1)", "dev-azure": "the stack has one region (westeurope)",
    };
    it("names every stack in the region policies' expected results", () => assert.deepStrictEqual(Object.keys(REGION_RESULTS).sort(), stackNames().sort()));
    for (const [stack, oneRegion] of Object.entries(REGION_RESULTS)) {
        it(`${oneRegion === undefined ? "judges and passes" : "finds the region policies not applicable to"} ${stack}`, async () => {
            const result = await runWith(session(), stackConfig(stack), await stackPlan(stack));
            for (const policy of ["stamp-symmetry", "global-data-replication", "entry-health"]) {
                assert.deepStrictEqual(findingsOf(result, policy), [], policy);
                const reasons = result.notApplicable[policy] ?? [];
                if (oneRegion === undefined) assert.deepStrictEqual(reasons, [], `${policy} judged ${stack}`);
                else assert.ok(reasons.length === 1 && reasons[0].startsWith(`${oneRegion}: `), `${policy} on ${stack}: ${JSON.stringify(reasons)}`);
            }
        });
    }

    it("catches a prod stack weakened to 2 zones, naming the policy", async () => {
        const twoZones = withoutZones(copyOf(await stackPlan("prod")), ["eu-west-1c"]);
        const result = await runWith(session(), stackConfig("prod"), twoZones);
        const found = findingsOf(result, "network-zone-count");
        assert.strictEqual(found.length, 1, describeFindings(result.findings));
        assert.match(found[0].message, /span 2 zone\(s\) \(eu-west-1a, eu-west-1b\); at least 3 are required/);
        assert.strictEqual(found[0].level, "mandatory");
    });

    it("catches a prod stack whose Redis has no automatic failover, naming the replication group", async () => {
        const plan: Plan = copyOf(await stackPlan("prod"));
        const rg = plan.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.ok(rg, "prod has an ElastiCache replication group");
        for (const props of [rg.inputs, rg.outputs]) Object.assign(props, { automaticFailoverEnabled: false, multiAzEnabled: false });
        const result = await runWith(session(), stackConfig("prod"), plan);
        const found = findingsOf(result, "redis-failover");
        assert.deepStrictEqual(found.map((f) => [f.level, f.resourceName]), [["mandatory", rg.name], ["mandatory", rg.name]]);
        assert.match(found.map((f) => f.message).join("\n"), /automaticFailoverEnabled must be true/);
    });

    it("holds dev to dev's rules: a single NAT gateway is fine there, and deletion protection is not", async () => {
        const dev = await stackPlan("dev");
        const asProd = await runWith(session(), stackConfig("prod"), dev);
        assert.ok(findingsOf(asProd, "nat-per-zone").length > 0, "prod rules flag dev's single NAT gateway");
        const asDev = await runWith(session(), stackConfig("dev"), dev);
        assert.deepStrictEqual(findingsOf(asDev, "nat-per-zone"), []);
        assert.deepStrictEqual(findingsOf(asDev, "deletion-protection"), []);
    });
});
