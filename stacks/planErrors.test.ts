/**
 * Whole-program runs of broken stack configs: the plan fails fast with the reason, naming the
 * config key, never hangs, crashes or prints a bare "Error".
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planAttemptWith, planError, stackSection } from "./testing";

const ROOT = path.resolve(__dirname, "..");

describe("planning a broken stack config", () => {
    it("fails at once for brokerCount 3000000 instead of hanging", async () => {
        const started = Date.now();
        const message = await planError("dev", { "intergalactic:kafka": { size: "small", brokerCount: 3_000_000 } });
        assert.match(message, /intergalactic:kafka.brokerCount: 3000000 must be an integer from 1 to 60/);
        assert.ok(Date.now() - started < 5000);
    });

    // Refused by the config, before the network, the cluster and the other stores are registered: the component comes
    // after them, and a `pulumi up --skip-preview` would create them before it failed.
    it("refuses kafka.authentication iam on AWS, naming the config key, before anything is registered: the services would get no IAM role", async () => {
        const attempt = await planAttemptWith("dev", { "intergalactic:kafka": { size: "small", authentication: "iam" } });
        assert.match((attempt.error as Error).message, /intergalactic:kafka.authentication: "iam" is not built on AWS: MSK IAM access control needs each client's own IAM role/);
        assert.deepStrictEqual(attempt.resources.filter((r) => r.custom).map((r) => r.type), []);
    });

    it("refuses kafka.authentication iam on Azure, naming the config key, before anything is registered: no client has an identity", async () => {
        const attempt = await planAttemptWith("dev-azure", { "intergalactic:kafka": { size: "small", authentication: "iam" } });
        assert.match((attempt.error as Error).message, /intergalactic:kafka.authentication: "iam" is not built on Azure: Event Hubs' Entra ID \(OAUTHBEARER\) access needs each client's own workload identity/);
        assert.deepStrictEqual(attempt.resources.filter((r) => r.custom).map((r) => r.type), []);
    });

    // CookieServices refuses it too, but after the data stores and the certificates' validation record (which
    // outlives a destroy) are registered; the config refuses it first, on every stack.
    for (const [stack, host] of [["prod", "Cookies.intergalactic.example"], ["dev", "cookies.dev.intergalactic.example."], ["prod-azure", "*.azure.intergalactic.example"]]) {
        it(`refuses services.host ${host} on ${stack}, naming the config key, before anything is registered`, async () => {
            const attempt = await planAttemptWith(stack, { "intergalactic:services": { ...stackSection(stack, "services"), host } });
            assert.match((attempt.error as Error).message, new RegExp(`intergalactic:services.host: "${host.replace(/[.*]/g, "\\$&")}" is not a fully qualified host name such as cookies.example.com`));
            assert.deepStrictEqual(attempt.resources.filter((r) => r.custom).map((r) => r.type), []);
        });
    }

    it("keeps the reason when the offline plan knows no zones for a real region", async () => {
        const services = { host: "cookies.dev.intergalactic.example", certificateArn: "arn:aws:acm:ca-central-1:123456789012:certificate/00000000-0000-4000-8000-000000000001", imageTag: "1.0.0" };
        assert.match(await planError("dev", { "aws:region": "ca-central-1", "intergalactic:services": services }), /the offline plan knows no zones for AWS region "ca-central-1"/);
    });

    it("names the config key when a component rejects what a tier derived from it", async () => {
        const message = await planError("prod", { "intergalactic:mongo": { size: "medium", backupRetentionDays: 14, deletionProtection: true, finalSnapshot: true, instanceCount: 2 } });
        assert.match(message, /intergalactic:mongo.instanceCount: 2 must be at least the 3 zones/);
    });

    it("prints the reason, not a bare Error, on the command line", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-region-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: intergalactic\nruntime: nodejs\nmain: ${path.join(ROOT, "stacks/index.ts")}\n`);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  intergalactic:cloud: aws\n  intergalactic:environment: dev\n  aws:region: ca-central-1\n");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "--project", dir, "--stack", "dev"], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /plan failed: the offline plan knows no zones for AWS region "ca-central-1"/);
        assert.doesNotMatch(run.stderr, /^\s+at /m);
    });
});

/** The roles an AWS stack must declare as its deployers (intergalactic:cluster.adminPrincipalArns). */
const ADMINS = ["arn:aws:iam::123456789012:role/intergalactic-deployer"];

