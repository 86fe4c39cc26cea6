/**
 * `npm run bench [-- --pairs <n>] [--peer <dir>] [--ts-node]`: benchmarks, not tests.
 * Measures the offline plan side by side with the CDK peer's offline synth of the same
 * platform (peer.ts, sideBySide.ts): whole processes, taken in turn in one sitting, the
 * median of the pair-by-pair ratios printed against the goals of #17. Without a peer
 * (no folder at --peer), it says so and measures only this project.
 * `--ts-node` loads this project's TypeScript with ts-node, as the scripts did before
 * the transpile cache (tools/launch/register.js), for a before/after comparison.
 *
 * `npm run bench -- --stacks [--skip-test] [--repeat <n>]`: the per-stack report instead:
 * wall time and peak memory of the offline plan and the time of the offline policy run
 * for each stack and a synthetic 60-service prod, how the plan grows from 5 to 60 to 240
 * services, and the time of `npm test`.
 * Each measurement runs in a fresh process (worker.ts) so that start-up and
 * memory are its own.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { knownStacks } from "../../engine/stackFiles";
import { GrowthPoint, growthVerdict } from "./growth";
import { DEFAULT_PEER_DIR, installPeer } from "./peer";
import { Loader, ProcessRun, Round, formatRows, measureRound, measured, publicEntriesFor, rows, runPeer } from "./sideBySide";
import { formatRatio, pairRatios, spread } from "./stats";
import { WorkerResult } from "./worker";

const ROOT = path.resolve(__dirname, "../..");
/** The synthetic production configuration of the issue: 60 services, 35 public entry points. */
const SYNTHETIC = { stack: "prod", services: 60, publicEntries: 35 };
/** The scaling series; public entries grow with the services up to the synthetic prod's 35. */
const SERIES = [5, 60, 240];

interface Measured extends WorkerResult {
    /** Wall time of the whole process, start-up included. */
    readonly processMs: number;
}

/** How the worker's TypeScript is loaded: from the transpile cache (as npm run plan does), or type-checked (typeChecked.js). */
const TRANSPILE_ONLY = path.join(ROOT, "tools", "launch", "register.js");
export const TYPE_CHECKED = path.join(__dirname, "typeChecked.js");

function runWorker(args: string[], register = TRANSPILE_ONLY): Measured {
    process.stderr.write(`  measuring ${args.join(" ")}${register === TYPE_CHECKED ? " (type-checked)" : ""}\n`);
    const started = performance.now();
    const run = spawnSync(process.execPath, ["-r", register, path.join(__dirname, "worker.ts"), ...args], {
        cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
    });
    const processMs = performance.now() - started;
    if (run.status !== 0) throw new Error(`worker ${args.join(" ")} failed:\n${run.stderr}`);
    const line = run.stdout.trim().split("\n").pop() ?? "";
    return { ...(JSON.parse(line) as WorkerResult), processMs };
}

/** The fastest of `repeat` runs: the least disturbed by whatever else the machine is doing. */
function best(args: string[], repeat: number): Measured {
    const runs = Array.from({ length: repeat }, () => runWorker(args));
    return runs.reduce((a, b) => (b.planCpuMs < a.planCpuMs ? b : a));
}

const sec = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(2)} s`);

function machine(): string {
    const cpus = os.cpus();
    return [
        `Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
        `load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, ${os.platform()} ${os.release()}, Node ${process.version}`,
    ].join("\n");
}

