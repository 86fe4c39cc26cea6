/**
 * Whole-program runs of broken stack configs: the plan fails fast with the reason, naming the
 * config key, never hangs, crashes or prints a bare "Error".
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { attemptPlan } from "../tools/plan/runPlan";
import { loadStackFiles } from "../tools/plan/stackFiles";
import { program } from "./program";

const ROOT = path.resolve(__dirname, "..");

/** Runs a stack's program with some keys of its stack file replaced; returns the error's message, or "" when it plans. */
export async function planError(stack: string, overrides: Record<string, unknown>): Promise<string> {
    const files = loadStackFiles(ROOT, stack);
    const config = { ...files.config };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete config[key];
        else config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const attempt = await attemptPlan({ project: files.project, stack, config, program });
    return attempt.error === undefined ? "" : (attempt.error as Error).message;
}

describe("planning a broken stack config", () => {
    it("fails at once for brokerCount 3000000 instead of hanging", async () => {
        const started = Date.now();
        const message = await planError("dev", { "intergalactic:kafka": { size: "small", brokerCount: 3_000_000 } });
        assert.match(message, /intergalactic:kafka.brokerCount: 3000000 must be an integer from 1 to 60/);
        assert.ok(Date.now() - started < 5000);
    });

    it("keeps the reason when the offline plan knows no zones for a real region", async () => {
        assert.match(await planError("dev", { "aws:region": "ca-central-1" }), /the offline plan knows no zones for AWS region "ca-central-1"/);
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
