/**
 * The scheduler's reads of the backend (tags, state, history, the logged-in user, the stack's qualified name), each
 * a `pulumi` process it starts itself (cliProcess.ts) so that a bounded step that gives up stops it and waits for it
 * to be gone: the Automation API's own reads take no signal, so one that hung ran on until the reconciler exited.
 *
 * Each is the command the Automation API runs for the same method, parsed as it parses it (@pulumi/pulumi 3.248
 * automation/localWorkspace.js `listTags`, `exportStack`, `whoAmI`, `runPulumiCmd`; automation/stack.js `history`,
 * `runPulumiCmd`), with the variables each adds: a LocalWorkspace method `PULUMI_HOME` when the workspace names one
 * and the workspace's variables; a Stack method `PULUMI_DEBUG_COMMANDS` before them and `--stack` after its arguments.
 * The scheduler calls no other read (`getTag`, `outputs`, `getAllConfig` are not used).
 */
import { Deployment, LocalWorkspace, Stack, TagMap, UpdateSummary, WhoAmIResult } from "@pulumi/pulumi/automation";
import { BoundsContext, StepProcesses, boundedRead } from "./bounds";
import { CliTarget, runCli } from "./cliProcess";

/** The reads the scheduler makes of a stack; a `Stack` has the same methods (a test's stand-in can be a plain object). */
export interface StackReads {
    listTags(): Promise<TagMap>;
    exportStack(): Promise<Deployment>;
    history(pageSize?: number, page?: number, showSecrets?: boolean): Promise<UpdateSummary[]>;
}

const workspaceOf = (stack: Stack) => stack.workspace as LocalWorkspace;

/** What a LocalWorkspace method runs with (localWorkspace.js `runPulumiCmd`). */
export function workspaceTarget(workspace: LocalWorkspace): CliTarget {
    return { command: workspace.pulumiCommand.command, workDir: workspace.workDir, env: { ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars } };
}

/** What a Stack method runs with (stack.js `runPulumiCmd`, `createBaseOptions`): `PULUMI_DEBUG_COMMANDS` first. */
export function stackTarget(workspace: LocalWorkspace): CliTarget {
    return { ...workspaceTarget(workspace), env: { PULUMI_DEBUG_COMMANDS: "true", ...workspaceTarget(workspace).env } };
}

/** `stack history --json`'s entries with their times as Dates, as stack.js `history` parses them. */
export function parseHistory(stdout: string): UpdateSummary[] {
    return JSON.parse(stdout, (key, value) => (key === "startTime" || key === "endTime" ? new Date(value) : value));
}

/** The arguments stack.js `history` gives `stack history` (before its `runPulumiCmd` adds `--stack`). */
export function historyArgs(pageSize?: number, page?: number, showSecrets?: boolean): string[] {
    const args = ["stack", "history", "--json", ...(showSecrets ?? true ? ["--show-secrets"] : [])];
    if (pageSize) args.push("--page-size", Math.floor(pageSize).toString(), "--page", Math.floor(!page || page < 1 ? 1 : page).toString());
    return args;
}

/** `stack`'s reads within `step`, each its own process. */
export function cliReads(stack: Stack, step: StepProcesses): StackReads {
    const workspace = workspaceOf(stack);
    const read = async (target: CliTarget, args: string[]) => (await runCli(target, step, args, "read")).stdout;
    return {
        listTags: async () => JSON.parse(await read(workspaceTarget(workspace), ["stack", "tag", "ls", "--json", "--stack", stack.name])),
        exportStack: async () => JSON.parse(await read(workspaceTarget(workspace), ["stack", "export", "--show-secrets", "--stack", stack.name])),
        history: async (pageSize, page, showSecrets) => parseHistory(await read(stackTarget(workspace), [...historyArgs(pageSize, page, showSecrets), "--stack", stack.name])),
    };
}

/** The logged-in user, as localWorkspace.js `whoAmI` reads it (`--json` from CLI 3.58; a CLI of unknown version is taken as older). */
export async function whoAmI(workspace: LocalWorkspace, step: StepProcesses): Promise<WhoAmIResult> {
    const json = (workspace.pulumiCommand.version?.compare("3.58.0") ?? -1) >= 0;
    const { stdout } = await runCli(workspaceTarget(workspace), step, json ? ["whoami", "--json"] : ["whoami"], "read");
    return json ? JSON.parse(stdout) : { user: stdout.trim() };
}

/** What `stack --show-name --fully-qualify-stack-names` prints for `stack`, run with the variables stackOps.ts `qualifiedName` gives it. */
export async function printedName(stack: Stack, step: StepProcesses): Promise<string> {
    const workspace = workspaceOf(stack);
    const target = { command: workspace.pulumiCommand.command, workDir: workspace.workDir, env: { PULUMI_SKIP_UPDATE_CHECK: "true", ...workspace.envVars } };
    return (await runCli(target, step, ["stack", "--show-name", "--fully-qualify-stack-names", "--stack", stack.name], "read")).stdout;
}

/** A bounded step (boundedRead) that reads `ctx.stack`: a read it has running when it gives up is stopped and awaited first. */
export function boundedStackRead<T>(ctx: BoundsContext & { readonly stack: Stack }, label: string, run: (reads: StackReads) => Promise<T>): Promise<T> {
    return boundedRead(ctx, label, (step) => run(cliReads(ctx.stack, step)));
}
