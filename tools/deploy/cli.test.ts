import * as assert from "assert";
import * as path from "path";
import { POLICY_PACK_ENV, policyGateProblem } from "../../stacks/policyGate";
import { pulumiInvocation } from "./cli";

const POLICIES = path.resolve(__dirname, "../../policies");

describe("npm run pulumi", () => {
    it("always passes the policy pack with the stack's own policy config, and tells the program", () => {
        const { args, env } = pulumiInvocation(["up", "--stack", "prod", "--yes"]);
        assert.deepStrictEqual(args, ["up", "--stack", "prod", "--yes", "--policy-pack", POLICIES, "--policy-pack-config", path.join(POLICIES, "config", "prod.json")]);
        assert.deepStrictEqual(env, { [POLICY_PACK_ENV]: POLICIES });
    });

    for (const [argv, expected] of [
        [["deploy", "--stack", "prod"], /unknown command "deploy"/],
        [["up"], /missing --stack/],
        [["up", "--stack", "staging"], /unknown stack "staging"/],
        [["preview", "--stack", "prod", "--policy-pack", "elsewhere"], /--policy-pack is set here/],
    ] as const) {
        it(`refuses ${JSON.stringify(argv)}`, () => assert.throws(() => pulumiInvocation([...argv]), expected));
    }
});

describe("the prod policy gate", () => {
    it("refuses a prod up without the policy pack, by kind and by name", () => {
        assert.match(policyGateProblem("prod", "prod", {}, false)!, /INTERGALACTIC_POLICY_PACK: not set: a prod stack deploys only with its policy pack; run npm run pulumi -- up --stack prod/);
        assert.match(policyGateProblem("prod-azure", "dev", {}, false)!, /not set/);
        assert.match(policyGateProblem("live", "prod", { [POLICY_PACK_ENV]: "/tmp" }, false)!, /is not a policy pack folder/);
    });

    it("lets a prod up with the pack, a preview, and dev through", () => {
        assert.strictEqual(policyGateProblem("prod", "prod", { [POLICY_PACK_ENV]: POLICIES }, false), undefined);
        assert.strictEqual(policyGateProblem("prod", "prod", {}, true), undefined);
        assert.strictEqual(policyGateProblem("dev", "dev", {}, false), undefined);
    });
});
