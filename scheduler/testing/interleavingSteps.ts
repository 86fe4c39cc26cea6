/**
 * Test helper: the steps of the random interleavings (interleavings.test.ts) and what each does to one
 * world: a fake backend (self-managed or Pulumi Cloud), with or without the AWS snapshot inventory (the
 * real inventory code over testing/fakeAws.ts), the runs made against it and the marker generations the
 * team wrote. A step is a scheduled run, a fault queued for a later call (a failed, crashed or partial
 * operation, a destroy whose events are lost), a person's `pulumi up` (also one slipped in between a
 * teardown's `up` and its destroy) or `pulumi destroy`, lost tags (the record's, a stack moved by
 * export/import, the snapshots'), a config edit between runs, or a second reconciler during a run.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { ScheduleConfig } from "../../stacks/config/schedule";
import { InterruptedError } from "../bounds";
import { AwsInventory } from "../inventory/aws";
import { LEASE_TAG, LeaseError } from "../lease";
import { ReconcileOptions, ReconcileResult, reconcile } from "../reconciler";
import { CLI_VERSIONS, FakeBackend, FakeDataStore, FakeFailure, FakeState, VPC } from "./fakeBackend";
import { FakeAwsApi } from "./fakeAws";

export type Want = "up" | "down";
export type Step =
    | { kind: "scheduled"; want: Want }
    | { kind: "fault"; failure: FakeFailure }
    | { kind: "personDestroy" }
    /** A person's `up` from a fresh checkout now, or (`between`) just before the next destroy, as one can slip in between a teardown's `up` and its destroy. */
    | { kind: "personUp"; between: boolean }
    /** "record": the stack's tags; "move": `stack export`/`import` (no tags, no history, no lock); "snapshots": the tags the teardowns wrote onto their snapshots. */
    | { kind: "tagLoss"; what: "record" | "move" | "snapshots" }
    | { kind: "config"; edit: "finalOff" | "finalOn" | "addStore" }
    | { kind: "concurrent" };

export interface Scenario {
    readonly backend: NonNullable<FakeState["backend"]>;
    /** Every run lists the cloud's kept snapshots (the AWS inventory over the fake cloud), as `npm run schedule` does on AWS. */
    readonly inventory: boolean;
    /**
     * How the CLI hands a command's engine events to the Automation API: an `--event-log` file (up to 3.205.0) or a
     * stream to its gRPC service `pulumirpc.Events` (above), by the version the fake CLI reports (fakeBackend.ts CLI_VERSIONS).
     * @default "file"
     */
    readonly transport?: keyof typeof CLI_VERSIONS;
    readonly steps: readonly Step[];
}

export const CACHE: FakeDataStore = { name: "cache", type: "intergalactic:index:HaRedis", dataType: "aws:elasticache/replicationGroup:ReplicationGroup", finalSnapshot: true };

const failure: fc.Arbitrary<FakeFailure> = fc.oneof(
    fc.record({
        command: fc.constant("destroy" as const), times: fc.constant(1), skip: fc.integer({ min: 0, max: 1 }), mode: fc.constantFrom("fail" as const, "crash" as const),
        keep: fc.constantFrom<string[]>([VPC], ["cache", VPC]), pendingOn: fc.constantFrom("users", "cache", VPC), stderr: fc.constant("error: DependencyViolation"),
    }),
    fc.record({ command: fc.constant("destroy" as const), times: fc.constant(1), mode: fc.constant("quiet" as const) }),
    fc.record({
        command: fc.constant("up" as const), times: fc.constant(1), skip: fc.integer({ min: 0, max: 1 }),
        mode: fc.constantFrom("fail" as const, "crash" as const, "partial" as const), stderr: fc.constant("error: InsufficientInstanceCapacity"),
    }),
);