describe("planning a stack whose rules admit the internet", () => {
    const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0b3Blcm9wZXJhdG9yLWtleS1mb3ItdGVzdHMtb25seQ operator";
    for (const cidrs of [["0.0.0.0/1", "128.0.0.0/1"], ["1.0.0.0/8"]]) {
        it(`refuses SSH from ${cidrs.join(" + ")}, naming intergalactic:bastion.sshAllowedCidrs`, async () => {
            const message = await planError("prod", { "intergalactic:bastion": { size: "small", sshAllowedCidrs: cidrs, sshPublicKey: KEY } });
            assert.match(message, /intergalactic:bastion.sshAllowedCidrs: .* admit .*SSH would be open to the internet/);
        });
    }

    it("judges publicEndpointCidrs 0.0.0.0/1 + 128.0.0.0/1 as open to the internet, not as private space", async () => {
        const message = await planError("prod", { "intergalactic:cluster": { nodeSize: "medium", minNodesPerZone: 2, maxNodesPerZone: 10, logRetentionDays: 365, publicEndpointCidrs: ["0.0.0.0/1", "128.0.0.0/1"], adminPrincipalArns: ADMINS } });
        assert.match(message, /intergalactic:cluster.publicEndpointCidrs: \["0.0.0.0\/1","128.0.0.0\/1"\] admit the whole internet: the API server would be open/);
        assert.doesNotMatch(message, /private address space/);
    });

    it("refuses a repeated private endpoint range by its config key, not with the engine's duplicate URN", async () => {
        const message = await planError("prod", { "intergalactic:cluster": { nodeSize: "medium", minNodesPerZone: 2, maxNodesPerZone: 10, logRetentionDays: 365, publicEndpointCidrs: ["203.0.113.0/24"], adminPrincipalArns: ADMINS, privateEndpointCidrs: ["10.20.0.0/20", "10.20.0.0/20"] } });
        assert.match(message, /intergalactic:cluster.privateEndpointCidrs\[1\]: "10.20.0.0\/20" is listed twice/);
        assert.doesNotMatch(message, /Duplicate resource URN/);
    });

    it("accepts an operator range for the API endpoint", async () => {
        assert.strictEqual(await planError("prod", { "intergalactic:cluster": { nodeSize: "medium", minNodesPerZone: 2, maxNodesPerZone: 10, logRetentionDays: 365, publicEndpointCidrs: ["203.0.113.0/24"], adminPrincipalArns: ADMINS } }), "");
    });
});

describe("planning services with secrets in their settings", () => {
    const services = (env: Record<string, unknown>) => ({
        host: "cookies.dev.intergalactic.example", imageTag: "1.0.0",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000001",
        services: [{ name: "web", image: "ghcr.io/intergalactic/web", public: true, ...env }],
    });

    it("refuses DB_PASSWORD: hunter2 in a service's env, naming the config key", async () => {
        const message = await planError("dev", { "intergalactic:services": services({ env: { DB_PASSWORD: "hunter2" } }) });
        assert.match(message, /intergalactic:services.services\[0\].env.DB_PASSWORD: a plain value that looks like a secret \(its name marks a secret\)/);
        assert.doesNotMatch(message, /hunter2/);
    });

    it("takes the secret from a Kubernetes Secret instead, by reference", async () => {
        assert.strictEqual(await planError("dev", { "intergalactic:services": services({ secretEnv: [{ name: "DB_PASSWORD", secretName: "web-db", key: "password" }] }) }), "");
    });
});
