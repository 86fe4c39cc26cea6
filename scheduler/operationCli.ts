/**
 * The `pulumi` of the Automation API's operations (`up`, `preview`, `refresh`, `destroy`), started so that the run
 * can reach it. The Automation API spawns it with execa and keeps the child to itself (@pulumi/pulumi 3.248
 * automation/cmd.js `exec`): an AbortSignal only sends it SIGINT (`forceKillAfterTimeout: false`), and its pid is
 * not exposed. An operation that ignored the interrupt then ran on after the reconciler gave up on it, holding its
 * lock, while the run listed itself as lost (lease.ts LOST_TAG): a run on another host could cancel that lock by
 * its age alone while the `pulumi` still ran (a person's machine, Pulumi Deployments; GitHub kills the process tree).
 *
 * So the workspace's command runs each call as cmd.js does (same execa, arguments, environment, error form:
 * `ownOperations`), and keeps the child of every call started with a signal, so that `killOperation` can SIGKILL
 * it and wait for it to be gone before the run exits (bounds.ts `boundedOperation`). Only after the SIGINT and the
 * whole grace: a second signal makes Pulumi terminate at once anyway, which it warns "may lead to orphaned resources"
 * (pulumi/pulumi pkg/backend/cancellation_scope.go: the first SIGINT or SIGTERM cancels, a second terminates), so the
 * kill is the last resort, once the run would otherwise exit and leave it running.
 */
import { ChildProcess } from "child_process";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/** The Automation API's own modules, so a call runs and fails exactly as theirs (ConcurrentUpdateError and the like). */
const automationDir = path.dirname(require.resolve("@pulumi/pulumi/automation/cmd"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const execa = require(require.resolve("execa", { paths: [automationDir] })) as (file: string, args: string[], options: object) => ExecaChild;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as { CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError: (result: unknown) => Error };

/** execa 5's child: a ChildProcess whose `kill` takes its options, and the promise of its result. */
type ExecaChild = Omit<ChildProcess, "kill"> & { kill(signal: string, options?: { forceKillAfterTimeout: false }): boolean }
    & Promise<{ stdout: string; stderr: string; exitCode: number }>;
type Output = (data: string) => void;
type Run = (args: string[], cwd: string, additionalEnv: Record<string, string>, onOutput?: Output, onError?: Output, signal?: AbortSignal) => Promise<unknown>;

interface Running {
    readonly pid: number | undefined;
    readonly child: ExecaChild;
    /** Resolves once the process and its output pipes are gone (its `close`, as cliProcess.ts counts a process gone). */
    readonly closed: Promise<void>;
}

/** The running calls, by the signal they were started with (the operation's, bounds.ts), and by their command (a run's). */
const bySignal = new WeakMap<AbortSignal, Set<Running>>();
const byCommand = new WeakMap<PulumiCommand, Set<Running>>();

/** Adds `running` to `key`'s set until its process is gone. */
function track<K extends object>(map: WeakMap<K, Set<Running>>, key: K, running: Running): void {
    const calls = map.get(key) ?? new Set<Running>();
    map.set(key, calls.add(running));
    void running.closed.then(() => calls.delete(running));
}

/** cmd.js `exec`, keeping the child of a call started with `signal`. */
async function exec(owner: PulumiCommand, args: string[], cwd: string, env: Record<string, string>, onOutput?: Output, onError?: Output, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) {
        // An abort listener never fires for a signal already aborted (stack.js awaits its event log and arguments
        // before the call): started, pulumi would run the whole operation uninterrupted and only meet the SIGKILL.
        // It fails as cmd.js's call interrupted by that signal does (a CommandError of code -2).
        const err = new Error(`Command was not started: its signal was aborted before it started: ${owner.command} ${args.join(" ")}`);
        throw createCommandError(new CommandResult("", err.message, -2, err));
    }
    try {
        const proc = execa(owner.command, args, { env, cwd });
        if (onError) proc.stderr?.on("data", (d: Buffer) => onError(d.toString()));
        if (onOutput) proc.stdout?.on("data", (d: Buffer) => onOutput(d.toString()));
        if (signal) {
            const running: Running = { pid: proc.pid, child: proc, closed: new Promise((resolve) => proc.once("close", () => resolve())) };
            track(bySignal, signal, running);
            track(byCommand, owner, running);
            signal.addEventListener("abort", () => proc.kill("SIGINT", { forceKillAfterTimeout: false }));
        }
        const { stdout, stderr, exitCode } = await proc;
        const result = new CommandResult(stdout, stderr, exitCode);
        if (exitCode !== 0) throw createCommandError(result);
        return result;
    } catch (err) {
        throw createCommandError(new CommandResult("", (err as Error).message, -2, err as Error));
    }
}

/** The @pulumi/pulumi whose cmd.js `run` and `exec` this file was checked against (package.json pins it). */
export const CHECKED_SDK_VERSION = "3.248.0";

/**
 * Why `run` (the SDK's `PulumiCommand.prototype.run`) and `version` (the installed @pulumi/pulumi) are not what
 * `ownOperations` replaces, or undefined when they are. Another version may route its operations elsewhere or take
 * the signal in another form: the kill would then reach nothing while the log said the process was killed.
 */
export function replaceableMismatch(run: unknown, version: string | undefined): string | undefined {
    const shape = typeof run === "function" ? `a function of ${run.length} arguments` : `not a function (${typeof run})`;
    if (version === CHECKED_SDK_VERSION && typeof run === "function" && run.length === 6) return undefined;
    return `the installed @pulumi/pulumi is ${version ?? "of an unknown version"} and its PulumiCommand.prototype.run is ${shape}, ` +
        `but scheduler/operationCli.ts replaces the run of @pulumi/pulumi ${CHECKED_SDK_VERSION} automation/cmd.js ` +
        "(args, cwd, additionalEnv, onOutput, onError, signal); check operationCli.ts against the new cmd.js, then update its CHECKED_SDK_VERSION";
}

/** The installed @pulumi/pulumi's version, from its package.json. */
function installedSdkVersion(): string | undefined {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require("@pulumi/pulumi/package.json") as { version?: string }).version;
}

