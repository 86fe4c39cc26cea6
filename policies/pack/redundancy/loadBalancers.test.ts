/**
 * load-balancer-zones in the preview of a first up: an Ingress's subnets annotation is made from the ids of
 * subnets the same up creates, so a preview does not know it yet.
 */
import * as assert from "assert";
import { findingsOf, runWith, stackConfig, usePolicySession } from "../../fixtures/harness";
import { weakened } from "../../fixtures/cases/regions";
import { UNKNOWN } from "../../../engine/format";

const SUBNETS = "alb.ingress.kubernetes.io/subnets";

describe("load-balancer-zones in a preview", function () {
    this.timeout(60_000);
    const session = usePolicySession();
    const messages = async (plan: Parameters<typeof runWith>[2]) =>
        findingsOf(await runWith(session(), stackConfig("dev"), plan), "load-balancer-zones").map((f) => f.message);

    it("judges an ALB Ingress whose subnets annotation is not known yet by the subnets of its tier, not as spanning no zone", async () => {
        const plan = await weakened("dev", (p) => {
            for (const r of p.resources.filter((x) => x.type === "kubernetes:networking.k8s.io/v1:Ingress")) {
                for (const props of [r.inputs, r.outputs]) {
                    const annotations = (props.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
                    if (annotations?.[SUBNETS] !== undefined) annotations[SUBNETS] = UNKNOWN;
                }
            }
        });
        assert.ok(plan.resources.some((r) => (r.inputs.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[SUBNETS] === UNKNOWN), "the dev plan has an ALB Ingress with a subnets annotation");
        assert.deepStrictEqual(await messages(plan), []);
    });
});
