import * as assert from "assert";
import { lostRunsOf, lostRunsTag } from "./lease";
import { lockHoldersFromError, staleness } from "./locks";
import { backoffMs, isTransient } from "./retry";
import { errorSummary } from "./stackOps";

const LOCKED = "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
    "  s3://state/.pulumi/locks/organization/intergalactic/dev/ec3a.json: created by runner@ip-10-0-42-235.ec2.internal (pid 478) at 2026-11-28T08:31:35Z";
const now = new Date("2026-11-28T10:00:00Z");

describe("locks", () => {
    it("reads the holder of a self-managed backend's lock from its error", () => {
        const [holder] = lockHoldersFromError(LOCKED);
        assert.strictEqual(holder.owner, "runner@ip-10-0-42-235.ec2.internal");
        assert.strictEqual(holder.pid, 478);
        assert.strictEqual(holder.since?.toISOString(), "2026-11-28T08:31:35.000Z");
        assert.strictEqual(holder.lockFile, "s3://state/.pulumi/locks/organization/intergalactic/dev/ec3a.json");
    });

    it("reads each holder once from an error that quotes the command's stderr twice", () => {
        const quoted = `code: 255\n stdout: \n stderr: ${LOCKED}\n\nerr?: Error: failed\n${LOCKED}`;
        assert.strictEqual(lockHoldersFromError(quoted).length, 1);
        const two = LOCKED.replace("1 lock(s)", "2 lock(s)") + "\n  s3://state/.pulumi/locks/organization/intergalactic/dev/f00d.json: created by anna@laptop (pid 9) at 2026-11-28T09:00:00Z";
        assert.deepStrictEqual(lockHoldersFromError(`${two}\n${two}`).map((h) => h.lockFile?.split("/").pop()), ["ec3a.json", "f00d.json"]);
    });

    it("calls a lock stale when it is older than any run may last", () => {
        const [holder] = lockHoldersFromError(LOCKED);
        assert.strictEqual(staleness(holder, { now, staleAfterMinutes: 60, hostname: "other" }).stale, true);
        assert.strictEqual(staleness(holder, { now, staleAfterMinutes: 120, hostname: "other" }).stale, false);
    });

    it("never calls a young self-managed lock from this hostname stale because its pid is gone here: a container or host-network pod of that name may run it", () => {
        const [holder] = lockHoldersFromError(LOCKED);
        const here = { now, staleAfterMinutes: 120, hostname: "ip-10-0-42-235.ec2.internal" };
        assert.deepStrictEqual(staleness(holder, { ...here, pidAlive: () => false }), {
            stale: false,
            why: "pid 478 does not run here, but another machine or container named ip-10-0-42-235.ec2.internal may run it, so it is 88 min old, so its run may still be going (stale after 120 min)",
        });
        assert.strictEqual(staleness(holder, { ...here, pidAlive: () => true, startedAt: () => new Date("2026-11-28T08:00:00Z") }).stale, false);
        // Once older than any run, it is stale by age alone.
        const later = new Date(holder.since!.getTime() + 121 * 60_000);
        assert.strictEqual(staleness(holder, { ...here, now: later, pidAlive: () => false }).stale, true);
    });

    it("judges a self-managed lock by age when its pid here belongs to a process started after the lock was taken", () => {
        const [holder] = lockHoldersFromError(LOCKED);
        const here = { staleAfterMinutes: 120, hostname: "ip-10-0-42-235.ec2.internal", pidAlive: () => true, startedAt: () => new Date("2026-11-28T09:00:00Z") };
        assert.strictEqual(staleness(holder, { ...here, now }).stale, false);
        const verdict = staleness(holder, { ...here, now: new Date("2026-11-28T11:00:00Z") });
        assert.deepStrictEqual(verdict, { stale: true, why: "pid 478 here started after the lock was taken, and it is 148 min old, longer than any run may last (120 min)" });
    });

    it("never calls a lock held by a live process on this host stale, however old it is", () => {
        const [holder] = lockHoldersFromError(LOCKED);
        const dayLater = new Date(holder.since!.getTime() + 24 * 3_600_000);
        const verdict = staleness(holder, { now: dayLater, staleAfterMinutes: 120, hostname: "ip-10-0-42-235.ec2.internal", pidAlive: () => true, startedAt: () => new Date("2026-11-28T08:00:00Z") });
        assert.deepStrictEqual(verdict, { stale: false, why: "its process 478 still runs on this host" });
    });

    it("never calls a lock stale when the backend does not say when it was taken", () => {
        const verdict = staleness({ owner: "an update in progress", host: "", pid: 0, since: undefined }, { now, staleAfterMinutes: 1 });
        assert.deepStrictEqual(verdict, { stale: false, why: "the backend does not say when it was taken" });
    });
});

