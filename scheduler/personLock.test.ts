/**
 * A self-managed backend's lock names only `user@host (pid)`, and Pulumi takes it before the preview and
 * its confirmation prompt (pulumi/pulumi pkg/backend/diy/backend.go: Lock, then PreviewThenPromptThenExecute),
 * so a person's `pulumi up` left at "Do you want to perform this update?" holds a live lock for hours. Only a
 * lock taken by a scheduler run that was lost holding the stack's lease (its `user@host`, taken while it held the
 * lease) is ever aged out: a name alone is not enough, since a person who ran the scheduler by hand has the same one.
 */
import * as assert from "assert";
import * as os from "os";
import { LEASE_TAG, LOST_TAG } from "./lease";
import { ReconcileError } from "./stackOps";
import { Harness, MONDAY, MONDAY_EVENING, TUESDAY, afterMondaysWork } from "./testing/harness";

describe("a person's lock on a self-managed backend", function () {
    this.timeout(180_000);
    let h: Harness;
    beforeEach(async () => {
        h = await afterMondaysWork();
    });
    afterEach(() => h.cleanup());

    const lockedBy = (owner: string, minutesAgo: number) => h.backend.edit((s) => {
        s.stacks.dev.lock = { owner, pid: 4242, since: new Date(MONDAY_EVENING.getTime() - minutesAgo * 60_000).toISOString() };
    });

    it("held at pulumi up's prompt for 160 minutes from a laptop is never cancelled: the teardown waits, fails naming it, and changes nothing", async () => {
        lockedBy("anna@annas-macbook", 160);
        const result = await h.attempt(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(result instanceof ReconcileError, `the teardown went on: ${result}`);
        assert.match(h.log(), /lock: held by anna@annas-macbook \(pid 4242\).*: live, it was not taken by a scheduler run lost while it held the stack.s lease/);
        assert.ok(!h.backend.mutations().includes("cancel"), "no pulumi cancel");
        assert.strictEqual(h.backend.read().stacks.dev.lock?.owner, "anna@annas-macbook");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("held by someone who once ran the scheduler by hand from the same laptop is never cancelled either", async () => {
        // Their manual run ended normally (released its lease): it lost nothing, so their later lock is a person's.
        const me = `${os.userInfo().username}@${os.hostname()}`;
        lockedBy(me, 160);
        const result = await h.attempt(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(result instanceof ReconcileError, `the teardown went on: ${result}`);
        assert.match(h.log(), /: live, it was not taken by a scheduler run lost while it held the stack's lease/);
        assert.ok(!h.backend.mutations().includes("cancel"), "no pulumi cancel");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("one left by a scheduler run that was lost holding the lease is aged out, however many runs came since, and the teardown keeps the data", async () => {
        // The run on runner@fv-az512-77 died holding its lease and its lock; the next run takes the lease over.
        const since = new Date(MONDAY_EVENING.getTime() - 170 * 60_000).toISOString();
        h.backend.edit((s) => {
            s.stacks.dev.tags[LEASE_TAG] = JSON.stringify({ run: "lost", owner: "runner@fv-az512-77", host: "fv-az512-77", pid: 4100, since });
        });
        lockedBy("runner@fv-az512-77", 160);
        await h.run(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.match(h.log(), /recovery: lock cancelled/);
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261130t1800z-dev"]?.marker, "M2");
        assert.strictEqual(h.backend.read().stacks.dev.tags[LOST_TAG], undefined, "the lost run's entry goes once its lock is cancelled");
    });

    it("a lost run's entry outlives any number of runs with nothing to do", async () => {
        const lost = JSON.stringify([["runner@fv-az512-77", 1, 2]]);
        h.backend.edit((s) => void (s.stacks.dev.tags[LOST_TAG] = lost));
        for (let i = 0; i < 15; i++) await h.run(MONDAY);
        assert.strictEqual(h.backend.read().stacks.dev.tags[LOST_TAG], lost);
    });
});

describe("a lock a person's crashed pulumi up left", function () {
    this.timeout(180_000);
    let h: Harness;
    afterEach(() => h.cleanup());

    /** A person's `up` whose process dies mid-update: its lock stays, naming a pid that no longer runs. */
    const crashedPersonsUp = async (backend: "diy" | "cloud") => {
        h = await afterMondaysWork({ backend });
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "crash" }));
        const crashed = await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a hotfix"]);
        assert.strictEqual(crashed.code, 137);
        assert.ok(h.backend.read().stacks.dev.lock, "the dead process's lock stays");
        const refused = await h.attempt(MONDAY_EVENING, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.ok(!h.backend.mutations().includes("cancel"), "a lock the scheduler cannot prove dead is never cancelled");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        return refused;
    };

    /** The person does what the message says; the next run resumes and keeps the day's data. */
    const resumes = async () => {
        await h.person("cancel", "--yes");
        await h.run(MONDAY_EVENING);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    };

    it("on a self-managed backend: the run fails naming the lock file to delete and the pulumi cancel that removes every lock", async () => {
        const refused = await crashedPersonsUp("diy");
        const file = `file://${h.backend.root}/.pulumi/locks/organization/intergalactic/dev/4f1c.json`;
        assert.ok(refused.message.includes(`; once you know it is dead (a crashed \`pulumi up\`), delete its lock file ${file}, or run \`pulumi cancel --stack dev --yes\` (which deletes every lock file of the stack, a live run's too)`), refused.message);
        await resumes();
    });

    it("on Pulumi Cloud: the run fails naming the pulumi cancel that ends the update in progress", async () => {
        const refused = await crashedPersonsUp("cloud");
        assert.match(refused.message, /once you know it is dead \(a crashed `pulumi up`\), end it with `pulumi cancel --stack dev --yes`$/);
        assert.doesNotMatch(refused.message, /lock file/);
        await resumes();
    });
});
