import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { stackPlan, stackStampPlan } from "../engine/testing/plan";
import { Plan } from "../engine/format";
import { PlanGraph } from "../engine/graph";
import { zoneSpans } from "../engine/summary";
import { projectStacks } from "../engine/testing/plan";

const ROOT = path.resolve(__dirname, "..");
/** Every stack with its cloud, from the Pulumi.<stack>.yaml files. */
const STACKS = projectStacks().map((s) => [s.stack, s.cloud] as const);

for (const [stack, cloud] of STACKS) {
    describe(`the ${stack} stack's offline plan`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it(`is an ${cloud} plan in the documented format`, () => {
            assert.deepStrictEqual([plan.stack, plan.cloud, plan.formatVersion], [stack, cloud, 1]);
            for (const r of plan.resources) {
                assert.deepStrictEqual(Object.keys(r).sort(), ["custom", "dependencies", "id", "inputs", "name", "options", "outputs", "parent", "propertyDependencies", "type", "urn"]);
                assert.match(r.urn, new RegExp(`^urn:pulumi:${stack}::intergalactic::`));
            }
            assert.strictEqual(plan.resources.filter((r) => r.type === "pulumi:pulumi:Stack").length, 1);
        });

        it("records every resource's parent and dependencies as URNs of resources in the plan", async () => {
            // The whole plan: a stamp may depend on another's (the user database's lock waits for every stamp's endpoint).
            const graph = new PlanGraph(await stackPlan(stack));
            for (const r of plan.resources.filter((r) => r.parent !== "")) {
                assert.ok(graph.byUrn.has(r.parent), `${r.name}'s parent ${r.parent}`);
                for (const dep of r.dependencies) assert.ok(graph.byUrn.has(dep), `${r.name} depends on ${dep}`);
            }
        });

        it("spreads the network's app tier over 3 distinct zones", () => {
            const app = zoneSpans(plan).find((s) => s.label === "tier app");
            assert.strictEqual(app?.zones.length, 3);
        });

        it("loads only its own cloud's SDK, and each SDK only by submodule", function () {
            this.timeout(120000);
            const other = cloud === "aws" ? "@pulumi/azure-native" : "@pulumi/aws";
            // Each SDK's root index loads every one of its submodules (azure-native's and aws' alike): start-up must never pay for that.
            const script = `require("./engine/planStack").planStack(${JSON.stringify(stack)}).then(() => {
                const loaded = Object.keys(require.cache);
                const otherCloud = loaded.filter((m) => m.includes("node_modules/${other}/")).length;
                const azureRoot = loaded.filter((m) => /node_modules\\/@pulumi\\/(azure-native|aws)\\/index\\.js$/.test(m)).length;
                console.log(JSON.stringify([otherCloud, azureRoot]));
            }).catch((e) => { console.error(e); process.exit(2); });`;
            const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
            assert.strictEqual(run.status, 0, run.stderr);
            const [otherCloud, azureRoot] = JSON.parse(run.stdout.trim().split("\n").pop() ?? "[]");
            assert.strictEqual(otherCloud, 0, `${other} modules loaded by the ${stack} stack`);
            assert.strictEqual(azureRoot, 0, `the ${stack} stack loaded the root index of @pulumi/azure-native or @pulumi/aws`);
        });
    });
}
