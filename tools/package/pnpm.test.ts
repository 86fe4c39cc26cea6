import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TARBALL, diskUsageBytes, preparePackage, typecheck } from "./build";

/**
 * pnpm's own version, pinned: run through npx from the npm registry, so the repository installs nothing for it.
 * pnpm's node_modules is strict: a package sees only what its package.json declares (its dependencies are links into
 * node_modules/.pnpm, nothing is hoisted, with hoist=false not even inside .pnpm), so a module the package requires without declaring it (as
 * @grpc/grpc-js and google-protobuf once were) fails here where npm's hoisting hides it (https://pnpm.io/motivation).
 */
const PNPM = "pnpm@12.4.2";

/** A copy of examples/aws-platform outside the repository, its dependency on the package pointed at the packed tarball. */
function pnpmConsumer(): string {
    const example = path.join(ROOT, "examples", "aws-platform");
    const dir = path.join(os.tmpdir(), "intergalactic-consumers-pnpm", "aws-platform");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of fs.readdirSync(example, { withFileTypes: true })) {
        if (entry.isFile()) fs.copyFileSync(path.join(example, entry.name), path.join(dir, entry.name));
    }
    const manifestFile = path.join(dir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["intergalactic-infra"] = `file:${TARBALL}`;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
    return dir;
}

describe("an aws-only project that installs the packed package with pnpm (strict node_modules)", function () {
    this.timeout(900_000);
    let dir: string;
    let modules: string;

    before(() => {
        preparePackage();
        dir = pnpmConsumer();
        modules = path.join(dir, "node_modules");
        // No lockfile to keep (CI=true makes pnpm insist on one), and no install scripts, as the npm consumers. hoist=false:
        // by default pnpm also hoists every package into node_modules/.pnpm/node_modules, where the packages in the store
        // (this one too) still find what they do not declare (https://pnpm.io/settings#hoist); off, each sees only its own.
        execFileSync("npx", ["--yes", PNPM, "install", "--no-frozen-lockfile", "--ignore-scripts", "--reporter=silent", "--config.hoist=false"], {
            cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_yes: "true" },
        });
    });

    it("gets pnpm's layout: the package's own dependencies are not visible at the top of node_modules", () => {
        assert.ok(fs.existsSync(path.join(modules, ".pnpm")), "not a pnpm node_modules");
        assert.ok(fs.lstatSync(path.join(modules, "intergalactic-infra")).isSymbolicLink(), "the package is not linked from the store");
        for (const undeclared of ["js-yaml", "@grpc/grpc-js", "google-protobuf", "@pulumi/azure-native", "@pulumi/policy"]) {
            assert.ok(!fs.existsSync(path.join(modules, undeclared)), `${undeclared} is visible to the project`);
        }
        // Nor to the package itself: only what its package.json declares (and its peers the project installs).
        const own = fs.realpathSync(path.join(modules, "intergalactic-infra"));
        const visible = (name: string) => spawnSync(process.execPath, ["-e", `require.resolve(${JSON.stringify(name)})`], { cwd: own }).status === 0;
        assert.deepStrictEqual(["js-yaml", "@pulumi/pulumi", "@pulumi/aws"].filter((n) => !visible(n)), []);
        assert.deepStrictEqual(["google-protobuf", "@grpc/grpc-js"].filter(visible), []);
        console.log(`      node_modules: ${(diskUsageBytes(modules) / 1024 / 1024).toFixed(0)} MB`);
    });

    it("type-checks against the installed package's declarations", () => {
        typecheck(dir);
    });

    it("runs the shipped command: --help, and an offline plan of the stack that ends with the deployability check", () => {
        const bin = path.join(modules, ".bin", "intergalactic");
        const help = spawnSync(bin, ["--help"], { cwd: dir, encoding: "utf8" });
        assert.strictEqual(help.status, 0, help.stderr);
        assert.match(help.stdout, /^usage: intergalactic <plan\|policy\|estimate>/);
        const plan = spawnSync(bin, ["plan", "--stack", "dev"], { cwd: dir, encoding: "utf8" });
        assert.strictEqual(plan.status, 0, plan.stdout + plan.stderr);
        assert.match(plan.stdout, /^Project aws-platform, stack dev \(\.\)\nStack dev \(aws\): \d+ resources/);
        assert.match(plan.stdout, /Deployability \(dev\): .* none missing/);
    });

    it("gets one sentence, not a module-not-found trace, from policy without @pulumi/policy (exit 2)", () => {
        const run = spawnSync(path.join(modules, ".bin", "intergalactic"), ["policy", "--stack", "dev"], { cwd: dir, encoding: "utf8" });
        assert.strictEqual(run.status, 2, run.stdout + run.stderr);
        assert.match(run.stderr.trim(), /^intergalactic: policy needs @pulumi\/policy, which is not installed in this project/);
    });
});
