import * as assert from "assert";
import { unprovenStop, writersIn } from "./workloads";

describe("the workloads in a state and whether their deletion shows their pods gone", () => {
    const deployment = (annotations?: Record<string, string>) => ({
        urn: "urn:pulumi:dev::intergalactic::intergalactic:index:CookieServices$kubernetes:apps/v1:Deployment::cookies-mixer-deployment",
        type: "kubernetes:apps/v1:Deployment", inputs: { metadata: { name: "mixer", ...(annotations ? { annotations } : {}) } },
    });

    it("a deletion the provider awaits in foreground shows them gone", () => {
        assert.strictEqual(unprovenStop(deployment()), "");
        assert.strictEqual(unprovenStop(deployment({ "pulumi.com/deletionPropagationPolicy": "Foreground", "pulumi.com/skipAwait": "false" })), "");
    });

    it("skipAwait, or a background or orphan propagation policy, does not", () => {
        assert.match(unprovenStop(deployment({ "pulumi.com/skipAwait": "TRUE" })), /pulumi\.com\/skipAwait: "true"/);
        assert.match(unprovenStop(deployment({ "pulumi.com/deletionPropagationPolicy": "background" })), /deletionPropagationPolicy: "background"/);
        assert.match(unprovenStop(deployment({ "pulumi.com/deletionPropagationPolicy": "Orphan" })), /deletionPropagationPolicy: "Orphan"/);
    });

    it("only objects that run pods are workloads", () => {
        const secret = { urn: "urn:pulumi:dev::intergalactic::kubernetes:core/v1:Secret::mongo", type: "kubernetes:core/v1:Secret" };
        const job = { urn: "urn:pulumi:dev::intergalactic::kubernetes:batch/v1:Job::migrate", type: "kubernetes:batch/v1:Job" };
        assert.deepStrictEqual(writersIn([deployment(), secret, job]).map((w) => w.urn), [deployment().urn, job.urn]);
    });
});
