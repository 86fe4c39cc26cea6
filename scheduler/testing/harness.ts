/**
 * Test helper: one fake backend (fakeBackend.ts) and the reconciler runs a test makes against it, each
 * from a fresh checkout as the workflow's are, with the week's fixed instants and the team's writes.
 * Runs pass no snapshot inventory unless the test gives one, while `npm run schedule` always builds its stack's
 * cloud's (cli.ts stackInventory): a scenario that must hold in production runs with each (testing/inventories.ts).
 */
import { ScheduleConfig } from "../../stacks/config/schedule";
import { ReconcileOptions, ReconcileResult, reconcile } from "../reconciler";
import type { SnapshotInventory } from "../inventory";
import { FakeBackend, FakeState } from "./fakeBackend";

export const FRIDAY_EVENING = new Date("2026-11-27T18:00:00Z");
export const SATURDAY = new Date("2026-11-28T10:00:00Z");
export const MONDAY = new Date("2026-11-30T06:30:00Z");
export const MONDAY_EVENING = new Date("2026-11-30T18:00:00Z");
export const TUESDAY = new Date("2026-12-01T06:30:00Z");
export const TUESDAY_EVENING = new Date("2026-12-01T18:00:00Z");
export const WEDNESDAY = new Date("2026-12-02T06:30:00Z");
/** The snapshot Friday's teardown of `dev` names (`td-<time>-<stack>`). */
export const FRIDAY_SNAPSHOT = "users-td-20261127t1800z-dev";

export const WEEKDAYS: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};

export interface Harness {
    backend: FakeBackend;
    lines: string[];
    /** Every wait a run asked for, in ms (runs never really wait unless they are given their own `sleep`). */
    sleeps: number[];
    /** Everything the runs logged. */
    log(): string;
    /** One scheduled run at `now` from a fresh checkout; its clock is `now` unless `extra` says otherwise. */
    run(now: Date, extra?: Partial<ReconcileOptions>): Promise<ReconcileResult>;
    /** The same, resolving with the error it failed with. */
    attempt(now: Date, extra?: Partial<ReconcileOptions>): Promise<ReconcileResult | Error>;
    /** Writes `marker` into every live store, as the team's work during the day does. */
    write(marker: string): void;
    /** Runs the fake CLI as a person would and fails the test when it fails. */
    person(...args: string[]): Promise<void>;
    cleanup(): void;
}

/**
 * The scheduled runs of a test against `backend()`, each from a fresh checkout, its log lines appended to
 * `lines()`: the data stores the fake program declares, no snapshot inventory, the clock at `now`, one
 * attempt, no waits; `base` and each run's `extra` override any of it.
 */
export function runner(backend: () => FakeBackend, lines: () => string[], base: () => Partial<ReconcileOptions> = () => ({})) {
    return (now: Date, extra: Partial<ReconcileOptions> = {}): Promise<ReconcileResult> => reconcile({
        stackName: "dev", workDir: backend().checkout(), pulumiRoot: backend().root, envVars: backend().envVars,
        schedule: WEEKDAYS, environment: "dev", now, dryRun: false,
        dataStores: backend().read().program.dataStores.map((d) => d.name),
        log: (line) => lines().push(line), sleep: async () => undefined, clock: () => now, leaseSettleMs: 0,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, ...base(), ...extra,
    });
}

/** Writes `marker` into every live store of `backend()`, as the team's work during the day does. */
export function writer(backend: () => FakeBackend): (marker: string) => void {
    return (marker) => backend().edit((s) => {
        for (const r of s.stacks[backend().stack].resources) if (r.store && s.cloud.stores[r.id ?? ""]) s.cloud.stores[r.id!].marker = marker;
    });
}

export interface HarnessOptions {
    /** "diy" (default) or "cloud" (fakeBackend.ts). */
    backend?: FakeState["backend"];
    /** What a person's first `up` leaves in each store; null: no first `up`, the stack is new and holds nothing. @default "M1" */
    marker?: string | null;
    /** A change to the fake's state before anything runs (the program's stores, faults). */
    edit?: (s: FakeState) => void;
    /** What every run of this harness passes unless its own `extra` says otherwise (evaluated per run). */
    base?: (backend: FakeBackend) => Partial<ReconcileOptions>;
    /**
     * The cloud's snapshot inventory every run passes (unless `base` or its own `extra` gives another), built once
     * for the harness, so that what it keeps (the AWS tags the teardowns write) lasts from run to run. @default none
     */
    inventory?: (backend: FakeBackend) => SnapshotInventory;
}

/** A fresh backend ("diy" unless said) whose stack a person's first `up` left holding `marker` in each store. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
    const backend = new FakeBackend(options.backend ?? "diy");
    if (options.edit) backend.edit(options.edit);
    if (options.marker !== null) await backend.markUp(options.marker ?? "M1");
    const lines: string[] = [];
    const sleeps: number[] = [];
    const base = options.base ?? (() => ({}));
    const inventory = options.inventory?.(backend);
    const run = runner(() => backend, () => lines, () => ({ sleep: async (ms: number) => void sleeps.push(ms), ...(inventory ? { inventory } : {}), ...base(backend) }));
    return {
        backend, lines, sleeps, run,
        log: () => lines.join("\n"),
        attempt: (now, extra) => run(now, extra).catch((e: Error) => e),
        write: writer(() => backend),
        person: async (...args) => {
            const r = await backend.pulumi(args);
            if (r.code !== 0) throw new Error(`pulumi ${args[0]} failed: ${r.stderr}`);
        },
        cleanup: () => backend.cleanup(),
    };
}

/**
 * The week most data-safety tests start from: a harness whose Friday teardown and Monday spin-up have run,
 * and Monday's work has written `marker` (M2) into the stores, so a test that loses the day's data shows it.
 */
export async function afterMondaysWork(options: HarnessOptions & { mondayMarker?: string } = {}): Promise<Harness> {
    const h = await harness(options);
    await h.run(FRIDAY_EVENING);
    await h.run(MONDAY);
    h.write(options.mondayMarker ?? "M2");
    return h;
}
