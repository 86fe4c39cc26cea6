/**
 * A data store renamed while the stack is down (`mongo.name` users -> accounts): the spin-up asks, a
 * person answers with the old store's snapshot, and from then on the renamed store's teardowns are the
 * normal ones. The old name's record is kept for the day it comes back, and never makes the stack look
 * partial. The marker follows the data through the rename.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { FRIDAY_EVENING, FRIDAY_SNAPSHOT, Harness, MONDAY, MONDAY_EVENING, TUESDAY, harness } from "./testing/harness";

describe("a data store renamed while the stack is down", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
    });
    afterEach(() => h.cleanup());

    it("after the person's answer, every teardown names its snapshot td-<time> again, even after a person's up, and the data comes back", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => void (s.program.dataStores[0].name = "accounts"));
        const refused = await h.attempt(MONDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
        await h.run(MONDAY, { restore: { accounts: { id: FRIDAY_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { accounts: "M1" });
        h.write("M2");
        await h.person("up", "--yes", "--skip-preview", "--message", "hotfix"); // main's config: accounts-final
        await h.run(MONDAY_EVENING);
        assert.ok(!/the stack is partial/.test(h.log()), h.log());
        assert.strictEqual(h.backend.read().cloud.snapshots["accounts-td-20261130t1800z-dev"]?.marker, "M2", "the deletion took a td- name");
        assert.strictEqual(h.backend.read().cloud.snapshots["accounts-final"], undefined);
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { accounts: "M2" });
        assert.ok(h.backend.read().stacks.dev.tags["intergalactic:data.users"], "the old name's record is kept");
    });
});
