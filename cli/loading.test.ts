import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** The modules a fresh process has loaded after the command's main ran with `argv`. */
function loadedAfter(argv: readonly string[]): string[] {
    const script = `
        const { main } = require(${JSON.stringify(path.join(__dirname, "intergalactic.ts"))});
        main(${JSON.stringify(argv)}, process.cwd(), () => {}).catch(() => 0).then(() => {
            process.stdout.write(JSON.stringify(Object.keys(require.cache)));
        });`;
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
    return (JSON.parse(out) as string[]).map((file) => path.relative(ROOT, file).split(path.sep).join("/"));
}

/** The policy runner and the analyzer protocol it speaks (@pulumi/pulumi loads google-protobuf and grpc-js itself, from its own dependencies). */
const POLICY_STACK = /(^|\/)(policies\/runner\/|cli\/policy\.ts$|node_modules\/@pulumi\/pulumi\/proto\/analyzer_)/;

describe("the intergalactic command's loading", () => {
    it("loads neither the policy runner nor the gRPC stack for --help or a plan, so they run where the gRPC packages cannot be resolved", () => {
        for (const argv of [["--help"], ["plan", "--stack", "no-such-stack", "--project", ROOT]]) {
            assert.deepStrictEqual(loadedAfter(argv).filter((file) => POLICY_STACK.test(file)), [], argv.join(" "));
        }
    });

    it("reaches @grpc/grpc-js and google-protobuf only through @pulumi/pulumi's own dependencies, which the package does not declare", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.deepStrictEqual(Object.keys(manifest.dependencies).filter((name) => /grpc|protobuf/.test(name)), []);
        const shipped = ["cli", "policies/runner", "policies/pack"].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
            .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && file !== "pulumiDeps.ts").map((file) => `${dir}/${file}`));
        const direct = shipped.filter((file) => /^\s*(import\s+(?!type\b)[^;]*from\s*|[^\n]*require\()\s*["'](@grpc\/grpc-js|google-protobuf)/m
            .test(fs.readFileSync(path.join(ROOT, file), "utf8")));
        assert.deepStrictEqual(direct, []);
    });
});
