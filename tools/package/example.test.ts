import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONSUMER_NODE_MODULES_LIMIT_MB, ROOT, Step, diskUsageBytes, installInto, preparePackage, runWithLoadReport, typecheck } from "./build";
import { packageRoots } from "./loadReport";

/** An example consumer: its own package.json, Pulumi.yaml and stack, AWS only. */
const EXAMPLE = path.join(ROOT, "examples", "aws-cookie-cache");
const STACK = "dev";

interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}
interface Plan {
    readonly resources: PlannedResource[];
    readonly stackOutputs: Record<string, unknown>;
}

function logStep(step: Step): void {
    console.log(`      ${step.name}: ${step.skipped ? "up to date" : `${step.seconds.toFixed(1)} s`}`);
}

describe("an example project that installs the packed package (examples/aws-cookie-cache)", function () {
    // A fresh clone builds, packs and installs from npm's cache; later runs skip what is unchanged.
    this.timeout(900_000);
    const installed = path.join(EXAMPLE, "node_modules", "intergalactic-infra");

    before(() => {
        preparePackage();
        logStep(installInto(EXAMPLE));
    });

    it("gets the packed build of this version, not the sources", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
        assert.strictEqual(manifest.version, JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
        assert.ok(fs.existsSync(path.join(installed, "dist", "index.d.ts")));
        assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "installed from the tarball, not linked to the repository");
        assert.ok(!fs.existsSync(path.join(installed, "components")) && !fs.existsSync(path.join(installed, "tools")));
    });

    it(`installs no Azure SDK and stays within ${CONSUMER_NODE_MODULES_LIMIT_MB} MB of node_modules`, () => {
        const modules = path.join(EXAMPLE, "node_modules");
        const mb = diskUsageBytes(modules) / 1024 / 1024;
        console.log(`      node_modules: ${mb.toFixed(0)} MB`);
        assert.ok(!fs.existsSync(path.join(modules, "@pulumi", "azure-native")), "@pulumi/azure-native is installed");
        assert.ok(fs.existsSync(path.join(modules, "@pulumi", "aws")), "@pulumi/aws is not installed");
        assert.ok(mb <= CONSUMER_NODE_MODULES_LIMIT_MB, `node_modules takes ${mb.toFixed(0)} MB`);
    });

    it("type-checks against the installed package's declarations", () => {
        logStep(typecheck(EXAMPLE));
    });

    describe("planned offline with the package's own command (npx intergalactic plan)", () => {
        let plan: Plan;
        let loadedFiles: readonly string[];
        let stdout: string;
        let sarif: { version: string; runs: { results: unknown[] }[] };

        before(() => {
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "example-plan-")), "plan.json");
            const bin = path.join(EXAMPLE, "node_modules", ".bin", "intergalactic");
            const run = runWithLoadReport(bin, ["plan", "--stack", STACK, "--json", out, "--zone-loss", "--sarif", `${out}.sarif`], EXAMPLE);
            plan = JSON.parse(fs.readFileSync(out, "utf8"));
            sarif = JSON.parse(fs.readFileSync(`${out}.sarif`, "utf8"));
            loadedFiles = run.loadedFiles;
            stdout = run.stdout;
            fs.rmSync(path.dirname(out), { recursive: true, force: true });
        });

        it("prints the project, the stack and its cloud in the header, and the deployability verdict", () => {
            const [project, stack] = stdout.split("\n");
            assert.strictEqual(project, "Project cookie-cache, stack dev (.)");
            assert.match(stack, /^Stack dev \(aws\): \d+ resources, \d+ cloud resources$/);
            assert.match(stdout, /Deployability \(dev\): .* none missing/);
        });

        it("analyses the loss of each zone (the example installs @pulumi/policy for it) and writes the findings as SARIF", () => {
            assert.match(stdout, /us-east-1a/);
            assert.match(stdout, /network egress/);
            assert.strictEqual(sarif.version, "2.1.0");
            assert.deepStrictEqual(sarif.runs[0].results, []);
        });

        it("reads the project-level config of Pulumi.yaml (the region and the example's keys live only there)", () => {
            assert.ok(plan.resources.some((r) => r.type === "aws:ec2/subnet:Subnet" && /^us-east-1[a-f]$/.test(String(r.inputs.availabilityZone))));
            const vpc = plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
            assert.strictEqual(vpc?.inputs.cidrBlock, "10.42.0.0/16");
        });

        it("composes the components in the example's own component", () => {
            const byType = (type: string) => plan.resources.filter((r) => r.type === type).map((r) => r.name);
            assert.deepStrictEqual(byType("cookie-cache:index:CacheSite"), ["cookies"]);
            assert.deepStrictEqual(byType("intergalactic:index:Vpc3Az"), ["cookies-net"]);
            assert.deepStrictEqual(byType("intergalactic:index:HaRedis"), ["cookies-cache"]);
            assert.deepStrictEqual(byType("intergalactic:index:BastionHost"), ["cookies-bastion"]);
            assert.strictEqual(byType("aws:ec2/subnet:Subnet").length, 9);
            assert.strictEqual(byType("aws:elasticache/replicationGroup:ReplicationGroup").length, 1);
        });

        it("plans AWS resources only", () => {
            const foreign = plan.resources.filter((r) => !/^(aws|random|pulumi|intergalactic|cookie-cache):/.test(r.type));
            assert.deepStrictEqual(foreign.map((r) => r.type), []);
        });

        it("keeps the cache's credentials secret in the stack outputs", () => {
            assert.strictEqual(plan.stackOutputs.cacheConnectionString, "[secret]");
            assert.strictEqual(plan.stackOutputs.cachePort, 6379);
        });

        it("runs the installed package and the example's own SDKs, never @pulumi/azure-native", () => {
            const roots = packageRoots(loadedFiles).map((r) => path.relative(EXAMPLE, r));
            assert.ok(roots.includes(path.join("node_modules", "intergalactic-infra")), roots.join(", "));
            assert.ok(roots.includes(path.join("node_modules", "@pulumi", "aws")), roots.join(", "));
            assert.deepStrictEqual(roots.filter((r) => r.includes("azure-native")), []);
            assert.deepStrictEqual(loadedFiles.filter((f) => f.startsWith(path.join(ROOT, "components")) || f.startsWith(path.join(ROOT, "tools"))), []);
            assert.ok(loadedFiles.some((f) => f.startsWith(path.join(installed, "dist", "cli"))), "the plan ran the packed command");
        });
    });
    describe("checked offline with the package's policy pack (npx intergalactic policy)", () => {
        let stdout: string;
        let json: { passed: boolean; pack: { name: string }; findings: unknown[]; policies: { name: string; level: string }[] };
        let sarif: { version: string; runs: { tool: { driver: { name: string; rules: unknown[] } }; results: unknown[] }[] };

        before(() => {
            const out = fs.mkdtempSync(path.join(os.tmpdir(), "example-policy-"));
            const bin = path.join(EXAMPLE, "node_modules", ".bin", "intergalactic");
            stdout = runWithLoadReport(bin, ["policy", "--stack", STACK, "--config", "policy-config.dev.json",
                "--json", path.join(out, "policy.json"), "--sarif", path.join(out, "policy.sarif")], EXAMPLE).stdout;
            json = JSON.parse(fs.readFileSync(path.join(out, "policy.json"), "utf8"));
            sarif = JSON.parse(fs.readFileSync(path.join(out, "policy.sarif"), "utf8"));
            fs.rmSync(out, { recursive: true, force: true });
        });

        it("runs the shipped pack with the example's config and passes (exit 0)", () => {
            assert.match(stdout, /^Project cookie-cache, stack dev \(\.\)\nPolicy pack intergalactic-policies@\d+\.\d+\.\d+ on stack dev \(aws\): \d+ resources, \d+ policies/);
            assert.match(stdout, /PASSED: no mandatory violations/);
            assert.strictEqual(json.passed, true);
            assert.strictEqual(json.pack.name, "intergalactic-policies");
            // The config file was read: the one policy it turns off (a guard of this repository's own stacks) is off.
            assert.deepStrictEqual(json.policies.filter((p) => p.level === "disabled").map((p) => p.name), ["prod-data-loss"]);
        });

        it("writes the findings as JSON and SARIF 2.1.0, one rule per policy", () => {
            assert.deepStrictEqual(json.findings, []);
            assert.strictEqual(sarif.version, "2.1.0");
            assert.strictEqual(sarif.runs[0].tool.driver.name, "intergalactic-policies");
            assert.strictEqual(sarif.runs[0].tool.driver.rules.length, json.policies.length);
            assert.deepStrictEqual(sarif.runs[0].results, []);
        });

        it("passes with the pack's own prod defaults, saying in one line that prod-data-loss compared no deployed inventory and how to opt in", () => {
            const run = spawnSync(path.join(EXAMPLE, "node_modules", ".bin", "intergalactic"), ["policy", "--stack", STACK], { cwd: EXAMPLE, encoding: "utf8" });
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            assert.match(run.stdout, /\n {2}\[prod-data-loss\] the stack publishes no deployed data-store inventory, .*to opt in, .*requireDeployedInventory: true\n/);
            assert.match(run.stdout, /PASSED: no mandatory violations/);
        });

        it("fails with exit 1 and names the violation when a policy is violated (the deployed inventory required)", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-policy-config-"));
            const config = path.join(dir, "policy.json");
            fs.writeFileSync(config, JSON.stringify({ "prod-data-loss": { requireDeployedInventory: true } }));
            const run = spawnSync(path.join(EXAMPLE, "node_modules", ".bin", "intergalactic"), ["policy", "--stack", STACK, "--config", config], { cwd: EXAMPLE, encoding: "utf8" });
            fs.rmSync(dir, { recursive: true, force: true });
            assert.strictEqual(run.status, 1, run.stderr);
            assert.match(run.stdout, /Mandatory violations \(1\):\n {2}\[prod-data-loss\] the stack reads no deployed inventory .*requireDeployedInventory is true/);
            assert.match(run.stdout, /FAILED: 1 mandatory violation\(s\)/);
        });
    });
});
