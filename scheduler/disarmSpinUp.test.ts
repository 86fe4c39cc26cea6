/**
 * A config that turns a store's final snapshot off (dev allows it) must never land on a store that holds data:
 * not by the teardown's `up` (lineage.test.ts), and not by the next spin-up's either, which would restore the
 * lineage's data into a store whose deletion keeps nothing; that evening's teardown would then refuse and leave
 * the day's data disarmed overnight, and the next destroy by anyone would keep nothing.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { Harness, MONDAY_EVENING, TUESDAY, TUESDAY_EVENING, afterMondaysWork } from "./testing/harness";

describe("a store whose final snapshot the stack config turned off, the day after", function () {
    this.timeout(300_000);
    let h: Harness;
    beforeEach(async () => {
        h = await afterMondaysWork();
        h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = false));
        await h.run(MONDAY_EVENING);
    });
    afterEach(() => h.cleanup());

    it("the spin-up refuses to restore the data into a store whose deletion keeps nothing, and changes nothing", async () => {
        const done = h.backend.mutations().length;
        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
        assert.match(refused.message, /spin-up refused: users holds data .* turns its final snapshot off/);
        assert.match(refused.message, /intergalactic:snapshots\.dropDataOnTeardown/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        assert.deepStrictEqual(h.backend.mutations().slice(done).filter((m) => m === "up" || m === "destroy"), [], "no up after the refusal");
    });

    it("once the config turns it back on, the spin-up restores the data and the teardown keeps it", async () => {
        await h.attempt(TUESDAY);
        h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = true));
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        h.write("M3");
        await h.run(TUESDAY_EVENING);
        const users = Object.values(h.backend.read().cloud.snapshots).filter((x) => x.marker === "M3");
        assert.strictEqual(users.length, 1, "M3 kept in a final snapshot");
    });

    it("with the store listed in dropDataOnTeardown, the spin-up goes on as the config says", async () => {
        const result = await h.attempt(TUESDAY, { dropDataOnTeardown: ["users"] });
        assert.ok(!(result instanceof Error), `${result}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });
});
