/**
 * The reconciler end to end through the real Automation API, with the `pulumi`
 * binary replaced by the fake CLI (scheduler/testing/fake/) at the process boundary.
 */
import * as assert from "assert";
import * as os from "os";
import { ScheduleConfig } from "../stacks/config/schedule";
import { StackState } from "./decide";
import { LEASE_TAG, LOST_TAG } from "./lease";
import { ReconcileOptions, RefusedError, actionFor, reconcile } from "./reconciler";
import { Observed } from "./state";
import { PulumiUnavailableError, ReconcileError } from "./stackOps";
import { FakeBackend } from "./testing/fakeBackend";

const SATURDAY = new Date("2026-11-28T10:00:00Z");
const MONDAY = new Date("2026-11-30T06:30:00Z");
const CLUSTER = "urn:pulumi:dev::intergalactic::intergalactic:index:HaMongo$aws:docdb/cluster:Cluster::users-data";
const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};

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
    let backend: FakeBackend;
    let lines: string[];
    let sleeps: number[];
    const options = (now: Date, extra: Partial<ReconcileOptions> = {}): ReconcileOptions => ({
        stackName: "dev", workDir: backend.workDir, pulumiRoot: backend.root, envVars: {},
        schedule, environment: "dev", now, dryRun: false,
        dataStores: backend.read().program.dataStores.map((d) => d.name),
        log: (line) => lines.push(line),
        sleep: async (ms) => void sleeps.push(ms),
        clock: () => now,
        leaseSettleMs: 0,
        // A new stack's spin-up starts its stores empty only when the cloud keeps no snapshot of them.
        inventory: backend.inventory(),
        ...extra,
    });
    const log = () => lines.join("\n");

    beforeEach(() => {
        backend = new FakeBackend();
        lines = [];
        sleeps = [];
    });
    afterEach(() => backend.cleanup());

    it("spins a down stack up on a working morning, and a second run changes nothing", async () => {
        const first = await reconcile(options(MONDAY));
        assert.strictEqual(first.action, "spin-up");
        assert.deepStrictEqual(backend.mutations(), ["up"]);
        assert.match(log(), /it should be up: Monday 07:30 is inside the working hours/);

        const second = await reconcile(options(new Date(MONDAY.getTime() + 60_000)));
        assert.strictEqual(second.action, "none");
        assert.strictEqual(second.observed, "up");
        assert.deepStrictEqual(backend.mutations(), ["up"]);
        assert.match(log(), /nothing to do: the stack is already up/);
        // Only the spin-up's preview subscribes to engine events (an event log here, a gRPC stream above CLI 3.205);
        // the `up` itself asks for none.
        assert.ok(backend.calls().some((c) => c[0] === "preview" && c.includes("--event-log")));
        assert.ok(!backend.calls().some((c) => c[0] === "up" && c.includes("--event-log")));
    });

    it("tears an up stack down with final snapshots named for this teardown, and the next spin-up restores them", async () => {
        await backend.markUp("M1");
        const teardown = await reconcile(options(SATURDAY));
        assert.strictEqual(teardown.action, "teardown");
        assert.deepStrictEqual(teardown.snapshots, { users: "users-td-20261128t1000z" });
        // The suffix reaches the state through an `up` before the destroy, which then takes the snapshot.
        assert.deepStrictEqual(backend.mutations(), ["up", "up", "destroy"]);
        assert.deepStrictEqual(backend.lastUpConfig()["intergalactic:snapshots"], { finalSnapshotSuffix: "td-20261128t1000z" });
        assert.deepStrictEqual(backend.config(backend.workDir), backend.committed, "the working copy is left as checked out");
        assert.strictEqual(backend.read().stacks.dev.resources.length, 0);
        assert.match(log(), /teardown: users takes final snapshot users-td-20261128t1000z/);
        assert.match(log(), /teardown: done, the stack holds no resources/);

        // Another runner: a fresh checkout, nothing of the first run's working copy.
        const again = await reconcile(options(new Date(SATURDAY.getTime() + 3_600_000), { workDir: backend.checkout() }));
        assert.strictEqual(again.action, "none");

        const spinUp = await reconcile(options(MONDAY, { workDir: backend.checkout() }));
        assert.strictEqual(spinUp.action, "spin-up");
        assert.deepStrictEqual(spinUp.snapshots, { users: "users-td-20261128t1000z" });
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
        assert.match(log(), /spin-up: users restores from snapshot users-td-20261128t1000z/);
    });

    it("gives a restore the retained key its state names (kmsKeyId), so the restored cluster adopts the key its snapshot is encrypted with", async () => {
        backend.edit((s) => Object.assign(s.program.dataStores[0], { encryptionKeyArn: "arn:aws:kms:us-east-1:111122223333:key/users" }));
        await backend.markUp("M1");
        await reconcile(options(SATURDAY));
        const workDir = backend.checkout();
        await reconcile(options(MONDAY, { workDir }));
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
        const config = backend.lastUpConfig();
        assert.deepStrictEqual(backend.config(workDir), backend.committed, "the working copy is left as checked out");
        assert.deepStrictEqual(config["intergalactic:snapshots"], {
            finalSnapshotSuffix: "up-20261130t0630z", restore: { users: "users-td-20261128t1000z" }, encryptionKeys: { users: "arn:aws:kms:us-east-1:111122223333:key/users" },
        });
        assert.strictEqual(config["intergalactic:mongo"], undefined, "DocumentDB restores a snapshot as a whole, with no point in time");
    });

    it("refuses a prod stack before running any pulumi command", async () => {
        const error = await reconcile(options(MONDAY, { environment: "prod" })).catch((e) => e);
        assert.ok(error instanceof RefusedError);
        assert.match(error.message, /refusing stack dev: its environment is prod/);
        const unmarked = await reconcile(options(MONDAY, { schedule: { ...schedule, schedulable: false } })).catch((e) => e);
        assert.ok(unmarked instanceof RefusedError);
        assert.match(unmarked.message, /intergalactic:schedule.schedulable is not true/);
        assert.deepStrictEqual(backend.calls(), []);
    });

    it("cancels a lock left by a crashed run, clears its pending create and finishes the teardown", async () => {
        await backend.markUp();
        backend.edit((s) => {
            s.stacks.dev.lock = { owner: "runner@ci-host", pid: 4242, since: "2026-11-28T07:00:00Z" };
            // A scheduler run on ci-host crashed holding the lease and the lock.
            s.stacks.dev.tags[LEASE_TAG] = JSON.stringify({ run: "r1", owner: "runner@ci-host", host: "ci-host", pid: 4100, since: "2026-11-28T06:59:00Z" });
            s.stacks.dev.pending = [{ urn: "urn:pulumi:dev::intergalactic::aws:ec2/subnet:Subnet::net-app-a", type: "creating" }];
        });
        const result = await reconcile(options(SATURDAY));
        assert.strictEqual(result.action, "teardown");
        assert.deepStrictEqual(backend.mutations().slice(1), ["refresh", "cancel", "refresh", "up", "destroy"]);
        assert.ok(backend.calls().some((c) => c[0] === "refresh" && c.includes("--clear-pending-creates")));
        assert.match(log(), /lock: held by runner@ci-host \(pid 4242\) since 2026-11-28T07:00:00.000Z: stale, it is 180 min old/);
        assert.match(log(), /recovery: cancelling the stale lock/);
        assert.match(log(), /recovery:   creating urn:pulumi:dev::intergalactic::aws:ec2\/subnet:Subnet::net-app-a/);
        assert.match(log(), /if it exists in the cloud it is no longer managed/);
        assert.strictEqual(backend.read().stacks.dev.resources.length, 0);
    });

    it("does not cancel a lock a live run may hold: it waits with backoff and then fails with the reason", async () => {
        await backend.markUp();
        // A scheduler run's lock (alice ran it from her laptop): judged by its age.
        backend.edit((s) => {
            s.stacks.dev.lock = { owner: "alice@laptop", pid: 77, since: "2026-11-28T09:55:00Z" };
            s.stacks.dev.tags[LOST_TAG] = JSON.stringify([["alice@laptop", Date.parse("2026-11-28T09:50:00Z") / 1000, Date.parse("2026-11-28T10:00:00Z") / 1000]]);
        });
        const error = await reconcile(options(SATURDAY, { retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 } })).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /locked by a run that may still be going; not cancelling it/);
        assert.deepStrictEqual(sleeps, [1000, 3000]);
        assert.ok(!backend.calls().some((c) => c[0] === "cancel"));
        assert.ok(!backend.mutations().includes("destroy"));
        assert.match(log(), /live, it is 5 min old, so its run may still be going/);
    });

    it("measures a lock's age on the real clock: a --now far in the future does not make a fresh lock stale", async () => {
        await backend.markUp();
        const taken = new Date("2026-11-28T09:55:00Z");
        // A scheduler run's lock (alice ran it from her laptop): judged by its age.
        backend.edit((s) => {
            s.stacks.dev.lock = { owner: "alice@laptop", pid: 77, since: taken.toISOString() };
            s.stacks.dev.tags[LOST_TAG] = JSON.stringify([["alice@laptop", Date.parse("2026-11-28T09:50:00Z") / 1000, Date.parse("2026-11-28T10:00:00Z") / 1000]]);
        });
        const nextYear = new Date("2027-11-27T10:00:00Z");
        const error = await reconcile(options(nextYear, { clock: () => new Date(taken.getTime() + 5 * 60_000), retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(log(), /live, it is 5 min old/);
        assert.ok(!backend.calls().some((c) => c[0] === "cancel"));
    });

    it("never cancels a lock whose process still runs on this host, however old the lock", async () => {
        await backend.markUp();
        // Taken by this very process (it started before the lock), a day ago on the real clock.
        const taken = new Date();
        backend.edit((s) => void (s.stacks.dev.lock = { owner: `ci@${os.hostname()}`, pid: process.pid, since: taken.toISOString() }));
        const dayLater = () => new Date(taken.getTime() + 24 * 3_600_000);
        const error = await reconcile(options(SATURDAY, { clock: dayLater, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(log(), new RegExp(`live, its process ${process.pid} still runs on this host`));
        assert.ok(!backend.calls().some((c) => c[0] === "cancel"));
        assert.ok(!backend.mutations().includes("destroy"));
    });

    it("says in one sentence that the Pulumi CLI is missing or not logged in", async () => {
        const missing = await reconcile(options(MONDAY, { pulumiRoot: `${backend.root}/nowhere` })).catch((e) => e);
        assert.ok(missing instanceof PulumiUnavailableError);
        assert.match(missing.message, /^the Pulumi CLI cannot run \(.*nowhere\/bin\/pulumi: it is not installed\); install it/);
        assert.doesNotMatch(missing.message, /\n/);
        backend.edit((s) => void (s.loggedIn = false));
        const loggedOut = await reconcile(options(MONDAY)).catch((e) => e);
        assert.ok(loggedOut instanceof PulumiUnavailableError);
        assert.strictEqual(loggedOut.message, "the Pulumi CLI is not logged in to a backend (error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions); set PULUMI_ACCESS_TOKEN or run `pulumi login` first");
    });

    it("reports a failed destroy and the resources it left instead of hiding them", async () => {
        await backend.markUp();
        backend.edit((s) => s.failures.push({
            command: "destroy", times: 1, mode: "fail", keep: [CLUSTER],
            stderr: `error: deleting ${CLUSTER}: operation error RDS: DeleteDBCluster, InvalidParameterCombination: Cannot delete protected Cluster`,
        }));
        const error = await reconcile(options(SATURDAY)).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /teardown failed:\n  error: deleting .*Cannot delete protected Cluster/);
        assert.match(error.message, /the stack still holds \d+ resource\(s\):\n(.|\n)*users-data/);
    });

    it("retries a transient failure with backoff and then succeeds", async () => {
        backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "fail", stderr: "error: [503] Service Unavailable: please retry" }));
        const result = await reconcile(options(MONDAY));
        assert.strictEqual(result.action, "spin-up");
        assert.deepStrictEqual(backend.mutations(), ["up", "up"]);
        assert.deepStrictEqual(sleeps, [15_000]);
        assert.match(log(), /spin-up: attempt 1 failed \(error: \[503\] Service Unavailable: please retry\); retrying in 15 s/);
    });

    it("never creates a missing stack: it fails and says which", async () => {
        backend.edit((s) => void (s.stacks = {}));
        const error = await reconcile(options(MONDAY)).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /selecting the stack failed:\n  error: no stack named 'dev' found/);
        assert.ok(!backend.calls().some((c) => c[0] === "stack" && c[1] === "init"));
    });

    it("does not retry a failure that is not transient", async () => {
        backend.edit((s) => s.failures.push({ command: "up", times: 5, mode: "fail", stderr: "error: Invalid arguments for Vpc3Az \"net\"" }));
        const error = await reconcile(options(MONDAY)).catch((e) => e);
        assert.ok(error instanceof ReconcileError);
        assert.match(error.message, /spin-up failed:\n  error: Invalid arguments for Vpc3Az "net"/);
        assert.deepStrictEqual(backend.mutations(), ["up"]);
        assert.deepStrictEqual(sleeps, []);
    });
});
