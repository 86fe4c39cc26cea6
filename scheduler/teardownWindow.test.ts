/**
 * The teardown's snapshot-naming `up` and its `destroy` are two commands, and Pulumi's lock covers each
 * alone: a person's `up` between them renames the final snapshot back to main's config (`<store>-final`).
 * And a deletion's final snapshot is confirmed in the cloud's inventory before the record calls it the
 * one to restore. Each test follows the data marker to the next spin-up.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { Harness, MONDAY_EVENING, TUESDAY, afterMondaysWork } from "./testing/harness";

describe("between the teardown's up and its destroy", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await afterMondaysWork();
    });
    afterEach(() => h.cleanup());

    it("a person's up after the record was armed: the teardown arms again from the state just before its destroy, and the spin-up restores what the deletion took", async () => {
        // The second `config rm` of the teardown is the last call before its destroy.
        h.backend.edit((s) => s.failures.push({ command: "config rm", skip: 1, times: 1, mode: "preempt", message: "hotfix" }));
        await h.run(MONDAY_EVENING);
        assert.strictEqual(h.backend.read().cloud.snapshots["users-final"]?.marker, "M2", "the deletion took main's name");
        const spinUp = await h.attempt(TUESDAY);
        assert.ok(!(spinUp instanceof Error), `${spinUp}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        assert.match(h.log(), /the stack changed since its state was read/);
    });

    it("a person's up right before the destroy: the record names what the deletion took, as the destroy's own delete step says, never the armed name that was not taken", async () => {
        h.backend.edit((s) => s.failures.push({ command: "destroy", times: 1, mode: "preempt", message: "hotfix" }));
        await h.run(MONDAY_EVENING);
        assert.strictEqual(h.backend.read().cloud.snapshots["users-final"]?.marker, "M2");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261130t1800z-dev"], undefined, "the armed name was never taken");
        assert.match(h.log(), /record: users: its deletion took users-final, as the destroy's delete step says, not users-td-20261130t1800z-dev the record armed/);
        const spinUp = await h.attempt(TUESDAY);
        assert.ok(!(spinUp instanceof Error), `${spinUp}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("a final snapshot the inventory does not hold after the deletion: the record says so, and the spin-up asks instead of restoring the older one", async () => {
        h.backend.edit((s) => void (s.sweepSnapshots = true));
        await h.run(MONDAY_EVENING, { inventory: h.backend.inventory() });
        assert.match(h.log(), /teardown: users: deleted without a final snapshot the scheduler can confirm: its deletion was to take users-td-20261130t1800z-dev/);
        const refused = await h.attempt(TUESDAY, { inventory: h.backend.inventory() });
        assert.ok(refused instanceof ReconcileError, `the spin-up went on and restored ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "Friday's data was not restored as if it were the newest");
    });
});
