/**
 * The lease's compare-and-swap: stack tags have none, so a run writes its
 * lease, waits `settleMs` and reads it back. These tests drive two runs
 * through the exact interleaving a real race produces (both read the tag
 * before either writes) on a stack whose tag calls wait for each other.
 */
import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { LEASE_TAG, LeaseError, RELEASED, SETTLE_FACTOR, StackLease, settleWaitMs } from "./lease";

/** A stack's tags, with a gate that holds every `listTags` of the first round until `readers` runs have read. */
function racingStack(readers: number) {
    const tags: Record<string, string> = {};
    let arrived = 0;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let firstRound = true;
    const writes: string[] = [];
    let pendingWrites = 0;
    const stack = {
        name: "dev",
        async listTags() {
            const seen = { ...tags };
            if (firstRound && ++arrived === readers) {
                firstRound = false;
                open();
            }
            await gate;
            return seen;
        },
        async setTag(key: string, value: string) {
            // Only the lease's writes race; the winner's record of who ran (RUNNERS_TAG) comes after.
            if (key !== LEASE_TAG || value === RELEASED) return void (tags[key] = value);
            // The second write lands a little later (another runner, another network path).
            if (writes.length + pendingWrites++ > 0) await new Promise((r) => setTimeout(r, 20));
            tags[key] = value;
            writes.push(JSON.parse(value).run);
        },
        async removeTag(key: string) {
            delete tags[key];
        },
    };
    return { stack: stack as unknown as Stack, tags, writes };
}

