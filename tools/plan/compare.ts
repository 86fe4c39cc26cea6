/**
 * `npm run plan:compare -- --base <git-ref> [--stack <name>]... [--out <dir>]`: plans every stack
 * (every `Pulumi.<stack>.yaml` of this checkout, or the ones named) at `<git-ref>` and in this
 * working tree, and compares the plan files byte for byte. Exit 0 when all are identical, 1 with
 * the resources that differ otherwise, 2 on bad usage.
 *
 * This is how a restructuring proves it changes no behaviour: the plan records every resource,
 * input, option and dependency a stack registers, so identical plans mean identical programs.
 * The base is checked out into a temporary detached worktree that borrows this checkout's
 * `node_modules`, and each plan runs with the `npm run plan` entry point of its own revision.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../engine/planStack";
import { knownStacks } from "../../engine/stackFiles";

interface CompareOptions {
    base: string;
    stacks: string[];
    out?: string;
}

const USAGE = "usage: npm run plan:compare -- --base <git-ref> [--stack <name>]... [--out <dir>]";

const HELP = `${USAGE}

Plans every stack at <git-ref> and in this working tree and compares the plan files byte for byte.
  --base <git-ref>   the revision to compare with (a branch, tag or commit)
  --stack <name>     a stack to compare (repeatable); every Pulumi.<stack>.yaml when omitted
  --out <dir>        where to keep the plan files (a new temporary folder when omitted)
  --help             print this help
Exit 0 when every plan is identical, 1 with the resources that differ, 2 on bad usage.`;

class UsageError extends Error {}

export function parseCompareArgs(argv: string[]): CompareOptions {
    const options: CompareOptions = { base: "", stacks: [] };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (!["--base", "--stack", "--out"].includes(flag)) throw new UsageError(`unknown option ${flag}; ${USAGE}`);
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value; ${USAGE}`);
        i++;
        if (flag === "--base") options.base = value;
        else if (flag === "--stack") options.stacks.push(value);
        else options.out = value;
    }
    if (!options.base) throw new UsageError(`missing --base <git-ref>; ${USAGE}`);
    return options;
}

function git(args: string[], cwd = ROOT): string {
    const run = spawnSync("git", args, { cwd, encoding: "utf8" });
    if (run.status !== 0) throw new UsageError(`git ${args.join(" ")}: ${(run.stderr || run.stdout).trim()}`);
    return run.stdout.trim();
}

/** Plans `stack` in the checkout at `root` with that checkout's own plan CLI; returns the plan file's bytes. */
function planAt(root: string, stack: string, file: string): Buffer {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "--stack", stack, "--json", file], { cwd: root, encoding: "utf8" });
    // Exit 1 also reports deployability findings; the plan file is still written then.
    if (!fs.existsSync(file)) throw new Error(`planning ${stack} in ${root} wrote no plan (exit ${run.status}): ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" ")}`);
    return fs.readFileSync(file);
}

/** The URNs whose records differ between two plans, and the top-level fields that differ. */
export function planDifferences(before: string, after: string): string[] {
    const a = JSON.parse(before) as { resources: { urn: string }[]; [key: string]: unknown };
    const b = JSON.parse(after) as { resources: { urn: string }[]; [key: string]: unknown };
    const byUrn = (plan: typeof a) => new Map(plan.resources.map((r) => [r.urn, JSON.stringify(r)]));
    const [ra, rb] = [byUrn(a), byUrn(b)];
    const lines: string[] = [];
    for (const [urn, record] of ra) {
        if (!rb.has(urn)) lines.push(`- ${urn}`);
        else if (rb.get(urn) !== record) lines.push(`~ ${urn}`);
    }
    for (const urn of rb.keys()) if (!ra.has(urn)) lines.push(`+ ${urn}`);
    const order = (p: typeof a) => p.resources.map((r) => r.urn).join("\n");
    if (lines.length === 0 && order(a) !== order(b)) lines.push("~ the order of the resources");
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (key !== "resources" && JSON.stringify(a[key]) !== JSON.stringify(b[key])) lines.push(`~ ${key}`);
    }
    return lines.length > 0 ? lines : ["~ formatting only (same JSON values)"];
}

function main(argv: string[]): number {
    const options = parseCompareArgs(argv);
    const commit = git(["rev-parse", "--verify", `${options.base}^{commit}`]);
    const stacks = options.stacks.length > 0 ? options.stacks : knownStacks(ROOT);
    const out = options.out ? path.resolve(options.out) : fs.mkdtempSync(path.join(os.tmpdir(), "plan-compare-"));
    fs.mkdirSync(out, { recursive: true });
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
    git(["worktree", "add", "--detach", checkout, commit]);
    try {
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(checkout, "node_modules"), "dir");
        let identical = true;
        for (const stack of stacks) {
            const before = planAt(checkout, stack, path.join(out, `${stack}.base.json`));
            const after = planAt(ROOT, stack, path.join(out, `${stack}.json`));
            if (before.equals(after)) {
                console.log(`${stack}: identical (${after.length} bytes, sha256 ${sha256(after)})`);
                continue;
            }
            identical = false;
            const lines = planDifferences(before.toString("utf8"), after.toString("utf8"));
            console.log(`${stack}: differs from ${options.base} in ${lines.length} place(s):\n  ${lines.slice(0, 40).join("\n  ")}${lines.length > 40 ? "\n  ..." : ""}`);
        }
        console.log(`\nPlans are in ${out} (<stack>.base.json at ${options.base} = ${commit.slice(0, 12)}, <stack>.json here).`);
        return identical ? 0 : 1;
    } finally {
        git(["worktree", "remove", "--force", checkout]);
    }
}

function sha256(bytes: Buffer): string {
    return require("crypto").createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

if (require.main === module) {
    if (process.argv.includes("--help")) {
        console.log(HELP);
        process.exit(0);
    }
    try {
        process.exit(main(process.argv.slice(2)));
    } catch (err) {
        console.error(`plan:compare failed: ${(err as Error).message}`);
        process.exit(err instanceof UsageError ? 2 : 1);
    }
}
