import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HELP, failureLine, main, parseArgs } from "./intergalactic";
import { POLICY_SDK_RANGE, policyConfig, requirePolicySdk } from "./policy";
import { ProjectError, checkRegion, findProject, openStack } from "./project";

/** A consumer project in a temporary folder. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intergalactic-cli-"));
    const all = { "Pulumi.yaml": "name: shop\nruntime: nodejs\n", "package.json": JSON.stringify({ dependencies: { "@pulumi/aws": "7.48.0" } }), ...files };
    for (const [name, text] of Object.entries(all)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const ROOT = path.join(__dirname, "..");

/** Runs the command from source in a project of `project()` with this repository's SDKs linked, then removes the project. */
function runIn(dir: string, argv: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
    for (const sdk of ["pulumi", "aws"]) fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", sdk), path.join(dir, "node_modules", "@pulumi", sdk));
    const { spawnSync } = require("child_process") as typeof import("child_process");
    const run = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools", "launch", "register.js"), path.join(__dirname, "intergalactic.ts"), ...argv, "--project", dir], { encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("the intergalactic command", () => {
    it("prints its help, explaining every flag of its usage line, with exit 0", async () => {
        const lines: string[] = [];
        assert.strictEqual(await main(["--help"], os.tmpdir(), (l) => lines.push(l)), 0);
        const [usage, ...body] = lines.join("\n").split("\n");
        assert.match(usage, /^usage: intergalactic <plan\|policy\|estimate> --stack <name>/);
        const flags = [...new Set([...usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
        assert.deepStrictEqual(flags.filter((f) => !body.some((l) => l.trimStart().startsWith(f))), []);
        assert.strictEqual(HELP, lines.join("\n"));
    });

    it("parses a plan command line", () => {
        assert.deepStrictEqual(parseArgs(["plan", "--stack", "dev", "--json", "p.json", "--zone-loss"]), {
            command: "plan", stack: "dev", project: undefined, json: "p.json", sarif: undefined, zoneLoss: true, regionLoss: false, environment: undefined, parallel: undefined,
        });
        assert.strictEqual(parseArgs(["estimate", "--stack", "dev", "--parallel", "8"]).parallel, 8);
    });

    it("parses a policy command line, with the pack's config and JUnit output", () => {
        assert.deepStrictEqual(parseArgs(["policy", "--stack", "prod", "--config", "policy.json", "--sarif", "p.sarif", "--junit", "p.xml"]), {
            command: "policy", stack: "prod", project: undefined, json: undefined, sarif: "p.sarif", zoneLoss: false, regionLoss: false, environment: undefined, parallel: undefined,
            config: "policy.json", junit: "p.xml",
        });
    });

    it("names @pulumi/policy's range as the package's peer dependency declares it", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
        assert.strictEqual(POLICY_SDK_RANGE, manifest.peerDependencies["@pulumi/policy"]);
    });

    it("refuses to run the policy pack where @pulumi/policy cannot be found, in one sentence (exit 2)", () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "no-policy-sdk-"));
        assert.throws(() => requirePolicySdk(outside), (err: Error) => err instanceof ProjectError
            && err.message === "policy needs @pulumi/policy, which is not installed in this project: run npm install @pulumi/policy@^1.21.0");
        assert.doesNotThrow(() => requirePolicySdk(__dirname));
    });

    it("refuses a missing or broken policy config file, naming it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        assert.throws(() => policyConfig(path.join(dir, "none.json")), /^Error: --config .*none.json: there is no such file|--config .*none.json: there is no such file/);
        fs.writeFileSync(path.join(dir, "bad.json"), "{ nope");
        assert.throws(() => policyConfig(path.join(dir, "bad.json")), (err: Error) => err instanceof ProjectError && /bad.json: is not JSON/.test(err.message));
        assert.deepStrictEqual(policyConfig(undefined), { raw: {} });
    });

    for (const [what, argv, message] of [
        ["an unknown command", ["deploy", "--stack", "dev"], /unknown command "deploy"/],
        ["a missing stack", ["plan"], /missing --stack <name>/],
        ["an unknown flag", ["plan", "--stack", "dev", "--fast"], /unknown option --fast/],
        ["a flag without its value", ["plan", "--stack"], /--stack needs a value/],
        ["--parallel on plan", ["plan", "--stack", "dev", "--parallel", "4"], /--parallel applies to estimate, not to plan/],
        ["--config on plan", ["plan", "--stack", "dev", "--config", "p.json"], /--config applies to policy, not to plan/],
        ["--zone-loss on policy", ["policy", "--stack", "dev", "--zone-loss"], /--zone-loss applies to plan and estimate/],
        ["--region-loss on policy", ["policy", "--stack", "dev", "--region-loss"], /--region-loss applies to plan and estimate/],
        ["an unknown environment", ["plan", "--stack", "dev", "--environment", "staging"], /--environment staging: use dev or prod/],
    ] as const) {
        it(`refuses ${what} with the usage, as a usage error (exit 2)`, () => {
            assert.throws(() => parseArgs(argv), (err: Error) => err instanceof ProjectError && message.test(err.message));
            assert.strictEqual(failureLine(new ProjectError("x")).code, 2);
        });
    }

    it("finds the project in a parent folder, as the Pulumi CLI does", () => {
        const dir = project({ "src/index.ts": "" });
        assert.strictEqual(findProject(path.join(dir, "src")), dir);
        assert.throws(() => findProject(fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"))), /no Pulumi.yaml in .* or any folder above it/);
    });

    it("refuses a stack without aws:region in a project that uses @pulumi/aws, instead of assuming one", () => {
        const dir = project({ "Pulumi.dev.yaml": "config:\n  shop:size: small\n" });
        assert.throws(() => openStack(dir, "dev"), (err: Error) => err instanceof ProjectError
            && /^aws:region is not set for stack dev: set it in Pulumi.dev.yaml or in Pulumi.yaml's config \(e.g. aws:region: us-east-1\); the offline plan assumes no region$/.test(err.message));
    });

    it("refuses an Azure stack without azure-native:location", () => {
        const dir = project({ "package.json": JSON.stringify({ dependencies: { "@pulumi/azure-native": "3.28.0" } }), "Pulumi.dev.yaml": "config: {}\n" });
        assert.throws(() => openStack(dir, "dev"), /azure-native:location is not set for stack dev/);
    });

    it("takes the region from Pulumi.yaml's project-level config", () => {
        const dir = project({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nconfig:\n  aws:region: eu-west-1\n", "Pulumi.dev.yaml": "config: {}\n" });
        assert.doesNotThrow(() => checkRegion({ project: "shop", stack: "dev", main: dir, config: { "aws:region": "eu-west-1" } }, dir));
        assert.throws(() => openStack(dir, "dev"), (err: Error) => !/aws:region/.test(err.message));
    });

    it("lists the known stacks when the stack file is missing", () => {
        const dir = project({ "Pulumi.dev.yaml": "config: {}\n", "Pulumi.prod.yaml": "config: {}\n" });
        assert.throws(() => openStack(dir, "qa"), /^Error: unknown stack "qa": there is no Pulumi.qa.yaml; known stacks: dev, prod$|unknown stack "qa": there is no Pulumi.qa.yaml; known stacks: dev, prod/);
    });

    it("reports a component's own argument error as the plan's failure, without a stack trace", () => {
        const error = Object.assign(new Error("Invalid arguments for Vpc3Az \"net\":\n - zoneCount: 1 must be an integer from 2 to 6"), { name: "InvalidArgumentsError" });
        assert.deepStrictEqual(failureLine(error), { line: `intergalactic: the plan failed: ${error.message}`, code: 1 });
    });
});

describe("the plan command's --region-loss", function () {
    this.timeout(120_000);
    /** A consumer project of one region: a network in us-east-1. */
    const oneRegion = () => project({
        "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n",
        "index.ts": [
            `import { Vpc3Az } from ${JSON.stringify(path.join(ROOT, "components", "network"))};`,
            `export = async () => { new Vpc3Az("net", { cloud: "aws", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1d"] }); };`,
        ].join("\n"),
    });

    it("does not apply to a one-region dev stack (exit 0), and fails it as prod: nothing to fail over to (exit 1)", () => {
        assert.strictEqual(parseArgs(["plan", "--stack", "dev", "--region-loss"]).regionLoss, true);
        const dev = runIn(oneRegion(), ["plan", "--stack", "dev", "--region-loss"]);
        assert.strictEqual(dev.status, 0, dev.stderr);
        assert.match(dev.stdout, /^Region-loss analysis of stack dev \(aws\): 1 region\(s\): us-east-1\nRESULT: not applicable: dev runs in one region/m);
        const prod = runIn(oneRegion(), ["plan", "--stack", "dev", "--region-loss", "--environment", "prod"]);
        assert.strictEqual(prod.status, 1, prod.stderr);
        assert.match(prod.stdout, /^RESULT: dev does not survive the loss of its only region: a one-region stack has nothing to fail over to/m);
    });
});

describe("the command's SARIF output", () => {
    it("reports each missing dependency and each tier a zone loss takes down, as SARIF 2.1.0", () => {
        const { planSarif } = require("./sarif") as typeof import("./sarif");
        const finding = { urn: "urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::ng", type: "aws:eks/nodeGroup:NodeGroup", name: "ng", gate: "node-role-policies", missing: "its role's policies", reason: "a node group needs them to join", source: "Terraform aws_eks_node_group docs" };
        const sarif = planSarif({ stack: "dev", findings: [finding], checked: 1, satisfied: 0 } as never, {
            stack: "dev", cloud: "aws", zones: ["a", "b"], survives: false,
            scenarios: [{ lostZone: "a", survives: false, tiers: [{ tier: "network egress", status: "down", detail: "the only NAT gateway was in a" }, { tier: "kafka", status: "serving", detail: "" }] }],
        } as never, true, "0.1.0") as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string } }[] }[] };
        assert.strictEqual(sarif.version, "2.1.0");
        assert.deepStrictEqual(sarif.runs[0].tool.driver.rules.map((r) => r.id), ["deployability/node-role-policies", "zone-loss"]);
        assert.deepStrictEqual(sarif.runs[0].results.map((r) => [r.ruleId, r.level, r.message.text]), [
            ["deployability/node-role-policies", "error", "aws:eks/nodeGroup:NodeGroup ng misses its role's policies: a node group needs them to join (Terraform aws_eks_node_group docs)"],
            ["zone-loss", "error", "losing zone a takes down network egress: the only NAT gateway was in a"],
        ]);
    });

    it("reports each tier a region loss takes down, and a prod stack of one region, as SARIF results", () => {
        const { planSarif } = require("./sarif") as typeof import("./sarif");
        type Log = { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string } }[] }[] };
        const deployability = { stack: "prod", findings: [], checked: 0, satisfied: 0 } as never;
        const two = planSarif(deployability, undefined, false, "0.1.0", { required: true, report: {
            stack: "prod", cloud: "aws", regions: ["eu-west-1", "us-east-1"], recovery: [], userDatabaseWrites: [], survives: false,
            scenarios: [{ lostRegion: "eu-west-1", survives: false, needsPerson: false, tiers: [
                { tier: "global entry", status: "down", failover: "none", detail: "entry-latency-eu-west-1 send(s) clients to eu-west-1 with nothing checking its health" },
                { tier: "user database", status: "manual", failover: "manual", detail: "writes stop until a person fails over" },
            ] }],
        } }) as Log;
        assert.deepStrictEqual(two.runs[0].tool.driver.rules.map((r) => r.id), ["region-loss"]);
        assert.deepStrictEqual(two.runs[0].results.map((r) => [r.level, r.message.text]), [
            ["error", "losing region eu-west-1 takes down global entry: entry-latency-eu-west-1 send(s) clients to eu-west-1 with nothing checking its health"],
        ]);
        const one = planSarif(deployability, undefined, false, "0.1.0", { required: true, report: { stack: "prod", cloud: "aws", regions: ["eu-west-1"], recovery: [], userDatabaseWrites: [], survives: false, scenarios: [] } }) as Log;
        assert.deepStrictEqual(one.runs[0].results.map((r) => r.message.text), ["a one-region stack has nothing to fail over to"]);
        const dev = planSarif(deployability, undefined, false, "0.1.0", { required: false, report: { stack: "dev", cloud: "aws", regions: ["us-east-1"], recovery: [], userDatabaseWrites: [], survives: false, scenarios: [] } }) as Log;
        assert.deepStrictEqual(dev.runs[0].results, []);
    });
});

