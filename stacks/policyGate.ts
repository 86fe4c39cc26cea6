/**
 * A prod deployment runs with the policy pack. A program cannot see which policy packs the engine
 * loaded (no API reports them), so the gate is the documented command: `npm run pulumi -- up --stack
 * prod` always passes the pack and sets {@link POLICY_PACK_ENV} to it, and a prod `up` without that
 * variable is refused here, before anything is registered.
 *
 * Limits, honestly: the variable proves the documented command (or someone imitating it) started
 * the run, not that the engine enforced the pack; `pulumi up --policy-pack` by hand with the variable
 * set passes too. What the program itself guarantees does not depend on the pack: the data-loss
 * guard and every config rule run in the program. Enforcement nobody can skip from a laptop is a
 * Pulumi Cloud policy group with this pack attached to the prod stacks (server-side).
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { InvalidArgumentsError } from "../components/common";
import { isProdStack } from "./config/dataLoss";

/** Set by `npm run pulumi` to the policy pack it passed. */
export const POLICY_PACK_ENV = "INTERGALACTIC_POLICY_PACK";

/** True when the program runs under mocks (the offline plan and tests), where nothing is deployed. */
function underMocks(): boolean {
    const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: new (...args: never[]) => unknown };
    return pulumi.runtime.getMonitor() instanceof MockMonitor;
}

/** Why this run may not deploy, or undefined when it may. `env` and `dryRun` are the run's. */
export function policyGateProblem(stack: string, environment: string, env: NodeJS.ProcessEnv, dryRun: boolean): string | undefined {
    if (!isProdStack(stack, environment) || dryRun) return undefined;
    const pack = env[POLICY_PACK_ENV];
    const command = `npm run pulumi -- up --stack ${stack}`;
    if (!pack) return `${POLICY_PACK_ENV}: not set: a prod stack deploys only with its policy pack; run ${command}`;
    if (!fs.existsSync(path.join(pack, "PulumiPolicy.yaml"))) return `${POLICY_PACK_ENV}: ${JSON.stringify(pack)} is not a policy pack folder; run ${command}`;
    return undefined;
}

/** Refuses a prod `up` that was not started with the policy pack (see the file comment for what this proves). */
export function requirePolicyPack(stack: string, environment: string): void {
    if (underMocks()) return;
    const problem = policyGateProblem(stack, environment, process.env, pulumi.runtime.isDryRun());
    if (problem) throw new InvalidArgumentsError(`prod stack "${stack}"`, [problem]);
    if (isProdStack(stack, environment) && pulumi.runtime.isDryRun() && !process.env[POLICY_PACK_ENV]) {
        pulumi.log.warn(`a prod preview without the policy pack: run npm run pulumi -- preview --stack ${stack}`);
    }
}
