#!/usr/bin/env node
/**
 * `intergalactic <plan|policy|estimate> --stack <name>`: the package's command, for any Pulumi
 * project that uses these components. It plans the project's stack offline (its real program
 * under mocks, no Pulumi CLI, no cloud), prints the resources and checks the deploy and destroy
 * order, and optionally the zone-loss and region-loss analyses, the policy pack and the spin-up estimate.
 */
import * as fs from "fs";
import * as path from "path";
import { Plan, analyzeDeployability, estimateSpinUp, formatDeployability, formatEstimate, loadCreationTimes, loadZoneLoss, regionLossCheck, runPlan, summarize, writePlanFile } from "./engine";
import { ProjectError, findProject, openStack } from "./project";
import { planSarif } from "./sarif";

const COMMANDS = ["plan", "policy", "estimate"] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = "usage: intergalactic <plan|policy|estimate> --stack <name> [--project <dir>] [--json <file>] [--sarif <file>] [--zone-loss] [--region-loss] [--config <file>] [--junit <file>] [--parallel <n>]";

export const HELP = `${USAGE}

Plans a stack of the Pulumi project in this folder (or the nearest one above it) offline:
runs its program under mocks with the config of Pulumi.yaml (project-level config:) and
Pulumi.<stack>.yaml, with no Pulumi CLI and no cloud credentials.

  plan                 print the resources per component, type and zone, and check the deploy
                       and destroy order (exit 1 when a resource misses what it needs)
  policy               plan, then run the package's policy pack over the plan as pulumi preview
                       --policy-pack would (exit 1 on a mandatory violation; needs @pulumi/policy)
  estimate             plan, then predict the wall-clock time of a first pulumi up

  --stack <name>       the stack: Pulumi.<name>.yaml (required)
  --project <dir>      the Pulumi project (default: the nearest folder with a Pulumi.yaml)
  --json <file>        also write the full plan as JSON (policy: the findings as JSON)
  --sarif <file>       also write the findings (missing dependencies, zone and region losses;
                       policy: the policy violations) as SARIF 2.1.0
  --zone-loss          remove each zone in turn and judge every tier; with environment prod in
                       the stack's config, fail unless the stack survives every loss (needs
                       @pulumi/policy)
  --region-loss        remove each region in turn and judge every tier, with each store's recovery
                       point and whether its failover is automatic or manual; with environment prod,
                       fail unless the stack survives every loss (a one-region prod stack has nothing
                       to fail over to; for dev the check does not apply)
  --environment <env>  dev or prod for --zone-loss and --region-loss (default: the config's
                       intergalactic:environment, else dev)
  --config <file>      policy: the pack's config, as pulumi preview --policy-pack-config reads it
                       (default: every policy at the pack's own level and defaults, i.e. prod's)
  --junit <file>       policy: also write the findings as JUnit XML
  --parallel <n>       the estimate's parallelism (default: unbounded, the Pulumi CLI's default)
  --help               print this help

Exit codes: 0 fine, 1 the plan fails (the program's error, a missing dependency, a zone loss
or region loss prod does not survive, a mandatory policy violation), 2 the command cannot run (usage, stack
files, a missing region, a missing @pulumi/policy, a broken policy config).`;

export interface Options {
    readonly command: Command;
    readonly stack: string;
    readonly project?: string;
    readonly json?: string;
    readonly sarif?: string;
    readonly zoneLoss: boolean;
    readonly regionLoss: boolean;
    readonly environment?: string;
    readonly parallel?: number;
    readonly config?: string;
    readonly junit?: string;
}

/** The flags that take a value, and the commands each applies to. */
const VALUE_FLAGS: Readonly<Record<string, readonly Command[]>> = {
    "--stack": COMMANDS, "--project": COMMANDS, "--json": COMMANDS, "--sarif": COMMANDS, "--environment": ["plan", "estimate"],
    "--parallel": ["estimate"], "--config": ["policy"], "--junit": ["policy"],
};

/** Parses the command line; throws a ProjectError (exit 2) on anything it does not know. */
export function parseArgs(argv: readonly string[]): Options {
    const [command, ...rest] = argv;
    if (!(COMMANDS as readonly string[]).includes(command ?? "")) throw new ProjectError(`unknown command ${JSON.stringify(command ?? "")}; ${USAGE}`);
    const values: Record<string, string> = {};
    let zoneLoss = false;
    let regionLoss = false;
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        if (flag === "--zone-loss") {
            if (command === "policy") throw new ProjectError("--zone-loss applies to plan and estimate: policy runs the pack, whose zone policies judge the same plan");
            zoneLoss = true;
            continue;
        }
        if (flag === "--region-loss") {
            if (command === "policy") throw new ProjectError("--region-loss applies to plan and estimate: policy runs the pack over the same plan");
            regionLoss = true;
            continue;
        }
        const applies = VALUE_FLAGS[flag];
        if (!applies) throw new ProjectError(`unknown option ${flag}; ${USAGE}`);
        if (!applies.includes(command as Command)) throw new ProjectError(`${flag} applies to ${applies.join(" and ")}, not to ${command}`);
        const value = rest[++i];
        if (value === undefined || value.startsWith("--")) throw new ProjectError(`${flag} needs a value; ${USAGE}`);
        values[flag.slice(2)] = value;
    }
    if (!values.stack) throw new ProjectError(`missing --stack <name>; ${USAGE}`);
    if (values.parallel !== undefined && !/^[1-9]\d{0,8}$/.test(values.parallel)) {
        throw new ProjectError(`--parallel ${values.parallel}: applies to estimate and must be an integer from 1 to 999999999`);
    }
    if (values.environment !== undefined && !["dev", "prod"].includes(values.environment)) throw new ProjectError(`--environment ${values.environment}: use dev or prod`);
    return {
        command: command as Command,
        stack: values.stack,
        project: values.project,
        json: values.json,
        sarif: values.sarif,
        zoneLoss,
        regionLoss,
        environment: values.environment,
        parallel: values.parallel === undefined ? undefined : Number(values.parallel),
        ...(command === "policy" ? { config: values.config, junit: values.junit } : {}),
    };
}

