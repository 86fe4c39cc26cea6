/**
 * This project's offline plan and the CDK peer's offline synth, measured side by side:
 * whole processes (start-up included), taken in turn in one sitting, the ratio taken pair
 * by pair (stats.ts), against the goals of the performance issue (#17).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { InstalledPeer, SynthProfile } from "./peer";
import { Spread, formatRatio, meets, pairRatios, spread } from "./stats";

const ROOT = path.resolve(__dirname, "../..");
const RUSAGE = path.join(__dirname, "rusage.js");

/** How this project's TypeScript is loaded: as `npm run plan` loads it, or with ts-node transpiling every run. */
export type Loader = "cached" | "ts-node";
const LOADERS: Readonly<Record<Loader, string>> = {
    cached: path.join(ROOT, "tools", "launch", "register.js"),
    "ts-node": "ts-node/register/transpile-only",
};

/** One finished process, measured from outside (wall) and by the kernel (peak memory, CPU). */
export interface ProcessRun {
    readonly wallMs: number;
    readonly peakMiB: number;
    readonly cpuMs: number;
}

/** Runs `node <args>` in `cwd` to its end and measures it (wall from outside, peak memory and CPU by the kernel). */
export function measured(args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): ProcessRun {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "intergalactic-bench-"));
    const usageFile = path.join(scratch, "rusage.json");
    try {
        const started = performance.now();
        const result = spawnSync(process.execPath, ["-r", RUSAGE, ...args], {
            cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
            env: { ...process.env, ...env, BENCH_RUSAGE_FILE: usageFile, ...(env.CDK_OUTDIR === "" ? { CDK_OUTDIR: path.join(scratch, "cdk.out") } : {}) },
        });
        const wallMs = performance.now() - started;
        if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${(result.stderr || result.error?.message || "").slice(-4000)}`);
        const usage = JSON.parse(fs.readFileSync(usageFile, "utf8")) as { maxRssKiB: number; userUs: number; systemUs: number };
        return { wallMs, peakMiB: usage.maxRssKiB / 1024, cpuMs: (usage.userUs + usage.systemUs) / 1000 };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** The shape of a synthetic prod: N services, of which up to 35 are public (the prod has 35). */
export const publicEntriesFor = (services: number): number => Math.min(35, services);

/** This project's plan of prod with N synthetic services, optionally with the policy run, written to a plan file as CI does. */
export function runOurs(services: number, policy: boolean, loader: Loader): ProcessRun {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "intergalactic-plan-"));
    try {
        const args = ["-r", LOADERS[loader], path.join(__dirname, "worker.ts"), "--stack", "prod", "--services", String(services),
            "--public", String(publicEntriesFor(services)), "--json", path.join(scratch, "plan.json"), ...(policy ? ["--policy"] : [])];
        return measured(args, ROOT, {}, `the plan of prod + ${services} services`);
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** The CDK peer's synth of N services into a fresh cloud assembly folder. */
export function runPeer(peer: InstalledPeer, services: number, profile: SynthProfile): ProcessRun {
    return measured([path.join(peer.dir, "dist", "app.js")], peer.dir,
        { SERVICES: String(services), SYNTH_PROFILE: profile, CDK_OUTDIR: "" }, `the CDK synth of ${services} services (${profile})`);
}

/** What one round measures: every case once, this project's and the peer's in turn. */
export interface Round {
    readonly ours: Readonly<Record<CaseName, ProcessRun>>;
    readonly peer?: Readonly<Record<CaseName, ProcessRun>>;
}

export type CaseName = "plan5" | "plan60" | "plan240" | "policy60";
const CASES: readonly { name: CaseName; services: number; policy: boolean; profile: SynthProfile }[] = [
    { name: "plan60", services: 60, policy: false, profile: "lean" },
    { name: "plan240", services: 240, policy: false, profile: "lean" },
    { name: "plan5", services: 5, policy: false, profile: "lean" },
    { name: "policy60", services: 60, policy: true, profile: "default" },
];

/** One round; `oursFirst` alternates from round to round, so neither side always runs first. */
export function measureRound(peer: InstalledPeer | undefined, loader: Loader, oursFirst: boolean, log: (line: string) => void): Round {
    const ours = {} as Record<CaseName, ProcessRun>;
    const theirs = {} as Record<CaseName, ProcessRun>;
    for (const c of CASES) {
        const sides = [
            () => (ours[c.name] = runOurs(c.services, c.policy, loader)),
            ...(peer ? [() => (theirs[c.name] = runPeer(peer, c.services, c.profile))] : []),
        ];
        for (const side of oursFirst ? sides : sides.reverse()) side();
        log(`    ${c.name}: ours ${(ours[c.name].wallMs / 1000).toFixed(2)} s ${ours[c.name].peakMiB.toFixed(0)} MiB` +
            (peer ? `, CDK ${c.profile} ${(theirs[c.name].wallMs / 1000).toFixed(2)} s ${theirs[c.name].peakMiB.toFixed(0)} MiB` : ""));
    }
    return { ours, peer: peer ? theirs : undefined };
}

/** One line of the result: a figure of both sides, their pair-by-pair ratio and the goal. */
export interface Row {
    readonly what: string;
    readonly ours: string;
    readonly peer: string;
    readonly ratio?: Spread;
    readonly goal: number;
    /** The ratio the goal is about: against the peer, or of this project alone (growth). */
    readonly judged?: Spread;
}

const s = (x: Spread, unit: "s" | "MiB") => unit === "s"
    ? `${(x.median / 1000).toFixed(2)} s (${(x.min / 1000).toFixed(2)}-${(x.max / 1000).toFixed(2)})`
    : `${x.median.toFixed(0)} MiB (${x.min.toFixed(0)}-${x.max.toFixed(0)})`;

/** The four comparisons of the table, from the counted rounds. */
export function rows(rounds: readonly Round[]): Row[] {
    const of = (name: CaseName, side: "ours" | "peer", f: keyof ProcessRun) => rounds.map((r) => r[side]![name][f]);
    const hasPeer = rounds.every((r) => r.peer);
    const result: Row[] = [];
    for (const [name, label] of [["plan60", "prod + 60 services (35 public), plan"], ["plan240", "prod + 240 services (35 public), plan"]] as const) {
        for (const [f, unit, goal, what] of [["wallMs", "s", 1.0, "wall"], ["peakMiB", "MiB", 1.5, "peak memory"]] as const) {
            const ratio = hasPeer ? spread(pairRatios(of(name, "ours", f), of(name, "peer", f))) : undefined;
            result.push({ what: `${label}: ${what}`, ours: s(spread(of(name, "ours", f)), unit), peer: hasPeer ? `lean ${s(spread(of(name, "peer", f)), unit)}` : "-", ratio, judged: ratio, goal });
        }
    }
    const growth = spread(pairRatios(of("plan240", "ours", "wallMs"), of("plan5", "ours", "wallMs")));
    const peerGrowth = hasPeer ? spread(pairRatios(of("plan240", "peer", "wallMs"), of("plan5", "peer", "wallMs"))) : undefined;
    result.push({ what: "growth 240 / 5 services, plan wall", ours: formatRatio(growth), peer: peerGrowth ? `lean ${formatRatio(peerGrowth)}` : "-", judged: growth, goal: 1.5 });
    const policyRatio = hasPeer ? spread(pairRatios(of("policy60", "ours", "wallMs"), of("policy60", "peer", "wallMs"))) : undefined;
    result.push({ what: "prod + 60 services, plan + policy run: wall", ours: s(spread(of("policy60", "ours", "wallMs")), "s"),
        peer: hasPeer ? `default synth ${s(spread(of("policy60", "peer", "wallMs")), "s")}` : "-", ratio: policyRatio, judged: policyRatio, goal: 0.5 });
    return result;
}

export function formatRows(list: readonly Row[]): string {
    const header = ["what", "this project", "CDK", "ratio", "goal", "met"];
    const body = list.map((r) => [r.what, r.ours, r.peer, r.ratio ? formatRatio(r.ratio) : "", `<= ${r.goal.toFixed(1)}x`,
        r.judged ? (meets(r.judged, r.goal) ? "yes" : "no") : "no peer"]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}
