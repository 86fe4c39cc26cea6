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
import { Cloud, PerCloud } from "../../components/common/cloud";
import { CLI_VERSIONS, COSMOS, DatedWrite, FakeBackend, FakeDataStore, FakeFailure, FakeState, PROGRAM, VPC, azureProgram, vnetOf } from "./fakeBackend";
import { FakeAwsApi } from "./fakeAws";
import { FakeBackup, answeringAfter, fakeBackup } from "./continuousBackup";
import { authorizationFailed, fakeAzureInventory } from "./restorableAccounts";
import type { CosmosBackupClient } from "../inventory/azureBackup";

// The fake CLI is plain JavaScript (fakeBackend.ts).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { tick } = require("./fake/writers") as { tick: (state: FakeState, ms: number) => void };

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
    | { kind: "concurrent" }
    /** Two scheduled runs at once, the first one's lease write landing 1.5 s late (Pulumi Cloud only: README, scheduler). */
    | { kind: "leaseRace" };

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
    /**
     * "aws" (default): the stack `dev`, its stores DocumentDB and ElastiCache, whose deletions take final snapshots.
     * "azure": the stack `dev-azure`, HaMongo's Cosmos DB account, whose deletion keeps what its continuous backup
     * holds, the services writing into it while their Deployment is in the state, and the Azure inventory (restorable
     * accounts, the backup's latest restorable timestamp) over the fake cloud.
     * @default "aws"
     */
    readonly cloud?: Cloud;
    /** Azure: each run's continuous backup, one per run in turn (the list repeats). @default [] */
    readonly backups?: readonly BackupDraw[];
}

/**
 * One run's continuous backup on Azure: how far behind the present it is when the run starts (`lagMs`), how far it
 * comes on at each answer of the latest restorable timestamp (`stepMs`; Azure backs up every 100 s), and whether
 * the backup API answers, fails (AuthorizationFailed), or never reaches the moment asked (`stalls`: the wait's bound runs out).
 */
export interface BackupDraw {
    readonly lagMs: number;
    readonly stepMs: number;
    readonly api: "answers" | "fails" | "stalls";
}

export const CACHE: FakeDataStore = { name: "cache", type: "intergalactic:index:HaRedis", dataType: "aws:elasticache/replicationGroup:ReplicationGroup", finalSnapshot: true };

/**
 * A destroy that fails or crashes keeping `keep` (its network, the network and a store), one whose events are lost
 * (`quiet`), and an `up` that fails, crashes or fails partway, each at the first or second matching call.
 */
function failures(keep: string[][], pendingOn: string[], destroyError: string, upError: string, quiet: fc.Arbitrary<FakeFailure>): fc.Arbitrary<FakeFailure> {
    return fc.oneof(
        fc.record({
            command: fc.constant("destroy" as const), times: fc.constant(1), skip: fc.integer({ min: 0, max: 1 }), mode: fc.constantFrom("fail" as const, "crash" as const),
            keep: fc.constantFrom<string[]>(...keep), pendingOn: fc.constantFrom(...pendingOn), stderr: fc.constant(destroyError),
        }),
        quiet,
        fc.record({
            command: fc.constant("up" as const), times: fc.constant(1), skip: fc.integer({ min: 0, max: 1 }),
            mode: fc.constantFrom("fail" as const, "crash" as const, "partial" as const), stderr: fc.constant(upError),
        }),
    );
}

const failure = failures([[VPC], ["cache", VPC]], ["users", "cache", VPC], "error: DependencyViolation", "error: InsufficientInstanceCapacity",
    fc.record({ command: fc.constant("destroy" as const), times: fc.constant(1), mode: fc.constant("quiet" as const) }));

export const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("up" as const, "down" as const).map((want) => ({ kind: "scheduled" as const, want })) },
    { weight: 3, arbitrary: failure.map((f) => ({ kind: "fault" as const, failure: f })) },
    { weight: 1, arbitrary: fc.constant({ kind: "personDestroy" as const }) },
    { weight: 1, arbitrary: fc.boolean().map((between) => ({ kind: "personUp" as const, between })) },
    { weight: 1, arbitrary: fc.constantFrom("record" as const, "move" as const, "snapshots" as const).map((what) => ({ kind: "tagLoss" as const, what })) },
    { weight: 1, arbitrary: fc.constantFrom("finalOff" as const, "finalOn" as const, "addStore" as const).map((edit) => ({ kind: "config" as const, edit })) },
    { weight: 1, arbitrary: fc.constant({ kind: "concurrent" as const }) },
);

