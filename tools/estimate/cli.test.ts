import * as assert from "assert";
import { parseArgs } from "../plan/cli";

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
