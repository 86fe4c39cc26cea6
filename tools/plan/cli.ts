/**
 * `npm run plan -- --stack <name> [--json <file>]`: runs the stack's real
 * program under mocks with its Pulumi.<stack>.yaml config and prints a summary.
 */
import * as fs from "fs";
import * as path from "path";
import { Plan } from "./format";
import { runPlan } from "./runPlan";
import { StackFileError, loadStackFiles } from "./stackFiles";
import { summarize } from "./summary";
import { InvalidArgumentsError } from "../../components/common/validation";

const ROOT = path.resolve(__dirname, "../..");

export interface PlanCliOptions {
    stack: string;
    json?: string;
}

/** Parses `--stack <name>` and `--json <file>`; throws a usage error on anything else. */
export function parseArgs(argv: string[]): PlanCliOptions {
    const options: Partial<PlanCliOptions> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new StackFileError(`${flag} needs a value`);
            return v;
        };
        if (flag === "--stack") options.stack = value();
        else if (flag === "--json") options.json = value();
        else throw new StackFileError(`unknown option ${flag}; usage: npm run plan -- --stack <name> [--json <file>]`);
    }
    if (!options.stack) throw new StackFileError("missing --stack <name>; usage: npm run plan -- --stack <name> [--json <file>]");
    return options as PlanCliOptions;
}

/** Plans a stack of this project from its stack file. */
export async function planStack(stack: string, root = ROOT): Promise<Plan> {
    const files = loadStackFiles(root, stack);
    const { program } = require(path.join(root, "stacks/program"));
    return runPlan({ ...files, program });
}

async function main(argv: string[]): Promise<number> {
    const options = parseArgs(argv);
    const plan = await planStack(options.stack);
    console.log(summarize(plan));
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
        console.log(`\nWrote the plan to ${options.json}`);
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
