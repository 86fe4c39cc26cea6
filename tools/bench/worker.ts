/**
 * One benchmark measurement in a fresh process, so start-up and peak memory
 * are the stack's own: plans a stack offline (optionally with a synthetic
 * service list), optionally runs the offline policy pack over the plan, and
 * prints one JSON line. Run by bench.ts, not by hand.
 *
 *   worker.ts --stack <name> [--services <n> --public <m>] [--json <file>] [--policy]
 *
 * `--json` writes the plan file as `npm run plan -- --json` does, so the measured process
 * produces what a plan run produces.
 */
import * as path from "path";
import { performance } from "perf_hooks";
import type { PolicySession } from "../../policies/runner/session";
import { runPlan } from "../../engine/runPlan";
import { loadStackFiles } from "../../engine/stackFiles";
import { writePlanFile } from "../../engine/planFile";
import { syntheticConfig } from "./synthetic";
import { runChild } from "./child";

const ROOT = path.resolve(__dirname, "../..");

/** What the worker reports. */
export interface WorkerResult {
    readonly stack: string;
    readonly services: number;
    readonly resources: number;
    readonly customResources: number;
    /** From process start to the first line of planning: Node, ts-node and the program's modules. */
    readonly startupMs: number;
    readonly planMs: number;
    /** CPU time (user + system) of the plan: less sensitive than wall time to other load on the machine. */
    readonly planCpuMs: number;
    /** Peak resident memory of the process after planning, in MiB. */
    readonly planPeakMiB: number;
    readonly policyMs?: number;
    /** CPU time (user + system) of the policy run after the plan. */
    readonly policyCpuMs?: number;
    readonly policyFindings?: number;
}

function argValue(argv: string[], flag: string): string | undefined {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
}

/** Starts the policy pack; loaded here, not at the top, so a plan-only run does not pay for the runner's modules. */
function openPolicySession(): Promise<PolicySession> {
    const { PolicySession: Session } = require("../../policies/runner/session") as typeof import("../../policies/runner/session");
    return Session.open();
}

async function policyRun(stack: string, opening: Promise<PolicySession>, plan: Parameters<PolicySession["run"]>[0]): Promise<{ ms: number; cpuMs: number; findings: number }> {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { configFileFor, readConfigFile } = require("../../policies/runner/config") as typeof import("../../policies/runner/config");
    const configFile = configFileFor(stack);
    const session = await opening;
    try {
        await session.configure(readConfigFile(configFile), configFile);
        const result = await session.run(plan);
        const cpu = process.cpuUsage(cpuBefore);
        return { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, findings: result.findings.length };
    } finally {
        session.stop();
    }
}

async function main(argv: string[]): Promise<WorkerResult> {
    const stack = argValue(argv, "--stack") ?? "";
    const services = Number(argValue(argv, "--services") ?? 0);
    const files = loadStackFiles(ROOT, stack);
    const config = services > 0
        ? syntheticConfig(files.config, { services, publicEntries: Number(argValue(argv, "--public") ?? 1) })
        : files.config;
    // The pack is loaded into this process before the plan, as `npm run policy` loads it.
    const opening = argv.includes("--policy") ? openPolicySession() : undefined;
    opening?.catch(() => undefined); // a failed start is reported where it is awaited
    const program = require(files.main);
    const startupMs = performance.now();
    const cpuBefore = process.cpuUsage();
    const plan = await runPlan({ project: files.project, stack, config, program: typeof program === "function" ? program : program.default });
    const json = argValue(argv, "--json");
    if (json) writePlanFile(json, plan);
    const planMs = performance.now() - startupMs;
    const cpu = process.cpuUsage(cpuBefore);
    const planPeakMiB = process.resourceUsage().maxRSS / 1024;
    const policy = opening ? await policyRun(stack, opening, plan) : undefined;
    return {
        stack, services, resources: plan.resources.length, customResources: plan.resources.filter((r) => r.custom).length,
        startupMs, planMs, planCpuMs: (cpu.user + cpu.system) / 1000, planPeakMiB, policyMs: policy?.ms, policyCpuMs: policy?.cpuMs, policyFindings: policy?.findings,
    };
}

if (require.main === module) runChild(main);
