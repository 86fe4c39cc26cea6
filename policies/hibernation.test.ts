/**
 * The policy pack on the hibernated plans: hibernation gives up availability on purpose (nodes at zero, one
 * DocumentDB instance, the Ingress protected while no node runs the load balancer controller). A dev stack's
 * pack config accepts that (`acceptHibernated` on node-pool-zones, mongo-replica-set and deletion-protection)
 * on the hibernated plan of a stack whose schedule asks for hibernation (`teardown: hibernate`), which the
 * program's `schedule` output says; every other mandatory policy still holds, the waking plan passes as the
 * running one does, and the same plan of a stack whose schedule does not hibernate is refused as before.
 */
import * as assert from "assert";
import { ROOT, planStack } from "../engine/planStack";
import { loadStackFiles } from "../engine/stackFiles";
import { StackMode, planInMode } from "../tools/estimate/hibernation";
import { runWith, stackConfig, usePolicySession } from "./fixtures/harness";

/** A stack's plan in a mode, with its schedule's teardown set to hibernate, as a stack that hibernates has it. */
function planHibernating(stack: string, mode: StackMode) {
    const section = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:schedule"] ?? "{}");
    return planStack(stack, ROOT, undefined, { "intergalactic:schedule": JSON.stringify({ ...section, teardown: "hibernate", mode }) });
}

describe("the policy pack on the hibernated and waking plans", function () {
    this.timeout(180_000);
    const session = usePolicySession();
    const mandatory = async (stack: string, mode: StackMode, hibernates = false, overrides: Record<string, unknown> = {}) =>
        (await runWith(session(), stackConfig(stack, overrides), await (hibernates ? planHibernating(stack, mode) : planInMode(stack, mode)))).findings
            .filter((f) => f.level === "mandatory").map((f) => `${f.policy} ${f.resourceName}`).sort();

    it("passes the hibernated plans of dev and dev-azure whose schedule hibernates, and their waking plans", async () => {
        assert.deepStrictEqual(await mandatory("dev", "hibernated", true), []);
        assert.deepStrictEqual(await mandatory("dev-azure", "hibernated", true), []);
        assert.deepStrictEqual(await mandatory("dev", "waking", true), []);
    });

    it("refuses dev's hibernated plan where the stack's pack config does not accept it", async () => {
        const off = { "node-pool-zones": { acceptHibernated: false }, "mongo-replica-set": { acceptHibernated: false }, "deletion-protection": { acceptHibernated: false } };
        assert.deepStrictEqual([...new Set(await mandatory("dev", "hibernated", true, off))], [
            "deletion-protection cookies-ingress",
            "mongo-replica-set users-cluster",
            "node-pool-zones cluster-nodes-a", "node-pool-zones cluster-nodes-b", "node-pool-zones cluster-nodes-d",
        ]);
    });

    it("fails dev hibernated, where its schedule does not ask for hibernation, on its node groups at zero, its single DocumentDB instance and its protected Ingress", async () => {
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
