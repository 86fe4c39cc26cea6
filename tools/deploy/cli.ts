/**
 * `npm run pulumi -- <preview|up|refresh|destroy> --stack <name> [pulumi flags...]`: the documented way
 * to run the Pulumi CLI on a stack here. It compiles the policy pack and always passes it, with the
 * stack's own policy config (`--policy-pack policies --policy-pack-config policies/config/<stack>.json`),
 * and tells the program so (`INTERGALACTIC_POLICY_PACK`): a prod program refuses `up` without it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { compilePack, POLICIES_DIR } from "../../policies/runner/compile";
import { POLICY_PACK_ENV } from "../../stacks/policyGate";

const ROOT = path.resolve(__dirname, "../..");
const COMMANDS = ["preview", "up", "refresh", "destroy"] as const;
const USAGE = `usage: npm run pulumi -- <${COMMANDS.join("|")}> --stack <name> [pulumi flags...]`;

/** What `--help` prints. */
export const DEPLOY_HELP = `${USAGE}

Runs the Pulumi CLI on a stack with the policy pack always attached: compiles it and
passes --policy-pack policies --policy-pack-config policies/config/<stack>.json, so every
preview and up is judged by the same mandatory policies as npm run policy. A prod stack
refuses an up started any other way. Every other flag goes to pulumi unchanged.

  <command>        preview, up, refresh or destroy
  --stack <name>   the stack (required): Pulumi.<name>.yaml
  --help           print this help`;

export class DeployUsageError extends Error {}

/** The pulumi arguments and environment for a command line; throws a usage error on anything unclear. */
export function pulumiInvocation(argv: readonly string[], root = ROOT): { args: string[]; env: Record<string, string> } {
    const [command, ...rest] = argv;
    if (!(COMMANDS as readonly string[]).includes(command ?? "")) throw new DeployUsageError(`unknown command ${JSON.stringify(command ?? "")}; ${USAGE}`);
    const at = rest.indexOf("--stack");
    const stack = at >= 0 ? rest[at + 1] : undefined;
    if (!stack || stack.startsWith("-")) throw new DeployUsageError(`missing --stack <name>; ${USAGE}`);
    if (rest.some((a) => a.startsWith("--policy-pack"))) throw new DeployUsageError("--policy-pack is set here, from the stack's name: do not pass it");
    const policyConfig = path.join(POLICIES_DIR, "config", `${stack}.json`);
    if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`)) || !fs.existsSync(policyConfig)) {
        throw new DeployUsageError(`unknown stack "${stack}": it needs Pulumi.${stack}.yaml and policies/config/${stack}.json`);
    }
    return {
        args: [command, ...rest, "--policy-pack", POLICIES_DIR, "--policy-pack-config", policyConfig],
        env: { [POLICY_PACK_ENV]: POLICIES_DIR },
    };
}

if (require.main === module && (process.argv.includes("--help") || process.argv.includes("-h"))) {
    console.log(DEPLOY_HELP);
} else if (require.main === module) {
    try {
        const { args, env } = pulumiInvocation(process.argv.slice(2));
        compilePack();
        const run = spawnSync("pulumi", args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
        if (run.error) throw new DeployUsageError(`cannot run pulumi: ${run.error.message}`);
        process.exit(run.status ?? 1);
    } catch (err) {
        console.error(`pulumi failed: ${(err as Error).message}`);
        process.exit(1);
    }
}
