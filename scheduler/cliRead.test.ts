/**
 * The reads the scheduler runs itself (cliRead.ts): the command lines, environment and parsing of the Automation
 * API's own, and a bounded step that gives up on one stops its process and returns only once it is gone.
 */
import * as assert from "assert";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { Bounds, InterruptedError, StepProcesses, TimeoutError } from "./bounds";
import { boundedStackRead, cliReads, printedName, whoAmI } from "./cliRead";
import { openStack } from "./stackOps";
import { FakeBackend } from "./testing/fakeBackend";
import { RecordingCli, recordingCli } from "./testing/recordingCli";

const FAR = Date.now() + 3_600_000;
const BOUNDS: Bounds = { operationMs: 60_000, readMs: 400, graceMs: 1000, deadline: FAR, jobEnd: FAR, signalGraceMs: 1000, backupWaitMs: 1000, snapshotWaitMs: 1000, writeGraceMs: 300 };
const STOPPED = "the read pulumi was making was stopped and its process is gone";

describe("the scheduler's own reads", function () {
    this.timeout(30_000);

    describe("against a CLI that records its calls", () => {
        const HISTORY = JSON.stringify([{ version: 3, kind: "update", result: "succeeded", message: "x", startTime: "2026-11-27T18:00:00.000Z", endTime: "2026-11-27T18:01:02.000Z", environment: {}, config: {}, resourceChanges: { create: 2 } }]);
        const answers = {
            "stack tag ls": "{\"intergalactic:scheduler.lease\":\"{\\\"run\\\":\\\"a\\\"}\",\"b\":\"2\"}\n",
            "stack export": JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" }] } }),
            "stack history": HISTORY,
            "whoami": "{\"user\":\"ci\",\"organizations\":[\"intergalactic\"],\"url\":\"https://app.pulumi.com/ci\"}",
            "stack --show-name": "intergalactic/p/dev\n",
        };
        let cli: RecordingCli;
        let stack: Stack;
        beforeEach(async () => {
            cli = await recordingCli(answers);
            stack = cli.stack;
        });
        afterEach(() => cli.cleanup());
        const callsOf = (read: () => Promise<unknown>) => cli.callsOf(read);

        it("runs each read with the command line and environment the Automation API runs it with, and parses its output the same", async () => {
            const step = new StepProcesses();
            const mine = cliReads(stack, step);
            const pairs: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
                ["listTags", () => stack.listTags(), () => mine.listTags()],
                ["exportStack", () => stack.exportStack(), () => mine.exportStack()],
                ["history paged", () => stack.history(50, 2), () => mine.history(50, 2)],
                ["history one", () => stack.history(1), () => mine.history(1)],
                ["history all, no secrets", () => stack.history(undefined, undefined, false), () => mine.history(undefined, undefined, false)],
                ["whoAmI", () => stack.workspace.whoAmI(), () => whoAmI(stack.workspace as LocalWorkspace, step)],
            ];
            for (const [name, theirs, ours] of pairs) {
                const automation = await callsOf(theirs);
                const own = await callsOf(ours);
                assert.deepStrictEqual(own, automation, name);
                assert.strictEqual(own.calls.length, 1, name);
            }
            const [entry] = await mine.history(1);
            assert.ok(entry.startTime instanceof Date && entry.endTime instanceof Date, "times are Dates, as the Automation API gives them");
        });

        it("reads the qualified name with the command line and variables the scheduler gave the Automation API's runner", async () => {
            const { result, calls } = await callsOf(() => printedName(stack, new StepProcesses()));
            assert.strictEqual(result, "intergalactic/p/dev\n");
            const runner = stack.workspace.pulumiCommand as unknown as { run(a: string[], cwd: string, env: Record<string, string>): Promise<unknown> };
            const theirs = await callsOf(() => runner.run(["stack", "--show-name", "--fully-qualify-stack-names", "--stack", "dev"], stack.workspace.workDir,
                { PULUMI_SKIP_UPDATE_CHECK: "true", ...stack.workspace.envVars }));
            assert.deepStrictEqual(calls, theirs.calls);
        });
    });

    describe("against the fake CLI", () => {
        let backend: FakeBackend;
        let stack: Stack;
        const ctx = (extra: { stop?: AbortSignal } = {}) => ({ bounds: BOUNDS, clock: () => new Date(), log: () => undefined, stack, ...extra });
        beforeEach(async () => {
            backend = new FakeBackend();
            await backend.markUp("M1");
            stack = await openStack({ stackName: "dev", workDir: backend.workDir, pulumiRoot: backend.root, envVars: {} });
        });
        afterEach(() => backend.cleanup());

        it("reads what the Automation API reads from the same stack", async () => {
            await stack.setTag("intergalactic:x", "1");
            const mine = await boundedStackRead(ctx(), "reading", async (r) => ({ tags: await r.listTags(), state: await r.exportStack(), history: await r.history(50, 1) }));
            assert.deepStrictEqual(mine, { tags: await stack.listTags(), state: await stack.exportStack(), history: await stack.history(50, 1) });
        });

        it("fails a read as the Automation API's error reads, its error line first", async () => {
            backend.edit((s) => void (s.loggedIn = false));
            const err = await boundedStackRead(ctx(), "reading the stack tags", (r) => r.listTags()).catch((e: Error) => e);
            assert.ok(err instanceof Error);
            assert.match(err.message, /^code: 255\n stdout: \n stderr: error: PULUMI_ACCESS_TOKEN must be set/);
        });

        for (const mode of ["hang", "slow"] as const) {
            it(`stops a ${mode} read on timeout and returns only once its process is gone`, async () => {
                backend.edit((s) => s.failures.push({ command: "stack export", times: 1, mode, delayMs: 5000 }));
                const err = await boundedStackRead(ctx(), "reading the stack state", (r) => r.exportStack()).catch((e: Error) => e);
                assert.ok(err instanceof TimeoutError, String(err));
                assert.match(err.message, new RegExp(`^reading the stack state: pulumi did not answer within 0 s; ${STOPPED}; the next run resumes it`));
                assert.deepStrictEqual(backend.running(), [], "no pulumi process is left");
            });
        }

        it("stops a hung read on a stop signal, SIGINT first, before it says the run was interrupted", async () => {
            backend.edit((s) => s.failures.push({ command: "stack history", times: 1, mode: "hang" }));
            const stop = new AbortController();
            const started = Date.now();
            const reading = boundedStackRead({ ...ctx({ stop: stop.signal }), bounds: { ...BOUNDS, readMs: 20_000, writeGraceMs: 20_000 } }, "reading the stack history",
                (r) => r.history(1)).catch((e: Error) => e);
            while (!backend.calls().some((c) => c[1] === "history")) await new Promise((r) => setTimeout(r, 20));
            stop.abort("SIGTERM");
            const err = await reading;
            assert.ok(err instanceof InterruptedError, String(err));
            assert.ok(Date.now() - started < 10_000, "SIGINT ended it, not the SIGKILL 20 s on");
            assert.match(err.message, new RegExp(`^reading the stack history: interrupted, this run received SIGTERM; ${STOPPED}; the next run`));
            assert.deepStrictEqual(backend.running(), []);
        });
    });
});
