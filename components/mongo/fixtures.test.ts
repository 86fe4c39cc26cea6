/** Test-only helpers of the HaMongo tests (no tests of its own). */
import * as assert from "assert";
import { InvalidArgumentsError } from "../common/validation";
import { MongoPlanInput, planMongo } from "./mongoPlan";

/** The problems planMongo reports for `input`, all at once as its error lists them; none when it plans. */
export function mongoProblems(input: MongoPlanInput, name = "users"): string[] {
    try {
        planMongo(name, input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, String(err));
        return [...err.problems];
    }
    return [];
}
