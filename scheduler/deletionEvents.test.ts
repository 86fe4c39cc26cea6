/**
 * What a teardown's deletions took is read from its destroy's own engine events (deletions.ts), not from the
 * name the record armed before it: Pulumi's lock covers one command, so a person's `up` can run between the
 * teardown's snapshot-naming `up` and its destroy, and on a self-managed backend an `up` from a machine whose
 * clock is behind is listed among the older history entries, so no history check sees it. Each test follows the
 * data marker from Monday's work to the next spin-up.
 */
import * as assert from "assert";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { DeletionLog } from "./deletions";
import { ReconcileError } from "./stackOps";
import { CLI_VERSIONS, COSMOS, FakeBackend, FakeState, VPC } from "./testing/fakeBackend";
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
        const teardownUp = history.findIndex((e) => /final snapshot suffix td-20261130t1800z-dev/.test(e.message));
        assert.ok(person > teardownUp, "the backend lists the person's up as older than the teardown's up (its file name carries the slow clock)");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-final"]?.marker, "M2", "the destroy took main's name");
        assert.strictEqual(h.backend.read().cloud.snapshots["users-td-20261130t1800z-dev"], undefined, "the armed name was never taken");

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

/**
 * A step event never carries a secret's value: the CLI serialises step state with the blinding encrypter and no
 * plaintext (pulumi/pulumi pkg/backend/display/events.go convertStepEventStateMetadata), and `stack export
 * --show-secrets` wraps it with its plaintext. A masked final snapshot or restore source is unknown lineage.
 */
describe("secrets in a delete step's state", function () {
    this.timeout(180_000);
    const SIG = "4dabf18193072939515e22adb298388d";
    const masked = { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };
    const shown = (v: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(v) });
    const deleted = (type: string, props: Record<string, unknown>) => {
        const log = new DeletionLog();
        const old = { type, urn: `urn:pulumi:dev::intergalactic::${type}::x`, id: "x-1", parent: "urn:pulumi:dev::intergalactic::intergalactic:index:Store::users", inputs: props, outputs: props };
        log.onEvent({ sequence: 1, timestamp: 0, resOutputsEvent: { metadata: { op: "delete", urn: old.urn, type, old, new: undefined, provider: "" } } } as unknown as EngineEvent);
        return log.deletions().get("users")!.facts;
    };
    const DOCDB = "aws:docdb/cluster:Cluster";
    const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

    it("a masked final snapshot name is unknown, never a snapshot called [secret] nor no snapshot at all", () => {
        for (const name of [masked, "[secret]"]) {
            const docdb = deleted(DOCDB, { skipFinalSnapshot: false, finalSnapshotIdentifier: name });
            assert.strictEqual(docdb.finalSnapshot, "?");
            assert.match(docdb.why, /^finalSnapshotIdentifier is masked as a secret \(urn:/);
            assert.strictEqual(deleted(REDIS, { finalSnapshotIdentifier: name }).finalSnapshot, "?");
        }
        // A masked key: the snapshot is named, but what restoring it needs is not.
        assert.strictEqual(deleted(DOCDB, { skipFinalSnapshot: false, finalSnapshotIdentifier: "users-final", kmsKeyId: masked }).finalSnapshot, "?");
        assert.strictEqual(deleted(DOCDB, { skipFinalSnapshot: true, kmsKeyId: masked }).finalSnapshot, "", "no final snapshot needs no key");
    });

    it("a masked restored-from value is unknown lineage, never created empty nor restored from [secret]", () => {
        for (const from of [masked, "[secret]"]) {
            assert.strictEqual(deleted(DOCDB, { skipFinalSnapshot: true, snapshotIdentifier: from }).restoredFrom, "?");
            assert.strictEqual(deleted(REDIS, { snapshotName: from }).restoredFrom, "?");
            const cosmos = deleted(COSMOS, { createMode: "Restore", restoreParameters: { restoreSource: from }, backupPolicy: { type: "Periodic" } });
            assert.strictEqual(cosmos.restoredFrom, "?");
            assert.strictEqual(deleted(COSMOS, { createMode: from, backupPolicy: { type: "Periodic" } }).restoredFrom, "?");
        }
        assert.strictEqual(deleted(COSMOS, { createMode: "Default", backupPolicy: masked }).finalSnapshot, "?", "a masked backup policy may be continuous");
    });

    it("a secret the source shows is read as its plaintext", () => {
        const facts = deleted(REDIS, { finalSnapshotIdentifier: shown("cache-final"), snapshotName: shown("cache-td-20261127t1800z") });
        assert.deepStrictEqual([facts.finalSnapshot, facts.restoredFrom, facts.why], ["cache-final", "cache-td-20261127t1800z", ""]);
    });

    for (const transport of ["file", "grpc"] as const) it(`end to end over ${transport === "file" ? "an event-log file" : "gRPC"}: a program that marks the final snapshot names secret tears down, and the spin-up asks instead of starting the stores empty`, async () => {
        const h = await afterMondaysWork({ edit: (s) => {
            s.version = CLI_VERSIONS[transport];
            s.program.dataStores.push(CACHE);
        } });
        try {
            h.backend.edit((s) => void (s.secretProperties = ["finalSnapshotIdentifier"]));
            await h.run(MONDAY_EVENING);
            assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
            assert.strictEqual(h.backend.read().cloud.snapshots["cache-td-20261130t1800z-dev"]?.marker, "M2", "the deletion took the name the state holds");
            const refused = await h.attempt(TUESDAY);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused} (${JSON.stringify(h.backend.liveMarkers())})`);
            for (const store of ["users", "cache"]) assert.match(refused.message, new RegExp(`${store}: the final snapshot its last deletion took is unknown: .*\\(finalSnapshotIdentifier is masked as a secret`));
            assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
            await h.run(TUESDAY, { restore: { users: { id: "users-td-20261130t1800z-dev", config: {} }, cache: { id: "cache-td-20261130t1800z-dev", config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2", cache: "M2" });
        } finally {
            h.cleanup();
        }
    });
});