/**
 * `command`, whose calls run through `exec` above with cmd.js `run`'s arguments and environment. Throws when the
 * installed SDK is not the one this replacement was checked against (`replaceableMismatch`).
 */
export function ownOperations(command: PulumiCommand): PulumiCommand {
    const mismatch = replaceableMismatch((PulumiCommand.prototype as unknown as { run?: unknown }).run, installedSdkVersion());
    if (mismatch) throw new OperationHookError(mismatch);
    const run: Run = (args, cwd, additionalEnv, onOutput, onError, signal) => {
        if (!args.includes("--non-interactive")) args.push("--non-interactive");
        const env = { ...additionalEnv };
        if (path.isAbsolute(command.command)) env.PATH = `${path.dirname(command.command)}${path.delimiter}${additionalEnv.PATH || process.env.PATH}`;
        env.PULUMI_AUTOMATION_API = "true";
        return exec(command, args, cwd, env, onOutput, onError, signal);
    };
    // `run` is the Automation API's internal entry point for every call of a workspace and its stacks (cmd.js).
    (command as unknown as { run: Run }).run = run;
    return command;
}

/** The SDK is not the one `ownOperations` was checked against: its operations would be out of the run's reach. */
export class OperationHookError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OperationHookError";
    }
}

/** What `killOperation` found: how many processes it killed (all gone), or the pids still there `waitMs` after their SIGKILL. */
export type KillOutcome = { readonly killed: number } | { readonly running: readonly number[] };

/** SIGKILLs the calls started with `signal` that still run and waits up to `waitMs` for them to be gone. */
export async function killOperation(signal: AbortSignal, waitMs: number): Promise<KillOutcome> {
    const calls = [...(bySignal.get(signal) ?? [])];
    for (const c of calls) c.child.kill("SIGKILL");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), waitMs)));
    const ends = await Promise.all(calls.map((c) => Promise.race([c.closed.then(() => "gone" as const), late])));
    clearTimeout(timer);
    const running = calls.filter((_, i) => ends[i] === "late").map((c) => c.pid ?? 0);
    return running.length > 0 ? { running } : { killed: calls.length };
}

/** The pids of `command`'s operations still running: a run must not list itself as lost while one may use its lock. */
export function operationsLeft(command: PulumiCommand): number[] {
    return [...(byCommand.get(command) ?? [])].map((c) => c.pid ?? 0);
}
