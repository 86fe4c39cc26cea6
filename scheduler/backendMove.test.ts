/**
 * A stack moved to another backend with its tags (the record) copied: `stack export`/`import`, `stack rename`
 * and `stack migrate` keep no history (pulumi/pulumi#10339), and the two backends mark history entries in
 * ways that never compare (record.ts Numbering): a self-managed key would look newer than every Pulumi Cloud
 * version, so no update there would ever count as "after" it. Each test follows the data marker.
 */
import * as assert from "assert";
import { SEEN_KEY_TAG, SEEN_TAG } from "./record";
import { ReconcileError } from "./stackOps";
import { FakeBackend } from "./testing/fakeBackend";
import { Harness, TUESDAY, TUESDAY_EVENING, WEDNESDAY, afterMondaysWork } from "./testing/harness";

/** The stack moved to a `kind` backend with its state and tags; the new backend's history is its own (Pulumi Cloud writes an import entry). */
function moveTo(backend: FakeBackend, kind: "diy" | "cloud"): void {
    backend.edit((s) => {
        const now = new Date().toISOString();
        s.backend = kind;
        s.stacks.dev.history = kind === "cloud" ? [{ version: 1, kind: "import", result: "succeeded", message: "", config: {}, startTime: now, endTime: now }] : [];
    });
}

const core = (backend: FakeBackend) => JSON.parse(backend.read().stacks.dev.tags["intergalactic:data.users"]) as Record<string, unknown>;

describe("a record whose stack moved between a self-managed backend and Pulumi Cloud", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await afterMondaysWork();
    });
    afterEach(() => h.cleanup());

    it("moved to Pulumi Cloud, then a person's up and destroy: the spin-up asks instead of restoring the name the record armed; moved back, the week goes on", async () => {
        assert.ok(typeof core(h.backend).ak === "number" && core(h.backend).at === undefined, "a self-managed key in its own field");
        assert.ok(h.backend.read().stacks.dev.tags[SEEN_KEY_TAG] && !h.backend.read().stacks.dev.tags[SEEN_TAG]);
        moveTo(h.backend, "cloud");
        await h.person("up", "--yes", "--skip-preview", "--message", "hotfix after the move");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "done for today");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-final"]?.marker, "M2", "the person's destroy took main's name");

        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused} (${JSON.stringify(h.backend.liveMarkers())})`);
        assert.match(refused.message, /users: .*update #2 .*\("hotfix after the move"\) by someone outside the scheduler ran after the record last saw the name/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
        await h.run(TUESDAY, { restore: { users: { id: "users-final", config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        assert.ok(typeof core(h.backend).at === "number" && core(h.backend).ak === undefined, "a Pulumi Cloud version in its own field, the key gone");
        assert.ok(h.backend.read().stacks.dev.tags[SEEN_TAG] && !h.backend.read().stacks.dev.tags[SEEN_KEY_TAG]);

        h.write("M3");
        moveTo(h.backend, "diy");
        await h.run(TUESDAY_EVENING);
        await h.run(WEDNESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M3" });
        assert.ok(typeof core(h.backend).ak === "number" && core(h.backend).at === undefined);
    });

    it("moved back to a self-managed backend, a person's up and destroy there: the Pulumi Cloud version the record holds never passes for a key", async () => {
        moveTo(h.backend, "cloud");
        await h.run(TUESDAY_EVENING);
        await h.run(WEDNESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        h.write("M3");
        moveTo(h.backend, "diy");
        await h.person("up", "--yes", "--skip-preview", "--message", "hotfix after moving back");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "done for today");
        const refused = await h.attempt(new Date("2026-12-03T06:30:00Z"));
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused} (${JSON.stringify(h.backend.liveMarkers())})`);
        assert.match(refused.message, /\("hotfix after moving back"\) by someone outside the scheduler ran after the record last saw the name/);
        await h.run(new Date("2026-12-03T06:30:00Z"), { restore: { users: { id: "users-final", config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M3" });
    });
});
