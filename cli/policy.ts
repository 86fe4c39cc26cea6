/**
 * `intergalactic policy --stack <name>`: the package's policy pack over a consumer's stack,
 * offline. The stack is planned under mocks (as `intergalactic plan` does) and the pack judges
 * it as `pulumi preview --policy-pack` would: the same Analyzer calls, answered by the handlers
 * `@pulumi/policy` builds for the pack, loaded in this process (policies/runner/inProcess.ts),
 * and the same config file format (`--policy-pack-config`).
 *
 * The pack needs `@pulumi/policy`, an optional peer of this package: a project without it gets
 * one sentence naming what to install, before anything is planned.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyConfigError, readConfigFile } from "../policies/runner/config";
import { jsonReport, junitReport, sarifReport, textReport } from "../policies/runner/report";
import { PolicyRunResult, PolicySession, hasMandatoryViolation } from "../policies/runner/session";
import { Plan } from "./engine";
import { ProjectError } from "./project";

/** The version range of `@pulumi/policy` the pack is built against (this package's peer dependency). */
export const POLICY_SDK_RANGE = "^1.21.0";

/** Where the pack the command runs is, and the folder whose package.json gives its version. */
export interface PackLocation {
    readonly program: string;
    readonly cwd: string;
}

/**
 * The shipped pack: compiled beside this file in `dist/cli/policies/pack/`, versioned by the package's own
 * package.json. Undefined when this file runs from the sources (the repository's pack is compiled on demand).
 */
export function shippedPack(dir = __dirname): PackLocation | undefined {
    const program = path.resolve(dir, "..", "policies", "pack");
    if (!fs.existsSync(path.join(program, "index.js"))) return undefined;
    return { program, cwd: path.resolve(dir, "..", "..", "..") };
}

/**
 * Refuses to run without `@pulumi/policy` where the pack would load it from (`from`, the pack's folder):
 * the pack's process would otherwise die with a module-not-found stack trace.
 */
export function requirePolicySdk(from: string): void {
    try {
        require.resolve("@pulumi/policy", { paths: [from] });
    } catch {
        throw new ProjectError(`policy needs @pulumi/policy, which is not installed in this project: run npm install @pulumi/policy@${POLICY_SDK_RANGE}`);
    }
}

/**
 * The pack's config: the file given (the format of `pulumi preview --policy-pack-config`), or none, which
 * runs every policy at the level and with the defaults the pack declares (strict: prod).
 */
export function policyConfig(file: string | undefined): { raw: Record<string, unknown>; file?: string } {
    if (file === undefined) return { raw: {} };
    if (!fs.existsSync(file)) throw new ProjectError(`--config ${file}: there is no such file (the pack's config, as pulumi preview --policy-pack-config reads it)`);
    try {
        return { raw: readConfigFile(file), file };
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new ProjectError(err.message);
        if (err instanceof SyntaxError) throw new ProjectError(`--config ${file}: is not JSON: ${err.message}`);
        throw err;
    }
}

/** What the policy command writes besides its report. */
export interface PolicyOutputs {
    readonly json?: string;
    readonly sarif?: string;
    readonly junit?: string;
}

/**
 * Loads the pack, plans with `plan`, runs the pack over the plan and writes the reports.
 * Returns the result; the caller prints it and exits 1 on a mandatory violation.
 */
export async function runPolicy(plan: () => Promise<Plan>, configFile: string | undefined, pack = shippedPack()): Promise<PolicyRunResult> {
    requirePolicySdk(pack?.program ?? __dirname);
    const config = policyConfig(configFile);
    const opening = PolicySession.open(pack);
    opening.catch(() => undefined); // a failed start is reported where it is awaited, after the plan
    let planned: Plan;
    try {
        planned = await plan();
    } catch (err) {
        await opening.then((s) => s.stop(), () => undefined);
        throw err;
    }
    const session = await opening;
    try {
        try {
            await session.configure(config.raw, config.file);
        } catch (err) {
            if (err instanceof PolicyConfigError) throw new ProjectError(err.message);
            throw err;
        }
        return await session.run(planned);
    } finally {
        session.stop();
    }
}

/** Prints the report and writes the files asked for; returns the exit code (1 on a mandatory violation). */
export function reportPolicy(result: PolicyRunResult, outputs: PolicyOutputs, cwd: string, print: (line: string) => void): number {
    print(textReport(result));
    const files: [string | undefined, string, () => string][] = [
        [outputs.json, "the findings as JSON", () => jsonReport(result)],
        [outputs.sarif, "the findings as SARIF", () => sarifReport(result)],
        [outputs.junit, "the findings as JUnit XML", () => junitReport(result)],
    ];
    for (const [file, what, render] of files) {
        if (!file) continue;
        fs.writeFileSync(path.resolve(cwd, file), render());
        print(`Wrote ${what} to ${file}`);
    }
    return hasMandatoryViolation(result) ? 1 : 0;
}