export const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("up" as const, "down" as const).map((want) => ({ kind: "scheduled" as const, want })) },
    { weight: 3, arbitrary: failure.map((f) => ({ kind: "fault" as const, failure: f })) },
    { weight: 1, arbitrary: fc.constant({ kind: "personDestroy" as const }) },
    { weight: 1, arbitrary: fc.boolean().map((between) => ({ kind: "personUp" as const, between })) },
    { weight: 1, arbitrary: fc.constantFrom("record" as const, "move" as const, "snapshots" as const).map((what) => ({ kind: "tagLoss" as const, what })) },
    { weight: 1, arbitrary: fc.constantFrom("finalOff" as const, "finalOn" as const, "addStore" as const).map((edit) => ({ kind: "config" as const, edit })) },
    { weight: 1, arbitrary: fc.constant({ kind: "concurrent" as const }) },
);

export const scenario = (maxSteps: number): fc.Arbitrary<Scenario> => fc.record({
    backend: fc.constantFrom("diy" as const, "cloud" as const),
    inventory: fc.boolean(),
    steps: fc.array(step, { minLength: 1, maxLength: maxSteps }),
    // Drawn after the steps, so the fixed seed's earlier draws stay the sequences it was seen to pass with.
    transport: fc.constantFrom("file" as const, "grpc" as const),
});

const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "UTC", workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const DAY = 24 * 3_600_000;
const START = Date.parse("2027-01-04T00:00:00Z");

/**
 * One world and what the property needs to know of its past: the newest generation each store's data
 * reached, the stores that ever held data, the stores a person created empty, and whether a step happened
 * that the README leaves to a person to answer (so the last spin-up may stop and ask).
 */
export class World {
    readonly backend: FakeBackend;
    readonly aws: FakeAwsApi | undefined;
    readonly lines: string[] = [];
    /** The generation each store that ever held data holds at its newest (M1, M2, ...). */
    readonly latest: Record<string, string> = {};
    /** A step happened after which a spin-up may rightly stop and ask a person (README, scheduler, Limits). */
    asked = false;
    /** The record's tags were lost without an inventory: a refusal may then name no snapshot (the README's Limits). */
    unnamed = false;
    private generation = 1;
    private day = 0;
    private checked = 0;

    constructor(readonly scenario: Scenario) {
        this.backend = new FakeBackend(scenario.backend);
        this.backend.edit((b) => void (b.version = CLI_VERSIONS[scenario.transport ?? "file"]));
        this.aws = scenario.inventory ? new FakeAwsApi(() => this.backend) : undefined;
    }

    /** One scheduled run from a fresh checkout, on its own day (so its snapshot names are its own), its clock that many days on. */
    run(want: Want, extra: Partial<ReconcileOptions> = {}): Promise<ReconcileResult> {
        // A crashed CLI's lock is older than any run by the next one, as the clock of each run is a day further on.
        const shift = ++this.day * DAY;
        return reconcile({
            stackName: "dev", workDir: this.backend.checkout(), pulumiRoot: this.backend.root, envVars: {},
            schedule, environment: "dev", now: new Date(START + shift + (want === "up" ? 9 : 21) * 3_600_000), dryRun: false,
            log: (l) => this.lines.push(l), dataStores: this.backend.read().program.dataStores.map((d) => d.name), clock: () => new Date(Date.now() + shift),
            sleep: async () => undefined, leaseSettleMs: 0, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
            ...(this.aws ? { inventory: new AwsInventory(this.aws, "intergalactic", "us-east-1") } : {}), ...extra,
        });
    }

    stack() {
        return this.backend.read().stacks.dev;
    }

    context(): string {
        return `scenario ${JSON.stringify(this.scenario)} (latest ${JSON.stringify(this.latest)})\n${this.lines.join("\n")}`;
    }

    /** A new stack's first spin-up (the cloud keeps nothing of it, so it starts empty), then the team writes M1. */
    async start(): Promise<void> {
        await this.run("up", this.aws ? {} : { inventory: this.backend.inventory() });
        this.backend.edit((s) => {
            Object.values(s.cloud.stores).forEach((store) => void (store.marker = "M1"));
            s.cloud.created!.forEach((c) => void (c.marker = "M1"));
        });
        for (const store of Object.keys(this.backend.liveMarkers())) this.latest[store] = "M1";
        this.checked = this.backend.read().cloud.created!.length;
    }

