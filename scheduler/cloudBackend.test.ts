/**
 * The scheduler against Pulumi Cloud's semantics (the fake CLI's "cloud" backend): the lock
 * is the server's and a second update gets 409, the history shows an update in progress
 * from its start, a crashed update stays in progress until `pulumi cancel`. Only an update
 * the scheduler started is ever judged by age; a person's is never cancelled.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { VPC } from "./testing/fakeBackend";
import { FRIDAY_EVENING, MONDAY, SATURDAY, Harness, HarnessOptions, harness } from "./testing/harness";

const HOURS = 3_600_000;

describe("the scheduler on Pulumi Cloud", function () {
    this.timeout(120_000);
    let h: Harness;
    const setUp = (o: HarnessOptions = {}) => harness({ backend: "cloud", base: () => ({ dataStores: ["users"], clock: () => new Date(), retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }), ...o });
    beforeEach(async () => {
        h = await setUp();
    });
    afterEach(() => h.cleanup());

    it("a crashed teardown stays in progress; the next run waits while it is young, cancels it once older than any run, and loses nothing", async () => {
        h.backend.edit((s) => s.failures.push({ command: "destroy", times: 1, mode: "crash", pendingOn: "users", keep: [VPC] }));
        const crashed = await h.run(FRIDAY_EVENING).catch((e) => e);
        assert.ok(crashed instanceof ReconcileError, String(crashed));
        const inProgress = h.backend.read().stacks.dev.history.at(-1)!;
        assert.strictEqual(inProgress.result, "in-progress");
        assert.match(inProgress.message, /^scheduler:/);

        const young = await h.run(SATURDAY).catch((e) => e);
        assert.match(String(young), /locked by a run that may still be going; not cancelling it/);
        assert.match(h.log(), /lock: held by an update in progress \(destroy #\d+\).*: live, it is 0 min old/);
        assert.ok(!h.backend.mutations().includes("cancel"));

        await h.run(SATURDAY, { clock: () => new Date(Date.now() + 3 * HOURS) });
        assert.match(h.log(), /stale, it is 1\d\d min old, longer than any run may last/);
        assert.ok(h.backend.mutations().includes("cancel"));
        assert.strictEqual(h.backend.read().stacks.dev.history.find((e) => e.version === inProgress.version)?.result, "failed", "cancel ends the update");
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);

        await h.run(MONDAY, { clock: () => new Date(Date.now() + 3 * HOURS) });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("never cancels a person's update in progress, however old: it fails naming it", async () => {
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "hang" }));
        const person = h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "restoring users by hand"]);
        for (let i = 0; i < 400 && !h.backend.read().stacks.dev.lock; i++) await new Promise((r) => setTimeout(r, 25));
        const lock = h.backend.read().stacks.dev.lock!;
        assert.ok(lock, "the person's update holds the stack");

        const refused = await h.run(SATURDAY, { clock: () => new Date(Date.now() + 5 * HOURS) }).catch((e) => e);
        assert.ok(refused instanceof ReconcileError);
        assert.match(refused.message, /locked by a run that may still be going; not cancelling it/);
        assert.match(h.log(), /live, it is an update the scheduler did not start \("restoring users by hand"\), which only a person may cancel/);
        assert.ok(!h.backend.mutations().includes("cancel"));

        process.kill(lock.pid, "SIGINT");
        const ended = await person;
        assert.strictEqual(ended.code, 255);
        assert.match(ended.stderr, /update canceled/);
        assert.strictEqual(h.backend.read().stacks.dev.history.at(-1)?.result, "failed");
        await h.run(SATURDAY);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
    });
});
