/**
 * `npm run plan -- --stack <name> [--json <file>] [--project <dir>] [--zone-loss]`: runs the
 * stack's real program under mocks with its Pulumi.<stack>.yaml config and
 * prints a summary. `--project` plans another Pulumi project (e.g. one that
 * consumes these components) instead of this one.
 */
import * as fs from "fs";
import * as path from "path";
import { Plan } from "./format";
import { PulumiProgram, runPlan } from "./runPlan";
import { StackFileError, loadStackFiles } from "./stackFiles";
import { summarize } from "./summary";
import { InvalidArgumentsError } from "../../components/common/validation";
import { zoneLossCheck } from "../../policies/zoneLoss";

const ROOT = path.resolve(__dirname, "../..");

export interface PlanCliOptions {
    stack: string;
    json?: string;
    project?: string;
    /** Also analyse the loss of each zone (policies/zoneLoss); fails a prod stack that does not survive one. */
    zoneLoss?: boolean;
}

/** Flags that take a value, and the option each sets. */
const VALUE_FLAGS: Readonly<Record<string, keyof PlanCliOptions>> = {
    "--stack": "stack",
    "--json": "json",
    "--project": "project",
};
const USAGE = "usage: npm run plan -- --stack <name> [--json <file>] [--project <dir>] [--zone-loss]";

/** Parses the command line; throws a usage error on anything it does not know. */
export function parseArgs(argv: string[]): PlanCliOptions {
    const options: Record<string, string | boolean> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--zone-loss") {
            options.zoneLoss = true;
            continue;
        }
        const key = VALUE_FLAGS[flag];
        if (!key) throw new StackFileError(`unknown option ${flag}; ${USAGE}`);
        const value = argv[++i];
        if (value === undefined || value.startsWith("--")) throw new StackFileError(`${flag} needs a value`);
        options[key] = value;
    }
    if (!options.stack) throw new StackFileError(`missing --stack <name>; ${USAGE}`);
    return options as unknown as PlanCliOptions;
}

/**
 * Loads a program's entry point the way Pulumi's Node.js host does: the module
 * itself when it exports a function, else its default export.
 */
function loadProgram(main: string): PulumiProgram {
    const exported = require(main);
    const program = typeof exported === "function" ? exported : exported?.default;
    if (typeof program !== "function") throw new StackFileError(`${main} does not export a program function`);
    return program;
}

/** Plans a stack of a Pulumi project (this one unless `root` is given) from its stack file. */
export async function planStack(stack: string, root = ROOT): Promise<Plan> {
    const files = loadStackFiles(root, stack);
    return runPlan({ ...files, program: loadProgram(files.main) });
}

async function main(argv: string[]): Promise<number> {
    const options = parseArgs(argv);
    const root = options.project ? path.resolve(options.project) : ROOT;
    const plan = await planStack(options.stack, root);
    console.log(summarize(plan));
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
        console.log(`\nWrote the plan to ${options.json}`);
    }
    if (options.zoneLoss) {
        const check = zoneLossCheck(plan, loadStackFiles(root, options.stack).config["intergalactic:environment"] ?? "");
        console.log(`\n${check.text}`);
        if (!check.ok) return 1;
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
        const known = err instanceof StackFileError || err instanceof InvalidArgumentsError;
        console.error(`plan failed: ${known ? err.message : err.stack ?? err}`);
        process.exit(1);
    });
}
