/**
 * A record write is one `stack tag set` (or `rm`) per field, the state tag last: a run killed between two of them
 * leaves some fields new and some old. Each test writes a record change, stops the write at every one of its calls in
 * turn, and reads the record as the next run does: its spin-up restores what the record said before the write or
 * after it, each snapshot with its own restore config, or stops and asks; never a snapshot with another's config, and
 * never an empty start where the record held a snapshot.
 */
import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { restorePlan } from "./dataFlow";
import { NEW_RECORD, Numbering, Records, StoreRecord, StoreState, TORN_LOST, readRecordTags, writeRecords } from "./record";
import { ReconcileError } from "./stackOps";
import { settle } from "./settle";

const KEY = "intergalactic:snapshots.encryptionKeys.users";
const POINT = "intergalactic:mongo.restoreTimestampUtc";

/** A stack whose tags live in `tags`; the `stopAt`-th tag change (1-based) throws and changes nothing, as a killed run. */
function stoppingStack(tags: Record<string, string>, stopAt: number): { stack: Stack; changes: () => number } {
    let n = 0;
    const change = (apply: () => void) => {
        n++;
        if (n === stopAt) throw new Error("killed");
        if (n < stopAt || stopAt === 0) apply();
    };
    const stack = {
        setTag: async (k: string, v: string) => change(() => void (tags[k] = v)),
        removeTag: async (k: string) => change(() => void delete tags[k]),
        listTags: async () => ({ ...tags }),
    } as unknown as Stack;
    return { stack, changes: () => n };
}

/** What a spin-up with no store live restores: the plan, or "asks". */
function spinUpOf(records: Records): Record<string, { id: string; config: Readonly<Record<string, string>> }> | "asks" {
    try {
        return restorePlan(records, new Set(), new Set(["users"]), "dev", () => undefined);
    } catch (err) {
        if (err instanceof ReconcileError) return "asks";
        throw err;
    }
}

/**
 * Writes `before`, then `after` over it stopped at each of its calls; `next` turns the record read back into what
 * the next run's spin-up sees. Returns what each stop gave.
 */
async function everyStop(before: StoreRecord, after: StoreRecord, next: (r: Records) => Records = (r) => r): Promise<string[]> {
    const base: Record<string, string> = {};
    await writeRecords(stoppingStack(base, 0).stack, {}, { users: before });
    const expected = [spinUpOf(next({ users: before })), spinUpOf(next({ users: after }))];
    const calls = stoppingStack({ ...base }, 0);
    await writeRecords(calls.stack, { users: before }, { users: after }, { ...base });
    assert.ok(calls.changes() >= 3, `the write takes several calls (${calls.changes()})`);
    const seen: string[] = [];
    for (let stop = 1; stop <= calls.changes(); stop++) {
        const tags = { ...base };
        const killed = await writeRecords(stoppingStack(tags, stop).stack, { users: before }, { users: after }, { ...base }).catch((e: Error) => e);
        assert.ok(killed instanceof Error, `stopped at call ${stop}`);
        const read = (await readRecordTags(stoppingStack(tags, 0).stack, Numbering.Version)).records;
        const got = spinUpOf(next(read));
        assert.ok(got === "asks" || expected.some((e) => JSON.stringify(e) === JSON.stringify(got)),
            `stopped at call ${stop} of ${calls.changes()}: the next spin-up ${JSON.stringify(got)}, neither ${JSON.stringify(expected[0])} nor ${JSON.stringify(expected[1])} nor a question`);
        seen.push(got === "asks" ? "asks" : JSON.stringify(got));
    }
    return seen;
}

