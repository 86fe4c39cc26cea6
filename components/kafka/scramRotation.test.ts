import * as assert from "assert";
import { SCRAM_ROTATION_DAYS, scramSlots } from "./scramRotation";

const PERIOD_MS = SCRAM_ROTATION_DAYS * 86_400_000;
const at = (period: number) => scramSlots(period * PERIOD_MS + 1);
const active = (period: number) => at(period).find((s) => s.active)!;

describe("scramSlots", () => {
    it("switches the clients to the other user every period", () => {
        assert.deepStrictEqual([10, 11, 12, 13].map((p) => active(p).label), ["a", "b", "a", "b"]);
    });

    it("hands the clients a user generated a whole period earlier, so MSK has long picked it up", () => {
        for (const period of [10, 11, 12]) assert.strictEqual(active(period).generation, period - 1);
    });

    it("regenerates only the user the clients leave, and keeps the other user's password across the switch", () => {
        for (const period of [10, 11, 12]) {
            const left = at(period + 1).find((s) => s.label === active(period).label)!;
            assert.deepStrictEqual([left.active, left.generation], [false, period + 1]);
            const joined = active(period + 1);
            assert.strictEqual(joined.generation, at(period).find((s) => s.label === joined.label)!.generation, "the new active user's password did not change");
        }
    });

    it("changes nothing within a period", () => {
        assert.deepStrictEqual(scramSlots(12 * PERIOD_MS), scramSlots(13 * PERIOD_MS - 1));
    });
});
