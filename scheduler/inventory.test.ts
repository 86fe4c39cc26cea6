/**
 * The cloud's inventory of kept snapshots as the record of last resort: a
 * fresh run finds what to restore even when the stack's tags and history are
 * gone, restores only what is provably the newest real data, and stops,
 * naming the candidates, when nothing is. Each end-to-end test follows a data
 * marker through the fault.
 */
import * as assert from "assert";
import { KeptSnapshot, newestReal } from "./inventory";
import { ReconcileError } from "./stackOps";
import { FRIDAY_EVENING, FRIDAY_SNAPSHOT, MONDAY, MONDAY_EVENING, TUESDAY, Harness, HarnessOptions, harness } from "./testing/harness";

const kept = (id: string, day: number, from: string): KeptSnapshot => ({ id, takenAt: new Date(Date.UTC(2026, 10, day, 18)), from, config: {}, until: "" });

describe("which kept snapshot holds the newest real data", () => {
    it("takes the only one, or the newest when it was restored from another kept one or from the record's last known", () => {
        assert.strictEqual(newestReal([], "").kind, "none");
        const only = newestReal([kept("users-td-a", 20, "")], "");
        assert.ok(only.kind === "restore" && only.snapshot.id === "users-td-a");
        const chain = newestReal([kept("users-td-a", 20, ""), kept("users-td-b", 27, "users-td-a")], "");
        assert.ok(chain.kind === "restore" && chain.snapshot.id === "users-td-b");
        const continues = newestReal([kept("users-td-a", 20, ""), kept("users-up-c", 30, "users-td-a")], "users-td-a");
        assert.ok(continues.kind === "restore" && continues.snapshot.id === "users-up-c");
    });

    it("asks when the newest may be an empty re-creation or does not continue the record's lineage", () => {
        const emptyAgain = newestReal([kept("users-td-a", 20, ""), kept("users-td-b", 27, "")], "");
        assert.strictEqual(emptyAgain.kind, "ask");
        assert.strictEqual(newestReal([kept("users-td-a", 20, ""), kept("users-td-b", 27, "?")], "").kind, "ask");
        assert.strictEqual(newestReal([kept("users-td-x", 27, "users-td-y")], "users-td-a").kind, "ask");
    });
});

describe("the snapshot inventory when the record cannot say", function () {
    this.timeout(180_000);
    let h: Harness;
    const setUp = (o: HarnessOptions = {}) => harness({ base: (b) => ({ dataStores: ["users"], inventory: b.inventory() }), ...o });
    beforeEach(async () => {
        h = await setUp();
    });
    afterEach(() => h.cleanup());

    it("a stack moved while down (no tags, no history) restores its store from the snapshot the cloud keeps; without an inventory it asks", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => { s.stacks.dev.tags = {}; s.stacks.dev.history = []; });
        const asked = await h.run(MONDAY, { inventory: undefined }).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on: ${asked}`);
        assert.match(asked.message, /users: .*the scheduler has no record of the stack/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("a stack moved while down, then one person's refresh (a history entry, no tags): the spin-up still asks, never starts the store empty", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => { s.stacks.dev.tags = {}; s.stacks.dev.history = []; });
        const refreshed = await h.backend.pulumi(["refresh", "--yes", "--skip-preview", "--message", "check after the move"]);
        assert.strictEqual(refreshed.code, 0, refreshed.stderr);
        const asked = await h.run(MONDAY, { inventory: undefined }).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.match(asked.message, /users: .*the scheduler has no record of the stack/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("lost record tags after a week of restores: the spin-up restores the newest snapshot, not the one it came from", async () => {
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        h.write("M2");
        await h.run(MONDAY_EVENING);
        h.backend.edit((s) => void (s.stacks.dev.tags = {}));
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        assert.match(h.log(), /inventory settles it: users-td-20261130t1800z-dev/);
    });

    it("a spin-up that crashes after restoring, then a person's clean-up destroy: the next spin-up restores what that destroy took", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "crash" }));
        assert.ok((await h.run(MONDAY).catch((e) => e)) instanceof Error);
        h.write("M2");
        for (const args of [["cancel", "--yes"], ["refresh", "--yes", "--clear-pending-creates", "--skip-preview"], ["destroy", "--yes", "--skip-preview", "--message", "clean up after the crash"]]) {
            const r = await h.backend.pulumi(args);
            assert.strictEqual(r.code, 0, `${args[0]}: ${r.stderr}`);
        }
        const asked = await h.run(TUESDAY, { inventory: undefined }).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, "without the inventory the crash leaves the snapshot unknown, and the spin-up asks");
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("a snapshot the record names but the cloud no longer keeps stops the spin-up, naming it", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => void delete s.cloud.snapshots[FRIDAY_SNAPSHOT]);
        const refused = await h.run(MONDAY).catch((e) => e);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
        assert.match(refused.message, new RegExp(`its record restores ${FRIDAY_SNAPSHOT}, which the cloud's snapshot inventory does not hold`));
        assert.ok(!h.backend.calls().slice(-10).some((c) => c[0] === "up"), "nothing was created");
    });

    it("a teardown whose confirming listing fails still writes its record, with the snapshot unknown: the spin-up asks, and the named snapshot brings the data back", async () => {
        const real = h.backend.inventory();
        // Refused only once the destroy has run: the listings before it (what is live, unrecorded) still answer.
        const down: typeof real = {
            list: async (stack, store) => {
                if (Object.keys(h.backend.liveMarkers()).length === 0) throw new Error("listing refused for this test");
                return real.list(stack, store);
            },
        };
        await h.run(FRIDAY_EVENING, { inventory: down });
        assert.match(h.log(), /teardown: users: .*the cloud's snapshot inventory could not be read \(listing refused for this test\)/);
        const asked = await h.run(MONDAY, { inventory: real }).catch((e) => e);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.match(asked.message, /users: the final snapshot its last deletion took is unknown/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await h.run(MONDAY, { inventory: real, restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("a new stack whose stores the cloud keeps nothing of starts them empty", async () => {
        h.cleanup();
        h = await setUp({ marker: null });
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "" });
        assert.match(h.log(), /the cloud keeps no snapshot of it, so it is new and starts empty/);
    });
});