describe("the plan command given a second same-layout Vpc3Az's subnets (review R3 of #15)", function () {
    this.timeout(120_000);
    /** A project whose program wires HaRedis to network a with `subnets`, run by the command from source. */
    function planWith(subnets: string): { status: number | null; stdout: string; stderr: string } {
        const dir = project({
            "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n",
            "index.ts": [
                `import * as pulumi from "@pulumi/pulumi";`,
                `import { Vpc3Az } from ${JSON.stringify(path.join(ROOT, "components", "network"))};`,
                `import { HaRedis } from ${JSON.stringify(path.join(ROOT, "components", "redis"))};`,
                `export = async () => {`,
                `    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];`,
                `    const a = new Vpc3Az("a", { cloud: "aws", availabilityZones: zones });`,
                `    const b = new Vpc3Az("b", { cloud: "aws", availabilityZones: zones });`,
                `    void pulumi, b;`,
                `    new HaRedis("cache", { cloud: "aws", network: a.facts(), subnets: ${subnets}, allowedClientCidrs: ["10.0.0.0/20"] });`,
                `};`,
            ].join("\n"),
        });
        return runIn(dir, ["plan", "--stack", "dev"]);
    }

    it("ends with HaRedis's arg error naming the subnet and the other network, exit 1, before any store is planned", () => {
        const run = planWith(`b.selectSubnets({ tier: "data" })`);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stderr, /^intergalactic: the plan failed: Invalid arguments for HaRedis "cache":\n - subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10\.0\.20\.0\/22"\} is a subnet of another network, Vpc3Az "b" \(10\.0\.0\.0\/16\)/);
        assert.doesNotMatch(run.stdout, /resources/);
    });

    it("ends a check that only the ids can settle (ids as new Outputs, as another language passes them) with its message, not an object dump", () => {
        const run = planWith(`a.selectSubnets({ tier: "data" }).map((s) => ({ ...s, id: pulumi.output("subnet-elsewhere") }))`);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(run.stderr, /^intergalactic: the plan failed: .*subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10\.0\.20\.0\/22"\} has id subnet-elsewhere, not the id subnet-\w+ of the network's subnet with these facts/m);
        assert.doesNotMatch(run.stderr, /<ref|\[Circular|Promise \{/);
    });
});
