/**
 * The `pulumi` processes the scheduler starts itself for its reads (cliRead.ts) and its tag and config writes
 * (cliWrite.ts), so that a bounded step that gives up can stop them: SIGINT, SIGKILL after `StepProcesses.graceMs`,
 * and their end awaited (bounds.ts `boundedRead`). The Automation API's own `Stack.listTags`, `exportStack`,
 * `history`, `setTag` and the like cannot be stopped: its command runner takes a signal only as an internal
 * parameter (@pulumi/pulumi 3.248 automation/cmd.js `run`), so a hung call it started ran on until the reconciler
 * exited, and a write could land after the lease was released or over the next record write.
 *
 * Each call runs as LocalWorkspace's does (automation/cmd.js `run` and `exec`): in the workspace's working copy,
 * with this process's environment and the caller's variables (execa extends `process.env`), the CLI's own folder
 * first on PATH, `PULUMI_AUTOMATION_API`, and `--non-interactive`.
 */
import { ChildProcess, SpawnOptions, spawn } from "child_process";
import * as path from "path";
import { InterruptedError, KILL_WAIT_MS, ProcessEnd, StepProcesses } from "./bounds";

/** What a call runs: the CLI, the working copy and the variables the Automation API would add for it. */
export interface CliTarget {
    readonly command: string;
    readonly workDir: string;
    /** The Automation API's `additionalEnv` for this call (LocalWorkspace or Stack `runPulumiCmd`). */
    readonly env: Readonly<Record<string, string>>;
}

/** How the scheduler starts a process: `child_process.spawn`, replaced only by tests that need a child no real process can be. */
export const processes: { spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess } = { spawn };

/** A call that exited non-zero or could not start: its message in the Automation API's CommandError form, which errorSummary reads. */
export class CliError extends Error {
    constructor(readonly code: number, readonly stdout: string, readonly stderr: string, cause = "") {
        super(`code: ${code}\n stdout: ${stdout}\n stderr: ${stderr}\n err?: ${cause}\n`);
        this.name = "CliError";
    }
}

export { KILL_WAIT_MS };

/** The environment cmd.js `run` gives its CLI, execa adding this process's. */
export function envOf(command: string, additional: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...additional };
    if (path.isAbsolute(command)) env.PATH = `${path.dirname(command)}${path.delimiter}${additional.PATH || process.env.PATH}`;
    env.PULUMI_AUTOMATION_API = "true";
    return env;
}

/** A call's output once it exited 0. */
export interface CliOutput {
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs one call of `target`'s CLI within `step`. When the step gives up it gets SIGINT, SIGKILL `graceMs` later,
 * and the step waits for its end (or says it may still run when it is still there KILL_WAIT_MS after the SIGKILL).
 */
export function runCli(target: CliTarget, step: StepProcesses, args: readonly string[], kind: "read" | "write"): Promise<CliOutput> {
    if (step.signal.aborted) {
        return Promise.reject(new InterruptedError(`pulumi ${args.slice(0, 3).join(" ")} not started: its step gave up`));
    }
    const argv = args.includes("--non-interactive") ? [...args] : [...args, "--non-interactive"];
    const child = processes.spawn(target.command, argv, { cwd: target.workDir, env: envOf(target.command, target.env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => void (stdout += d.toString("utf8")));
    child.stderr?.on("data", (d: Buffer) => void (stderr += d.toString("utf8")));
    const timers: NodeJS.Timeout[] = [];
    let ended: (how: "ended" | "running") => void = () => undefined;
    const end: ProcessEnd = new Promise((resolve) => (ended = resolve));
    const stopIt = () => {
        child.kill("SIGINT");
        timers.push(setTimeout(() => child.kill("SIGKILL"), step.graceMs), setTimeout(() => ended("running"), step.graceMs + KILL_WAIT_MS));
    };
    step.signal.addEventListener("abort", stopIt, { once: true });
    step.track(end, kind);
    return new Promise<CliOutput>((resolve, reject) => {
        const done = (err?: Error) => {
            step.signal.removeEventListener("abort", stopIt);
            timers.forEach(clearTimeout);
            ended("ended");
            return err ? reject(err) : resolve({ stdout, stderr });
        };
        // A CLI that cannot start (ENOENT) has only the spawn error, under "stderr:" as the Automation API puts it.
        child.on("error", (err) => done(new CliError(-2, "", err.message, String(err))));
        // Tracked until `close`, not `exit`: Node emits `exit` as the process ends, maybe before its output pipes
        // close, and `close` once they have. A pipe still open after the exit is held by a process it started
        // (a plugin, a shell's child) that may still be sending for it, so the call is not over until then.
        child.on("close", (code, signal) => done(code === 0 ? undefined : new CliError(code ?? -1, stdout, stderr || `pulumi was stopped by ${signal}`)));
    });
}
