import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { named, planFailure, planSnippet } from "./testing/plan";

const state: { getStore(): { supportsAliasSpecs?: boolean } } = require("@pulumi/pulumi/runtime/state");
const outputModule: { output: unknown } = require("@pulumi/pulumi/output");

class Group extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Group", name);
    }
}
class Bucket extends pulumi.CustomResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions) {
        super("test:index:Bucket", name, { size: 1 }, opts);
    }
}

const OLD_URN = "urn:pulumi:test::intergalactic::test:index:Group$test:index:Bucket::older";
/** A resource with the three kinds of alias: a spec with a name, a spec with only a type (as the Kubernetes SDK's), a URN. */
const aliased = (name: string, parent: pulumi.Resource) =>
    new Bucket(name, { parent, aliases: [{ name: "old-bucket" }, { type: "test:index:OldBucket" }, OLD_URN] });
/** What the SDK's constructor kept of the aliases: the Outputs of their URNs, or nothing it computed. */
const keptAliases = (resource: pulumi.Resource) => (resource as unknown as { __aliases: unknown[] }).__aliases;

describe("alias URNs during a plan (the SDK's collapse of each alias, which an engine taking alias specs never reads)", () => {
    it("registers every alias as the SDK does, without computing their URNs in the constructor", async () => {
        let bucket: pulumi.Resource | undefined;
        const plan = await planSnippet(() => {
            bucket = aliased("bucket", new Group("group"));
        });
        assert.deepStrictEqual(named(plan, "test:index:Bucket", "bucket").options.aliases, ["old-bucket", "", OLD_URN]);
        const kept = keptAliases(bucket!);
        assert.strictEqual(kept.length, 3);
        assert.deepStrictEqual(kept.slice(0, 2).map((a) => pulumi.Output.isInstance(a)), [false, false], "no URN computed for the two specs");
        assert.ok(pulumi.Output.isInstance(kept[2]), "the URN alias, after the window closed, is the SDK's own Output");
    });

    it("computes them as the SDK does when the monitor does not take alias specs", async () => {
        let bucket: pulumi.Resource | undefined;
        await planSnippet(() => {
            const group = new Group("group");
            const store = state.getStore();
            store.supportsAliasSpecs = false;
            try {
                bucket = aliased("bucket", group);
            } finally {
                store.supportsAliasSpecs = true;
            }
        });
        assert.deepStrictEqual(keptAliases(bucket!).map((a) => pulumi.Output.isInstance(a)), [true, true, true]);
    });

    it("fails the plan, as the SDK's collapse fails `pulumi up`, on an alias whose name or type is given as undefined", async () => {
        for (const alias of [{ name: undefined }, { type: undefined }]) {
            const { error } = await planFailure(() => aliased("bucket", new Group("group")) && new Bucket("bad", { aliases: [alias] }));
            assert.match(String(error), /No valid '(name|type)' passed in for alias/);
        }
    });

    it("leaves the SDK as it was once the plan ends", async () => {
        const output = outputModule.output;
        const stackTrace = (pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace;
        await planSnippet(() => aliased("bucket", new Group("group")));
        assert.strictEqual(outputModule.output, output);
        assert.strictEqual((pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace, stackTrace);
        assert.ok(!("__aliases" in pulumi.Resource.prototype));
    });
});
