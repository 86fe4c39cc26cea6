/**
 * The tag and config writes the scheduler runs itself (cliWrite.ts), against the fake CLI: the commands are
 * LocalWorkspace's, and a bounded step that gives up on a write kills its process and waits for it to be gone,
 * so nothing that step wrote lands after it said so.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { Bounds, InterruptedError, TimeoutError, boundedRead } from "./bounds";
import { boundedWrite } from "./cliWrite";
import { errorSummary, openStack } from "./stackOps";
import { FakeBackend } from "./testing/fakeBackend";
import { recordingCli } from "./testing/recordingCli";

const FAR = Date.now() + 3_600_000;
const BOUNDS: Bounds = { operationMs: 60_000, readMs: 400, graceMs: 1000, deadline: FAR, jobEnd: FAR, signalGraceMs: 1000, backupWaitMs: 1000, snapshotWaitMs: 1000, writeGraceMs: 300 };
const TAG = "intergalactic:scheduler.lease";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the scheduler's own tag and config writes", function () {
    this.timeout(30_000);
    let backend: FakeBackend;
    let stack: Stack;
    const ctx = (extra: { stop?: AbortSignal } = {}) => ({ bounds: BOUNDS, clock: () => new Date(), log: () => undefined, stack, ...extra });
    const tags = () => backend.read().stacks.dev.tags;
    beforeEach(async () => {
        backend = new FakeBackend();
        stack = await openStack({ stackName: "dev", workDir: backend.workDir, pulumiRoot: backend.root, envVars: {} });
    });
    afterEach(() => backend.cleanup());

    it("runs the commands LocalWorkspace runs for the same methods, in the same working copy", async () => {
        const ours = backend.checkout();
        const theirs = await openStack({ stackName: "dev", workDir: ours, pulumiRoot: backend.root, envVars: {} });
        const writes = (target: Pick<Stack, "setTag" | "removeTag" | "setConfig" | "setAllConfig" | "removeConfig">) => async () => {
            await target.setTag("a", "1");
            await target.removeTag("a");
            await target.setConfig("intergalactic:schedule.mode", { value: "hibernated" }, true);
            await target.setConfig("intergalactic:token", { value: "s3cret", secret: true });
            await target.setAllConfig({ "intergalactic:restore.users": { value: "snap-1" }, "intergalactic:x": { value: "y" } }, true);
            await target.removeConfig("intergalactic:restore", true);
        };
        const start = backend.calls().length;
        await writes(theirs)();
        const automation = backend.calls().slice(start);
        await boundedWrite(ctx(), "writing", (w) => writes(w)());
        const mine = backend.calls().slice(start + automation.length);
        assert.deepStrictEqual(mine, automation);
        assert.deepStrictEqual(backend.config(stack.workspace.workDir), backend.config(ours));
    });

    it("runs each write and `pulumi cancel` with the command line and environment the Automation API runs it with", async () => {
        const cli = await recordingCli({});
        try {
            const theirs = cli.stack;
            const writes = (target: Pick<Stack, "setTag" | "removeTag" | "setConfig" | "setAllConfig" | "removeConfig" | "cancel">) => [
                () => target.setTag("a", "1"), () => target.removeTag("a"), () => target.setConfig("intergalactic:x", { value: "y", secret: true }, true),
                () => target.setAllConfig({ "intergalactic:a": { value: "1" } }), () => target.removeConfig("intergalactic:x", true), () => target.cancel(),
            ];
            const automation = writes(theirs);
            await boundedWrite({ ...ctx(), stack: theirs }, "writing", async (w) => {
                const mine = writes(w);
                for (let i = 0; i < mine.length; i++) {
                    const [a, b] = [await cli.callsOf(automation[i]), await cli.callsOf(mine[i])];
                    assert.deepStrictEqual(b.calls, a.calls, `write ${i}`);
                    assert.strictEqual(b.calls.length, 1);
                }
            });
        } finally {
            cli.cleanup();
        }
    });

    it("fails a write whose CLI has gone since the stack was opened with the spawn error, as the Automation API's reads", async () => {
        const cli = path.join(backend.root, "bin", "pulumi");
        fs.renameSync(cli, `${cli}.gone`);
        try {
            const err = await boundedWrite(ctx(), "taking the stack's lease", (w) => w.setTag(TAG, "x")).then(() => undefined, (e: Error) => e);
            assert.ok(err instanceof Error, "the write failed");
            assert.match(errorSummary(err), /ENOENT/);
            assert.match(err.message, /^code: -2\n/);
        } finally {
            fs.renameSync(`${cli}.gone`, cli);
        }
        assert.strictEqual(tags()[TAG], undefined);
    });

    it("fails a refused write with the CLI's error line, as the Automation API's error reads", async () => {
        const err = await boundedWrite(ctx(), "writing the stack tags", (w) => w.setTag("bad tag!", "x")).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.match(errorSummary(err), /^error: stack tag "bad tag!" is too long or has characters other than/);
    });

    it("kills a hung write on timeout and returns only once its process is gone", async () => {
        backend.edit((s) => s.failures.push({ command: "stack tag set", key: TAG, times: 1, mode: "hang", ignoreSigint: true }));
        const err = await boundedWrite(ctx(), "taking the stack's lease", (w) => w.setTag(TAG, "mine")).catch((e: Error) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.match(err.message, /^taking the stack's lease: pulumi did not answer within 0 s; the write pulumi was making was stopped and its process is gone, so it sends nothing more \(a request the backend had already received may still be applied\): it may or may not have landed, and the next run reads it back; the next run resumes it/);
        assert.deepStrictEqual(backend.running(), [], "no pulumi process is left");
        assert.strictEqual(tags()[TAG], undefined);
    });

    it("never lets a late write land after its step gave up, nor starts the step's next write", async () => {
        backend.edit((s) => s.failures.push({ command: "stack tag set", key: "intergalactic:data.users.f", times: 1, mode: "late", delayMs: 1500 }));
        const err = await boundedWrite(ctx(), "writing the restore record", async (w) => {
            await w.setTag("intergalactic:data.users.f", "users-td-20261127t1800z-dev");
            await w.setTag("intergalactic:data.users", "{\"s\":\"down\"}");
        }).catch((e: Error) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.deepStrictEqual(backend.running(), []);
        await sleep(2000);
        assert.deepStrictEqual(tags(), {}, "nothing the step wrote landed after it gave up");
        // The same write in time lands: the fault is what held it up.
        await boundedWrite(ctx(), "writing the restore record", (w) => w.setTag("intergalactic:data.users.f", "users-td-20261127t1800z-dev"));
        assert.strictEqual(tags()["intergalactic:data.users.f"], "users-td-20261127t1800z-dev");
    });

    it("says so when no write of the step was running, and a read gives no such word", async () => {
        const never = new Promise<void>(() => undefined);
        const write = await boundedWrite(ctx(), "releasing the lease", () => never).catch((e: Error) => e);
        assert.match(String(write), /releasing the lease: pulumi did not answer within 0 s; no write of it was running, and none starts after this; the next run/);
        const read = await boundedRead(ctx(), "reading the stack tags", () => never).catch((e: Error) => e);
        assert.match(String(read), /reading the stack tags: pulumi did not answer within 0 s; the next run/);
    });

    it("stops a hung write on a stop signal, SIGINT first, before it says the run was interrupted", async () => {
        backend.edit((s) => s.failures.push({ command: "config set", times: 1, mode: "hang" }));
        const stop = new AbortController();
        const started = Date.now();
        const writing = boundedWrite({ ...ctx({ stop: stop.signal }), bounds: { ...BOUNDS, readMs: 20_000, writeGraceMs: 20_000 } }, "setting the stack config",
            (w) => w.setConfig("intergalactic:snapshots.suffix", { value: "td-1" }, true)).catch((e: Error) => e);
        while (!backend.calls().some((c) => c[0] === "config")) await sleep(20);
        stop.abort("SIGTERM");
        const err = await writing;
        assert.ok(err instanceof InterruptedError, String(err));
        assert.ok(Date.now() - started < 10_000, "SIGINT ended it, not the SIGKILL 20 s on");
        assert.match(err.message, /^setting the stack config: interrupted, this run received SIGTERM; the write pulumi was making was stopped and its process is gone/);
        assert.deepStrictEqual(backend.running(), []);
        assert.strictEqual(backend.config(stack.workspace.workDir)["intergalactic:snapshots"], undefined);
    });
});
