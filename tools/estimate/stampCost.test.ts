import * as assert from "assert";
import { stackPlan } from "../../engine/testing/plan";
import { PriceTable, costOfState, loadPrices } from "./cost";
import { stampPlan } from "../../engine/regions";
import { formatStampCosts, stampCosts } from "./stampCost";

describe("the cost of each stamp", function () {
    this.timeout(120_000);
    const table = loadPrices();

    it("prices each of prod's stamps at its own region's rates, the second alone, its new region's figures flagged as unconfirmed", async () => {
        const plan = await stackPlan("prod");
        const [first, second] = stampCosts(plan, table);
        assert.deepStrictEqual([first.region, first.missing, second.region, second.missing], ["eu-west-1", undefined, "us-east-1", undefined]);
        const alone = costOfState("running", stampPlan(plan, "us-east-1"), stampPlan(plan, "us-east-1"), "us-east-1", table);
        assert.ok(alone.lines.some((l) => /users-use1-db-/.test(l.resource)), "the user database's secondary is priced with its stamp");
        assert.ok(!alone.lines.some((l) => /^\S+ (cache|kafka|users|cluster|net)-(?!use1)/.test(l.resource)), "nothing of the first stamp");
        assert.strictEqual(second.monthly, alone.hourly * 730);
        // eu-west-1's rates differ from us-east-1's (NAT gateway 0.048 vs 0.045 an hour): each stamp has its own.
        assert.notStrictEqual(first.monthly, second.monthly);
        // A meter confirmed for us-east-1 (EKS) is not confirmed for eu-west-1, whose figures were entered unread.
        assert.ok(first.unconfirmed.includes("EKS control plane (standard support)") && !second.unconfirmed.includes("EKS control plane (standard support)"), JSON.stringify([first.unconfirmed, second.unconfirmed]));
        const text = formatStampCosts([first, second], table);
        assert.match(text, new RegExp(`^  us-east-1 +\\$${second.monthly!.toFixed(2)}$`, "m"));
        assert.match(text, new RegExp(`^  eu-west-1 +\\$${first.monthly!.toFixed(2)}$`, "m"));
    });

    it("refuses to price a stamp in a region the table has no rate for instead of using another region's", async () => {
        const plan = await stackPlan("prod");
        const withoutIreland: PriceTable = { ...table, meters: table.meters.map((m) => m.name === "NAT gateway" && m.rate ? { ...m, rate: { "us-east-1": m.rate["us-east-1"] } } : m) };
        const [first, second] = stampCosts(plan, withoutIreland);
        assert.strictEqual(first.monthly, undefined);
        assert.match(first.missing!, /aws:ec2\/natGateway:NatGateway \S+: no NAT gateway price for region eu-west-1 \(prices.json has us-east-1\)/);
        assert.strictEqual(second.monthly, stampCosts(plan, table)[1].monthly);
        assert.match(formatStampCosts([first, second], withoutIreland), /^  eu-west-1 +not priced: /m);
    });

    it("prices a stack of one region as its one stamp, at the cost the scheduler reports for it running", async () => {
        const dev = await stackPlan("dev");
        const costs = stampCosts(dev, table);
        assert.deepStrictEqual(costs.map((c) => c.region), ["us-east-1"]);
        assert.strictEqual(costs[0].monthly, costOfState("running", dev, dev, "us-east-1", table).hourly * 730);
    });

    it("prices both of prod-azure's stamps at their own regions' rates", async () => {
        const costs = stampCosts(await stackPlan("prod-azure"), table);
        assert.deepStrictEqual(costs.map((c) => [c.region, c.missing]), [["northeurope", undefined], ["eastus2", undefined]]);
        assert.ok(costs.every((c) => c.monthly! > 0), JSON.stringify(costs));
        assert.notStrictEqual(costs[0].monthly, costs[1].monthly);
    });
});
