import * as assert from "assert";
import { stackPlan } from "../../engine/testing/plan";
import { costOfState, loadPrices } from "./cost";
import { stampPlan } from "../../engine/regions";
import { formatStampCosts, stampCosts } from "./stampCost";

describe("the cost of each stamp", function () {
    this.timeout(120_000);
    const table = loadPrices();

    it("prices prod's second stamp at us-east-1's rates, alone, and names the missing rate of a region the table does not price", async () => {
        const plan = await stackPlan("prod");
        const [first, second] = stampCosts(plan, table);
        assert.deepStrictEqual([first.region, first.monthly], ["eu-west-1", undefined]);
        assert.match(first.missing!, /no .* price for region eu-west-1 \(prices.json has us-east-1\)/);
        assert.strictEqual(second.region, "us-east-1");
        const alone = costOfState("running", stampPlan(plan, "us-east-1"), stampPlan(plan, "us-east-1"), "us-east-1", table);
        assert.ok(alone.lines.some((l) => /users-use1-db-/.test(l.resource)), "the user database's secondary is priced with its stamp");
        assert.ok(!alone.lines.some((l) => /^\S+ (cache|kafka|users|cluster|net)-(?!use1)/.test(l.resource)), "nothing of the first stamp");
        assert.strictEqual(second.monthly, alone.hourly * 730);
        const text = formatStampCosts([first, second], table);
        assert.match(text, new RegExp(`^  us-east-1 +\\$${second.monthly!.toFixed(2)}$`, "m"));
        assert.match(text, /^  eu-west-1 +not priced: /m);
    });

    it("prices a stack of one region as its one stamp, at the cost the scheduler reports for it running", async () => {
        const dev = await stackPlan("dev");
        const costs = stampCosts(dev, table);
        assert.deepStrictEqual(costs.map((c) => c.region), ["us-east-1"]);
        assert.strictEqual(costs[0].monthly, costOfState("running", dev, dev, "us-east-1", table).hourly * 730);
    });

    it("reports an Azure stamp the table has no rates for as not priced, without guessing", async () => {
        const costs = stampCosts(await stackPlan("prod-azure"), table);
        assert.deepStrictEqual(costs.map((c) => [c.region, c.monthly]), [["northeurope", undefined], ["eastus2", undefined]]);
        assert.ok(costs.every((c) => /no .* price for region (northeurope|eastus2)/.test(c.missing ?? "")), JSON.stringify(costs));
    });
});
