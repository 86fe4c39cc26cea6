/**
 * Test helper: a `pulumi` that records the arguments and environment of every call, one file per call, and prints
 * a fixed answer per command, with a stack opened on it through the Automation API; so a test can compare the calls
 * the scheduler makes itself (cliRead.ts, cliWrite.ts) with the Automation API's for the same method.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** One call as the CLI saw it; the environment without the variables bash sets itself. */
export interface RecordedCall {
    readonly args: string[];
    readonly env: Record<string, string>;
}

export interface RecordingCli {
    /** Stack `dev` in a working copy of project `p`, its workspace naming a `PULUMI_HOME` and a variable of its own. */
    readonly stack: Stack;
    /** What `run` returned and the calls it made. */
    callsOf(run: () => Promise<unknown>): Promise<{ result: unknown; calls: RecordedCall[] }>;
    cleanup(): void;
}

/** The CLI; `answers` maps how a call's arguments start (`stack tag ls`) to what it prints. */
export async function recordingCli(answers: Record<string, string>): Promise<RecordingCli> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "recording-pulumi-"));
    const calls = path.join(root, "calls");
    fs.mkdirSync(path.join(root, "bin"));
    fs.mkdirSync(calls);
    const cases = Object.entries(answers).map(([cmd, out], i) => {
        fs.writeFileSync(path.join(root, `answer${i}`), out);
        return `  ${JSON.stringify(cmd)}*) cat ${JSON.stringify(path.join(root, `answer${i}`))} ;;`;
    }).join("\n");
    fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/usr/bin/env bash
n=$(ls ${JSON.stringify(calls)} | wc -l)
{ printf '%s\\0' "$@"; printf '\\1'; env -0; } > ${JSON.stringify(calls)}/$(printf '%04d' "$n")
case "$*" in
  version*) echo v3.248.0 ;;
${cases}
esac
`, { mode: 0o755 });
    const recorded = (): RecordedCall[] => fs.readdirSync(calls).sort().map((f) => {
        const [args, env] = fs.readFileSync(path.join(calls, f), "utf8").split("\u0001");
        const vars = Object.fromEntries(env.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
        const { _, SHLVL, PWD, OLDPWD, ...rest } = vars;
        return { args: args.split("\0").slice(0, -1), env: rest };
    });
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "recording-work-"));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    const workspace = await LocalWorkspace.create({ workDir, pulumiHome: path.join(workDir, ".home"), pulumiCommand: await PulumiCommand.get({ root }),
        envVars: { PULUMI_SKIP_UPDATE_CHECK: "true", INTERGALACTIC_X: "1" } });
    const stack = await Stack.select("dev", workspace);
    return {
        stack,
        callsOf: async (run) => {
            const before = recorded().length;
            const result = await run();
            return { result, calls: recorded().slice(before) };
        },
        cleanup: () => [root, workDir].forEach((d) => fs.rmSync(d, { recursive: true, force: true })),
    };
}
