/**
 * The reconciler end to end through the real Automation API, with the `pulumi`
 * binary replaced by the fake CLI (scheduler/testing/fake/) at the process boundary.
 */
import * as assert from "assert";
import * as os from "os";
import { StackState } from "./decide";
import { LEASE_TAG, LOST_TAG } from "./lease";
import { RefusedError, actionFor } from "./reconciler";
import { Observed } from "./state";
import { PulumiUnavailableError, ReconcileError } from "./stackOps";
import { Harness, MONDAY, SATURDAY, WEEKDAYS, harness } from "./testing/harness";

const CLUSTER = "urn:pulumi:dev::intergalactic::intergalactic:index:HaMongo$aws:docdb/cluster:Cluster::users-data";

describe("actionFor", () => {
    it("acts only when the stack is not already in the wanted state", () => {
        const table: [StackState, Observed, string][] = [
            ["up", "down", "spin-up"], ["up", "partial", "spin-up"], ["up", "up", "none"], ["up", "unknown", "spin-up"],
            ["down", "up", "teardown"], ["down", "partial", "teardown"], ["down", "down", "none"], ["down", "unknown", "teardown"],
        ];
        for (const [desired, observed, action] of table) assert.strictEqual(actionFor(desired, observed), action, `${desired} ${observed}`);
    });
});