    /** A working day: the team writes the next generation into every live store. */
    workingDay(): void {
        const live = Object.keys(this.backend.liveMarkers());
        if (live.length === 0) return;
        const marker = `M${++this.generation}`;
        this.backend.edit((b) => {
            for (const r of b.stacks.dev.resources) if (r.store && b.cloud.stores[r.id ?? ""]) b.cloud.stores[r.id!].marker = marker;
        });
        for (const store of live) this.latest[store] = marker;
    }

    /**
     * Every store created since the last check holds the newest generation of its data (a resumed teardown never
     * re-creates one empty, a spin-up never restores the snapshot of an empty one, nor an older snapshot over newer
     * data), unless it never held data, or `byPerson` says a person's `up` (main's config, no restore) created it empty.
     */
    checkCreated(byPerson = false): void {
        const created = this.backend.read().cloud.created ?? [];
        for (const c of created.slice(this.checked)) {
            const store = c.id.replace(/-\d+$/, "");
            if (!(store in this.latest) || (byPerson && c.restoredFrom === "")) continue;
            assert.ok(c.restoredFrom !== "" && c.marker === this.latest[store],
                `${store} was created empty or from older data (${c.marker || "empty"}, newest ${this.latest[store]}): ${JSON.stringify(created)}\n${this.context()}`);
        }
        this.checked = created.length;
    }

    /** Whether a person's `up` now would fall under the README's limit: a stack moved to a self-managed backend, brought up by a person before any scheduler run there, without an inventory, looks new. */
    private movedAndUnrecorded(s: FakeState): boolean {
        return this.scenario.backend === "diy" && !this.aws && !Object.keys(s.stacks.dev.tags).some((t) => t.startsWith("intergalactic:data.")) &&
            !s.stacks.dev.resources.some((r) => r.store);
    }

    async apply(s: Step): Promise<void> {
        if (s.kind === "scheduled") {
            const preempts = this.pendingPreempts();
            const result = await this.run(s.want).catch((e: Error) => e);
            this.checkCreated(this.pendingPreempts() < preempts);
            if (s.want === "up" && !(result instanceof Error)) this.workingDay();
        } else if (s.kind === "fault") {
            // A destroy whose engine events are lost leaves what its deletion took unknown: the spin-up asks (deletionEvents.test.ts).
            if (s.failure.mode === "quiet") this.asked = true;
            this.backend.edit((b) => void b.failures.push(s.failure));
        }
        else if (s.kind === "personDestroy") await this.personDestroy();
        else if (s.kind === "personUp") await this.personUp(s.between);
        else if (s.kind === "tagLoss") this.loseTags(s.what);
        else if (s.kind === "config") this.editConfig(s.edit);
        else await concurrent(this);
        this.checkCreated();
    }

    private pendingPreempts(): number {
        return this.backend.read().failures.filter((f) => f.mode === "preempt").reduce((n, f) => n + f.times, 0);
    }

    /**
     * A person's destroy. Left out when a live store's state keeps no final snapshot (its config turned it off):
     * that destroy drops the data, which no scheduler can bring back; the scheduler's own runs never leave it so.
     */
    private async personDestroy(): Promise<void> {
        if (this.stack().resources.some((r) => r.store && !r.finalSnapshot)) return;
        const preempts = this.pendingPreempts();
        await this.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
        this.checkCreated(this.pendingPreempts() < preempts);
        this.asked = true;
    }

