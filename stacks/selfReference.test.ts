import * as assert from "assert";
import { DIY_ORGANIZATION, selfReferenceName } from "./selfReference";

describe("the name a stack's program reads its own outputs under", () => {
    it("is the bare stack name on a self-managed backend, whose legacy layout parses the whole name as a stack name", () => {
        // pulumi/pulumi pkg/backend/diy/store.go legacyReferenceStore.ParseReference -> tokens.ParseStackName: no `/` allowed.
        const name = selfReferenceName(DIY_ORGANIZATION, "intergalactic", "dev");
        assert.strictEqual(name, "dev");
        assert.match(name, /^[A-Za-z0-9_.-]+$/);
    });

    it("is the full org/project/stack name on Pulumi Cloud, where a bare name means the user's default organization", () => {
        assert.strictEqual(selfReferenceName("acme", "intergalactic", "dev"), "acme/intergalactic/dev");
    });

    it("is what the offline plan's StackReferences are registered with (the mocks run as a self-managed backend)", async function () {
        this.timeout(120_000);
        const { planInMode } = await import("./testing");
        const running = await planInMode("dev", "running");
        const refs = running.resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => r.inputs.name);
        assert.deepStrictEqual(refs, ["dev"]);
    });
});
