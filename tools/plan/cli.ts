/**
 * `npm run plan -- --stack <name> [--json <file>] [--project <dir>] [--zone-loss] [--region-loss] [--estimate [--parallel <n>]]`: runs the
 * stack's real program under mocks with its Pulumi.<stack>.yaml config and
 * prints a summary and the deployability analysis (exit 1 when a resource misses
 * what it needs on create or destroy). `--project` plans another Pulumi project (e.g. one that
 * consumes these components) instead of this one.
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT, planStack } from "../../engine/planStack";
import { StackFileError, loadStackFiles } from "../../engine/stackFiles";
import { summarize } from "../../engine/summary";
import { writePlanFile } from "../../engine/planFile";
import { analyzeDeployability, formatDeployability } from "../../engine/deployability/analyze";
import { InvalidArgumentsError } from "../../components/common/validation";
import { loadCreationTimes } from "../estimate/creationTimes";
import { estimateSpinUp, formatEstimate } from "../estimate/estimate";
import { loadOperationTimes } from "../estimate/operationTimes";
import { NOTHING, estimateTransition, formatTransition } from "../estimate/transition";
import { loadPrices } from "../estimate/cost";
import { formatStampCosts, stampCosts } from "../estimate/stampCost";
import { zoneLossCheck } from "../../policies/zoneLoss";
import { regionLossCheck } from "../../policies/regionLoss";

export interface PlanCliOptions {
    stack: string;
    json?: string;
    project?: string;
    /** Also analyse the loss of each zone (policies/zoneLoss); fails a prod stack that does not survive one. */
    zoneLoss?: boolean;
    /** Also analyse the loss of each region (policies/regionLoss); fails a prod stack that does not survive one. */
    regionLoss?: boolean;
    /** Also print the spin-up estimate of `pulumi up` (tools/estimate). */
    estimate?: boolean;
    /** The parallelism of the estimate; the Pulumi CLI's default when omitted. */
    parallel?: number;
    /** A plan file (`--json` of an earlier plan) whose stack outputs stand for the last deployment's. */
    previous?: string;
}

/** Flags that take a value, and the option each sets. */
const VALUE_FLAGS: Readonly<Record<string, keyof PlanCliOptions>> = {
    "--stack": "stack",
    "--json": "json",
    "--project": "project",
    "--parallel": "parallel",
    "--previous": "previous",
};
/** Flags that take no value, and the option each turns on. */
const SWITCH_FLAGS: Readonly<Record<string, keyof PlanCliOptions>> = {
    "--zone-loss": "zoneLoss",
    "--region-loss": "regionLoss",
    "--estimate": "estimate",
};
const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--project <dir>] [--previous <plan.json>] [--zone-loss] [--region-loss] [--estimate [--parallel <n>]]";

/** What `--help` prints. */
export const PLAN_HELP = `${USAGE}

Plans a stack offline: runs the project's program under mocks with Pulumi.yaml and
Pulumi.<stack>.yaml, prints the resources per component, type and zone, and checks
the deploy and destroy order (exit 1 when a resource misses what it needs).

  --stack <name>          the stack: Pulumi.<name>.yaml (required)
  --json <file>           also write the full plan as JSON
  --project <dir>         plan another Pulumi project instead of this repository's
  --previous <plan.json>  the stack outputs of an earlier plan stand for the last deployment's
  --zone-loss             remove each zone in turn and judge every tier (a prod stack must survive)
  --region-loss           remove each region in turn: every tier, each store's recovery point and
                          failover (a prod stack must survive; one region: nothing to fail over to)
  --estimate              predict the wall-clock time of a first pulumi up, and each stamp's monthly cost
  --parallel <n>          the estimate's parallelism (default: unbounded, the CLI's default)
  --help                  print this help`;

/** Parses the command line; throws a usage error on anything it does not know. */
export function parseArgs(argv: string[]): PlanCliOptions {
    const options: Record<string, string | boolean | number> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (SWITCH_FLAGS[flag]) {
            options[SWITCH_FLAGS[flag]] = true;
            continue;
        }
        const key = VALUE_FLAGS[flag];
        if (!key) throw new StackFileError(`unknown option ${flag}; ${USAGE}`);
        const value = argv[++i];
        if (value === undefined || value.startsWith("--")) throw new StackFileError(`${flag} needs a value`);
        options[key] = value;
    }
    if (!options.stack) throw new StackFileError(`missing --stack <name>; ${USAGE}`);
    if (options.parallel !== undefined) {
        if (!options.estimate) throw new StackFileError(`--parallel applies to --estimate; ${USAGE}`);
        if (!/^[1-9]\d*$/.test(String(options.parallel)) || Number(options.parallel) > 2147483647) {
            throw new StackFileError(`--parallel ${options.parallel} must be an integer from 1 to 2147483647`);
        }
        options.parallel = Number(options.parallel);
    }
    return options as unknown as PlanCliOptions;
}

/** The stack outputs of a plan file: what the data-loss guard compares with, as if deployed. */
function previousOutputsOf(file: string): Record<string, unknown> {
    let plan: unknown;
    try {
        plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new StackFileError(`--previous ${file}: not a readable plan file: ${(err as Error).message.split("\n")[0]}`);
    }
    const outputs = (plan as { stackOutputs?: unknown } | null)?.stackOutputs;
    if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs)) throw new StackFileError(`--previous ${file}: has no stackOutputs`);
    return outputs as Record<string, unknown>;
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(PLAN_HELP);
        return 0;
    }
    const options = parseArgs(argv);
    const root = options.project ? path.resolve(options.project) : ROOT;
    const plan = await planStack(options.stack, root, options.previous ? previousOutputsOf(options.previous) : undefined);
    console.log(summarize(plan));
    if (options.json) {
        writePlanFile(options.json, plan);
        console.log(`\nWrote the plan to ${options.json}`);
    }
    // Mocks accept any order and any network path: the plan must also prove the deploy and destroy order.
    const deployability = analyzeDeployability(plan);
    console.log(`\n${formatDeployability(deployability)}`);
    if (options.estimate) {
        console.log(`\n${formatEstimate(estimateSpinUp(plan, loadCreationTimes(), options.parallel))}`);
        // The teardown too: deletes follow the reverse dependency graph, in the engine's rounds.
        console.log(`\n${formatTransition(estimateTransition({ label: "running", plan }, { label: NOTHING }, loadOperationTimes(), options.parallel))}`);
        // What each stamp costs while it runs, at its own region's rates (a second region is a second stamp's bill).
        const prices = loadPrices();
        console.log(`\n${formatStampCosts(stampCosts(plan, prices), prices)}`);
    }
    const environment = () => loadStackFiles(root, options.stack).config["intergalactic:environment"] ?? "";
    let ok = deployability.findings.length === 0;
    if (options.zoneLoss) {
        const check = zoneLossCheck(plan, environment());
        console.log(`\n${check.text}`);
        ok = ok && check.ok;
    }
    if (options.regionLoss) {
        const check = regionLossCheck(plan, environment());
        console.log(`\n${check.text}`);
        ok = ok && check.ok;
    }
    return ok ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
        // The message is the report (a stack trace would bury it); PLAN_DEBUG=1 adds the trace of an unexpected error.
        const known = err instanceof StackFileError || err instanceof InvalidArgumentsError;
        const message = err instanceof Error ? err.message || err.name : String(err);
        console.error(`plan failed: ${message}${!known && process.env.PLAN_DEBUG ? `\n${err?.stack ?? ""}` : ""}`);
        process.exit(1);
    });
}
