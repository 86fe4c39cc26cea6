/**
 * What a teardown's deletions took is read from its destroy's own engine events (deletions.ts), not from the
 * name the record armed before it: Pulumi's lock covers one command, so a person's `up` can run between the
 * teardown's snapshot-naming `up` and its destroy, and on a self-managed backend an `up` from a machine whose
 * clock is behind is listed among the older history entries, so no history check sees it. Each test follows the
 * data marker from Monday's work to the next spin-up.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { CLI_VERSIONS, FakeBackend, FakeState, VPC } from "./testing/fakeBackend";
import { Harness, MONDAY_EVENING, TUESDAY, TUESDAY_EVENING, afterMondaysWork } from "./testing/harness";

const MINUTES = 60_000;
/** A person's `up` from a fresh checkout (no suffix: the deletion would take `<store>-final`) just before the destroy, from a laptop 7 minutes slow. */
const slowPersonsUp = { command: "destroy" as const, times: 1, mode: "preempt" as const, message: "hotfix from a laptop", clockSkewMs: -7 * MINUTES };
const CACHE = { name: "cache", type: "intergalactic:index:HaRedis", dataType: "aws:elasticache/replicationGroup:ReplicationGroup", finalSnapshot: true };

/** The `--event-log` each destroy was given: a file, or the Automation API's gRPC Events service. */
const eventLogs = (backend: FakeBackend) => backend.calls().filter((c) => c[0] === "destroy").map((c) => c[c.indexOf("--event-log") + 1]);

for (const transport of ["file", "grpc"] as const) describe(`the teardown records what its destroy's delete steps took (events over ${transport === "file" ? "an event-log file" : "gRPC"})`, function () {
    this.timeout(180_000);
    let h: Harness;
    afterEach(function () {
        const logs = eventLogs(h.backend);
        h.cleanup();
        if (this.currentTest?.state !== "passed") return;
        assert.ok(logs.length > 0 && logs.every((log) => log.startsWith("tcp://") === (transport === "grpc")), `every destroy's events went over ${transport}: ${logs}`);
    });
    /** The CLI reports the version that makes the Automation API take its events over `transport`. */
    const cli = (edit: (s: FakeState) => void = () => undefined) => (s: FakeState) => {
        s.version = CLI_VERSIONS[transport];
        edit(s);
    };

    it("on a self-managed backend, a person's up from a slow clock right before the destroy: the record names the snapshot taken, and the spin-up restores the day's data", async () => {
        h = await afterMondaysWork({ edit: cli() });
        h.backend.edit((s) => s.failures.push(slowPersonsUp));
        await h.run(MONDAY_EVENING);
        const history = JSON.parse((await h.backend.pulumi(["stack", "history", "--json"])).stdout) as { message: string }[];
        const person = history.findIndex((e) => e.message === "hotfix from a laptop");
        const teardownUp = history.findIndex((e) => /final snapshot suffix td-20261130t1800z/.test(e.message));
        assert.ok(person > teardownUp, "the backend lists the person's up as older than the teardown's up (its file name carries the slow clock)");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-final"]?.marker, "M2", "the destroy took main's name");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261130t1800z"], undefined, "the armed name was never taken");

        const spinUp = await h.attempt(TUESDAY);
        assert.ok(!(spinUp instanceof Error), `the spin-up failed: ${spinUp}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("a destroy that fails halfway records only the deletions that happened; the resumed teardown records the rest from its own events", async () => {
        h = await afterMondaysWork({ edit: cli((s) => void s.program.dataStores.push(CACHE)) });
        const failure = "error: deleting the cache: InvalidReplicationGroupState: the replication group is being modified";
        h.backend.edit((s) => s.failures.push(slowPersonsUp, { command: "destroy", times: 1, mode: "fail", keep: ["cache", VPC], stderr: failure }));
        assert.ok((await h.attempt(MONDAY_EVENING)) instanceof ReconcileError);
        assert.deepStrictEqual(h.backend.liveMarkers(), { cache: "M2" }, "the cache's deletion failed and it is still there");
        const tags = h.backend.read().stacks.dev.tags;
        assert.strictEqual(tags["intergalactic:data.users.f"], "users-final", "users is recorded with the snapshot its deletion took");
        assert.strictEqual(JSON.parse(tags["intergalactic:data.cache"]).s, "up", "the cache is not recorded as deleted");

        await h.run(TUESDAY_EVENING);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
        assert.strictEqual(h.backend.read().stacks.dev.tags["intergalactic:data.cache.f"], "cache-final", "the resumed destroy took the name the person's up set");
        await h.run(new Date("2026-12-02T06:30:00Z"));
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2", cache: "M2" });
    });

    it("a destroy whose events do not reach the scheduler: the deletion's snapshot is unknown and the spin-up asks instead of restoring the armed name", async () => {
        h = await afterMondaysWork({ edit: cli() });
        h.backend.edit((s) => s.failures.push(slowPersonsUp, { command: "destroy", times: 1, mode: "quiet" }));
        await h.run(MONDAY_EVENING);
        const refused = await h.attempt(TUESDAY);
        assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused} (${JSON.stringify(h.backend.liveMarkers())})`);
        assert.match(refused.message, /users: the final snapshot its last deletion took is unknown: the teardown's destroy deleted it, but none of its engine events says/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
        await h.run(TUESDAY, { restore: { users: { id: "users-final", config: {} } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });
});
