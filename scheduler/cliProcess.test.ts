/**
 * How a bounded step stops the processes it started (cliProcess.ts), with children no real CLI can be: one whose
 * output stays open after its exit, and one that never ends, even after SIGKILL (injected at the spawn seam).
 */
import * as assert from "assert";
import { ChildProcess } from "child_process";
import { EventEmitter } from "events";
import { PassThrough } from "stream";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { Bounds, TimeoutError } from "./bounds";
import { KILL_WAIT_MS, processes } from "./cliProcess";
import { boundedStackRead } from "./cliRead";
import { boundedWrite } from "./cliWrite";

const FAR = Date.now() + 3_600_000;
const BOUNDS: Bounds = { operationMs: 60_000, readMs: 200, graceMs: 1000, deadline: FAR, jobEnd: FAR, signalGraceMs: 1000, backupWaitMs: 1000, snapshotWaitMs: 1000, writeGraceMs: 200 };
const RESUMES = "the next run resumes it (it clears any pending operations, then carries on from the state left behind)";

/** A child that records the signals it gets and does what `onSignal` says with them; it ends only when told to. */
class FakeChild extends EventEmitter {
    readonly stdout = new PassThrough();
    readonly stderr = new PassThrough();
    readonly signals: string[] = [];
    constructor(private readonly onSignal: (child: FakeChild, signal: string) => void) {
        super();
    }
    kill(signal: string): boolean {
        this.signals.push(signal);
        this.onSignal(this, signal);
        return true;
    }
    /** Its process exits now; its output pipes close `closeAfterMs` later (a process it started still holds them). */
    exit(code: number | null, signal: string | null, closeAfterMs: number): void {
        this.emit("exit", code, signal);
        setTimeout(() => {
            this.stdout.end();
            this.stderr.end();
            this.emit("close", code, signal);
        }, closeAfterMs);
    }
}

describe("stopping the processes a bounded step started", function () {
    this.timeout(30_000);
    const real = processes.spawn;
    let children: FakeChild[] = [];
    const inject = (onSignal: (child: FakeChild, signal: string) => void) => {
        processes.spawn = () => {
            const child = new FakeChild(onSignal);
            children.push(child);
            return child as unknown as ChildProcess;
        };
    };
    afterEach(() => {
        processes.spawn = real;
        children = [];
    });
    const stack = { name: "dev", workspace: { pulumiCommand: { command: "/opt/pulumi/bin/pulumi" }, workDir: "/tmp", envVars: {} } as unknown as LocalWorkspace } as unknown as Stack;
    const ctx = { bounds: BOUNDS, clock: () => new Date(), log: () => undefined, stack };

    it("waits for a stopped write's output to close after its exit, not only for the exit", async () => {
        let exitedAt = 0;
        inject((child, signal) => {
            if (signal !== "SIGINT") return;
            exitedAt = Date.now();
            child.exit(null, "SIGINT", 1000);
        });
        const err = await boundedWrite(ctx, "taking the stack's lease", (w) => w.setTag("intergalactic:scheduler.lease", "x")).catch((e: Error) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.ok(exitedAt > 0, "it got SIGINT");
        assert.ok(Date.now() - exitedAt >= 950, `the step went on ${Date.now() - exitedAt} ms after the exit, before the output closed`);
        assert.match(err.message, /the write pulumi was making was stopped and its process is gone/);
        // Its SIGKILL came while its output was still open: to a process that has exited it does nothing.
        assert.deepStrictEqual(children[0].signals, ["SIGINT", "SIGKILL"]);
    });

    it("says a write that did not exit after SIGKILL may still land, without waiting for it any longer", async () => {
        inject(() => undefined);
        const started = Date.now();
        const err = await boundedWrite(ctx, "writing the restore record", (w) => w.setTag("intergalactic:data.users", "{}")).catch((e: Error) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.strictEqual(err.message, "writing the restore record: pulumi did not answer within 0 s; its write did not exit after SIGKILL, so it may still land " +
            `until its process is gone, and the next run reads it back; ${RESUMES}`);
        assert.deepStrictEqual(children[0].signals, ["SIGINT", "SIGKILL"]);
        const took = Date.now() - started;
        assert.ok(took >= BOUNDS.readMs + BOUNDS.writeGraceMs! + KILL_WAIT_MS - 50 && took < BOUNDS.readMs + BOUNDS.writeGraceMs! + KILL_WAIT_MS + 2000, `it gave up after ${took} ms`);
    });

    it("says the same of a read, which writes nothing", async () => {
        inject(() => undefined);
        const err = await boundedStackRead(ctx, "reading the stack state", (r) => r.exportStack()).catch((e: Error) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.strictEqual(err.message, `reading the stack state: pulumi did not answer within 0 s; its read did not exit after SIGKILL (it writes nothing); ${RESUMES}`);
        assert.deepStrictEqual(children[0].signals, ["SIGINT", "SIGKILL"]);
    });
});
