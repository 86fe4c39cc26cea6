/**
 * The scheduler's tag and config writes (its lease, restore record and lost runs; the working copy's config for the
 * next `up`), each a `pulumi` process this module starts itself (cliProcess.ts) so that a bounded step that gives up
 * can stop it: SIGINT, SIGKILL after `StepProcesses.graceMs`, and its end awaited (bounds.ts `boundedRead`). The
 * Automation API's own `Stack.setTag` and the like cannot be stopped, so a hung write it started ran on, and could
 * land after the lease was released or over the next record write. A write request the backend service already
 * received ends there as any request does; nothing is sent once the process is gone, which is what a stopped step
 * waits for.
 * A config write killed mid-way can leave the working copy's `Pulumi.<stack>.yaml` cut short (the CLI
 * truncates and rewrites it in place: pulumi/pulumi sdk/go/common/workspace/project.go `save`, `os.WriteFile`);
 * every config write runs inside `keepingStackFile` (workingCopy.ts), which puts the file back byte for byte
 * when the run leaves the spin-up or teardown, so a cut file does not outlive the run.
 *
 * Each command is the one LocalWorkspace runs for the same method (@pulumi/pulumi 3.248 automation/localWorkspace.js
 * `setTag`, `removeTag`, `setConfig`, `setAllConfig`, `removeConfig`, `runPulumiCmd`; `pulumi cancel` as stack.js
 * `cancel` runs it), with its variables (cliRead.ts `workspaceTarget`, `stackTarget`). A step that writes reads in the
 * same step (the lease reads its tag back).
 *
 * `pulumi cancel` ends a stale lock (stackOps.ts `recoverLock`): one left running past its step could land after the
 * run's retried operation took the lock again, and on a self-managed backend delete that live lock's file.
 */
import { ConfigMap, ConfigValue, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { BoundsContext, StepProcesses, boundedRead } from "./bounds";
import { runCli } from "./cliProcess";
import { StackReads, cliReads, stackTarget, workspaceTarget } from "./cliRead";

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

/** `pulumi cancel`: ends the update in progress (Pulumi Cloud) or deletes the stack's lock files (a self-managed backend). */
export interface LockWrites {
    cancel(): Promise<void>;
}

/** What a writing step gets: its writes, and its reads, stopped with them. */
export type StackWrites = TagWrites & ConfigWrites & LockWrites & StackReads;

/** `stack`'s tag and config writes within `step`, as LocalWorkspace words each command, and its reads. */
export function cliWrites(stack: Stack, step: StepProcesses): StackWrites {
    step.writes = true;
    const workspace = stack.workspace as LocalWorkspace;
    const run = async (args: string[], target = workspaceTarget(workspace)) => void (await runCli(target, step, args, "write"));
    const on = ["--stack", stack.name];
    const secrecy = (v: ConfigValue) => (v.secret ? "--secret" : "--plaintext");
    return {
        ...cliReads(stack, step),
        setTag: (key, value) => run(["stack", "tag", "set", key, value, ...on]),
        removeTag: (key) => run(["stack", "tag", "rm", key, ...on]),
        setConfig: (key, value, p) => run(["config", "set", ...(p ? ["--path"] : []), key, ...on, secrecy(value), "--non-interactive", "--", value.value]),
        setAllConfig: (config, p) => run(["config", "set-all", ...on, ...(p ? ["--path"] : []),
            ...Object.entries(config).flatMap(([key, value]) => [secrecy(value), `${key}=${value.value}`])]),
        removeConfig: (key, p) => run(["config", "rm", key, ...on, ...(p ? ["--path"] : [])]),
        // stack.js `cancel`: the CLI API's `cancel` with the stack as its `--stack` option, no positional stack name.
        cancel: () => run(["cancel", "--yes", ...on], stackTarget(workspace)),
    };
}

/** A bounded step (boundedRead) that writes `ctx.stack`'s tags or config: a call it has running when it gives up is stopped first. */
export function boundedWrite<T>(ctx: BoundsContext & { readonly stack: Stack }, label: string, run: (writes: StackWrites) => Promise<T>, afterStop = false): Promise<T> {
    return boundedRead(ctx, label, (step) => run(cliWrites(ctx.stack, step)), afterStop);
}
