/**
 * Every policy through the real pack, the way the engine calls it: a passing
 * and a failing fixture per policy and cloud, with the stacks' own configs.
 */
import { describeCases, usePolicySession } from "../fixtures/harness";
import { REDUNDANCY_CASES } from "../fixtures/cases/redundancy";
import { SECURITY_CASES } from "../fixtures/cases/security";
import { TEARDOWN_CASES } from "../fixtures/cases/teardown";
import { REGION_CASES } from "../fixtures/cases/regions";

describe("the policy pack", () => {
    const session = usePolicySession();
    describe("redundancy policies", () => describeCases(REDUNDANCY_CASES, session));
    describe("security policies", () => describeCases(SECURITY_CASES, session));
    describe("teardown policies", () => describeCases(TEARDOWN_CASES, session));
    describe("region policies", function () {
        this.timeout(60_000);
        describeCases(REGION_CASES, session);
    });
});
