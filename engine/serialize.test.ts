import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { named, planSnippet } from "./testing/plan";
import { containsSecret, toPlain } from "./serialize";

const SIG = "4dabf18193072939515e22adb298388d";

describe("toPlain", () => {
    it("redacts secrets anywhere in a value and keeps the rest", () => {
        const wire = { a: 1, nested: { password: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" } }, list: ["x"] };
        assert.deepStrictEqual(toPlain(wire), { a: 1, nested: { password: "[secret]" }, list: ["x"] });
        assert.ok(containsSecret(wire));
        assert.ok(!containsSecret({ a: [1, { b: "c" }] }));
    });

    it("returns a part that is plain already as it is, and copies only what holds a secret or an unknown", () => {
        const plain = { list: [{ b: "c" }], nested: { n: 1 } };
        const wire = { plain, secret: { hidden: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "x" }, shown: plain.nested }, unknown: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] };
        const result = toPlain(wire) as Record<string, any>;
        assert.deepStrictEqual(result, { plain, secret: { hidden: "[secret]", shown: { n: 1 } }, unknown: ["[unknown]"] });
        assert.strictEqual(result.plain, plain);
        assert.strictEqual(result.secret.shown, plain.nested);
        assert.notStrictEqual(result, wire);
        const own = JSON.parse('{"__proto__": {"a": 1}, "b": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}');
        assert.strictEqual(JSON.stringify(toPlain(own)), '{"__proto__":{"a":1},"b":"[unknown]"}');
    });

    it("turns unknowns into [unknown] and resource references into their URN", () => {
        assert.strictEqual(toPlain("04da6b54-80e4-46f7-96ec-b56ff0331ba9"), "[unknown]");
        assert.strictEqual(toPlain({ [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x" }), "urn:x");
    });
});

describe("the recorded plan", () => {
    it("never contains a secret's value, in inputs or outputs", async () => {
        const plan = await planSnippet(() => {
            const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
            new aws.ssm.Parameter("p", { type: "SecureString", value: pulumi.secret("hunter2-value") });
        });
        const parameter = named(plan, "aws:ssm/parameter:Parameter", "p");
        assert.strictEqual(parameter.inputs.value, "[secret]");
        assert.ok(!JSON.stringify(plan).includes("hunter2-value"));
    });

    it("redacts secret stack outputs, however deep", async () => {
        const { runPlan } = await import("./runPlan");
        const plan = await runPlan({
            project: "p", stack: "s", config: {},
            program: async () => ({ token: pulumi.secret("hunter2-output"), nested: { list: [pulumi.secret("x"), pulumi.output("shown")] } }),
        });
        assert.deepStrictEqual(plan.stackOutputs, { token: "[secret]", nested: { list: ["[secret]", "shown"] } });
    });
});
