import * as assert from "assert";
import { UpdateSummary } from "@pulumi/pulumi/automation";
import { DataFacts } from "./lineage";
import { NEW_RECORD, NONE_KEPT, StoreRecord, UNKNOWN_LINEAGE } from "./record";
import { settle } from "./settle";

const entry = (version: number, kind: UpdateSummary["kind"], message: string, result: UpdateSummary["result"] = "succeeded") =>
    ({ version, kind, message, result, startTime: new Date("2026-11-28T10:00:00Z"), endTime: new Date("2026-11-28T10:05:00Z"), environment: {} }) as UpdateSummary;
const up = (extra: Partial<StoreRecord> = {}): StoreRecord => ({ ...NEW_RECORD, state: "up", from: "users-td-1", final: "users-td-1", armed: "users-up-2", armedAt: 7, incarnation: "aaa", ...extra });
const quiet = () => undefined;
const facts = (restoredFrom: string, finalSnapshot = "users-up-9"): DataFacts => ({ restoredFrom, finalSnapshot, restoreConfig: {}, why: "", creationConfig: {} });

describe("settling the restore record against the state", () => {
    it("takes the armed snapshot as the lineage's final when a store vanished and nothing ran outside the scheduler", () => {
        const history = [entry(9, "destroy", "cleaning up by hand"), entry(8, "refresh", "")];
        const { users } = settle({ users: up() }, [], history, undefined, quiet);
        assert.strictEqual(users.state, "down");
        assert.strictEqual(users.final, "users-up-2");
        assert.strictEqual(users.lost, "");
    });

    it("says the snapshot is unknown when an update ran after the record armed it", () => {
        const history = [entry(9, "destroy", "by hand"), entry(8, "update", "trying a bigger instance")];
        const { users } = settle({ users: up() }, [], history, undefined, quiet);
        assert.match(users.lost, /update #8 .*"trying a bigger instance"\) by someone outside the scheduler ran after the record last saw the name/);
        assert.strictEqual(users.final, "users-td-1", "the last known good snapshot is kept for the person to choose");
    });

    it("gives a store that appeared without a spin-up of ours an unknown lineage when a final snapshot competes", () => {
        const down = { ...NEW_RECORD, final: "users-td-1" };
        const { users } = settle({ users: down }, [{ name: "users", incarnation: "bbb", facts: facts("") }], [], undefined, quiet);
        assert.strictEqual(users.state, "up");
        assert.strictEqual(users.from, UNKNOWN_LINEAGE);
    });

    it("treats a store whose physical resources changed as deleted and re-created outside the scheduler", () => {
        const { users } = settle({ users: up() }, [{ name: "users", incarnation: "ccc", facts: facts("") }], [], undefined, quiet);
        assert.strictEqual(users.from, UNKNOWN_LINEAGE);
        assert.strictEqual(users.final, "users-up-2");
        assert.strictEqual(users.incarnation, "ccc");
    });

    it("keeps a snapshot of unknown lineage apart from the lineage's final", () => {
        const foreign = up({ from: UNKNOWN_LINEAGE, armed: "users-td-3" });
        const { users } = settle({ users: foreign }, [], [], undefined, quiet);
        assert.strictEqual(users.final, "users-td-1");
        assert.strictEqual(users.foreign, "users-td-3");
    });

    it("returns a store a spin-up asked for but never created to down, and says its snapshot is unknown when an update and then a destroy ran after the spin-up", () => {
        const creating = { ...NEW_RECORD, state: "creating" as const, from: "users-td-1", final: "users-td-1", armedAt: 7 };
        assert.strictEqual(settle({ users: creating }, [], [entry(8, "update", "scheduler: spin-up", "failed")], undefined, quiet).users.lost, "");
        const failedThenDestroyed = settle({ users: creating }, [], [entry(9, "destroy", "cleaning up"), entry(8, "update", "scheduler: spin-up", "failed")], undefined, quiet).users;
        assert.match(failedThenDestroyed.lost, /update #8 at [^ ]+ \(failed\) may have created it, and destroy #9 at [^ ]+ \("cleaning up"\) deleted it/);
        assert.strictEqual(failedThenDestroyed.final, "users-td-1", "the last known snapshot is kept for the person to choose");
    });

    it("says the snapshot is unknown when a destroy follows a spin-up that left no update entry (a crashed update on a DIY backend)", () => {
        const creating = { ...NEW_RECORD, state: "creating" as const, from: "users-td-1", final: "users-td-1", armedAt: 7 };
        const crashedThenDestroyed = settle({ users: creating }, [], [entry(9, "destroy", "clean up after the crash")], undefined, quiet).users;
        assert.match(crashedThenDestroyed.lost, /the spin-up the record last saw \(a crashed update leaves no history entry\) may have created it, and destroy #9/);
        assert.strictEqual(crashedThenDestroyed.final, "users-td-1");
    });

    it("accepts a live store as the lineage's only when its state says it was created from the snapshot the spin-up asked for", () => {
        const creating = { ...NEW_RECORD, state: "creating" as const, from: "users-td-1", final: "users-td-1", armedAt: 7 };
        const restored = settle({ users: creating }, [{ name: "users", incarnation: "ddd", facts: facts("users-td-1") }], [], 8, quiet).users;
        assert.strictEqual(restored.from, "users-td-1");
        assert.strictEqual(restored.armed, "users-up-9");
        assert.strictEqual(restored.armedAt, 8);
        const empty = settle({ users: creating }, [{ name: "users", incarnation: "ddd", facts: facts("") }], [], 8, quiet).users;
        assert.strictEqual(empty.from, UNKNOWN_LINEAGE, "created empty by someone else: its snapshot must not become the lineage's");
        assert.strictEqual(empty.final, "users-td-1");
    });

    it("never reads 'the state does not say' as 'deleted without a final snapshot'", () => {
        const unknown = up({ armed: "" });
        const { users } = settle({ users: unknown }, [], [entry(9, "destroy", "by hand")], undefined, quiet);
        assert.match(users.lost, /never read from the state which final snapshot/);
        assert.strictEqual(users.final, "users-td-1");
        const none = settle({ users: up({ armed: NONE_KEPT }) }, [], [entry(9, "destroy", "by hand")], undefined, quiet).users;
        assert.match(none.lost, /^deleted without a final snapshot, .*the newest snapshot that exists is users-td-1/, "the state said skipFinalSnapshot: the data since the restore is gone");
        const neverRestored = settle({ users: up({ armed: NONE_KEPT, from: "", final: "" }) }, [], [entry(9, "destroy", "by hand")], undefined, quiet).users;
        assert.deepStrictEqual([neverRestored.final, neverRestored.lost], ["", ""], "a store that never held restored data starts empty");
    });
});