/**
 * Each cloud's stack in the fakes: its name, its program, and whether its stores keep a continuous backup and are
 * restored to a point in time (the services then write into them on the cloud's clock, and the Azure inventory answers).
 */
const STACKS: PerCloud<{ readonly stack: string; readonly program: FakeState["program"]; readonly continuous: boolean }> = {
    [Cloud.Aws]: { stack: "dev", program: PROGRAM, continuous: false },
    [Cloud.Azure]: { stack: "dev-azure", program: azureProgram("dev-azure"), continuous: true },
};
const stackOf = (s: Pick<Scenario, "cloud">) => STACKS[s.cloud ?? Cloud.Aws];
const AZURE_VNET = vnetOf("dev-azure");

/** The faults of a dev-azure run: a destroy's first (the services' targeted one) or second failing, crashing or losing its events. */
const azureFailure = failures([[AZURE_VNET], ["users", AZURE_VNET]], ["users", AZURE_VNET], "error: deleting the virtual network: InUseSubnetCannotBeDeleted", "error: SkuNotAvailable",
    fc.record({ command: fc.constant("destroy" as const), times: fc.constant(1), skip: fc.integer({ min: 0, max: 1 }), mode: fc.constant("quiet" as const) }));

/**
 * The steps of the AWS draw where they apply on Azure: no cache store to add (Azure Managed Redis keeps nothing past a
 * deletion), no snapshot tags to lose (restorable accounts carry none); a person's `up` "between" comes during the
 * next teardown's backup wait, the race the teardown looks for before its destroy (writers.ts refuseWritersBack).
 */
export const azureStep: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("up" as const, "down" as const).map((want) => ({ kind: "scheduled" as const, want })) },
    { weight: 3, arbitrary: azureFailure.map((f) => ({ kind: "fault" as const, failure: f })) },
    { weight: 1, arbitrary: fc.constant({ kind: "personDestroy" as const }) },
    { weight: 1, arbitrary: fc.boolean().map((between) => ({ kind: "personUp" as const, between })) },
    { weight: 1, arbitrary: fc.constantFrom("record" as const, "move" as const).map((what) => ({ kind: "tagLoss" as const, what })) },
    { weight: 1, arbitrary: fc.constantFrom("finalOff" as const, "finalOn" as const).map((edit) => ({ kind: "config" as const, edit })) },
    { weight: 1, arbitrary: fc.constant({ kind: "concurrent" as const }) },
);

const MINUTE = 60_000;
export const backupDraw: fc.Arbitrary<BackupDraw> = fc.record({
    // Caught up; within one 100 s round; longer than a round; a quarter of an hour behind (many rounds of the wait).
    lagMs: fc.constantFrom(0, 20_000, 150_000, 15 * MINUTE),
    stepMs: fc.constantFrom(25_000, 100_000),
    api: fc.oneof({ weight: 4, arbitrary: fc.constant("answers" as const) }, { weight: 1, arbitrary: fc.constantFrom("fails" as const, "stalls" as const) }),
});

