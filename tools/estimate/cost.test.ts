import * as assert from "assert";
import { planStack } from "../../engine/planStack";
import { Plan, PlannedResource } from "../../engine/format";
import { Meter, PriceError, PriceTable, costOfState, loadPrices, priceTableProblems } from "./cost";
import { stackCosts, weeklyCosts } from "../../scheduler/stateCosts";
import { stackNames, stackRegion } from "../../engine/testing/plan";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
function resource(type: string, name: string, inputs: Record<string, unknown>, retain = false): PlannedResource {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`, type, name, parent: STACK, dependencies: [], inputs, custom: true, id: `${name}-id`, outputs: {},
        propertyDependencies: {}, options: { protect: false, retainOnDelete: retain, deletedWith: "", ignoreChanges: [], provider: "" },
    };
}
const plan = (...resources: PlannedResource[]): Plan => ({ stack: "t", cloud: "aws", formatVersion: 1, resources, stackOutputs: {} });
const meter = (m: Partial<Meter> & Pick<Meter, "type" | "name" | "unit" | "quantity">): Meter => ({ source: "https://example.com/p", confirmed: true, note: "n", ...m });

const table: PriceTable = {
    read: "2026-12-01", currency: "USD",
    hoursPerMonth: { value: 730, source: "https://example.com/h", note: "n" },
    assumptions: { dataGiB: { value: 10, note: "n" } },
    meters: [
        meter({ type: "t:nodes", name: "nodes", unit: "hour", quantity: ["size"], rateBy: "kind", rates: { big: { r1: 0.5 } } }),
        meter({ type: "t:key", name: "key", unit: "month", quantity: [1], rate: { r1: 7.3 } }),
        meter({ type: "t:db", name: "storage", unit: "GB-month", quantity: ["$dataGiB"], rate: { r1: 0.73 } }),
        meter({ type: "t:db", name: "snapshot", unit: "GB-month", when: "deleted", if: "finalSnapshot", quantity: ["$dataGiB"], rate: { r1: 0.073 } }),
        meter({ type: "t:ip", name: "public ip", unit: "hour", quantity: [1], if: "public", rate: { r1: 0.005 } }),
    ],
};
const nodes = resource("t:nodes", "nodes", { size: 3, kind: "big" });
const key = resource("t:key", "key", {}, true);
const db = resource("t:db", "db", { finalSnapshot: "db-final" });
const running = plan(nodes, key, db);

describe("the cost of a state", () => {
    it("prices what runs per hour and what is kept per month or GB-month, at 730 hours a month", () => {
        const c = costOfState("running", running, running, "r1", table);
        assert.deepStrictEqual(c.lines.map((l) => [l.meter, Number(l.hourly.toFixed(4))]), [["nodes", 1.5], ["key", 0.01], ["storage", 0.01]]);
        assert.strictEqual(Number(c.hourly.toFixed(4)), 1.52);
    });

    it("keeps billing retained resources and the snapshots deletions leave after a teardown, and nothing else", () => {
        const c = costOfState("torn down", running, undefined, "r1", table);
        assert.deepStrictEqual(c.lines.map((l) => [l.resource, l.meter]), [["t:key key", "key"], ["t:db db", "snapshot"]]);
        const noSnapshot = plan(nodes, resource("t:db", "db", {}));
        assert.deepStrictEqual(costOfState("torn down", noSnapshot, undefined, "r1", table).lines, []);
    });

    it("bills a meter with a condition only when its input is set", () => {
        const withIp = plan(resource("t:ip", "a", { public: "true" }), resource("t:ip", "b", { public: "false" }), resource("t:ip", "c", {}));
        assert.deepStrictEqual(costOfState("running", withIp, withIp, "r1", table).lines.map((l) => l.resource), ["t:ip a"]);
    });

    for (const [label, p, region, message] of [
        ["a region", running, "r2", /t:nodes nodes: no nodes price for region r2 \(prices.json has r1\)/],
        ["a size", plan(resource("t:nodes", "n", { size: 1, kind: "huge" })), "r1", /t:nodes n: no nodes price for kind huge \(prices.json has big\)/],
        ["a quantity", plan(resource("t:nodes", "n", { kind: "big" })), "r1", /t:nodes n: nodes needs the input size, which the plan does not set/],
    ] as const) {
        it(`refuses to price ${label} the table does not know, naming the resource and the value`, () => {
            assert.throws(() => costOfState("running", p, p, region, table), (e: Error) => e instanceof PriceError && message.test(e.message));
        });
    }
});

describe("the price table", () => {
    const real = loadPrices();

    it("gives every figure a unit, a rate, a public source, whether it was checked and a note", () => {
        assert.deepStrictEqual(priceTableProblems(real), []);
    });

    it("lists every problem of a bad meter", () => {
        const bad = { ...real, read: "yesterday", meters: [{ type: "x", name: "y", unit: "day", quantity: ["$nope"], rate: {}, source: "http://x", note: "" }] } as unknown as PriceTable;
        assert.deepStrictEqual(priceTableProblems(bad), [
            "read: yesterday must be the date the prices were read, YYYY-MM-DD",
            "meters[0] x y: unit day must be one of hour, month, GB-month",
            "meters[0] x y: quantity $nope names no assumption",
            "meters[0] x y: needs rate (per region) or rateBy with rates (per value, per region), every rate a number >= 0",
            "meters[0] x y: source http://x must be a public https URL",
            "meters[0] x y: confirmed must say whether the figure was checked against its source",
            "meters[0] x y: note must say what the figure covers",
        ]);
    });

    it("refuses an unconfirmed region the meter has no rate for, and prices a listed region as unconfirmed", () => {
        const m = meter({ type: "aws:kms/key:Key", name: "k", unit: "hour", quantity: [1], rate: { "us-east-1": 1, "eu-west-1": 1 }, unconfirmedRegions: ["eu-west-1"] });
        assert.deepStrictEqual(priceTableProblems({ ...real, meters: [{ ...m, unconfirmedRegions: ["eu-west-2"] }] }), [
            'meters[0] aws:kms/key:Key k: unconfirmedRegions ["eu-west-2"] must list regions the meter has a rate for',
        ]);
        const p = plan(resource("aws:kms/key:Key", "key", {}));
        const at = (region: string) => costOfState("running", p, p, region, { ...real, meters: [m] }).lines[0].confirmed;
        assert.deepStrictEqual([at("us-east-1"), at("eu-west-1")], [true, false]);
    });
});

describe("the scheduled stacks' weekly costs", () => {
    const plans = new Map<string, Plan>();
    before(async function () {
        this.timeout(120_000);
        for (const s of stackNames(undefined, "dev")) plans.set(s, await planStack(s));
    });

    it("price the dev node volumes at the size of the node launch template", () => {
        const template = plans.get("dev")!.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name === "cluster-nodes")!;
        const volume = (template.inputs.blockDeviceMappings as { ebs: { volumeSize: number } }[])[0].ebs.volumeSize;
        const m = loadPrices().meters.find((x) => x.name === "EBS gp3 root volumes of the nodes")!;
        assert.strictEqual(m.quantity[1], volume);
    });

    for (const [stack, region] of stackNames(undefined, "dev").map((s) => [s, stackRegion(s)] as const)) {
        it(`costs ${stack} less on the schedule than always on, every line with its source`, () => {
            const costs = stackCosts(plans.get(stack)!, region, loadPrices());
            const w = weeklyCosts(costs, 60);
            assert.ok(w.teardown < w.alwaysOn && costs.tornDown.hourly < costs.running.hourly / 100, `${w.teardown} vs ${w.alwaysOn}`);
            assert.strictEqual(Number(w.alwaysOn.toFixed(6)), Number((168 * costs.running.hourly).toFixed(6)));
            for (const line of [...costs.running.lines, ...costs.tornDown.lines]) assert.match(line.source, /^https:\/\//, line.resource);
        });
    }

    it("keeps only the retained keys and the final snapshots of dev after a teardown", () => {
        const costs = stackCosts(plans.get("dev")!, "us-east-1", loadPrices());
        assert.deepStrictEqual(costs.tornDown.lines.map((l) => l.resource).sort(), [
            "aws:docdb/cluster:Cluster users-cluster", "aws:elasticache/replicationGroup:ReplicationGroup cache-rg", "aws:kms/key:Key cache-key", "aws:kms/key:Key users-key",
        ]);
    });
});