    /**
     * A person's `up` with main's config (no suffix, no restore): on a down or partial stack it creates the missing
     * stores empty. Left out when the config turns a final snapshot off (that `up` disarms the store, and a destroy by
     * anyone then keeps nothing) and in the README's limit of a moved stack without an inventory (movedAndUnrecorded).
     */
    private async personUp(between: boolean): Promise<void> {
        const s = this.backend.read();
        if (s.program.dataStores.some((d) => !d.finalSnapshot) || this.movedAndUnrecorded(s)) return;
        this.asked = true;
        if (between) return this.backend.edit((b) => void b.failures.push({ command: "destroy", times: 1, mode: "preempt", message: "a person's up between two commands", clockSkewMs: -7 * 60_000 }));
        await this.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a person's up"]);
        this.checkCreated(true);
    }

    private loseTags(what: "record" | "move" | "snapshots"): void {
        if (what === "snapshots") return this.aws?.tags.clear();
        this.asked = true;
        if (!this.aws) this.unnamed = true;
        this.backend.edit((b) => {
            const dev = b.stacks.dev;
            dev.tags = {};
            if (what !== "move") return;
            // The new backend's history is its own (Pulumi Cloud writes an import entry), and no lock comes along.
            const now = new Date().toISOString();
            dev.history = b.backend === "cloud" ? [{ version: 1, kind: "import", result: "succeeded", message: "", config: {}, startTime: now, endTime: now }] : [];
            dev.lock = null;
        });
    }

    /** A config edit between runs: users' final snapshot turned off (dev allows it) or on, the cache store added. */
    private editConfig(edit: "finalOff" | "finalOn" | "addStore"): void {
        this.backend.edit((b) => {
            if (edit === "addStore") {
                if (!b.program.dataStores.some((d) => d.name === CACHE.name)) b.program.dataStores = [...b.program.dataStores, CACHE];
                return;
            }
            b.program.dataStores = b.program.dataStores.map((d) => (d.name === "users" ? { ...d, finalSnapshot: edit === "finalOn" } : d));
        });
    }
}

/**
 * The scheduled run that acts, with a second run started while its operation runs (held by a
 * hung CLI): the second stops with a LeaseError; the first, told to stop, interrupts its operation.
 */
async function concurrent(world: World): Promise<void> {
    const { backend } = world;
    const s = world.stack();
    const w: Want = s.resources.some((r) => r.store) && s.pending.length === 0 ? "down" : "up";
    backend.edit((b) => void (b.failures = [{ command: w === "up" ? "up" : "destroy", times: 1, mode: "hang" }]));
    const stop = new AbortController();
    const first = world.run(w, { stop: stop.signal }).catch((e: unknown) => e);
    let settled = false;
    void first.then(() => (settled = true));
    // Its own operation's lock, not one a crashed CLI left before it (which the first run has yet to judge): a
    // second run started then would race the first for the lease instead of finding it held.
    const left = JSON.stringify(s.lock);
    const operating = () => { const lock = world.stack().lock; return lock !== null && JSON.stringify(lock) !== left; };
    for (let i = 0; i < 800 && !settled && !operating(); i++) await new Promise((r) => setTimeout(r, 25));
    if (settled) {
        // It stopped before any operation (its decision needs a person): a second run then finds the stack free.
        const result = await first;
        assert.ok(!(result instanceof LeaseError), `the first run lost a lease nobody else held: ${result}\n${world.context()}`);
        backend.edit((b) => void (b.failures = []));
        return;
    }
    const before = backend.mutations().length;
    const second = await world.run(w).catch((e: unknown) => e);
    assert.ok(second instanceof LeaseError, `a second reconciler went on while the first ran: ${second}\n${world.context()}`);
    assert.match(second.message, /another reconciler holds stack dev .*this run changes nothing/);
    assert.strictEqual(backend.mutations().length, before, "the second run started no operation");
    stop.abort("SIGTERM");
    const result = await first;
    assert.ok(result instanceof InterruptedError, `the first run did not stop on SIGTERM: ${result}\n${world.lines.slice(-5).join("\n")}`);
    assert.strictEqual(world.stack().tags[LEASE_TAG], undefined, "the interrupted run released its lease");
    backend.edit((b) => void (b.failures = []));
}