describe("the stack lease's compare-and-swap", () => {
    const base = { log: () => undefined, clock: () => new Date(), staleLockMinutes: 120 };

    it("lets exactly one of two runs that both found the lease free go on: the one whose write landed last", async () => {
        const { stack, tags, writes } = racingStack(2);
        // Each run's settle wait ends only after both writes landed: the window the wait exists for.
        let landed: () => void = () => undefined;
        const bothWritten = new Promise<void>((resolve) => (landed = resolve));
        const sleep = async () => {
            if (writes.length >= 2) landed();
            await bothWritten;
        };
        const results = await Promise.allSettled([1, 2].map(() => StackLease.acquire({ ...base, stack, sleep, settleMs: 3000 }, stack)));
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        assert.strictEqual(writes.length, 2, "both runs wrote a lease");
        assert.strictEqual(won.length, 1, "exactly one run goes on");
        assert.ok(lost[0].reason instanceof LeaseError);
        assert.match(lost[0].reason.message, /another reconciler took the lease .*; this run stops here and leaves the stack to it/);
        assert.strictEqual(JSON.parse(tags[LEASE_TAG]).run, writes[1], "the winner is the last writer");
        assert.strictEqual(results.findIndex((r) => r.status === "fulfilled"), 1);
    });

    it("a run whose lease was overwritten after its settle wait stops at its next check, before any change", async () => {
        const { stack, tags } = racingStack(1);
        const lease = await StackLease.acquire({ ...base, stack, sleep: async () => undefined, settleMs: 3000 }, stack);
        await lease.verify(stack);
        tags[LEASE_TAG] = JSON.stringify({ run: "other", owner: "ci@elsewhere", host: "elsewhere", pid: 1, since: new Date().toISOString(), ns: "", start: "" });
        await assert.rejects(lease.verify(stack), (e: Error) => e instanceof LeaseError && /another reconciler took the lease \(ci@elsewhere/.test(e.message));
        await lease.release(stack);
        assert.ok(tags[LEASE_TAG], "release never removes another run's lease");
    });

    it("waits at least SETTLE_FACTOR times its own gap between reading the tags and its write landing, when that is longer than settleMs", async () => {
        assert.deepStrictEqual([settleWaitMs(3000, 200), settleWaitMs(3000, 1500), settleWaitMs(0, 5000)], [3000, 4500, 0]);
        // A slow backend: this run's own write takes 60 ms to land, so another run's may too.
        const { stack } = racingStack(1);
        const slow = { ...stack, name: "dev", listTags: () => stack.listTags(), removeTag: (k: string) => stack.removeTag(k),
            setTag: async (k: string, v: string) => { await new Promise((r) => setTimeout(r, 60)); await stack.setTag(k, v); } } as unknown as Stack;
        const waits: number[] = [];
        const lines: string[] = [];
        await StackLease.acquire({ ...base, log: (l: string) => lines.push(l), stack: slow, sleep: async (ms: number) => void waits.push(ms), settleMs: 10 }, slow);
        assert.strictEqual(waits.length, 1);
        assert.ok(waits[0] >= SETTLE_FACTOR * 60, `waited ${waits[0]} ms`);
        assert.match(lines.join("\n"), /lease: reading the tags and writing the lease took \d+ ms here; waiting \d+ ms before reading it back/);
    });

    it("gives the lease back on a self-managed backend that keeps a stack's last tag through its removal: the next run goes on at once", async () => {
        const { stack, tags } = racingStack(1);
        // pulumi/pulumi#23687: `stack tag rm` of the last tag exits 0 and leaves it.
        const keepsLast = { ...stack, name: "dev", listTags: () => stack.listTags(), setTag: (k: string, v: string) => stack.setTag(k, v),
            removeTag: async (k: string) => { if (Object.keys(tags).length > 1) await stack.removeTag(k); } } as unknown as Stack;
        const lease = await StackLease.acquire({ ...base, stack: keepsLast, sleep: async () => undefined, settleMs: 3000 }, keepsLast);
        await lease.release(keepsLast);
        assert.strictEqual(tags[LEASE_TAG], RELEASED);
        const next = await StackLease.acquire({ ...base, stack: keepsLast, sleep: async () => undefined, settleMs: 3000 }, keepsLast);
        await next.verify(keepsLast);
    });
});

describe("withdrawing a lease an acquisition may have left", () => {
    const lease = (run: string) => JSON.stringify({ run, owner: "ci@runner", host: "runner", pid: 1, since: new Date().toISOString(), ns: "", start: "" });
    function stackWith(tags: Record<string, string>) {
        const removed: string[] = [];
        const stack = {
            name: "dev",
            async listTags() {
                return { ...tags };
            },
            async setTag(key: string, value: string) {
                tags[key] = value;
            },
            async removeTag(key: string) {
                removed.push(key);
                delete tags[key];
            },
        };
        return { stack: stack as unknown as Stack, tags, removed };
    }
    const base = { log: () => undefined, clock: () => new Date(), staleLockMinutes: 120, settleMs: 3000 };

    it("removes this attempt's own lease once it still reads as its own after the settle wait", async () => {
        const { stack, tags } = stackWith({ [LEASE_TAG]: lease("mine") });
        const waits: number[] = [];
        const withdrawn = await StackLease.withdraw({ ...base, stack, sleep: async (ms) => void waits.push(ms) }, { run: "mine" }, stack);
        assert.strictEqual(withdrawn, true);
        assert.strictEqual(tags[LEASE_TAG], undefined);
        assert.deepStrictEqual(waits, [3000]);
    });

    it("leaves another run's lease alone, whether it was there first or landed during the settle wait", async () => {
        const other = stackWith({ [LEASE_TAG]: lease("other") });
        assert.strictEqual(await StackLease.withdraw({ ...base, stack: other.stack, sleep: async () => undefined }, { run: "mine" }, other.stack), false);
        assert.deepStrictEqual(other.removed, []);

        // The other run read the tags before this attempt's lease landed, and its own write lands after it.
        const late = stackWith({ [LEASE_TAG]: lease("mine") });
        const sleep = async () => void (late.tags[LEASE_TAG] = lease("other"));
        assert.strictEqual(await StackLease.withdraw({ ...base, stack: late.stack, sleep }, { run: "mine" }, late.stack), false);
        assert.deepStrictEqual(late.removed, []);
        assert.strictEqual(JSON.parse(late.tags[LEASE_TAG]).run, "other");
    });

    it("does nothing for an attempt that never started to write", async () => {
        const { stack, removed } = stackWith({ [LEASE_TAG]: lease("other") });
        assert.strictEqual(await StackLease.withdraw({ ...base, stack, sleep: async () => undefined }, {}, stack), false);
        assert.deepStrictEqual(removed, []);
    });
});
