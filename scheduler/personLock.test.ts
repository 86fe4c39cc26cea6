/**
 * A self-managed backend's lock names only `user@host (pid)`, and Pulumi takes it before the preview and
 * its confirmation prompt (pulumi/pulumi pkg/backend/diy/backend.go: Lock, then PreviewThenPromptThenExecute),
 * so a person's `pulumi up` left at "Do you want to perform this update?" holds a live lock for hours. Only a
 * lock naming a `user@host` the scheduler's runs on the stack ran as is ever aged out.
 */
import * as assert from "assert";
import { RUNNERS_TAG } from "./lease";
import { ReconcileError } from "./stackOps";
import { FRIDAY_EVENING, Harness, MONDAY, MONDAY_EVENING, harness } from "./testing/harness";

describe("a person's lock on a self-managed backend", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        h.write("M2");
    });
    afterEach(() => h.cleanup());

    const lockedBy = (owner: string, minutesAgo: number) => h.backend.edit((s) => {
        s.stacks.dev.lock = { owner, pid: 4242, since: new Date(MONDAY_EVENING.getTime() - minutesAgo * 60_000).toISOString() };
    });

    it("held at pulumi up's prompt for 160 minutes from a laptop is never cancelled: the teardown waits, fails naming it, and changes nothing", async () => {
        lockedBy("anna@annas-macbook", 160);
        const result = await h.attempt(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(result instanceof ReconcileError, `the teardown went on: ${result}`);
        assert.match(h.log(), /lock: held by anna@annas-macbook \(pid 4242\).*: live, it names anna@annas-macbook, which no scheduler run on this stack ran as/);
        assert.ok(!h.backend.mutations().includes("cancel"), "no pulumi cancel");
        assert.strictEqual(h.backend.read().stacks.dev.lock?.owner, "anna@annas-macbook");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("one naming a user@host a scheduler run ran as is still aged out, and the teardown keeps the data", async () => {
        const runners = JSON.parse(h.backend.read().stacks.dev.tags[RUNNERS_TAG]) as string[];
        lockedBy(runners[runners.length - 1], 160);
        await h.run(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /recovery: lock cancelled/);
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261130t1800z"]?.marker, "M2");
    });
});
