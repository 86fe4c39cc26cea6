/**
 * Random interleavings of scheduled runs, failed, partial and crashed operations, destroys
 * by a person and a second reconciler started during a run's operation, through the real
 * Automation API code and the fake CLI. Properties, checked on every sequence:
 * - the data is never lost, nor replaced by older data: every scheduled spin-up that succeeds
 *   is a working day that writes a new generation of the marker (M1, M2, ...), and every data
 *   store created after the first holds the newest generation written before it (a resumed
 *   teardown never re-creates one empty, a spin-up never restores the snapshot of an empty one,
 *   nor an older snapshot over newer data), and no snapshot taken is empty;
 * - one reconciler at a time: a second run started while the first's operation runs stops
 *   with a LeaseError before it changes anything, and the first, told to stop (SIGTERM),
 *   interrupts its operation and releases its lease;
 * - resumable: with the faults gone, one run tears the stack down completely (no resources,
 *   pending operations or lease left, and no lock when it operated), the next spin-up restores
 *   the newest generation and leaves no pending operation, lock or lease, a third run finds nothing to do,
 *   and after one more working day a teardown and a spin-up bring that day's generation back;
 *   that spin-up may instead stop and ask only after a destroy made outside the scheduler, changing
 *   nothing, with a message naming `--restore` and a snapshot that holds the newest generation,
 *   which the person's `--restore` then brings back.
 * `SCHEDULER_FUZZ_RUNS=<n>` runs more sequences than the default; the seed is fixed unless
 * `INTERLEAVINGS_SEED=random`; `INTERLEAVINGS_SEED=<seed>` (with `INTERLEAVINGS_PATH=<path>`)
 * replays the one fast-check printed for a failure.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { ScheduleConfig } from "../stacks/config/schedule";
import { InterruptedError } from "./bounds";
import { LEASE_TAG, LeaseError } from "./lease";
import { ReconcileOptions, ReconcileResult, reconcile } from "./reconciler";
import { ReconcileError } from "./stackOps";
import { FakeBackend, FakeFailure, VPC } from "./testing/fakeBackend";

const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "UTC", workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const DAY = 24 * 3_600_000;
const START = Date.parse("2027-01-04T00:00:00Z");
const RUNS = Number(process.env.SCHEDULER_FUZZ_RUNS ?? 12);
/**
 * The sequences are fixed by default (seed FIXED_SEED, seen to pass), so CI does not fail at random on a path not yet
 * understood; `INTERLEAVINGS_SEED=random` explores new ones, and `INTERLEAVINGS_SEED=<n>` (with `INTERLEAVINGS_PATH=<p>`)
 * replays the sequence fast-check printed for a failure. Seed -357042907 path "18" and seed -799936267 path "25", once
 * open, pass: the refusal names the candidate snapshots (README, "How it is tested").
 */
const FIXED_SEED = 20261202;
const SEED = process.env.INTERLEAVINGS_SEED ?? String(FIXED_SEED);
const REPLAY = SEED === "random" ? {} : { seed: Number(SEED), ...(process.env.INTERLEAVINGS_PATH ? { path: process.env.INTERLEAVINGS_PATH } : {}) };

type Want = "up" | "down";
type Step =
    | { kind: "scheduled"; want: Want }
    | { kind: "fault"; failure: FakeFailure }
    | { kind: "manualDestroy" }
    | { kind: "concurrent" };

const failure: fc.Arbitrary<FakeFailure> = fc.oneof(
    fc.record({ command: fc.constant("destroy" as const), times: fc.constant(1), mode: fc.constantFrom("fail" as const, "crash" as const), keep: fc.constant<string[]>([VPC]), pendingOn: fc.constantFrom("users", VPC), stderr: fc.constant("error: DependencyViolation") }),
    fc.record({ command: fc.constant("up" as const), times: fc.constant(1), mode: fc.constantFrom("fail" as const, "crash" as const, "partial" as const), stderr: fc.constant("error: InsufficientInstanceCapacity") }),
);
const want = fc.constantFrom("up" as const, "down" as const);
const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: want.map((w) => ({ kind: "scheduled" as const, want: w })) },
    { weight: 3, arbitrary: failure.map((f) => ({ kind: "fault" as const, failure: f })) },
    { weight: 1, arbitrary: fc.constant({ kind: "manualDestroy" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "concurrent" as const }) },
);

describe("random interleavings of runs and faults", function () {
    this.timeout(900_000);

    it("never lose the marker, never run two reconcilers at once, and always leave a stack the next runs resume", async () => {
        await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), sequence), { numRuns: RUNS, endOnFailure: true, ...REPLAY });
    });

    it("a person's destroy that crashes on the torn-down stack leaves its lock to the next run that operates, which never cancels it: a person does", async () => {
        // Found with seed 651187136, path "11": the teardown after it has nothing to do, so it runs no operation and cannot see the lock.
        await sequence([
            { kind: "scheduled", want: "down" },
            { kind: "fault", failure: { command: "destroy", times: 1, mode: "crash", keep: [VPC], pendingOn: VPC, stderr: "error: DependencyViolation" } },
            { kind: "manualDestroy" },
        ]);
    });
});

