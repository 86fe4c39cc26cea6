/**
 * Random interleavings of scheduled runs, failed and crashed operations,
 * destroys by a person and a second reconciler started during a run: the
 * marker of the first store is never lost, and two clean runs (down, then up)
 * after any sequence bring the stack back with it. Each run spawns the fake
 * CLI a few dozen times, so the number of sequences is small by default;
 * `SCHEDULER_FUZZ_RUNS=<n>` runs more.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { ScheduleConfig } from "../stacks/config/schedule";
import { LEASE_TAG, LeaseError } from "./lease";
import { ReconcileOptions, reconcile } from "./reconciler";
import { FakeBackend, FakeFailure, VPC } from "./testing/fakeBackend";

const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "UTC", workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const DAY = 24 * 3_600_000;
const START = Date.parse("2027-01-04T00:00:00Z");

type Step =
    | { kind: "scheduled"; want: "up" | "down" }
    | { kind: "fault"; failure: FakeFailure }
    | { kind: "manualDestroy" }
    | { kind: "concurrent"; want: "up" | "down" };

const failure: fc.Arbitrary<FakeFailure> = fc.oneof(
    fc.record({ command: fc.constant("destroy" as const), times: fc.constant(1), mode: fc.constantFrom("fail" as const, "crash" as const), keep: fc.constant<string[]>([VPC]), pendingOn: fc.constantFrom("users", VPC), stderr: fc.constant("error: DependencyViolation") }),
    fc.record({ command: fc.constant("up" as const), times: fc.constant(1), mode: fc.constantFrom("fail" as const, "crash" as const), stderr: fc.constant("error: InsufficientInstanceCapacity") }),
);
const want = fc.constantFrom("up" as const, "down" as const);
const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: want.map((w) => ({ kind: "scheduled" as const, want: w })) },
    { weight: 3, arbitrary: failure.map((f) => ({ kind: "fault" as const, failure: f })) },
    { weight: 1, arbitrary: fc.constant({ kind: "manualDestroy" as const }) },
    { weight: 1, arbitrary: want.map((w) => ({ kind: "concurrent" as const, want: w })) },
);

describe("random interleavings of runs and faults", function () {
    this.timeout(600_000);

    it("never lose the marker and always leave a stack the next runs resume", async () => {
        const runs = Number(process.env.SCHEDULER_FUZZ_RUNS ?? 2);
        await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
            const backend = new FakeBackend();
            const lines: string[] = [];
            let day = 0;
            // Each run decides for its own day, so every run's snapshot names are its own.
            const at = (w: "up" | "down") => new Date(START + ++day * DAY + (w === "up" ? 9 : 21) * 3_600_000);
            const run = (w: "up" | "down", extra: Partial<ReconcileOptions> = {}) => reconcile({
                stackName: "dev", workDir: backend.checkout(), pulumiRoot: backend.root, envVars: {},
                schedule, environment: "dev", now: at(w), dryRun: false, log: (l) => lines.push(l),
                dataStores: ["users"],
                // The real clock a day further on per run: a crashed CLI's lock is stale by age by the next run.
                clock: () => new Date(Date.now() + day * DAY),
                sleep: async () => undefined, leaseSettleMs: 0, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, ...extra,
            });
            try {
                await run("up");
                backend.edit((s) => Object.values(s.cloud.stores).forEach((store) => void (store.marker = "M1")));
                for (const s of steps) {
                    if (s.kind === "scheduled") await run(s.want).catch(() => undefined);
                    else if (s.kind === "fault") backend.edit((b) => void b.failures.push(s.failure));
                    else if (s.kind === "manualDestroy") await backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
                    else {
                        // A second reconciler starts once the first holds the lease.
                        backend.edit((b) => void b.failures.push({ command: s.want === "up" ? "up" : "destroy", times: 1, mode: "delay", delayMs: 1500 }));
                        const first = run(s.want, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }).catch((e) => e);
                        for (let i = 0; i < 200 && !backend.read().stacks.dev.tags[LEASE_TAG]; i++) await new Promise((r) => setTimeout(r, 25));
                        const second = await run(s.want).catch((e) => e);
                        const firstResult = await first;
                        assert.ok(second instanceof LeaseError || firstResult instanceof Error, `two reconcilers ran at once: ${second}`);
                    }
                }
                backend.edit((b) => void (b.failures = []));
                await run("down");
                await run("up");
                assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" }, `steps ${JSON.stringify(steps)}\n${lines.join("\n")}`);
            } finally {
                backend.cleanup();
            }
        }), { numRuns: runs, endOnFailure: true });
    });
});
