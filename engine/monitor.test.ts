import * as assert from "assert";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { structRoundTrip, withLazyStructs } from "./monitor";
import { runPlan } from "./runPlan";
import { planFailure, planSnippet } from "./testing/plan";

/** What the SDK's mock monitor gives the SDK: the state through a real Struct and back. */
const throughStruct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as never).toJavaScript();

/** JSON values with keys that sort differently by code unit, by number and by insertion. */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("10", "2", "B", "a", "_", "é", "Z9", "-1"));
const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, fc.string(), fc.double(), fc.boolean(), fc.constant(null), tie("list"), tie("object")),
    list: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(key, tie("value"), { maxKeys: 6 }),
})) as { object: fc.Arbitrary<Record<string, unknown>> };

/** A resource of any type (CustomResource is abstract). */
class Resource extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

describe("the plan's resource monitor", () => {
    it("gives every state exactly what the Struct round trip of the SDK's mock monitor gives, key order included", () => {
        fc.assert(fc.property(json.object, (state) => {
            const ours = structRoundTrip(state) as Record<string, unknown>;
            const sdk = throughStruct(state);
            assert.deepStrictEqual(ours, sdk);
            assert.strictEqual(JSON.stringify(ours), JSON.stringify(sdk));
        }), { numRuns: 300 });
    });

    it("fails on a value a Struct cannot hold, as Struct.fromJavaScript does", () => {
        for (const bad of [{ a: undefined }, { a: [1, undefined] }, { a: () => 1 }]) {
            assert.throws(() => throughStruct(bad), /Unexpected struct type/);
            assert.throws(() => structRoundTrip(bad), /Unexpected struct type/);
        }
    });

    it("builds, while a plan runs, Structs whose JavaScript, fields and bytes are a real Struct's", () => {
        fc.assert(fc.property(json.object, (value) => {
            const restore = withLazyStructs();
            let lazy: Struct;
            try {
                lazy = Struct.fromJavaScript(value as never);
            } finally {
                restore();
            }
            const real = Struct.fromJavaScript(value as never);
            assert.strictEqual(JSON.stringify(lazy.toJavaScript()), JSON.stringify(real.toJavaScript()));
            assert.deepStrictEqual(Buffer.from(lazy.serializeBinary()), Buffer.from(real.serializeBinary()));
            assert.deepStrictEqual([...lazy.getFieldsMap().keys()], [...real.getFieldsMap().keys()]);
        }), { numRuns: 200 });
        // Restored: a Struct built now is a plain one again.
        assert.ok(!Object.prototype.hasOwnProperty.call(Struct.fromJavaScript({ a: 1 }), "toJavaScript"));
    });

    it("answers the SDK as its mock monitor does: outputs, secrets and dependencies reach the program and the plan", async () => {
        const seen: Record<string, unknown> = {};
        const plan = await runPlan({
            project: "monitor", stack: "test", config: { "aws:region": "eu-west-1" },
            program: async () => {
                const key = new Resource("aws:kms/key:Key", "key", { description: "k", policy: pulumi.secret("p") });
                const alias = new Resource("aws:kms/alias:Alias", "alias", { targetKeyId: key.id, name: "alias/x", arn: undefined }, { dependsOn: [key] });
                const out = (o: pulumi.Output<unknown>, k: string) => o.apply((v) => (seen[k] = v));
                await new Promise<void>((resolve) => pulumi.all([
                    out((key as unknown as Record<string, pulumi.Output<unknown>>).description, "description"),
                    out(key.id, "keyId"),
                    out((alias as unknown as Record<string, pulumi.Output<unknown>>).targetKeyId, "targetKeyId"),
                ]).apply(() => resolve()));
                return { policy: (key as unknown as Record<string, pulumi.Output<unknown>>).policy };
            },
        });
        const key = plan.resources.find((r) => r.name === "key")!;
        const alias = plan.resources.find((r) => r.name === "alias")!;
        assert.strictEqual(seen.description, "k");
        assert.strictEqual(seen.keyId, key.id);
        assert.strictEqual(seen.targetKeyId, key.id);
        assert.ok(key.id.length > 0);
        assert.strictEqual(key.inputs.policy, "[secret]");
        assert.strictEqual(key.outputs.policy, "[secret]");
        assert.deepStrictEqual(alias.dependencies, [key.urn]);
        assert.deepStrictEqual(alias.propertyDependencies.targetKeyId, [key.urn]);
        assert.strictEqual(alias.outputs.targetKeyId, key.id);
        assert.strictEqual(plan.stackOutputs.policy, "[secret]");
    });

    it("refuses a second resource with the URN of another, in the engine's words, also when both are in flight together", async () => {
        const { error } = await planFailure(() => {
            new Resource("aws:s3/bucket:Bucket", "same", {});
            new Resource("aws:s3/bucket:Bucket", "same", {});
        });
        assert.match(error.message, /^Duplicate resource URN 'urn:pulumi:test::intergalactic::pulumi:pulumi:Stack\$aws:s3\/bucket:Bucket::same'; try giving it a unique name$/);
        // Same name, another type or parent: another URN, as in the engine.
        await planSnippet(() => {
            const parent = new pulumi.ComponentResource("my:index:Thing", "same");
            new Resource("aws:s3/bucket:Bucket", "same", {});
            new Resource("aws:s3/bucket:Bucket", "same", {}, { parent });
        });
    });
});
