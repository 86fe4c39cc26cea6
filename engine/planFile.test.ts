import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan, PlannedResource } from "./format";
import { planFileChunks, writePlanFile } from "./planFile";
import { planSnippet } from "./testing/plan";

const resource = (name: string, extra: Partial<PlannedResource> = {}): PlannedResource => ({
    urn: `urn:pulumi:s::p::t:index:T::${name}`, type: "t:index:T", name, parent: "", dependencies: [], inputs: {}, custom: true, id: `${name}-id`,
    outputs: {}, propertyDependencies: {}, options: { protect: false, retainOnDelete: false, deletedWith: "", ignoreChanges: [], provider: "" }, ...extra,
});

/** What the plan file held before it was written in pieces: one JSON.stringify of the whole plan. */
const asOneString = (plan: Plan) => JSON.stringify(plan, null, 2) + "\n";

describe("the plan file", () => {
    const cases: Record<string, Plan> = {
        "no resources, no outputs": { stack: "s", cloud: "none", formatVersion: 1, resources: [], stackOutputs: {} },
        "nested values, quotes, line breaks and unicode in strings, empty objects and lists": {
            stack: "s", cloud: "aws", formatVersion: 1,
            resources: [
                resource("a", { inputs: { text: "line\nbreak \"quoted\" \u00e9\u2028", list: [1, [2, { deep: {} }], []], none: null, skipped: undefined } }),
                resource("b", { dependencies: ["urn:a"], propertyDependencies: { text: ["urn:a"] }, options: { protect: true, retainOnDelete: false, deletedWith: "", ignoreChanges: ["x"], provider: "p", aliases: [""] } }),
            ],
            stackOutputs: { nested: { list: ["[secret]", 1.5, true] }, empty: {}, gone: undefined },
        },
    };
    for (const [what, plan] of Object.entries(cases)) {
        it(`is JSON.stringify(plan, null, 2) and a newline, byte for byte: ${what}`, () => {
            assert.strictEqual([...planFileChunks(plan)].join(""), asOneString(plan));
        });
    }

    it("writes a real plan's file byte for byte, in pieces smaller than the whole", async () => {
        const plan = await planSnippet(() => {
            const aws: typeof import("@pulumi/aws/sqs") = require("@pulumi/aws/sqs");
            for (let i = 0; i < 3; i++) new aws.Queue(`queue-${i}`, { tags: { Name: `q${i}` } });
        });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-file-"));
        try {
            const file = path.join(dir, "plan.json");
            writePlanFile(file, plan);
            assert.strictEqual(fs.readFileSync(file, "utf8"), asOneString(plan));
            const longest = Math.max(...[...planFileChunks(plan)].map((c) => c.length));
            assert.ok(longest < asOneString(plan).length / 2, `the largest piece is ${longest} characters`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