/** One sequence of steps after a first spin-up, then the faults gone: a full teardown, a spin-up with the marker, a no-op. */
async function sequence(steps: Step[]): Promise<void> {
    const backend = new FakeBackend();
    const lines: string[] = [];
    let day = 0;
    const run = (w: Want, extra: Partial<ReconcileOptions> = {}): Promise<ReconcileResult> => {
        // Each run decides for its own day, so every run's snapshot names are its own; its real clock is that
        // many days further on, so a crashed CLI's lock is older than any run by the next one.
        const shift = ++day * DAY;
        return reconcile({
            stackName: "dev", workDir: backend.checkout(), pulumiRoot: backend.root, envVars: {},
            schedule, environment: "dev", now: new Date(START + shift + (w === "up" ? 9 : 21) * 3_600_000), dryRun: false,
            log: (l) => lines.push(l), dataStores: ["users"], clock: () => new Date(Date.now() + shift),
            sleep: async () => undefined, leaseSettleMs: 0, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, ...extra,
        });
    };
    let generation = 1;
    const newest = () => `M${generation}`;
    const context = () => `steps ${JSON.stringify(steps)} (newest ${newest()})\n${lines.join("\n")}`;
    /** A working day: the team writes the next generation into the live store. */
    const workingDay = () => {
        if (Object.keys(backend.liveMarkers()).length === 0) return;
        generation++;
        backend.edit((b) => {
            for (const r of b.stacks.dev.resources) if (r.store && b.cloud.stores[r.id ?? ""]) b.cloud.stores[r.id!].marker = newest();
        });
    };
    let checked = 1;
    /** Every store created since the last check holds the newest generation written before it. */
    const checkCreated = () => {
        const created = backend.read().cloud.created ?? [];
        for (const c of created.slice(checked)) {
            assert.ok(c.restoredFrom !== "" && c.marker === newest(), `a store was created empty or from older data (${c.marker || "empty"}, newest ${newest()}): ${JSON.stringify(created)}\n${context()}`);
        }
        checked = created.length;
    };
    const stack = () => backend.read().stacks.dev;
    try {
        // A new stack: the cloud keeps no snapshot of it, so its first spin-up starts it empty.
        await run("up", { inventory: backend.inventory() });
        backend.edit((s) => Object.values(s.cloud.stores).forEach((store) => void (store.marker = "M1")));
        backend.edit((s) => void (s.cloud.created![0].marker = "M1"));
        for (const s of steps) {
            if (s.kind === "scheduled") {
                const result = await run(s.want).catch((e: Error) => e);
                checkCreated();
                if (s.want === "up" && !(result instanceof Error)) workingDay();
            } else if (s.kind === "fault") backend.edit((b) => void b.failures.push(s.failure));
            else if (s.kind === "manualDestroy") await backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
            else await concurrent(backend, run, lines, context);
            checkCreated();
        }
        const snapshots = Object.entries(backend.read().cloud.snapshots);
        assert.ok(snapshots.every(([, snap]) => snap.marker !== ""), `a snapshot of an empty store: ${JSON.stringify(snapshots)}\n${context()}`);

        backend.edit((b) => void (b.failures = []));
        const down = await run("down").catch((e) => e);
        assert.ok(!(down instanceof Error), `the teardown after the faults failed: ${down}\n${context()}`);
        assert.deepStrictEqual({ resources: stack().resources.length, pending: stack().pending.length, lease: stack().tags[LEASE_TAG] },
            { resources: 0, pending: 0, lease: undefined }, context());
        // A teardown that operates clears any stale lock. One with nothing to do runs no operation, so it cannot see a lock
        // (Pulumi reports one only to the next command that takes it): a person's CLI that crashed on the empty stack leaves
        // its lock to the next run that operates, which judges it by the same rules (the spin-up below must clear it).
        if (down.action !== "none") assert.strictEqual(stack().lock, null, `the teardown left a lock\n${context()}`);
        const before = { resources: JSON.stringify(stack().resources), stores: JSON.stringify(backend.read().cloud.stores), lock: JSON.stringify(stack().lock), mutations: backend.mutations().length };
        let up = await run("up").catch((e) => e);
        if (up instanceof ReconcileError && /locked by a run that may still be going/.test(up.message) && steps.some((s) => s.kind === "manualDestroy") &&
            /live, it was not taken by a scheduler run lost/.test(lines.join("\n"))) {
            // A person's crashed CLI left its lock: never aged out (README Limits), so a person ends it with `pulumi cancel`.
            assert.ok(stack().lock, `the refusal cancelled the lock\n${context()}`);
            await backend.pulumi(["cancel", "--yes"]);
            before.lock = JSON.stringify(stack().lock);
            up = await run("up").catch((e) => e);
        }
        if (up instanceof ReconcileError && /spin-up refused/.test(up.message)) up = await answered(up, before);
        assert.ok(!(up instanceof Error), `the spin-up after the faults failed: ${up}\n${context()}`);
        checkCreated();
        assert.deepStrictEqual({ markers: backend.liveMarkers(), pending: stack().pending.length, lock: stack().lock, lease: stack().tags[LEASE_TAG] },
            { markers: { users: newest() }, pending: 0, lock: null, lease: undefined }, context());
        assert.strictEqual((await run("up")).action, "none", context());
        // One more working day and night: what the team wrote on the restored store comes back, not the older snapshot.
        workingDay();
        await run("down");
        await run("up");
        checkCreated();
        assert.deepStrictEqual(backend.liveMarkers(), { users: newest() }, context());

        /**
         * A spin-up may stop and ask instead of guessing only after a step the README's Limits leave to a person (a
         * destroy made outside the scheduler), only if it changed nothing, and only if its message lets the person
         * answer: it names `--restore` and a snapshot that holds the marker (or candidates among which one does). The
         * person's answer, `--restore <store>=<that snapshot>`, must then bring the marker back.
         */
        async function answered(refusal: ReconcileError, was: typeof before): Promise<unknown> {
            const why = `the spin-up refused: ${refusal.message}\n${context()}`;
            assert.ok(steps.some((s) => s.kind === "manualDestroy"), `no step asks a person, yet ${why}`);
            assert.deepStrictEqual(
                { resources: JSON.stringify(stack().resources), stores: JSON.stringify(backend.read().cloud.stores), lock: JSON.stringify(stack().lock), mutations: backend.mutations().length, pending: stack().pending.length, lease: stack().tags[LEASE_TAG] },
                { ...was, pending: 0, lease: undefined }, `the refusal changed something: ${why}`);
            assert.match(refusal.message, /--restore/, why);
            const named = Object.entries(backend.read().cloud.snapshots).filter(([id]) => refusal.message.includes(id));
            const answer = named.find(([, snap]) => snap.store === "users" && snap.marker === newest());
            assert.ok(answer, `the refusal names no snapshot that holds the newest generation (snapshots: ${JSON.stringify(backend.read().cloud.snapshots)}); ${why}`);
            return run("up", { restore: { users: { id: answer[0], config: {} } } }).catch((e) => e);
        }
    } finally {
        backend.cleanup();
    }
}