describe("a record write stopped between its tags", () => {
    it("a --restore choice of another snapshot and key never restores the new snapshot with the old key", async () => {
        const before: StoreRecord = { ...NEW_RECORD, final: "users-td-20261127t1800z-dev", finalFrom: "users-td-20261120t1800z-dev", finalConfig: { [KEY]: "arn:aws:kms:us-east-1:111122223333:key/old" } };
        const after: StoreRecord = { ...before, final: "users-td-20261120t1800z-dev", finalFrom: "", finalConfig: { [KEY]: "arn:aws:kms:us-east-1:111122223333:key/new" } };
        const seen = await everyStop(before, after);
        assert.ok(seen.includes("asks"), "a half-written choice asks");
    });

    it("a --restore choice without config never restores the chosen snapshot with the old one's point in time", async () => {
        const before: StoreRecord = { ...NEW_RECORD, final: "/subscriptions/s/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/a1",
            finalConfig: { [POINT]: "2026-11-27T18:00:00.000Z" }, finalUntil: "2026-12-27T18:00:00.000Z" };
        const after: StoreRecord = { ...before, final: "users-td-20261120t1800z-dev", finalConfig: {}, finalUntil: "" };
        await everyStop(before, after);
    });

    it("a --restore answer to a lost snapshot, stopped anywhere, restores the answer with its key or asks again", async () => {
        const before: StoreRecord = { ...NEW_RECORD, final: "users-td-20261120t1800z-dev", finalConfig: { [KEY]: "arn:aws:kms:us-east-1:111122223333:key/old" }, lost: "update #12 ran after the record last saw the name" };
        const after: StoreRecord = { ...before, final: "users-td-20261127t1800z-dev", finalConfig: {}, lost: "" };
        await everyStop(before, after);
        // The older reason would let the snapshot inventory settle it, with the config the record holds: it is replaced.
        const tags: Record<string, string> = {};
        await writeRecords(stoppingStack(tags, 0).stack, {}, { users: before });
        await writeRecords(stoppingStack(tags, 2).stack, { users: before }, { users: after }).catch(() => undefined);
        const read = (await readRecordTags(stoppingStack(tags, 0).stack)).records.users;
        assert.deepStrictEqual([read.final, read.lost], ["users-td-20261127t1800z-dev", TORN_LOST]);
    });

    it("the teardown's record after the destroy, stopped anywhere, still restores the snapshot the deletion took, with its key, or asks", async () => {
        const deleting: StoreRecord = {
            ...NEW_RECORD, state: StoreState.Up, from: "users-td-20261120t1800z-dev", final: "users-td-20261120t1800z-dev", finalConfig: { [KEY]: "arn:aws:kms:us-east-1:111122223333:key/old" },
            armed: "users-td-20261127t1800z-dev", armedAt: 7, armedConfig: { [KEY]: "arn:aws:kms:us-east-1:111122223333:key/new" }, incarnation: "i-1",
        };
        const confirmed = settle({ users: deleting }, [], [], 8, () => undefined).users;
        assert.strictEqual(confirmed.final, "users-td-20261127t1800z-dev");
        // The next run settles the record against a stack without the store, as the reconciler does.
        const seen = await everyStop(deleting, confirmed, (r) => settle(r, [], [], 8, () => undefined));
        assert.ok(seen.every((s) => s === "asks" || s.includes("users-td-20261127t1800z-dev")), "the snapshot the deletion took, or a question");
        assert.ok(!seen.some((s) => s.includes("key/old")), "never the new snapshot with the old key");
    });

    it("reads a half-written record of a stopped store as lost, and one written before the digest as it is", async () => {
        const tags: Record<string, string> = {};
        const record: StoreRecord = { ...NEW_RECORD, final: "users-td-20261127t1800z-dev", finalConfig: { [KEY]: "k" } };
        await writeRecords(stoppingStack(tags, 0).stack, {}, { users: record });
        assert.strictEqual((await readRecordTags(stoppingStack(tags, 0).stack)).records.users.lost, "");
        tags["intergalactic:data.users.f"] = "users-td-20261120t1800z-dev";
        assert.strictEqual((await readRecordTags(stoppingStack(tags, 0).stack)).records.users.lost, TORN_LOST);
        tags["intergalactic:data.users"] = JSON.stringify({ s: "down" });
        assert.strictEqual((await readRecordTags(stoppingStack(tags, 0).stack)).records.users.lost, "", "an older record has no digest");
    });
});
