import * as assert from "assert";
import { UpdateSummary } from "@pulumi/pulumi/automation";
import { NEW_RECORD, StoreRecord, UNKNOWN_LINEAGE } from "./record";
import { settle } from "./settle";

const entry = (version: number, kind: UpdateSummary["kind"], message: string, result: UpdateSummary["result"] = "succeeded") =>
    ({ version, kind, message, result, startTime: new Date("2026-11-28T10:00:00Z"), endTime: new Date("2026-11-28T10:05:00Z"), environment: {} }) as UpdateSummary;
const up = (extra: Partial<StoreRecord> = {}): StoreRecord => ({ ...NEW_RECORD, state: "up", from: "users-td-1", final: "users-td-1", armed: "users-up-2", armedAt: 7, incarnation: "aaa", ...extra });
const quiet = () => undefined;

describe("settling the restore record against the state", () => {
    it("takes the armed snapshot as the lineage's final when a store vanished and nothing ran outside the scheduler", () => {
        const history = [entry(9, "destroy", "cleaning up by hand"), entry(8, "refresh", "")];
        const { users } = settle({ users: up() }, [], history, quiet);
        assert.strictEqual(users.state, "down");
        assert.strictEqual(users.final, "users-up-2");
        assert.strictEqual(users.lost, "");
    });

    it("says the snapshot is unknown when an update ran after the record armed it", () => {
        const history = [entry(9, "destroy", "by hand"), entry(8, "update", "trying a bigger instance")];
        const { users } = settle({ users: up() }, [], history, quiet);
        assert.match(users.lost, /update #8 .*"trying a bigger instance"\) by someone outside the scheduler ran after #7/);
        assert.strictEqual(users.final, "users-td-1", "the last known good snapshot is kept for the person to choose");
    });

    it("gives a store that appeared without a spin-up of ours an unknown lineage when a final snapshot competes", () => {
        const down = { ...NEW_RECORD, final: "users-td-1" };
        const { users } = settle({ users: down }, [{ name: "users", incarnation: "bbb" }], [], quiet);
        assert.strictEqual(users.state, "up");
        assert.strictEqual(users.from, UNKNOWN_LINEAGE);
    });

    it("treats a store whose physical resources changed as deleted and re-created outside the scheduler", () => {
        const { users } = settle({ users: up() }, [{ name: "users", incarnation: "ccc" }], [], quiet);
        assert.strictEqual(users.from, UNKNOWN_LINEAGE);
        assert.strictEqual(users.final, "users-up-2");
        assert.strictEqual(users.incarnation, "ccc");
    });

    it("keeps a snapshot of unknown lineage apart from the lineage's final", () => {
        const foreign = up({ from: UNKNOWN_LINEAGE, armed: "users-td-3" });
        const { users } = settle({ users: foreign }, [], [], quiet);
        assert.strictEqual(users.final, "users-td-1");
        assert.strictEqual(users.foreign, "users-td-3");
    });

    it("returns a store a spin-up asked for but never created to down, and says so when a successful update may have created it", () => {
        const creating = { ...NEW_RECORD, state: "creating" as const, from: "users-td-1", final: "users-td-1", armedAt: 7 };
        assert.strictEqual(settle({ users: creating }, [], [entry(8, "update", "scheduler: spin-up", "failed")], quiet).users.lost, "");
        assert.match(settle({ users: creating }, [], [entry(8, "update", "scheduler: spin-up")], quiet).users.lost, /update #8 created it/);
    });
});