/** A dev-azure scenario: the same kinds of steps, and a continuous backup drawn per run. */
export const azureScenario = (maxSteps: number): fc.Arbitrary<Scenario> => fc.record({
    cloud: fc.constant(Cloud.Azure),
    backend: fc.constantFrom("diy" as const, "cloud" as const),
    inventory: fc.constant(true),
    steps: fc.array(azureStep, { minLength: 1, maxLength: maxSteps }),
    backups: fc.array(backupDraw, { minLength: 1, maxLength: 6 }),
    transport: fc.constantFrom("file" as const, "grpc" as const),
});

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
    /** Azure: the continuous-backup API the teardown's wait asks (testing/continuousBackup.ts). */
    readonly backup: FakeBackup | undefined;
    /** The stack the runs reconcile: `dev` or `dev-azure`. */
    readonly stackName: string;
    readonly lines: string[] = [];
    /** The generation each store that ever held data holds at its newest (M1, M2, ...). */
    readonly latest: Record<string, string> = {};
    /** A step happened after which a spin-up may rightly stop and ask a person (README, scheduler, Limits). */
    asked = false;
    /** The record's tags were lost without an inventory: a refusal may then name no snapshot (the README's Limits). */
    unnamed = false;
    /**
     * A store was added by a config edit: a refusal may ask about it alone while it never held data, as a store newly
     * enabled on a stack destroyed since the last run that recorded it asks once (README, scheduler, Limits).
     */
    added = false;
    private generation = 1;
    private day = 0;
    private checked = 0;
    /** Azure: the runs so far (each takes the next backup draw), whether the faults are gone, the services' last write seen. */
    private runs = 0;
    private healthy = false;
    private seenWrite = "";
    /** Azure: a person's `up` waits for the next answer of the backup API (during a teardown's wait). */
    private upDuringWait = false;

    constructor(readonly scenario: Scenario) {
        const { stack, program, continuous } = stackOf(scenario);
        this.stackName = stack;
        this.backend = new FakeBackend(scenario.backend, stack, program);
        this.backend.edit((b) => {
            b.version = CLI_VERSIONS[scenario.transport ?? "file"];
            // The cloud's own clock, which the runner's and a person's agree with, and the services writing on it (fake/writers.js).
            if (continuous) Object.assign(b, { cliOnCloudClock: true }).cloud.clock = new Date(START).toISOString();
        });
        this.aws = scenario.inventory && !continuous ? new FakeAwsApi(() => this.backend) : undefined;
        this.backup = continuous ? fakeBackup(() => this.backend, () => (this.draw().api === "stalls" ? 0 : this.draw().stepMs),
            () => (this.draw().api === "fails" ? authorizationFailed() : undefined)) : undefined;
    }

    /** Its stores keep a continuous backup (Cosmos DB on dev-azure): restored to a point in time, the services writing into them. */
    get continuous(): boolean {
        return stackOf(this.scenario).continuous;
    }

    /** The continuous backup of the run under way; with the faults gone, one that answers and comes on 100 s per answer. */
    private draw(): BackupDraw {
        const all = this.scenario.backups ?? [];
        const d = all.length > 0 ? all[(this.runs - 1 + all.length) % all.length] : { lagMs: 0, stepMs: 100_000, api: "answers" as const };
        return this.healthy ? { ...d, stepMs: 100_000, api: "answers" } : d;
    }

    /** The faults gone (the last phase of a sequence): the backup answers, and no person waits to slip an `up` into a wait. */
    faultsGone(): void {
        this.healthy = true;
        this.upDuringWait = false;
    }

    /**
     * One scheduled run from a fresh checkout, on its own day (so its snapshot names are its own), its clock that many days on.
     * `sameDay`: a second run started during another (concurrent), on the same clock.
     */
    run(want: Want, extra: Partial<ReconcileOptions> = {}, sameDay = false): Promise<ReconcileResult> {
        // A crashed CLI's lock is older than any run by the next one, as the clock of each run is a day further on.
        const shift = (sameDay && this.continuous ? this.day : ++this.day) * DAY;
        const now = new Date(START + shift + (want === "up" ? 9 : 21) * 3_600_000);
        const run = reconcile({
            stackName: this.stackName, workDir: this.backend.checkout(), pulumiRoot: this.backend.root, envVars: this.backend.envVars,
            schedule, environment: "dev", now, dryRun: false,
            log: (l) => this.lines.push(l), dataStores: this.backend.read().program.dataStores.map((d) => d.name), clock: () => new Date(Date.now() + shift),
            sleep: async () => undefined, leaseSettleMs: 0, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
            ...(this.aws ? { inventory: new AwsInventory(this.aws, "intergalactic", "us-east-1") } : {}),
            ...(this.continuous ? this.continuousRun(now, sameDay) : {}), ...extra,
        });
        return this.continuous ? run.finally(() => this.noteWrites()) : run;
    }

    /**
     * What an Azure run adds: the cloud's clock moved to the run's instant, the backup of every live store this run's lag
     * behind it, the runner's clock the cloud's, a wait's poll taking the cloud's time, and the Azure inventory; a backup
     * that stalls runs out a short bound (the wait's 15 minutes, in real time) rather than the default.
     */
    private continuousRun(now: Date, sameDay: boolean): Partial<ReconcileOptions> {
        if (!sameDay) {
            this.runs++;
            const { lagMs } = this.draw();
            this.backend.edit((b) => {
                const at = Math.max(Date.parse(b.cloud.clock!), now.getTime());
                b.cloud.clock = new Date(at).toISOString();
                for (const store of Object.values(b.cloud.stores)) {
                    if (store.backedUpTo !== undefined) store.backedUpTo = new Date(Math.max(Date.parse(store.backedUpTo), at - lagMs)).toISOString();
                }
            });
        }
        const cloudClock = () => new Date(this.backend.read().cloud.clock!);
        return {
            // The fake CLI keeps the cloud's time (cliOnCloudClock): so does this machine, as one clock stamps a run's lease and its CLI's locks.
            clock: cloudClock, machineClock: cloudClock,
            sleep: async (ms: number) => this.backend.edit((b) => void tick(b, ms)),
            inventory: fakeAzureInventory(this.backend, [], undefined, this.answering(this.backup!)),
            ...(this.draw().api === "stalls" ? { limits: { backupWaitMs: 400 } } : {}),
        };
    }

    /** The backup API; a person's `up` drawn to come during a wait runs just before its answer. */
    private answering(api: FakeBackup): CosmosBackupClient {
        return answeringAfter(api, async () => {
            if (!this.upDuringWait) return;
            this.upDuringWait = false;
            const up = await this.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a person's up during the wait"]);
            assert.strictEqual(up.code, 0, `the person's up failed: ${up.stderr}`);
            this.noteWrites();
            this.checkCreated(true);
        });
    }

    /** Azure: the services' writes since the last look are the newest their store's data reached. */
    private noteWrites(): void {
        const last = this.backend.read().cloud.lastWrite;
        if (!last || `${last.at} ${last.marker}` === this.seenWrite) return;
        this.seenWrite = `${last.at} ${last.marker}`;
        this.latest[last.store] = last.marker;
    }

    stack() {
        return this.backend.read().stacks[this.stackName];
    }

    context(): string {
        return `scenario ${JSON.stringify(this.scenario)} (latest ${JSON.stringify(this.latest)})\n${this.lines.join("\n")}`;
    }

    /** A new stack's first spin-up (the cloud keeps nothing of it, so it starts empty), then the team writes M1. */
    async start(): Promise<void> {
        await this.run("up", this.aws || this.continuous ? {} : { inventory: this.backend.inventory() });
        this.backend.edit((s) => {
            Object.values(s.cloud.stores).forEach((store) => void (store.marker = "M1"));
            s.cloud.created!.forEach((c) => void (c.marker = "M1"));
        });
        for (const store of Object.keys(this.backend.liveMarkers())) this.latest[store] = "M1";
        this.checked = this.backend.read().cloud.created!.length;
        if (this.continuous) this.dateWrites();
    }

    /**
     * A working day: the team writes the next generation into every live store. On Azure a Cosmos DB store's writes are
     * dated on the cloud's clock, a minute after the last, and the services' writes go on after them.
     */
    workingDay(): void {
        const live = Object.keys(this.backend.liveMarkers());
        if (live.length === 0) return;
        const marker = `M${++this.generation}`;
        this.backend.edit((b) => {
            for (const r of b.stacks[this.stackName].resources) if (r.store && b.cloud.stores[r.id ?? ""]) b.cloud.stores[r.id!].marker = marker;
        });
        for (const store of live) this.latest[store] = marker;
        if (this.continuous) this.dateWrites();
    }

    /**
     * Dates what each live Cosmos DB store holds as a write a minute on the cloud's clock (moved on to it): a store's first
     * dated write also dates what it held before, from an hour earlier, its backup holding that much (continuousBackup.ts).
     */
    private dateWrites(): void {
        this.backend.edit((b) => {
            const at = new Date(Date.parse(b.cloud.clock!) + MINUTE);
            b.cloud.clock = at.toISOString();
            for (const r of b.stacks[this.stackName].resources) {
                const store = r.store && r.type === COSMOS ? b.cloud.stores[r.id ?? ""] : undefined;
                if (!store) continue;
                const write: DatedWrite = { at: at.toISOString(), marker: store.marker };
                if (!store.writes) {
                    const since = new Date(at.getTime() - 60 * MINUTE).toISOString();
                    store.writes = [{ at: since, marker: store.marker }];
                    store.backedUpTo = since;
                }
                store.writes.push(write);
            }
        });
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
        const stack = s.stacks[this.stackName];
        return this.scenario.backend === "diy" && !this.aws && !this.continuous && !Object.keys(stack.tags).some((t) => t.startsWith("intergalactic:data.")) &&
            !stack.resources.some((r) => r.store);
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
        else if (s.kind === "leaseRace") await this.leaseRace();
        else await concurrent(this);
        this.checkCreated();
    }

    /**
     * Two scheduled runs for the same instant, the second started while the first one's lease write is on its way
     * and lands 1.5 s late: whichever holds the lease goes on, and a run that does not hold it stops before it
     * changes anything ("another reconciler holds"), never after it started ("took the lease"). Skipped on a
     * self-managed backend, whose lease lets both go on when a write lands after the other's settle wait (README).
     */
    private async leaseRace(): Promise<void> {
        if (this.scenario.backend !== "cloud") return;
        const s = this.stack();
        const want: Want = s.resources.some((r) => r.store) && s.pending.length === 0 ? "down" : "up";
        // The lease's writes: AddStackTag, or the CLI's `stack tag set` where the lease is not strict.
        const adds = () => this.backend.apiCalls().filter((c) => c[0] === "POST" && (c[2] as { name?: string } | undefined)?.name === LEASE_TAG).length +
            this.backend.calls().filter((c) => c[2] === "set" && c[3] === LEASE_TAG).length;
        const before = adds();
        const preempts = this.pendingPreempts();
        const late = [{ command: "api AddStackTag", key: LEASE_TAG, times: 1, mode: "late", delayMs: 1500 }, { command: "stack tag set", key: LEASE_TAG, times: 1, mode: "late", delayMs: 1500 }] as const;
        this.backend.edit((b) => void b.failures.push(...late.map((f) => ({ ...f }))));
        const first = this.run(want).catch((e: Error) => e);
        let settled = false;
        void first.then(() => (settled = true));
        for (let i = 0; i < 400 && !settled && adds() === before; i++) await new Promise((r) => setTimeout(r, 25));
        const second = this.run(want, {}, true).catch((e: Error) => e);
        const results = await Promise.all([first, second]);
        this.backend.edit((b) => void (b.failures = b.failures.filter((f) => !(f.key === LEASE_TAG && f.mode === "late"))));
        for (const r of results) {
            if (r instanceof LeaseError) assert.match(r.message, /another reconciler holds stack .*this run changes nothing/, `a run lost the lease after it went on\n${this.context()}`);
        }
        this.checkCreated(this.pendingPreempts() < preempts);
        if (want === "up" && results.some((r) => !(r instanceof Error))) this.workingDay();
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
        const before = new Set(Object.keys(this.backend.read().cloud.snapshots));
        await this.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
        this.checkCreated(this.pendingPreempts() < preempts);
        this.asked = true;
        if (this.continuous) this.keptByHand(before);
    }

    /**
     * Azure: a person's destroy stops no service and waits for no backup (README, scheduler, Limits): its record restores
     * each account it deleted to when that destroy began, and what the backup held then is all its data can reach.
     */
    private keptByHand(before: ReadonlySet<string>): void {
        this.noteWrites();
        const s = this.backend.read();
        const began = Date.parse(s.stacks[this.stackName].history.at(-1)?.startTime ?? "");
        for (const [id, snap] of Object.entries(s.cloud.snapshots)) {
            if (before.has(id) || !(snap.store in this.latest) || !snap.deletedAt) continue;
            const at = Math.floor(Math.min(began, Date.parse(snap.deletedAt) - 1000) / 1000) * 1000;
            const kept = snap.writes ? snap.writes.filter((w) => Date.parse(w.at) <= at).at(-1)?.marker ?? "" : snap.marker;
            this.latest[snap.store] = kept;
        }
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
        if (between && this.continuous) return void (this.upDuringWait = true);
        if (between) return this.backend.edit((b) => void b.failures.push({ command: "destroy", times: 1, mode: "preempt", message: "a person's up between two commands", clockSkewMs: -7 * 60_000 }));
        await this.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a person's up"]);
        if (this.continuous) this.noteWrites();
        this.checkCreated(true);
    }

    private loseTags(what: "record" | "move" | "snapshots"): void {
        if (what === "snapshots") return this.aws?.tags.clear();
        this.asked = true;
        if (!this.aws) this.unnamed = true;
        this.backend.edit((b) => {
            const dev = b.stacks[this.stackName];
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
                if (!b.program.dataStores.some((d) => d.name === CACHE.name)) {
                    b.program.dataStores = [...b.program.dataStores, CACHE];
                    this.added = true;
                }
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
    // First in the queue, so the run's operation hangs; the faults drawn before this step stay queued for the calls after it.
    backend.edit((b) => void (b.failures = [{ command: w === "up" ? "up" : "destroy", times: 1, mode: "hang" }, ...b.failures]));
    const unhang = () => backend.edit((b) => void (b.failures = b.failures.filter((f) => f.mode !== "hang")));
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
        unhang();
        return;
    }
    const before = backend.mutations().length;
    const second = await world.run(w, {}, true).catch((e: unknown) => e);
    assert.ok(second instanceof LeaseError, `a second reconciler went on while the first ran: ${second}\n${world.context()}`);
    assert.match(second.message, new RegExp(`another reconciler holds stack ${world.stackName} .*this run changes nothing`));
    assert.strictEqual(backend.mutations().length, before, "the second run started no operation");
    stop.abort("SIGTERM");
    const result = await first;
    assert.ok(result instanceof InterruptedError, `the first run did not stop on SIGTERM: ${result}\n${world.lines.slice(-5).join("\n")}`);
    assert.strictEqual(world.stack().tags[LEASE_TAG], undefined, "the interrupted run released its lease");
    unhang();
}
