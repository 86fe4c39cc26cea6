import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, consumerCopy, diskUsageBytes, installInto, preparePackage, runWithLoadReport, typecheck } from "./build";
import { packageRoots } from "./loadReport";

/**
 * An Azure-only consumer: it installs @pulumi/azure-native and not @pulumi/aws. @pulumi/azure-native
 * alone takes 136 MB, and @pulumi/kubernetes (23 MB) is a dependency of the package, so the Azure
 * install is allowed a little more than the AWS one's 250 MB.
 */
const AZURE_NODE_MODULES_LIMIT_MB = 270;

describe("an Azure-only project that installs the packed package (a copy of examples/azure-network outside the repository)", function () {
    this.timeout(900_000);
    let EXAMPLE: string;
    let modules: string;

    before(() => {
        preparePackage();
        EXAMPLE = consumerCopy(path.join(ROOT, "examples", "azure-network"));
        modules = path.join(EXAMPLE, "node_modules");
        installInto(EXAMPLE);
    });

    it(`installs no AWS SDK and stays within ${AZURE_NODE_MODULES_LIMIT_MB} MB of node_modules`, () => {
        const mb = diskUsageBytes(modules) / 1024 / 1024;
        console.log(`      node_modules: ${mb.toFixed(0)} MB`);
        assert.ok(!fs.existsSync(path.join(modules, "@pulumi", "aws")), "@pulumi/aws is installed");
        assert.ok(fs.existsSync(path.join(modules, "@pulumi", "azure-native")), "@pulumi/azure-native is not installed");
        assert.ok(mb <= AZURE_NODE_MODULES_LIMIT_MB, `node_modules takes ${mb.toFixed(0)} MB`);
    });

    it("type-checks against the installed package's declarations", () => {
        typecheck(EXAMPLE);
    });

    it("gets one sentence naming the package to install when it asks for an AWS component", () => {
        const script = "require('intergalactic-infra').availabilityZoneNames('aws').then(() => console.log('loaded'), (e) => console.log(e.message))";
        const out = execFileSync(process.execPath, ["-e", script], { cwd: EXAMPLE, encoding: "utf8" }).trim();
        assert.strictEqual(out, "Components built for aws need @pulumi/aws, which is not installed in this project: run npm install @pulumi/aws@^7.48.0");
    });

    it("gets one sentence naming the package to install when it runs the policy pack without @pulumi/policy (exit 2)", () => {
        assert.ok(!fs.existsSync(path.join(modules, "@pulumi", "policy")), "@pulumi/policy is installed");
        const run = spawnSync(path.join(modules, ".bin", "intergalactic"), ["policy", "--stack", "dev"], { cwd: EXAMPLE, encoding: "utf8" });
        assert.strictEqual(run.status, 2, run.stdout + run.stderr);
        assert.strictEqual(run.stderr.trim(), "intergalactic: policy needs @pulumi/policy, which is not installed in this project: run npm install @pulumi/policy@^1.21.0");
    });

    it("plans offline through its installed command, Azure resources only, never loading @pulumi/aws", () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "azure-example-")), "plan.json");
        const run = runWithLoadReport(path.join(modules, ".bin", "intergalactic"), ["plan", "--stack", "dev", "--json", out], EXAMPLE);
        const plan = JSON.parse(fs.readFileSync(out, "utf8")) as { cloud: string; resources: { type: string; inputs: Record<string, unknown> }[] };
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
        assert.match(run.stdout, /^Project azure-network, stack dev \(\.\)\nStack dev \(azure\): \d+ resources/);
        assert.strictEqual(plan.cloud, "azure");
        assert.deepStrictEqual(plan.resources.filter((r) => !/^(azure-native|pulumi|intergalactic):/.test(r.type)).map((r) => r.type), []);
        // The range comes from Pulumi.yaml's project-level config (and the location too: without one the command refuses).
        const vnet = plan.resources.find((r) => r.type === "azure-native:network:VirtualNetwork");
        assert.deepStrictEqual(vnet?.inputs.addressSpace, { addressPrefixes: ["10.60.0.0/16"] });
        const roots = packageRoots(run.loadedFiles).map((r) => path.relative(EXAMPLE, r));
        assert.ok(roots.includes(path.join("node_modules", "@pulumi", "azure-native")), roots.join(", "));
        assert.deepStrictEqual(roots.filter((r) => r.includes(path.join("@pulumi", "aws"))), []);
    });
});