function table(rows: [string, Measured][]): string {
    const header = ["what", "resources", "start-up", "plan wall", "plan CPU", "peak memory", "policy run", "process wall"];
    const body = rows.map(([label, m]) => [
        label, String(m.resources), sec(m.startupMs), sec(m.planMs), sec(m.planCpuMs), `${m.planPeakMiB.toFixed(0)} MiB`, sec(m.policyMs), sec(m.processMs),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

function timeNpmTest(): { ms: number; ok: boolean } {
    const started = performance.now();
    const run = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return { ms: performance.now() - started, ok: run.status === 0 };
}

function argValue(argv: string[], flag: string): string | undefined {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
}

/** The side-by-side comparison with the CDK peer. */
function sideBySide(argv: string[]): number {
    const pairs = Number(argValue(argv, "--pairs") ?? 5);
    if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`--pairs ${argValue(argv, "--pairs")} must be an integer >= 1`);
    const peerDir = path.resolve(argValue(argv, "--peer") ?? DEFAULT_PEER_DIR);
    const loader: Loader = argv.includes("--ts-node") ? "ts-node" : "cached";
    const log = (line: string) => process.stderr.write(`${line}\n`);
    console.log(machine());
    const peer = installPeer(peerDir, log);
    console.log(peer
        ? `Peer: the CDK app of ${peerDir} (aws-cdk-lib ${peer.cdkVersion}), installed in ${peer.dir}`
        : `No CDK peer at ${peerDir} (give --peer <dir>): measuring only this project.`);
    console.log(`This project: tools/bench/worker.ts loaded ${loader === "cached" ? "from the transpile cache, as npm run plan loads it" : "by ts-node, transpiling at every run"}.`);
    console.log(`Whole processes, start-up included; 1 warm-up round, then ${pairs} rounds taken in turn (this project first in every other round); ` +
        "median (min-max) over the rounds, ratios taken pair by pair.\n");
    log("  warm-up round");
    measureRound(peer, loader, true, log);
    const rounds: Round[] = [];
    const loads: number[] = [];
    for (let i = 0; i < pairs; i++) {
        loads.push(os.loadavg()[0]);
        log(`  round ${i + 1} of ${pairs}, load ${loads[i].toFixed(1)}`);
        rounds.push(measureRound(peer, loader, i % 2 === 0, log));
    }
    console.log(formatRows(rows(rounds)));
    // On 2 cores every other process competes for the same CPU: the load says how much the wall times are worth.
    console.log(`\nLoad (1 min) at the start of each round: ${loads.map((l) => l.toFixed(1)).join(", ")}; at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    return 0;
}

/** What `--help` prints. */
export const BENCH_HELP = `usage: npm run bench [-- --pairs <n>] [--peer <dir>] [--ts-node] | [-- --stacks [--skip-test] [--repeat <n>]]

A benchmark, not a test. By default: the offline plan side by side with the CDK peer's
offline synth of the same platform, whole processes taken in turn, medians of the
pair-by-pair ratios. With --stacks: per stack and for a synthetic 60-service prod, start-up,
plan wall and CPU, peak memory and the policy run, one type-checked load, the plan's growth
from 5 to 240 services (exit 1 when it is not linear), and the time of npm test.

  --pairs <n>    rounds of the side-by-side comparison (default 5)
  --peer <dir>   the CDK peer's folder (default: the bundled peer location)
  --ts-node      load this project with ts-node instead of the transpile cache
  --sdk-floor    the Pulumi SDK alone (sdkFloor.ts: as many trivial resources as prod + 60 and
                 + 240 register, under the SDK's mock monitor and under this project's engine)
                 side by side with the CDK peer's lean synth, instead of the comparison; at 60
                 services also the engine then a policy run of as many policies as the pack's
                 that do nothing, side by side with CDK's default synth
  --stacks       the per-stack report instead of the comparison
  --skip-test    (--stacks) do not time npm test
  --repeat <n>   (--stacks) keep the fastest of n runs per row (default 1)
  --help         print this help`;

function main(argv: string[]): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(BENCH_HELP);
        return 0;
    }
    if (argv.includes("--sdk-floor")) return sdkFloor(argv);
    return argv.includes("--stacks") ? stacksReport(argv) : sideBySide(argv);
}

/** The service counts whose plans the floor is measured against: prod + 60 and prod + 240. */
const FLOOR_SERVICES = [60, 240] as const;
/** The services of the policy goal (prod + 60, plan + policy run), where the policy run's floor is measured. */
const POLICY_FLOOR_SERVICES = 60;

/** How many resource and stack policies the project's pack has: the no-op pack of the floor has as many. */
function packPolicyCounts(): { resource: number; stack: number } {
    const { POLICIES } = require("../../policies/pack/registry") as typeof import("../../policies/pack/registry");
    const stack = POLICIES.filter((p) => "validateStack" in p).length;
    return { resource: POLICIES.length - stack, stack };
}

/**
 * The custom resources the plan of prod + N services registers (components aside), counted by planning it once:
 * a fixed count falls behind as the stacks grow (the first floor used 610 and 1690; prod + 60 registered 998 by then).
 */
function floorCases(): { services: number; resources: number }[] {
    return FLOOR_SERVICES.map((services) => ({
        services, resources: runWorker(["--stack", "prod", "--services", String(services), "--public", String(publicEntriesFor(services))]).customResources,
    }));
}

/**
 * What no change in this project can remove: the SDK registering as many trivial resources as the
 * synthetic prod does, with no project code, in turn with the CDK peer's lean synth of as many services.
 */
function sdkFloor(argv: string[]): number {
    const pairs = Number(argValue(argv, "--pairs") ?? 5);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    console.log(machine());
    const peer = installPeer(path.resolve(argValue(argv, "--peer") ?? DEFAULT_PEER_DIR), log);
    const FLOOR_CASES = floorCases();
    log(`  as many custom resources as the plans register: ${FLOOR_CASES.map((c) => `${c.resources} for prod + ${c.services}`).join(", ")}`);
    const floor = (resources: number, monitor: string, policy: string[] = []) => measured(["-r", TRANSPILE_ONLY, path.join(__dirname, "sdkFloor.ts"),
        "--resources", String(resources), "--monitor", monitor, ...policy], ROOT, {}, `the SDK floor of ${resources} resources`);
    const pack = packPolicyCounts();
    const noopPolicies = ["--policy", `${pack.resource},${pack.stack}`];
    const runs: Record<string, ProcessRun[]> = {};
    const loads: number[] = [];
    const push = (key: string, run: ProcessRun) => (runs[key] ??= []).push(run);
    for (let i = -1; i < pairs; i++) {
        for (const c of FLOOR_CASES) {
            loads.push(os.loadavg()[0]);
            const sides: [string, () => ProcessRun][] = [[`sdk${c.services}`, () => floor(c.resources, "sdk")], [`plan${c.services}`, () => floor(c.resources, "plan")],
                ...(peer ? [[`cdk${c.services}`, () => runPeer(peer, c.services, "lean")] as [string, () => ProcessRun]] : [])];
            // The policy goal's floor (plan + policy run <= 0.5x CDK's default synth), at 60 services as the goal is.
            if (c.services === POLICY_FLOOR_SERVICES) {
                sides.push([`policy${c.services}`, () => floor(c.resources, "plan", noopPolicies)]);
                if (peer) sides.push([`cdkdefault${c.services}`, () => runPeer(peer, c.services, "default")]);
            }
            for (const [key, side] of i % 2 === 0 ? sides : [...sides].reverse()) {
                const run = side();
                if (i >= 0) push(key, run); // round -1 warms the caches
            }
        }
        log(`  round ${i + 1} of ${pairs}${i < 0 ? " (warm-up)" : ""}, load ${os.loadavg()[0].toFixed(1)}`);
    }
    const med = (key: string, f: keyof ProcessRun) => spread(runs[key].map((r) => r[f])).median;
    console.log(`\nThe Pulumi SDK alone: trivial custom resources (sdkFloor.ts), whole processes, ${pairs} rounds taken in turn; medians, ratios pair by pair.\n`);
    console.log("| what | wall | CPU | peak memory | wall / CDK lean | memory / CDK lean |\n|---|---|---|---|---|---|");
    const noopRun = `this project's engine, then the policy run of ${pack.resource + pack.stack} policies that do nothing (${pack.resource} resource, ${pack.stack} stack)`;
    for (const c of FLOOR_CASES) {
        for (const [key, label] of [[`sdk${c.services}`, "SDK's mock monitor"], [`plan${c.services}`, "this project's engine"], [`cdk${c.services}`, "CDK lean synth"],
            [`policy${c.services}`, noopRun], [`cdkdefault${c.services}`, "CDK default synth (with its template validator)"]] as const) {
            if (!runs[key]) continue;
            // The policy run is judged against CDK's default synth, as the goal is; the rest against its lean synth.
            const against = key.startsWith("policy") ? `cdkdefault${c.services}` : `cdk${c.services}`;
            const vs = (f: keyof ProcessRun) => (peer && !key.startsWith("cdk")
                ? `${formatRatio(spread(pairRatios(runs[key].map((r) => r[f]), runs[against].map((r) => r[f]))))}${key.startsWith("policy") ? " of default" : ""}` : "");
            const what = key.startsWith("cdk") ? `${c.services} services, ${label}` : `${c.resources} resources, ${label}`;
            console.log(`| ${what} | ${sec(med(key, "wallMs"))} | ${sec(med(key, "cpuMs"))} | ${med(key, "peakMiB").toFixed(0)} MiB | ${vs("wallMs")} | ${vs("peakMiB")} |`);
        }
    }
    console.log(`\nLoad (1 min) during the rounds: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}, at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    return 0;
}

function stacksReport(argv: string[]): number {
    const repeatAt = argv.indexOf("--repeat");
    const repeat = repeatAt >= 0 ? Math.max(1, Number(argv[repeatAt + 1]) || 1) : 1;
    console.log(machine());
    console.log(`Each row: a fresh process; the fastest (by plan CPU) of ${repeat} run(s).\n`);

    const rows: [string, Measured][] = knownStacks(ROOT).map((stack) => [stack, best(["--stack", stack, "--policy"], repeat)]);
    const synthetic = ["--stack", SYNTHETIC.stack, "--services", String(SYNTHETIC.services), "--public", String(SYNTHETIC.publicEntries)];
    rows.push([`${SYNTHETIC.stack} + ${SYNTHETIC.services} services, ${SYNTHETIC.publicEntries} public`, best([...synthetic, "--policy"], repeat)]);
    // What a program start-up costs when ts-node type-checks it, which ts-node does unless told otherwise.
    rows.push([`${SYNTHETIC.stack}, type-checked while loading`, runWorker(["--stack", SYNTHETIC.stack], TYPE_CHECKED)]);
    console.log(table(rows));

    const series: GrowthPoint[] = SERIES.map((n) => {
        const m = best(["--stack", SYNTHETIC.stack, "--services", String(n), "--public", String(Math.min(SYNTHETIC.publicEntries, Math.ceil((n * SYNTHETIC.publicEntries) / SYNTHETIC.services)))], repeat);
        return { services: n, resources: m.resources, cpuMs: m.planCpuMs, wallMs: m.planMs, peakMiB: m.planPeakMiB };
    });
    console.log("\nPlan growth (prod, synthetic services):");
    for (const p of series) console.log(`  ${String(p.services).padStart(4)} services: ${String(p.resources).padStart(5)} resources, plan ${sec(p.wallMs)} wall, ${sec(p.cpuMs)} CPU, ${p.peakMiB.toFixed(0)} MiB`);
    const verdict = growthVerdict(series);
    console.log(`  ${verdict.text}`);

    if (!argv.includes("--skip-test")) {
        const test = timeNpmTest();
        console.log(`\nnpm test (tsc --noEmit + mocha, transpile-only): ${sec(test.ms)}${test.ok ? "" : " (FAILED)"}`);
    }
    return verdict.linear ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
