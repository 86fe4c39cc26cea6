/**
 * The operations' `pulumi` as the scheduler runs it (operationCli.ts): as the Automation API's own runner does
 * (output, errors), and within the run's reach: killed and awaited, or named when it is still there after SIGKILL.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { CHECKED_SDK_VERSION, killOperation, operationsLeft, ownOperations, replaceableMismatch } from "./operationCli";
import { recordingCli } from "./testing/recordingCli";

type Run = (args: string[], cwd: string, env: Record<string, string>, onOutput?: (d: string) => void, onError?: (d: string) => void, signal?: AbortSignal) => Promise<{ stdout: string; code: number }>;

describe("the operations' pulumi (operationCli.ts)", function () {
    this.timeout(20_000);
    let dir: string;
    /** A command whose CLI is the shell script `body`, run as the Automation API runs an operation. */
    const cli = (body: string) => {
        const file = path.join(dir, "pulumi");
        fs.writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
        const command = ownOperations({ command: file } as unknown as PulumiCommand);
        return { command, run: (command as unknown as { run: Run }).run };
    };
    const alive = (pid: number) => {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    };
    beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), "operation-cli-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses an SDK whose PulumiCommand.prototype.run or version is not the one it replaces, naming the version", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        assert.strictEqual(CHECKED_SDK_VERSION, (require("../package.json") as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"]);
        const sixArgs = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown) => [a, b, c, d, e, f];
        assert.strictEqual(replaceableMismatch(sixArgs, CHECKED_SDK_VERSION), undefined);
        assert.match(replaceableMismatch(sixArgs, "3.249.0") ?? "", /installed @pulumi\/pulumi is 3\.249\.0.*operationCli\.ts.*3\.248\.0 automation\/cmd\.js/);
        assert.match(replaceableMismatch((args: unknown, options: unknown) => [args, options], CHECKED_SDK_VERSION) ?? "", /a function of 2 arguments/);
        assert.match(replaceableMismatch(undefined, CHECKED_SDK_VERSION) ?? "", /not a function/);
        const proto = PulumiCommand.prototype as unknown as { run: unknown };
        const theirs = proto.run;
        try {
            proto.run = (options: unknown) => options;
            assert.throws(() => ownOperations({ command: "pulumi" } as unknown as PulumiCommand), /OperationHookError|a function of 1 arguments/);
        } finally {
            proto.run = theirs;
        }
    });

    it("gives an operation's CLI the Automation API's command line and environment", async () => {
        const cli = await recordingCli({ "stack history": "[]" });
        try {
            const refresh = () => cli.stack.refresh({ message: "m", signal: new AbortController().signal }).catch(() => undefined);
            const theirs = await cli.callsOf(refresh);
            ownOperations((cli.stack.workspace as LocalWorkspace).pulumiCommand);
            const ours = await cli.callsOf(refresh);
            assert.ok(theirs.calls.some((c) => c.args[0] === "refresh"), JSON.stringify(theirs.calls.map((c) => c.args)));
            assert.deepStrictEqual(ours.calls, theirs.calls);
        } finally {
            cli.cleanup();
        }
    });

    it("runs a call as the Automation API does: --non-interactive, its output streamed and returned, its failure in the Automation API's error types", async () => {
        const { run } = cli(`echo "$@" "$PULUMI_AUTOMATION_API"; [ "$1" = up ] || { echo "error: [409] Conflict: Another update is currently in progress." >&2; exit 255; }`);
        const streamed: string[] = [];
        const done = await run(["up", "--yes"], dir, {}, (d) => streamed.push(d));
        assert.strictEqual(done.stdout, "up --yes --non-interactive true");
        assert.strictEqual(streamed.join(""), "up --yes --non-interactive true\n");
        const failed = await run(["destroy"], dir, {}).catch((e) => e);
        assert.ok(failed instanceof ConcurrentUpdateError, String(failed));
    });

    it("does not start a call whose signal is already aborted: it fails as an interrupted call does, and nothing of it runs", async () => {
        const marker = path.join(dir, "started");
        const { command, run } = cli(`touch "${marker}"; sleep 30`);
        const controller = new AbortController();
        controller.abort();
        const failed = await run(["destroy", "--yes"], dir, {}, undefined, undefined, controller.signal).catch((e) => e);
        assert.ok(failed instanceof Error && /not started: its signal was aborted/.test(failed.message), String(failed));
        assert.strictEqual((failed as { commandResult?: { code: number } }).commandResult?.code, -2);
        assert.deepStrictEqual(operationsLeft(command), []);
        assert.ok(!fs.existsSync(marker));
    });

    it("kills a call that ignores SIGINT and waits for it to be gone; then none of its command is left", async () => {
        const { command, run } = cli(`trap '' INT; echo started; while :; do sleep 0.1; done`);
        const controller = new AbortController();
        let started: () => void = () => undefined;
        const output = new Promise<void>((resolve) => (started = resolve));
        const work = run(["up"], dir, {}, () => started(), undefined, controller.signal).catch((e) => e);
        await output;
        controller.abort();
        await new Promise((r) => setTimeout(r, 300));
        const [pid] = operationsLeft(command);
        assert.ok(pid > 0 && alive(pid), "it ignored the SIGINT");
        assert.deepStrictEqual(await killOperation(controller.signal, 2000), { killed: 1 });
        assert.ok(!alive(pid));
        assert.deepStrictEqual(operationsLeft(command), []);
        assert.match(String(await work), /SIGKILL/);
    });

    it("names a call still there after its SIGKILL (a process it started holds its output), and keeps it among its command's until it is gone", async () => {
        const { command, run } = cli(`sleep 30 & echo $! > "${dir}/child"; trap '' INT; echo started; while :; do sleep 0.1; done`);
        const controller = new AbortController();
        let started: () => void = () => undefined;
        const output = new Promise<void>((resolve) => (started = resolve));
        const work = run(["destroy"], dir, {}, () => started(), undefined, controller.signal).catch((e) => e);
        await output;
        const [pid] = operationsLeft(command);
        assert.deepStrictEqual(await killOperation(controller.signal, 300), { running: [pid] });
        assert.deepStrictEqual(operationsLeft(command), [pid], "the run must not list itself as lost");
        process.kill(Number(fs.readFileSync(path.join(dir, "child"), "utf8")), "SIGKILL");
        await work;
        // Its `close` comes once the pipe the killed child held is closed, just after the call's result.
        for (let i = 0; i < 20 && operationsLeft(command).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(operationsLeft(command), []);
    });
});
