import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
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

    it("ends with the message of an error thrown inside an Output's apply, exit 1, without a stack trace or a hang", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-apply-error-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
        fs.writeFileSync(path.join(dir, "index.ts"), [
            `import * as pulumi from ${JSON.stringify(require.resolve("@pulumi/pulumi"))};`,
            `class Bucket extends pulumi.CustomResource { constructor(name: string, args: object) { super("test:index:Bucket", name, args); } }`,
            `export = async () => {`,
            `    const bucket = new Bucket("logs", { location: pulumi.output("northeurope").apply((l) => { throw new Error(\`location: "\${l}" is not the network's location (westeurope)\`); }) });`,
            `    return { id: bucket.id };`,
            `};`,
        ].join("\n"));
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "--stack", "dev", "--project", dir], { cwd: ROOT, encoding: "utf8", timeout: 30000 });
        fs.rmSync(dir, { recursive: true, force: true });
        assert.strictEqual(run.status, 1, `status ${run.status} (${run.signal ?? "no signal"}): ${run.stderr}`);
        assert.strictEqual(run.stderr.trim(), `plan failed: error serializing property "location": location: "northeurope" is not the network's location (westeurope)`);
    });
});
