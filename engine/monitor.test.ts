import * as assert from "assert";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { structRoundTrip, withLazyStructs } from "./monitor";
import { mockInputs, serializedState } from "./plainValues";
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

// Not in the SDK's .d.ts: the conversions the SDK's mock monitor uses, which the plain paths must match.
const rpc = require("@pulumi/pulumi/runtime/rpc");
const { unknown } = require("@pulumi/pulumi/output");
const sdkInputs = (wire: Record<string, unknown>) => rpc.deserializeProperties({ toJavaScript: () => wire });

/** A JSON value as the SDK's copies build it (object literals: the generator's dictionaries may have no prototype). */
const asJson = (value: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(value));

/** The turn of the microtask queue at which a promise settles, counted from now. */
async function settlesAt(promise: Promise<unknown>): Promise<number> {
    let settled = false;
    void promise.then(() => (settled = true));
    let turn = 0;
    while (!settled) {
        await undefined;
        turn++;
    }
    return turn;
}

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

    it("gives the mocks plain inputs as they are, exactly what the SDK's deserializeProperties gives, and anything else through it", () => {
        fc.assert(fc.property(json.object, (value) => {
            const wire = asJson(value);
            const ours = mockInputs(wire);
            assert.strictEqual(ours, wire);
            assert.deepStrictEqual(ours, sdkInputs(wire));
            assert.strictEqual(JSON.stringify(ours), JSON.stringify(sdkInputs(wire)));
        }), { numRuns: 300 });
        const secret = { [rpc.specialSigKey]: rpc.specialSecretSig, value: "p" };
        const reference = { [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::my:index:Thing::x", id: "x-1" };
        for (const wire of [{ a: secret }, { a: [1, { b: secret }] }, { a: rpc.unknownValue }, { a: { b: [rpc.unknownValue] } }, { a: reference }]) {
            const ours = mockInputs(wire);
            assert.notStrictEqual(ours, wire);
            assert.deepStrictEqual(ours, sdkInputs(wire));
        }
        // The SDK's own decoding took place: secretness raised to the property, the reference as its id.
        assert.deepStrictEqual(mockInputs({ a: [1, { b: secret }] }).a, { [rpc.specialSigKey]: rpc.specialSecretSig, value: [1, { b: "p" }] });
        assert.strictEqual(mockInputs({ a: reference }).a, "x-1");
    });

    it("answers plain state as it is, after exactly the turns the SDK's serializeProperties takes, and anything else through it", async () => {
        await fc.assert(fc.asyncProperty(json.object, async (value) => {
            const state = asJson(value);
            const sdk = rpc.serializeProperties("", state);
            const ours = serializedState(state);
            assert.strictEqual(await settlesAt(ours), await settlesAt(rpc.serializeProperties("", state)));
            assert.strictEqual(await ours, state);
            assert.strictEqual(JSON.stringify(await ours), JSON.stringify(await sdk));
        }), { numRuns: 200 });
        class Point { constructor(readonly x: number) {} }
        const special: Record<string, unknown>[] = [
            { a: undefined }, { a: [1, undefined] }, { a: { b: () => 1 } }, { a: Promise.resolve({ b: 1 }) },
            { a: pulumi.output([1, 2]) }, { a: unknown }, { a: new Point(1) }, { a: [{ b: new Date(0) }] }, { a: Object.create(null) },
        ];
        for (const state of special) {
            const ours = serializedState(state);
            assert.strictEqual(await settlesAt(ours), await settlesAt(rpc.serializeProperties("", state)));
            assert.notStrictEqual(await ours, state);
            assert.deepStrictEqual(await ours, await rpc.serializeProperties("", state));
        }
    });
});
