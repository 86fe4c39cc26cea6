import * as assert from "assert";
import { parseArgs, planStack } from "../plan/cli";
import { loadCreationTimes } from "./creationTimes";
import { estimateSpinUp, formatEstimate } from "./estimate";

describe("the plan command line's estimate flags", () => {
    it("parses --estimate alone, at the CLI's default parallelism", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--estimate"]), { stack: "dev", estimate: true });
    });

    it("parses --parallel as a number next to --estimate and --zone-loss", () => {
        assert.deepStrictEqual(parseArgs(["--estimate", "--parallel", "10", "--stack", "prod", "--zone-loss"]), { stack: "prod", estimate: true, parallel: 10, zoneLoss: true });
    });

    for (const [argv, expected] of [
        [["--stack", "dev", "--parallel", "4"], /--parallel applies to --estimate/],
        [["--stack", "dev", "--estimate", "--parallel", "0"], /--parallel 0 must be an integer from 1 to 2147483647/],
        [["--stack", "dev", "--estimate", "--parallel", "2.5"], /--parallel 2.5 must be an integer/],
        [["--stack", "dev", "--estimate", "--parallel", "2147483648"], /--parallel 2147483648 must be an integer from 1 to 2147483647/],
        [["--stack", "dev", "--estimate", "--parallel"], /--parallel needs a value/],
    ] as const) {
        it(`rejects ${argv.slice(2).join(" ")} with a usage message`, () => assert.throws(() => parseArgs([...argv]), expected));
    }
});

describe("the dev stack's spin-up estimate", () => {
    it("starts its critical path at the network and never predicts less than the slowest resource", async () => {
        const estimate = estimateSpinUp(await planStack("dev"), loadCreationTimes());
        assert.strictEqual(estimate.criticalPath[0].type, "aws:ec2/vpc:Vpc");
        assert.ok(estimate.predictedSeconds >= estimate.lowerBound.seconds && estimate.predictedSeconds === estimate.criticalPathSeconds);
        assert.match(formatEstimate(estimate), /Critical path:\n/);
    });
});
