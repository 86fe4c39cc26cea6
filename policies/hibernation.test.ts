/**
 * The policy pack on the hibernated plans: hibernation lifts only the availability rules it breaks on
 * purpose (nodes at zero, one DocumentDB instance); every other mandatory policy still holds, and the
 * waking plan passes as the running one does. The pack judges the running plan in pull requests (the
 * committed config has no mode); this keeps what the hibernated stack gives up written down.
 */
import * as assert from "assert";
import { planInMode } from "../tools/estimate/hibernation";
import { runWith, stackConfig, usePolicySession } from "./fixtures/harness";

describe("the policy pack on the hibernated and waking plans", function () {
    this.timeout(120_000);
    const session = usePolicySession();
    const mandatory = async (stack: string, mode: "hibernated" | "waking") =>
        (await runWith(session(), stackConfig(stack), await planInMode(stack, mode))).findings
            .filter((f) => f.level === "mandatory").map((f) => `${f.policy} ${f.resourceName}`).sort();

    it("fails dev hibernated only on its node groups at zero, its single DocumentDB instance and its protected Ingress", async () => {
        // The Ingress is protected while no node can run the load balancer controller (stacks/hibernation.ts): the
        // scheduler wakes the stack before a destroy, which lifts it, so the stack stays destroyable by the scheduler.
        assert.deepStrictEqual([...new Set(await mandatory("dev", "hibernated"))], [
            "deletion-protection cookies-ingress",
            "mongo-replica-set users-cluster",
            "node-pool-zones cluster-nodes-a", "node-pool-zones cluster-nodes-b", "node-pool-zones cluster-nodes-d",
        ]);
    });

    it("passes dev-azure hibernated, and both stacks waking", async () => {
        assert.deepStrictEqual(await mandatory("dev-azure", "hibernated"), []);
        assert.deepStrictEqual(await mandatory("dev", "waking"), []);
        assert.deepStrictEqual(await mandatory("dev-azure", "waking"), []);
    });
});
