/**
 * `npm run policy -- --stack <name> [--json f] [--sarif f] [--junit f]`:
 * plans the stack offline, runs the real policy pack over it as the engine
 * would, with `policies/config/<stack>.json`, prints the report and exits 1 on
 * a mandatory violation.
 */
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../../engine/planStack";
import { StackFileError, loadStackFiles } from "../../engine/stackFiles";
import { InvalidArgumentsError } from "../../components/common/validation";
import { PolicyConfigError, configFileFor, readConfigFile } from "../../policies/runner/config";
import { jsonReport, junitReport, sarifReport, textReport } from "../../policies/runner/report";
import { PolicySession, hasMandatoryViolation } from "../../policies/runner/session";

const USAGE = "usage: npm run policy -- --stack <name> [--json <file>] [--sarif <file>] [--junit <file>]";

/** What `--help` prints. */
export const POLICY_HELP = `${USAGE}

Plans the stack offline and runs the compiled policy pack over the plan the way pulumi
preview does, with policies/config/<stack>.json. Exit 1 on a mandatory violation, 2 when
the run cannot start (unknown stack, broken config).

  --stack <name>   the stack: Pulumi.<name>.yaml and policies/config/<name>.json (required)
  --json <file>    also write the findings as JSON
  --sarif <file>   also write them as SARIF 2.1.0 (code scanning)
  --junit <file>   also write them as JUnit XML
  --help           print this help`;

export interface PolicyCliOptions {
    stack: string;
    json?: string;
    sarif?: string;
    junit?: string;
}

export function parsePolicyArgs(argv: string[]): PolicyCliOptions {
    const options: Partial<PolicyCliOptions> = {};
    const flags: Record<string, keyof PolicyCliOptions> = { "--stack": "stack", "--json": "json", "--sarif": "sarif", "--junit": "junit" };
    for (let i = 0; i < argv.length; i++) {
        const key = flags[argv[i]];
        if (!key) throw new StackFileError(`unknown option ${argv[i]}; ${USAGE}`);
        const value = argv[++i];
        if (value === undefined || value.startsWith("--")) throw new StackFileError(`${argv[i - 1]} needs a value; ${USAGE}`);
        options[key] = value;
    }
    if (!options.stack) throw new StackFileError(`missing --stack <name>; ${USAGE}`);
    return options as PolicyCliOptions;
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(POLICY_HELP);
        return 0;
    }
    const options = parsePolicyArgs(argv);
    // An unknown stack is reported as such before its (then also missing) policy config.
    loadStackFiles(path.resolve(__dirname, "../.."), options.stack);
    const configFile = configFileFor(options.stack);
    const raw = readConfigFile(configFile);
    // The pack is opened before the plan (in this process: milliseconds, once the compiled pack is current).
    const opening = PolicySession.open();
    opening.catch(() => undefined); // a failed start is reported where it is awaited, after the plan
    let plan;
    try {
        plan = await planStack(options.stack);
    } catch (err) {
        await opening.then((s) => s.stop(), () => undefined);
        throw err;
    }
    const session = await opening;
    try {
        await session.configure(raw, configFile);
        const result = await session.run(plan);
        console.log(textReport(result));
        const outputs: [string | undefined, () => string][] = [[options.json, () => jsonReport(result)], [options.sarif, () => sarifReport(result)], [options.junit, () => junitReport(result)]];
        for (const [file, render] of outputs) if (file) fs.writeFileSync(file, render());
        return hasMandatoryViolation(result) ? 1 : 0;
    } finally {
        session.stop();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
        const known = err instanceof StackFileError || err instanceof InvalidArgumentsError || err instanceof PolicyConfigError;
        console.error(`policy run failed: ${known ? err.message : err.stack ?? err}`);
        process.exit(2);
    });
}
