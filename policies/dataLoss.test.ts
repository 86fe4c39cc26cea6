/**
 * `prod-data-loss` on the real prod plans: a deployed store that is gone, renamed, re-networked or
 * unprotected, or a prod stack that says dev, is a mandatory violation naming the override key.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { findingsOf, runWith, stackConfig, usePolicySession } from "./fixtures/harness";
import { copyOf, stackNames, stackPlan } from "../engine/testing/plan";
import { textReport } from "./runner/report";

const STORE_COMPONENTS = { users: "intergalactic:index:HaMongo", cache: "intergalactic:index:HaRedis", kafka: "intergalactic:index:KafkaQuorum" } as const;

/** The prod plan as the next deployment sees it: its own stores are what was deployed. */
function deployed(plan: Plan): Plan {
    const copy = copyOf(plan);
    const reference = copy.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
    assert.ok(reference, "a prod plan reads its deployed stores through a StackReference");
    reference.outputs = { ...reference.outputs, outputs: { dataStores: plan.stackOutputs.dataStores } };
    return copy;
}
const stackOf = (plan: Plan) => plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
/** Drops a component and everything under it. */
function without(plan: Plan, component: PlannedResource): Plan {
    const gone = new Set([component.urn]);
    for (let grew = true; grew;) {
        grew = false;
        for (const r of plan.resources) if (!gone.has(r.urn) && gone.has(r.parent)) { gone.add(r.urn); grew = true; }
    }
    return { ...plan, resources: plan.resources.filter((r) => !gone.has(r.urn)) };
}

for (const stack of stackNames(undefined, "prod")) {
    describe(`prod-data-loss on ${stack}`, function () {
        this.timeout(60_000);
        const session = usePolicySession();
        const violations = async (plan: Plan) => findingsOf(await runWith(session(), stackConfig(stack), plan), "prod-data-loss");

        it("passes the stack against its own deployed stores", async () => {
            assert.deepStrictEqual(await violations(deployed(await stackPlan(stack))), []);
        });

        for (const [name, type] of Object.entries(STORE_COMPONENTS)) {
            it(`refuses a deployed ${type.split(":").pop()} "${name}" that is gone, naming the override`, async () => {
                const plan = deployed(await stackPlan(stack));
                const found = await violations(without(plan, plan.resources.find((r) => r.type === type)!));
                assert.strictEqual(found.length, 1, JSON.stringify(found));
                assert.strictEqual(found[0].level, "mandatory");
                assert.match(found[0].message, new RegExp(`"${name}" is no longer built and would be deleted with its data: .*set intergalactic:dataLossOverride: \\["${name}"\\]`));
            });

            it(`refuses "${name}" without Pulumi protect`, async () => {
                const plan = deployed(await stackPlan(stack));
                const component = plan.resources.find((r) => r.type === type)!;
                for (const r of plan.resources) if (r.parent === component.urn) r.options.protect = false;
                assert.ok((await violations(plan)).some((f) => new RegExp(`deletionProtection: false must be true in a prod stack: it keeps "${name}"`).test(f.message)));
            });
        }

        it("accepts a gone store that the stack's override names", async () => {
            const plan = deployed(await stackPlan(stack));
            stackOf(plan).outputs.dataLossOverride = ["kafka"];
            assert.deepStrictEqual(await violations(without(plan, plan.resources.find((r) => r.type === STORE_COMPONENTS.kafka)!)), []);
        });

        it("refuses a re-networked store and a prod stack that says dev", async () => {
            const plan = deployed(await stackPlan(stack));
            plan.resources.find((r) => r.type === "intergalactic:index:Vpc3Az")!.outputs.cidrBlock = "10.99.0.0/16";
            stackOf(plan).outputs.environment = "dev";
            const messages = (await violations(plan)).map((f) => f.message).join("\n");
            assert.match(messages, /intergalactic:network.cidrBlock: "10.99.0.0\/16" re-networks the prod HaMongo "users"/);
            assert.match(messages, /intergalactic:environment: "dev" in prod stack "prod" would drop the prod protection/);
        });
    });
}

/** The prod plan as a consumer's program gives it: the same stores, but no published inventory and no StackReference reading it back. */
function unpublished(plan: Plan): Plan {
    const copy = copyOf(plan);
    const outputs = stackOf(copy).outputs;
    delete outputs.dataStores;
    delete outputs.dataLossOverride;
    return { ...copy, resources: copy.resources.filter((r) => r.type !== "pulumi:pulumi:StackReference") };
}

describe("prod-data-loss on a program that publishes no deployed inventory", function () {
    this.timeout(60_000);
    const session = usePolicySession();
    // The shipped command's default: no --config, every policy at the pack's own level and defaults (prod's).
    const run = (plan: Plan, config: Record<string, unknown> = {}) => runWith(session(), config, plan);

    it("passes a consumer's protected stores with the pack's default config, as not applicable with one line saying how to opt in", async () => {
        const result = await run(unpublished(await stackPlan("prod")));
        assert.deepStrictEqual(findingsOf(result, "prod-data-loss"), []);
        const reasons = result.notApplicable["prod-data-loss"] ?? [];
        assert.strictEqual(reasons.length, 1, JSON.stringify(result.notApplicable));
        assert.match(reasons[0], /publishes no deployed data-store inventory.*to opt in, export the stores as the dataStores stack output.*requireDeployedInventory: true/);
        // The report a person reads prints that line (the shipped command's output).
        assert.ok(textReport(result).includes(`Not applicable`) && textReport(result).includes(`  [prod-data-loss] ${reasons[0]}\n`), textReport(result));
    });

    it("still refuses a consumer's prod store without Pulumi protect, judged from its resources", async () => {
        const plan = unpublished(await stackPlan("prod"));
        const component = plan.resources.find((r) => r.type === STORE_COMPONENTS.cache)!;
        for (const r of plan.resources) if (r.parent === component.urn) r.options.protect = false;
        const found = findingsOf(await run(plan), "prod-data-loss");
        assert.strictEqual(found.length, 1, JSON.stringify(found));
        assert.strictEqual(found[0].level, "mandatory");
        assert.match(found[0].message, /deletionProtection: false must be true in a prod stack: it keeps "cache"/);
    });

    for (const stack of stackNames(undefined, "prod")) {
        it(`refuses this repository's ${stack} stack when its program stops reading the deployed inventory back`, async () => {
            const plan = unpublished(await stackPlan(stack));
            const found = findingsOf(await runWith(session(), stackConfig(stack), plan), "prod-data-loss");
            assert.strictEqual(found.length, 1, JSON.stringify(found));
            assert.strictEqual(found[0].level, "mandatory");
            assert.match(found[0].message, /reads no deployed inventory \(StackReference to itself\) although requireDeployedInventory is true/);
        });
    }

    it("refuses, with the default config, a stack that publishes its inventory but does not read it back", async () => {
        const plan = await stackPlan("prod");
        const copy = { ...copyOf(plan), resources: copyOf(plan).resources.filter((r) => r.type !== "pulumi:pulumi:StackReference") };
        const found = findingsOf(await run(copy), "prod-data-loss");
        assert.strictEqual(found.length, 1, JSON.stringify(found));
        assert.match(found[0].message, /although it publishes one \(the dataStores output\): the program's data-loss guard did not run/);
    });
});
