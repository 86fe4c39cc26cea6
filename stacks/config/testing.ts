/** Helpers for the stack config tests. */
import * as assert from "assert";
import { InvalidArgumentsError } from "../../components/common/validation";
import { parseStackConfig } from "./index";

/** The smallest valid config: an AWS dev stack in us-east-1. */
export const BASE_CONFIG: Readonly<Record<string, string>> = {
    "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1",
};

/** The message of the error a config must be rejected with. */
export function configProblems(raw: Record<string, string>): string {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, String(err));
        return err.message;
    }
    return assert.fail("expected the config to be rejected");
}