describe("reconcile against a fake pulumi CLI", function () {
    this.timeout(120_000);
    let h: Harness;
    // A new stack unless a test's person brings it up first (markUp); every run uses the first working copy, so a
    // test can check it is left as checked out, and a new stack's spin-up starts its stores empty only when the
    // cloud keeps no snapshot of them (the inventory).
    beforeEach(async () => {
        h = await harness({ marker: null, base: (b) => ({ workDir: b.workDir, inventory: b.inventory(), retry: undefined }) });
    });
    afterEach(() => h.cleanup());

    it("spins a down stack up on a working morning, and a second run changes nothing", async () => {
        const first = await h.run(MONDAY);
        assert.strictEqual(first.action, "spin-up");
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
        assert.match(h.log(), /it should be up: Monday 07:30 is inside the working hours/);

        const second = await h.run(new Date(MONDAY.getTime() + 60_000));
        assert.strictEqual(second.action, "none");
        assert.strictEqual(second.observed, "up");
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
        assert.match(h.log(), /nothing to do: the stack is already up/);
        // Only the spin-up's preview subscribes to engine events (an event log here, a gRPC stream above CLI 3.205);
        // the `up` itself asks for none.
        assert.ok(h.backend.calls().some((c) => c[0] === "preview" && c.includes("--event-log")));
        assert.ok(!h.backend.calls().some((c) => c[0] === "up" && c.includes("--event-log")));
    });

    it("tears an up stack down with final snapshots named for this teardown, and the next spin-up restores them", async () => {
        await h.backend.markUp("M1");
        const teardown = await h.run(SATURDAY);
        assert.strictEqual(teardown.action, "teardown");
        assert.deepStrictEqual(teardown.snapshots, { users: "users-td-20261128t1000z-dev" });
        // The suffix reaches the state through an `up` before the destroy, which then takes the snapshot.
        assert.deepStrictEqual(h.backend.mutations(), ["up", "up", "destroy"]);
        assert.deepStrictEqual(h.backend.lastUpConfig()["intergalactic:snapshots"], { finalSnapshotSuffix: "td-20261128t1000z-dev" });
        assert.deepStrictEqual(h.backend.config(h.backend.workDir), h.backend.committed, "the working copy is left as checked out");
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
        assert.match(h.log(), /teardown: users takes final snapshot users-td-20261128t1000z-dev/);
        assert.match(h.log(), /teardown: done, the stack holds no resources/);

        // Another runner: a fresh checkout, nothing of the first run's working copy.
        const again = await h.run(new Date(SATURDAY.getTime() + 3_600_000), { workDir: h.backend.checkout() });
        assert.strictEqual(again.action, "none");

        const spinUp = await h.run(MONDAY, { workDir: h.backend.checkout() });
        assert.strictEqual(spinUp.action, "spin-up");
        assert.deepStrictEqual(spinUp.snapshots, { users: "users-td-20261128t1000z-dev" });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        assert.match(h.log(), /spin-up: users restores from snapshot users-td-20261128t1000z-dev/);
    });

    it("gives a restore the retained key its state names (kmsKeyId), so the restored cluster adopts the key its snapshot is encrypted with", async () => {
        h.backend.edit((s) => Object.assign(s.program.dataStores[0], { encryptionKeyArn: "arn:aws:kms:us-east-1:111122223333:key/users" }));
        await h.backend.markUp("M1");
        await h.run(SATURDAY);
        const workDir = h.backend.checkout();
        await h.run(MONDAY, { workDir });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        const config = h.backend.lastUpConfig();
        assert.deepStrictEqual(h.backend.config(workDir), h.backend.committed, "the working copy is left as checked out");
        assert.deepStrictEqual(config["intergalactic:snapshots"], {
            finalSnapshotSuffix: "up-20261130t0630z-dev", restore: { users: "users-td-20261128t1000z-dev" }, encryptionKeys: { users: "arn:aws:kms:us-east-1:111122223333:key/users" },
        });
        assert.strictEqual(config["intergalactic:mongo"], undefined, "DocumentDB restores a snapshot as a whole, with no point in time");
    });

    it("refuses a prod stack before running any pulumi command", async () => {
        const error = await h.run(MONDAY, { environment: "prod" }).catch((e) => e);
        assert.ok(error instanceof RefusedError);
        assert.match(error.message, /refusing stack dev: its environment is prod/);
        const unmarked = await h.run(MONDAY, { schedule: { ...WEEKDAYS, schedulable: false } }).catch((e) => e);
        assert.ok(unmarked instanceof RefusedError);
        assert.match(unmarked.message, /intergalactic:schedule.schedulable is not true/);
        assert.deepStrictEqual(h.backend.calls(), []);
    });

    it("cancels a lock left by a crashed run, clears its pending create and finishes the teardown", async () => {
        await h.backend.markUp();
        h.backend.edit((s) => {
            s.stacks.dev.lock = { owner: "runner@ci-host", pid: 4242, since: "2026-11-28T07:00:00Z" };
            // A scheduler run on ci-host crashed holding the lease and the lock.
            s.stacks.dev.tags[LEASE_TAG] = JSON.stringify({ run: "r1", owner: "runner@ci-host", host: "ci-host", pid: 4100, since: "2026-11-28T06:59:00Z" });
            s.stacks.dev.pending = [{ urn: "urn:pulumi:dev::intergalactic::aws:ec2/subnet:Subnet::net-app-a", type: "creating" }];
        });
        const result = await h.run(SATURDAY);
        assert.strictEqual(result.action, "teardown");
        assert.deepStrictEqual(h.backend.mutations().slice(1), ["refresh", "cancel", "refresh", "up", "destroy"]);
        assert.ok(h.backend.calls().some((c) => c[0] === "refresh" && c.includes("--clear-pending-creates")));
        assert.match(h.log(), /lock: held by runner@ci-host \(pid 4242\) since 2026-11-28T07:00:00.000Z: stale, it is 180 min old/);
        assert.match(h.log(), /recovery: cancelling the stale lock/);
        assert.match(h.log(), /recovery:   creating urn:pulumi:dev::intergalactic::aws:ec2\/subnet:Subnet::net-app-a/);
        assert.match(h.log(), /if it exists in the cloud it is no longer managed/);
        assert.strictEqual(h.backend.read().stacks.dev.resources.length, 0);
    });

    it("does not cancel a lock a live run may hold: it waits with backoff and then fails with the reason", async () => {
        await h.backend.markUp();
        // A scheduler run's lock (alice ran it from her laptop): judged by its age.
        h.backend.edit((s) => {
            s.stacks.dev.lock = { owner: "alice@laptop", pid: 77, since: "2026-11-28T09:55:00Z" };
            s.stacks.dev.tags[LOST_TAG] = JSON.stringify([["alice@laptop", Date.parse("2026-11-28T09:50:00Z") / 1000, Date.parse("2026-11-28T10:00:00Z") / 1000]]);
        });
        const error = await h.run(SATURDAY, { retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 } }).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /locked by a run that may still be going; not cancelling it/);
        assert.deepStrictEqual(h.sleeps, [1000, 3000]);
        assert.ok(!h.backend.calls().some((c) => c[0] === "cancel"));
        assert.ok(!h.backend.mutations().includes("destroy"));
        assert.match(h.log(), /live, it is 5 min old, so its run may still be going/);
    });

    it("measures a lock's age on the real clock: a --now far in the future does not make a fresh lock stale", async () => {
        await h.backend.markUp();
        const taken = new Date("2026-11-28T09:55:00Z");
        // A scheduler run's lock (alice ran it from her laptop): judged by its age.
        h.backend.edit((s) => {
            s.stacks.dev.lock = { owner: "alice@laptop", pid: 77, since: taken.toISOString() };
            s.stacks.dev.tags[LOST_TAG] = JSON.stringify([["alice@laptop", Date.parse("2026-11-28T09:50:00Z") / 1000, Date.parse("2026-11-28T10:00:00Z") / 1000]]);
        });
        const nextYear = new Date("2027-11-27T10:00:00Z");
        const error = await h.run(nextYear, { clock: () => new Date(taken.getTime() + 5 * 60_000), retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(h.log(), /live, it is 5 min old/);
        assert.ok(!h.backend.calls().some((c) => c[0] === "cancel"));
    });

    it("never cancels a lock whose process still runs on this host, however old the lock", async () => {
        await h.backend.markUp();
        // Taken by this very process (it started before the lock), a day ago on the real clock.
        const taken = new Date();
        h.backend.edit((s) => void (s.stacks.dev.lock = { owner: `ci@${os.hostname()}`, pid: process.pid, since: taken.toISOString() }));
        const dayLater = () => new Date(taken.getTime() + 24 * 3_600_000);
        const error = await h.run(SATURDAY, { clock: dayLater, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(h.log(), new RegExp(`live, its process ${process.pid} still runs on this host`));
        assert.ok(!h.backend.calls().some((c) => c[0] === "cancel"));
        assert.ok(!h.backend.mutations().includes("destroy"));
    });

    it("says in one sentence that the Pulumi CLI is missing or not logged in", async () => {
        const missing = await h.run(MONDAY, { pulumiRoot: `${h.backend.root}/nowhere` }).catch((e) => e);
        assert.ok(missing instanceof PulumiUnavailableError);
        assert.match(missing.message, /^the Pulumi CLI cannot run \(.*nowhere\/bin\/pulumi: it is not installed\); install it/);
        assert.doesNotMatch(missing.message, /\n/);
        h.backend.edit((s) => void (s.loggedIn = false));
        const loggedOut = await h.run(MONDAY).catch((e) => e);
        assert.ok(loggedOut instanceof PulumiUnavailableError);
        assert.strictEqual(loggedOut.message, "the Pulumi CLI is not logged in to a backend (error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions); set PULUMI_ACCESS_TOKEN or run `pulumi login` first");
    });

    it("reports a failed destroy and the resources it left instead of hiding them", async () => {
        await h.backend.markUp();
        h.backend.edit((s) => s.failures.push({
            command: "destroy", times: 1, mode: "fail", keep: [CLUSTER],
            stderr: `error: deleting ${CLUSTER}: operation error RDS: DeleteDBCluster, InvalidParameterCombination: Cannot delete protected Cluster`,
        }));
        const error = await h.run(SATURDAY).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /teardown failed:\n  error: deleting .*Cannot delete protected Cluster/);
        assert.match(error.message, /the stack still holds \d+ resource\(s\):\n(.|\n)*users-data/);
    });

    it("retries a transient failure with backoff and then succeeds", async () => {
        h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "fail", stderr: "error: [503] Service Unavailable: please retry" }));
        const result = await h.run(MONDAY);
        assert.strictEqual(result.action, "spin-up");
        assert.deepStrictEqual(h.backend.mutations(), ["up", "up"]);
        assert.deepStrictEqual(h.sleeps, [15_000]);
        assert.match(h.log(), /spin-up: attempt 1 failed \(error: \[503\] Service Unavailable: please retry\); retrying in 15 s/);
    });

    it("never creates a missing stack: it fails and says which", async () => {
        h.backend.edit((s) => void (s.stacks = {}));
        const error = await h.run(MONDAY).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /selecting the stack failed:\n  error: no stack named 'dev' found/);
        assert.ok(!h.backend.calls().some((c) => c[0] === "stack" && c[1] === "init"));
    });

    it("does not retry a failure that is not transient", async () => {
        h.backend.edit((s) => s.failures.push({ command: "up", times: 5, mode: "fail", stderr: "error: Invalid arguments for Vpc3Az \"net\"" }));
        const error = await h.run(MONDAY).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /spin-up failed:\n  error: Invalid arguments for Vpc3Az "net"/);
        assert.deepStrictEqual(h.backend.mutations(), ["up"]);
        assert.deepStrictEqual(h.sleeps, []);
    });
});