/** Runs the command; returns its exit code. */
export async function main(argv: readonly string[], cwd = process.cwd(), print = (line: string) => console.log(line)): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h") || argv.length === 0) {
        print(HELP);
        return argv.length === 0 ? 2 : 0;
    }
    const options = parseArgs(argv);
    const projectDir = options.project ? path.resolve(cwd, options.project) : findProject(cwd);
    const { files, program } = openStack(projectDir, options.stack);
    print(`Project ${files.project}, stack ${files.stack} (${path.relative(cwd, projectDir) || "."})`);
    if (options.command === "policy") {
        // Loaded only here: the policy runner reaches the gRPC stack (@pulumi/pulumi/proto, google-protobuf),
        // which plan, estimate and --help must not need.
        const { reportPolicy, runPolicy } = require("./policy") as typeof import("./policy");
        const result = await runPolicy(() => runPlan({ ...files, program }), options.config && path.resolve(cwd, options.config));
        return reportPolicy(result, { json: options.json, sarif: options.sarif, junit: options.junit }, cwd, print);
    }
    const plan: Plan = await runPlan({ ...files, program });
    print(summarize(plan));
    if (options.json) {
        writePlanFile(path.resolve(cwd, options.json), plan);
        print(`\nWrote the plan to ${options.json}`);
    }
    const deployability = analyzeDeployability(plan);
    print(`\n${formatDeployability(deployability)}`);
    let ok = deployability.findings.length === 0;
    let zoneLossReport: { report: ReturnType<ReturnType<typeof loadZoneLoss>["analyzeZoneLoss"]>; required: boolean } | undefined;
    if (options.command === "estimate") print(`\n${formatEstimate(estimateSpinUp(plan, loadCreationTimes(), options.parallel))}`);
    if (options.zoneLoss) {
        let zoneLoss: ReturnType<typeof loadZoneLoss>;
        try {
            zoneLoss = loadZoneLoss();
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && /'@pulumi\/policy'/.test((err as Error).message)) {
                throw new ProjectError("--zone-loss needs @pulumi/policy, which is not installed in this project: run npm install @pulumi/policy@^1.21.0");
            }
            throw err;
        }
        const environment = options.environment ?? files.config["intergalactic:environment"] ?? "dev";
        const check = zoneLoss.zoneLossCheck(plan, environment);
        print(`\n${check.text}`);
        ok = ok && check.ok;
        zoneLossReport = { report: zoneLoss.analyzeZoneLoss(plan), required: environment === "prod" };
    }
    let regionLoss: { report: ReturnType<typeof regionLossCheck>["report"]; required: boolean } | undefined;
    if (options.regionLoss) {
        const environment = options.environment ?? files.config["intergalactic:environment"] ?? "dev";
        const check = regionLossCheck(plan, environment);
        print(`\n${check.text}`);
        ok = ok && check.ok;
        regionLoss = { report: check.report, required: environment === "prod" };
    }
    if (options.sarif) {
        const version = packageVersion();
        const sarif = planSarif(deployability, zoneLossReport?.report, zoneLossReport?.required ?? false, version, regionLoss);
        fs.writeFileSync(path.resolve(cwd, options.sarif), JSON.stringify(sarif, null, 2) + "\n");
        print(`\nWrote the findings to ${options.sarif}`);
    }
    return ok ? 0 : 1;
}

/** This package's version: from its package.json, found above this file (in the sources or in dist/cli). */
function packageVersion(): string {
    for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (!fs.existsSync(file)) continue;
        const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (manifest.name === "intergalactic-infra") return manifest.version ?? "";
    }
    return "";
}

/** The one line a failure prints: the message (components' argument errors are their own report), no stack trace. */
export function failureLine(err: unknown): { line: string; code: number } {
    const error = err instanceof Error ? err : new Error(String(err));
    // By name, not instanceof: the project's components are another copy of the package than this command.
    const known = ["InvalidArgumentsError", "MissingCloudSdkError"].includes(error.name);
    if (error instanceof ProjectError) return { line: `intergalactic: ${error.message}`, code: 2 };
    return { line: `intergalactic: the plan failed: ${error.message || error.name}${!known && process.env.INTERGALACTIC_DEBUG ? `\n${error.stack ?? ""}` : ""}`, code: 1 };
}

if (require.main === module) {
    const fail = (err: unknown): never => {
        const { line, code } = failureLine(err);
        console.error(line);
        process.exit(code);
    };
    // A check a component defers to an Output (e.g. a subnet id it can compare only once known) fails when the
    // program's resources are serialized, outside main's promise: it ends the plan with its message, not Node's dump of it.
    process.on("unhandledRejection", fail);
    main(process.argv.slice(2)).then((code) => process.exit(code), fail);
}
