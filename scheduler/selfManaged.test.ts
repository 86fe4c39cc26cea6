/**
 * A self-managed backend numbers no history entries: its UpdateInfo holds kind, start and end time
 * (Unix seconds), message, config and result, and `stack history --json` prints `"version": 0`
 * (pulumi/pulumi pkg/backend/diy/backend.go, pulumi/pulumi#6049). Every "ran after" check must hold
 * there too; each test follows the data marker through the week.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { FRIDAY_EVENING, Harness, MONDAY, MONDAY_EVENING, TUESDAY, harness } from "./testing/harness";

describe("on a self-managed backend, whose history has no version numbers", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
    });
    afterEach(() => h.cleanup());

    it("the fake CLI prints every history entry with version 0 and times in whole seconds, as Pulumi does", async () => {
        await h.run(FRIDAY_EVENING);
        const printed = JSON.parse((await h.backend.pulumi(["stack", "history", "--json"])).stdout) as { version: number; startTime: string; endTime: string }[];
        assert.ok(printed.length >= 3);
        for (const e of printed) {
            assert.strictEqual(e.version, 0);
            assert.match(e.endTime, /:\d\d\.000Z$/);
        }
    });

    it("a spin-up that crashed after restoring the store, then a person's destroy: the next spin-up never restores Friday's data over Monday's", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "crash" }));
        assert.ok((await h.attempt(MONDAY)) instanceof Error);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" }, "the crashed up restored the store");
        h.write("M2");
        // A person cleans up after the crash; the destroy takes Monday's snapshot (the crashed up named it).
        await h.person("cancel", "--yes");
        await h.person("refresh", "--yes", "--clear-pending-creates", "--skip-preview");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "clean up after the crash");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-up-20261130t0630z-dev"]?.marker, "M2");

        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on and restored ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
        assert.match(refused.message, /users: the final snapshot its last deletion took is unknown: .*destroy at .* \("clean up after the crash"\)/);
        await h.run(TUESDAY, { restore: { users: { id: "users-up-20261130t0630z-dev", config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("the same with the cloud's snapshot inventory restores Monday's snapshot without asking", async () => {
        await h.run(FRIDAY_EVENING);
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "crash" }));
        assert.ok((await h.attempt(MONDAY)) instanceof Error);
        h.write("M2");
        await h.person("cancel", "--yes");
        await h.person("refresh", "--yes", "--clear-pending-creates", "--skip-preview");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "clean up after the crash");
        await h.run(TUESDAY, { inventory: h.backend.inventory() });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("a person's up after the spin-up renames the final snapshot; after a person's destroy the spin-up asks instead of restoring the name the record armed", async () => {
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        h.write("M2");
        // A fresh checkout's config: no suffix, so the deletion would take users-final.
        await h.person("up", "--yes", "--skip-preview", "--message", "hotfix");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "done for today");
        const took = Object.entries(h.backend.read().cloud.snapshots).find(([, s]) => s.marker === "M2")?.[0];
        assert.ok(took && took !== "users-up-20261130t0630z-dev", `the person's destroy took ${took}`);

        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on and restored ${JSON.stringify(h.backend.liveMarkers())}`);
        assert.match(refused.message, /update at .* \("hotfix"\) by someone outside the scheduler ran after the record last saw the name/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
    });

    it("a whole week of spin-ups and teardowns on it never asks and brings each day's data back", async () => {
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        h.write("M2");
        await h.run(MONDAY_EVENING);
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        assert.ok(!/unknown|refused/.test(h.log()), h.log());
    });
});
