/**
 * The scheduler's tag and config writes (its lease, restore record and lost runs; the working copy's config for the
 * next `up`), each a `pulumi` process this module starts itself so that a bounded step that gives up can stop it:
 * SIGINT, SIGKILL after `StepWrites.graceMs`, and its exit awaited (bounds.ts `boundedRead`). The Automation API's
 * own `Stack.setTag` and the like cannot be stopped: its command runner takes a signal only as an internal
 * parameter (automation/cmd.js `run`), so a hung write it started ran on, and could land after the lease was
 * released or over the next record write. A write request the backend service already received ends there as any
 * request does; nothing is sent once the process is gone, which is what a stopped step waits for.
 * A config write killed mid-way can leave the working copy's `Pulumi.<stack>.yaml` cut short (the CLI
 * truncates and rewrites it in place: pulumi/pulumi sdk/go/common/workspace/project.go `save`, `os.WriteFile`);
 * every config write runs inside `keepingStackFile` (workingCopy.ts), which puts the file back byte for byte
 * when the run leaves the spin-up or teardown, so a cut file does not outlive the run.
 *
 * Each command is the one LocalWorkspace runs for the same method (@pulumi/pulumi 3.248 automation/localWorkspace.js
 * `setTag`, `removeTag`, `setConfig`, `setAllConfig`, `removeConfig`, `runPulumiCmd`; automation/cmd.js `run`), in
 * the same working copy and environment: this process's, `PULUMI_HOME` when the workspace names one, the
 * workspace's variables, the CLI's own folder first on PATH, `PULUMI_AUTOMATION_API`, and `--non-interactive`.
 */
import { spawn } from "child_process";
import * as path from "path";
import { ConfigMap, ConfigValue, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { BoundsContext, InterruptedError, StepWrites, WriteExit, boundedRead } from "./bounds";

/** The tag writes the scheduler makes; a `Stack` has the same methods (a test's stand-in can be a plain object). */
export interface TagWrites {
    setTag(key: string, value: string): Promise<void>;
    removeTag(key: string): Promise<void>;
}

/** Its config writes, with LocalWorkspace's signatures. */
export interface ConfigWrites {
    setConfig(key: string, value: ConfigValue, path?: boolean): Promise<void>;
    setAllConfig(config: ConfigMap, path?: boolean): Promise<void>;
    removeConfig(key: string, path?: boolean): Promise<void>;
}

export type StackWrites = TagWrites & ConfigWrites;

/** A write that exited non-zero: its message in the Automation API's CommandError form, which errorSummary reads. */
export class CliWriteError extends Error {
    constructor(readonly code: number, readonly stdout: string, readonly stderr: string, cause = "") {
        super(`code: ${code}\n stdout: ${stdout}\n stderr: ${stderr}\n err?: ${cause}\n`);
        this.name = "CliWriteError";
    }
}

/** How long a write's process may take to be gone after SIGKILL before the step says it may still land. */
const KILL_WAIT_MS = 5000;

/** The environment LocalWorkspace gives its CLI (`runPulumiCmd`, then cmd.js `run`; execa adds this process's). */
function envOf(workspace: LocalWorkspace, command: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars };
    if (path.isAbsolute(command)) env.PATH = `${path.dirname(command)}${path.delimiter}${workspace.envVars.PATH ?? process.env.PATH ?? ""}`;
    env.PULUMI_AUTOMATION_API = "true";
    return env;
}

/**
 * Runs one write of `stack`'s CLI. When the step gives up it gets SIGINT, SIGKILL `graceMs` later, and the step
 * waits for its exit (or says it may still land when it is still there KILL_WAIT_MS after the SIGKILL).
 */
export function runWrite(stack: Stack, step: StepWrites, args: readonly string[]): Promise<void> {
    if (step.signal.aborted) {
        return Promise.reject(new InterruptedError(`pulumi ${args.slice(0, 3).join(" ")} not started: its step gave up`));
    }
    const workspace = stack.workspace as LocalWorkspace;
    const command = workspace.pulumiCommand.command;
    const argv = args.includes("--non-interactive") ? [...args] : [...args, "--non-interactive"];
    const child = spawn(command, argv, { cwd: workspace.workDir, env: envOf(workspace, command), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => void (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString("utf8")));
    const timers: NodeJS.Timeout[] = [];
    let exited: (how: "exited" | "running") => void = () => undefined;
    const exit: WriteExit = new Promise((resolve) => (exited = resolve));
    const stopIt = () => {
        child.kill("SIGINT");
        timers.push(setTimeout(() => child.kill("SIGKILL"), step.graceMs), setTimeout(() => exited("running"), step.graceMs + KILL_WAIT_MS));
    };
    step.signal.addEventListener("abort", stopIt, { once: true });
    // Gone at its exit, even before its output closes: nothing it started writes for it.
    child.on("exit", () => exited("exited"));
    step.track(exit);
    return new Promise<void>((resolve, reject) => {
        const end = (err?: Error) => {
            step.signal.removeEventListener("abort", stopIt);
            timers.forEach(clearTimeout);
            exited("exited");
            return err ? reject(err) : resolve();
        };
        // A CLI that cannot start (ENOENT) has only the spawn error, under "stderr:" as the Automation API puts it.
        child.on("error", (err) => end(new CliWriteError(-2, "", err.message, String(err))));
        child.on("close", (code, signal) => end(code === 0 ? undefined : new CliWriteError(code ?? -1, stdout, stderr || `pulumi was stopped by ${signal}`)));
    });
}

/** `stack`'s tag and config writes within `step`, as LocalWorkspace words each command. */
export function cliWrites(stack: Stack, step: StepWrites): StackWrites {
    step.writes = true;
    const run = (args: string[]) => runWrite(stack, step, args);
    const on = ["--stack", stack.name];
    const secrecy = (v: ConfigValue) => (v.secret ? "--secret" : "--plaintext");
    return {
        setTag: (key, value) => run(["stack", "tag", "set", key, value, ...on]),
        removeTag: (key) => run(["stack", "tag", "rm", key, ...on]),
        setConfig: (key, value, p) => run(["config", "set", ...(p ? ["--path"] : []), key, ...on, secrecy(value), "--non-interactive", "--", value.value]),
        setAllConfig: (config, p) => run(["config", "set-all", ...on, ...(p ? ["--path"] : []),
            ...Object.entries(config).flatMap(([key, value]) => [secrecy(value), `${key}=${value.value}`])]),
        removeConfig: (key, p) => run(["config", "rm", key, ...on, ...(p ? ["--path"] : [])]),
    };
}

/** A bounded step (boundedRead) that writes `ctx.stack`'s tags or config: a write it has running when it gives up is stopped first. */
export function boundedWrite<T>(ctx: BoundsContext & { readonly stack: Stack }, label: string, run: (writes: StackWrites) => Promise<T>, afterStop = false): Promise<T> {
    return boundedRead(ctx, label, (step) => run(cliWrites(ctx.stack, step)), afterStop);
}