/**
 * The scheduled run that acts, with a second run started while its operation runs (held by a
 * hung CLI): the second stops with a LeaseError; the first, told to stop, interrupts its operation.
 */
async function concurrent(backend: FakeBackend, run: (w: Want, extra?: Partial<ReconcileOptions>) => Promise<ReconcileResult>, lines: string[], context: () => string) {
    const s = backend.read().stacks.dev;
    const w: Want = s.resources.some((r) => r.store) && s.pending.length === 0 ? "down" : "up";
    backend.edit((b) => void (b.failures = [{ command: w === "up" ? "up" : "destroy", times: 1, mode: "hang" }]));
    const stop = new AbortController();
    const first = run(w, { stop: stop.signal }).catch((e: unknown) => e);
    let settled = false;
    void first.then(() => (settled = true));
    // Its own operation's lock, not one a crashed CLI left before it (which the first run has yet to judge): a
    // second run started then would race the first for the lease instead of finding it held.
    const left = JSON.stringify(s.lock);
    const operating = () => { const lock = backend.read().stacks.dev.lock; return lock !== null && JSON.stringify(lock) !== left; };
    for (let i = 0; i < 800 && !settled && !operating(); i++) await new Promise((r) => setTimeout(r, 25));
    if (settled) {
        // It stopped before any operation (its decision needs a person): a second run then finds the stack free.
        const result = await first;
        assert.ok(!(result instanceof LeaseError), `the first run lost a lease nobody else held: ${result}\n${context()}`);
        backend.edit((b) => void (b.failures = []));
        return;
    }
    const before = backend.mutations().length;
    const second = await run(w).catch((e: unknown) => e);
    assert.ok(second instanceof LeaseError, `a second reconciler went on while the first ran: ${second}\n${context()}`);
    assert.match(second.message, /another reconciler holds stack dev .*this run changes nothing/);
    assert.strictEqual(backend.mutations().length, before, "the second run started no operation");
    stop.abort("SIGTERM");
    const result = await first;
    assert.ok(result instanceof InterruptedError, `the first run did not stop on SIGTERM: ${result}\n${lines.slice(-5).join("\n")}`);
    assert.strictEqual(backend.read().stacks.dev.tags[LEASE_TAG], undefined, "the interrupted run released its lease");
    backend.edit((b) => void (b.failures = []));
}
