import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseArgs } from "./cli";

const ROOT = path.resolve(__dirname, "../..");

describe("the plan command line", () => {
    it("parses --stack and --json", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--json", "out.json"]), { stack: "dev", json: "out.json" });
    });

    for (const [argv, expected] of [[[], /missing --stack/], [["--stack"], /--stack needs a value/], [["--stack", "dev", "--fast"], /unknown option --fast/]] as const) {
        it(`rejects ${JSON.stringify(argv)} with a usage message`, () => assert.throws(() => parseArgs([...argv]), expected));
    }

    it("exits 1 with a clear message for an unknown stack", () => {
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "--stack", "nope"], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /plan failed: unknown stack "nope": there is no Pulumi.nope.yaml; known stacks: dev, dev-azure, prod, prod-azure/);
    });
});
