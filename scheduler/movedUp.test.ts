/**
 * A stack moved while down (`stack export`/`import`, `stack migrate`: no tags, no history, pulumi/pulumi#10339)
 * that a person brings up by hand on its new backend before the scheduler's next run: its stores are created
 * empty or restored from what the person chose, and the scheduler has no record of the stack. The next
 * teardown's record must continue the lineage when the store was restored from the newest real snapshot,
 * and otherwise keep the new store's snapshot apart so the spin-up asks; it must never restore an
 * empty-created store's snapshot over the real data. Each test follows the data marker from Friday's snapshot.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { FakeBackend } from "./testing/fakeBackend";
import { FRIDAY_SNAPSHOT, Harness, MONDAY_EVENING, TUESDAY, FRIDAY_EVENING, harness } from "./testing/harness";

/** The stack moved while down: the new backend has its (empty) state and none of its tags or history; Pulumi Cloud writes an import entry. */
function moveWhileDown(backend: FakeBackend, kind: "diy" | "cloud"): void {
    backend.edit((s) => {
        const now = new Date().toISOString();
        s.backend = kind;
        s.stacks.dev.tags = {};
        s.stacks.dev.history = kind === "cloud" ? [{ version: 1, kind: "import", result: "succeeded", message: "", config: {}, startTime: now, endTime: now }] : [];
    });
}

/** A person's `pulumi up` from a fresh checkout, restoring `snapshot` by hand when given (as `restoreSources` tells them). */
async function personsUp(h: Harness, snapshot?: string): Promise<void> {
    const dir = h.backend.checkout();
    if (snapshot) assert.strictEqual((await h.backend.pulumi(["config", "set", "--path", "intergalactic:snapshots.restore.users", "--", snapshot], dir)).code, 0);
    const up = await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "bringing dev back after the move"], dir);
    assert.strictEqual(up.code, 0, up.stderr);
}

describe("a moved stack a person brings up by hand", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
        await h.run(FRIDAY_EVENING);
    });
    afterEach(() => h.cleanup());

    it("created empty, with the cloud's inventory: the next spin-up asks instead of restoring the empty store's snapshot over Friday's data", async () => {
        const inventory = h.backend.inventory();
        moveWhileDown(h.backend, "diy");
        await personsUp(h);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "" });
        h.write("P1");
        await h.run(MONDAY_EVENING, { inventory });
        const refused = await h.attempt(TUESDAY, { inventory });
        assert.ok(refused instanceof ReconcileError, `the spin-up went on and restored ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.match(refused.message, new RegExp(`users: users-td-20261130t1800z-dev \\(from a store created outside the scheduler, lineage unknown\\) competes with ${FRIDAY_SNAPSHOT}`));
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
        await h.run(TUESDAY, { inventory, restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("restored by hand from the newest kept snapshot, with the inventory: the lineage continues, and the spin-up restores the day's data without asking", async () => {
        const inventory = h.backend.inventory();
        moveWhileDown(h.backend, "diy");
        await personsUp(h, FRIDAY_SNAPSHOT);
        h.write("M2");
        await h.run(MONDAY_EVENING, { inventory });
        const spinUp = await h.attempt(TUESDAY, { inventory });
        assert.ok(!(spinUp instanceof Error), `${spinUp}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("moved to Pulumi Cloud and created empty, without an inventory: its import entry says it moved, and the spin-up asks", async () => {
        moveWhileDown(h.backend, "cloud");
        await personsUp(h);
        await h.run(MONDAY_EVENING);
        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on and restored ${JSON.stringify(h.backend.liveMarkers())}`);
        // On Pulumi Cloud the per-run name carries 8 hex of the stack's qualified name's hash.
        assert.match(refused.message, /users: users-td-20261130t1800z-dev-[0-9a-f]{8} \(from a store created outside the scheduler, lineage unknown\) competes with data the record cannot name: the stack was imported/);
        await h.run(TUESDAY, { restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });
});