describe("a self-managed lock and the runs lost holding the lease", () => {
    const anna = { owner: "anna@annas-macbook", host: "annas-macbook", pid: 4242, since: new Date("2026-11-30T15:20:00Z") };
    const now = new Date("2026-11-30T18:00:00Z");

    it("keeps the live lock of a person who ran the scheduler by hand earlier that day: their run was not lost", () => {
        // Anna's manual run in the morning ended and released its lease: nothing names her run as lost.
        const s = staleness(anna, { now, staleAfterMinutes: 120, lostRuns: [] });
        assert.strictEqual(s.stale, false, s.why);
    });

    it("keeps it too when a run of hers was lost before she took this lock", () => {
        const lostRuns = lostRunsOf({ "intergalactic:scheduler.lost": lostRunsTag([{ owner: anna.owner, since: new Date("2026-11-30T09:00:00Z"), until: new Date("2026-11-30T11:00:00Z") }]) });
        const s = staleness(anna, { now, staleAfterMinutes: 120, lostRuns });
        assert.strictEqual(s.stale, false, s.why);
    });

    it("ages out a lock taken while a lost run held the lease", () => {
        const lostRuns = [{ owner: anna.owner, since: new Date("2026-11-30T15:19:00Z"), until: new Date("2026-11-30T18:00:00Z") }];
        const s = staleness(anna, { now, staleAfterMinutes: 120, lostRuns });
        assert.strictEqual(s.stale, true, s.why);
        assert.match(s.why, /160 min old/);
    });
});

describe("lock holders on Pulumi Cloud and in containers", () => {
    const old = new Date(now.getTime() - 5 * 3_600_000);
    it("never calls a Pulumi Cloud update the scheduler did not start stale, however old", () => {
        const person = { owner: "an update in progress (update #41)", host: "", pid: 0, since: old, message: "restoring users by hand" };
        const verdict = staleness(person, { now, staleAfterMinutes: 120 });
        assert.strictEqual(verdict.stale, false);
        assert.match(verdict.why, /an update the scheduler did not start \("restoring users by hand"\), which only a person may cancel/);
        assert.strictEqual(staleness({ ...person, message: "scheduler: spin-up at 2026-11-28T06:00:00.000Z" }, { now, staleAfterMinutes: 120 }).stale, true);
    });

    it("trusts a lease holder's pid only in the same boot and pid namespace, and only with the same start time", () => {
        const holder = { owner: "runner@ci", host: "ci", pid: 42, since: old, ns: "boot-1/pid:[4026531836]", start: "1000" };
        const here = { now, staleAfterMinutes: 120, hostname: "ci", ns: "boot-1/pid:[4026531836]" };
        assert.deepStrictEqual(staleness(holder, { ...here, startOf: () => "1000" }), { stale: false, why: "its process 42 still runs here" });
        assert.deepStrictEqual(staleness(holder, { ...here, startOf: () => "2000" }), { stale: true, why: "its process 42 no longer runs here (the pid now belongs to another process)" });
        // A sibling container with the same fixed hostname: its pid means nothing here, so only the age counts.
        const sibling = { ...here, ns: "boot-1/pid:[4026532999]", pidAlive: () => false, startOf: () => undefined };
        const young = staleness({ ...holder, since: new Date(now.getTime() - 10 * 60_000) }, sibling);
        assert.deepStrictEqual(young, { stale: false, why: "it is 10 min old, so its run may still be going (stale after 120 min)" });
    });
});

describe("retries", () => {
    it("treats network errors, throttling and 5xx as transient, and program errors as not", () => {
        for (const message of ["error: [503] Service Unavailable", "read tcp: connection reset by peer", "ThrottlingException: Rate exceeded", "dial tcp: i/o timeout"]) {
            assert.strictEqual(isTransient(message), true, message);
        }
        for (const message of ["error: Invalid arguments for Vpc3Az", "error: [409] Conflict: Another update is currently in progress.", "Cannot delete protected Cluster"]) {
            assert.strictEqual(isTransient(message), false, message);
        }
    });

    it("backs off three times longer each attempt, up to the cap", () => {
        const policy = { attempts: 5, baseDelayMs: 10_000, maxDelayMs: 60_000 };
        assert.deepStrictEqual([1, 2, 3, 4].map((a) => backoffMs(policy, a)), [10_000, 30_000, 60_000, 60_000]);
    });

    it("summarises a failed command by its error lines", () => {
        assert.strictEqual(errorSummary(new Error("code: 255\n stdout: ...\n stderr: error: one\nerror: one\n  error: two")), "error: one\n  error: two");
        assert.strictEqual(errorSummary(new Error("code: -2\n stdout: \n stderr: Command failed with ENOENT: pulumi version\n")), "Command failed with ENOENT: pulumi version");
    });
});
