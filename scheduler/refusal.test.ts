import * as assert from "assert";
import { UpdateSummary } from "@pulumi/pulumi/automation";
import { restorePlan } from "./dataFlow";
import { NEW_RECORD, StoreState } from "./record";
import { settle } from "./settle";
import { ReconcileError } from "./stackOps";

describe("a spin-up refused because the last deletion's snapshot is unknown", () => {
    it("says until when the scheduler's own point stays restorable, when a foreign store competes with it", () => {
        const final = "/subscriptions/s/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/a@2027-01-06T21:00:00.000Z";
        const records = { users: { ...NEW_RECORD, state: StoreState.Down, final, finalUntil: "2027-01-13T21:00:00.000Z", foreign: "users-from-by-hand" } };
        assert.throws(() => restorePlan(records, new Set(), new Set(["users"]), "dev", () => undefined),
            /competes with \/subscriptions\/[^\n]* \(the scheduler's lineage\); [^\n]* is restorable only until 2027-01-13T21:00:00.000Z: choose before then/);
    });

    it("names the record's last snapshot and the blamed update's suffix as --restore candidates, and still restores nothing", () => {
        const up = { ...NEW_RECORD, state: StoreState.Up, armed: "users-td-20270105t2100z", armedAt: 3, incarnation: "i1" };
        const history = [
            { version: 4, kind: "update", startTime: new Date("2027-01-06T21:00:00Z"), message: "scheduler: final snapshot suffix td-20270106t2100z", result: "failed" },
            { version: 5, kind: "destroy", startTime: new Date("2027-01-06T22:00:00Z"), message: "by hand", result: "succeeded" },
        ] as unknown as UpdateSummary[];
        const records = settle({ users: up }, [], history, 5, () => undefined);
        assert.ok(records.users.lost, "the snapshot is unknown");
        assert.throws(() => restorePlan(records, new Set(), new Set(["users"]), "dev", () => undefined), (e: unknown) => {
            assert.ok(e instanceof ReconcileError);
            assert.match(e.message, /spin-up refused/);
            assert.match(e.message, /--restore users=users-td-20270105t2100z/);
            assert.match(e.message, /--restore users=users-td-20270106t2100z/);
            assert.match(e.message, /candidates to check, not proven/);
            return true;
        });
    });

    it("names the suffix with the stack a run arms now, and for a spin-up's message both forms its suffix may have", () => {
        const refusal = (message: string): string => {
            const up = { ...NEW_RECORD, state: StoreState.Up, armed: "", armedAt: 3, incarnation: "i1" };
            const history = [
                { version: 4, kind: "update", startTime: new Date("2027-01-06T06:30:00Z"), message, result: "failed" },
                { version: 5, kind: "destroy", startTime: new Date("2027-01-06T22:00:00Z"), message: "by hand", result: "succeeded" },
            ] as unknown as UpdateSummary[];
            const records = settle({ users: up }, [], history, 5, () => undefined);
            try {
                restorePlan(records, new Set(), new Set(["users"]), "dev", () => undefined);
            } catch (e) {
                return (e as Error).message;
            }
            return "no refusal";
        };
        assert.match(refusal("scheduler: final snapshot suffix td-20270106t2100z-dev"), /--restore users=users-td-20270106t2100z-dev \(the one update #4's suffix td-20270106t2100z-dev names\)/);
        const spunUp = refusal("scheduler: spin-up at 2027-01-06T06:30:00.000Z");
        assert.match(spunUp, /--restore users=users-up-20270106t0630z-dev \(the one update #4's suffix up-20270106t0630z-dev names\), or --restore users=users-up-20270106t0630z \(/);
        // Every scheduler up arms an up-<time> suffix: the hibernate's, and the running up a hibernate runs first.
        for (const message of ["scheduler: hibernate at 2027-01-06T06:30:00.000Z", "scheduler: pool changes before hibernate at 2027-01-06T06:30:00.000Z"]) {
            assert.match(refusal(message), /--restore users=users-up-20270106t0630z-dev \(the one update #4's suffix up-20270106t0630z-dev names\)/, message);
        }
    });
});
