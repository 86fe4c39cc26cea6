/**
 * Random interleavings (testing/interleavingSteps.ts) of scheduled runs, failed, partial and crashed
 * operations, a person's `up` (also between a teardown's `up` and its destroy) and `destroy`, lost tags
 * (the record's, a stack moved by export/import, the snapshots'), config edits between runs (a final
 * snapshot turned off and on, a store added), a second reconciler started during a run's operation and two
 * runs racing for the lease (Pulumi Cloud), on a self-managed backend or Pulumi Cloud, with or without the AWS snapshot inventory, the engine events over an
 * event-log file or the Automation API's gRPC service (the CLI's version decides), through the real
 * Automation API code and the fake CLI. Properties, checked on every sequence:
 * - the data is never lost, nor replaced by older data: every scheduled spin-up that succeeds is a working
 *   day that writes a new generation of the marker (M1, M2, ...) into the live stores, and every store the
 *   scheduler creates holds the newest generation its data reached (only a person's `up` creates one empty);
 * - one reconciler at a time: a second run started while the first's operation runs stops with a
 *   LeaseError before it changes anything, and the first, told to stop (SIGTERM), interrupts its operation
 *   and releases its lease;
 * - resumable: with the faults gone and the final snapshots on, one run tears the stack down completely (no
 *   resources, pending operations or lease left, and no lock when it operated), the next spin-up restores the
 *   newest generation of every store and leaves no pending operation, lock or lease, a third run finds nothing
 *   to do, and after one more working day a teardown and a spin-up bring that day's generation back. That
 *   spin-up may instead stop and ask only after a step the README leaves to a person (their `up` or destroy,
 *   lost tags), changing nothing, with a message naming `--restore` and, for every store that held data, a
 *   snapshot that holds its newest generation, which the person's `--restore` then brings back.
 * `SCHEDULER_FUZZ_RUNS=<n>` runs that many sequences per cloud instead of the defaults (RUNS, AZURE_RUNS); the seed
 * is fixed unless `INTERLEAVINGS_SEED=random`. To explore, then replay a failure:
 *   INTERLEAVINGS_SEED=random SCHEDULER_FUZZ_RUNS=80 npx mocha scheduler/interleavings.test.ts -g "never lose"
 *   INTERLEAVINGS_SEED=random SCHEDULER_FUZZ_RUNS=30 npx mocha scheduler/interleavings.test.ts -g "dev-azure too"
 * A failure prints `{ seed: <n>, path: "<p>" }` and the counterexample (the scenario, then the runs' log). Replay
 * exactly that sequence, alone, with
 *   INTERLEAVINGS_SEED=<n> INTERLEAVINGS_PATH=<p> npx mocha scheduler/interleavings.test.ts -g "<the failing test's title>"
 * (the path names the sequence within that seed's draws, so the run count does not matter), and once it is
 * understood and fixed, add the counterexample as a fixed `sequence(...)` case below, naming its seed and path.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import { LEASE_TAG } from "./lease";
import { POINT_IN_TIME_CONFIG } from "./lineage";
import { ReconcileError } from "./stackOps";
import { VPC } from "./testing/fakeBackend";
import { Scenario, World, azureScenario, scenario } from "./testing/interleavingSteps";

/** The AWS sequences CI runs: about 4 s each on two shared cores, as many as keep the suite within about a minute more. */
const RUNS = Number(process.env.SCHEDULER_FUZZ_RUNS ?? 8);
/** dev-azure's sequences: fewer by default, each run of theirs makes more calls (the services' stop, the backup's rounds). */
const AZURE_RUNS = Number(process.env.SCHEDULER_FUZZ_RUNS ?? 4);
/**
 * The sequences are fixed by default (seed FIXED_SEED, seen to pass), so CI does not fail at random on a path not yet
 * understood; `INTERLEAVINGS_SEED=random` explores new ones, and `INTERLEAVINGS_SEED=<n>` (with `INTERLEAVINGS_PATH=<p>`)
 * replays the sequence fast-check printed for a failure.
 */
const FIXED_SEED = 20261202;
const SEED = process.env.INTERLEAVINGS_SEED ?? String(FIXED_SEED);
const REPLAY = SEED === "random" ? {} : { seed: Number(SEED), ...(process.env.INTERLEAVINGS_PATH ? { path: process.env.INTERLEAVINGS_PATH } : {}) };

describe("random interleavings of runs and faults", function () {
    this.timeout(900_000);

    it("never lose the marker, never run two reconcilers at once, and always leave a stack the next runs resume", async () => {
        await fc.assert(fc.asyncProperty(scenario(8), sequence), { numRuns: RUNS, endOnFailure: true, ...REPLAY });
    });

    it("on dev-azure too: the services' last write before they stop reaches the restored account, whatever the backup's lag, its failures and the faults", async () => {
        await fc.assert(fc.asyncProperty(azureScenario(8), sequence), { numRuns: AZURE_RUNS, endOnFailure: true, ...REPLAY });
    });

    // Each fails with one guard of the reconciler taken out (the sequence fast-check found, or the shortest that shows it).
    it("a teardown retried after a destroy that failed halfway destroys the rest without an up that would re-create the deleted store empty", async () => {
        await sequence({ backend: "diy", inventory: false, steps: [
            { kind: "fault", failure: { command: "destroy", times: 1, mode: "fail", keep: [VPC], stderr: "error: DependencyViolation" } },
            { kind: "scheduled", want: "down" },
            { kind: "scheduled", want: "down" },
        ] });
    });

    it("a person's up from a slow laptop between the teardown's up and its destroy: the record names the snapshot the destroy's delete step took", async () => {
        await sequence({ backend: "diy", inventory: false, steps: [{ kind: "personUp", between: true }, { kind: "scheduled", want: "down" }] });
    });

    it("a stack moved while down and brought up empty by a person: with the inventory its store's lineage is unknown, never the lineage's newest", async () => {
        await sequence({ backend: "diy", inventory: true, steps: [
            { kind: "scheduled", want: "down" }, { kind: "tagLoss", what: "move" }, { kind: "personUp", between: false },
        ] });
    });

    it("two runs racing for the lease on Pulumi Cloud, the first one's write landing late: one goes on, the other stops before any change", async () => {
        await sequence({ backend: "cloud", inventory: false, steps: [
            { kind: "leaseRace" }, { kind: "scheduled", want: "down" }, { kind: "leaseRace" },
        ] });
    });

    it("a person's up between a teardown's up and its destroy whose events are lost: the refusal names the stack file's name that destroy took", async () => {
        // Found with seed -672810018, path "35": the record knew only the name the teardown's up armed, which the person's up re-armed.
        await sequence({ backend: "diy", inventory: false, transport: "grpc", steps: [
            { kind: "fault", failure: { command: "destroy", times: 1, mode: "quiet" } },
            { kind: "tagLoss", what: "snapshots" },
            { kind: "personUp", between: true },
            { kind: "scheduled", want: "down" },
            { kind: "fault", failure: { command: "up", times: 1, skip: 1, mode: "fail", stderr: "error: InsufficientInstanceCapacity" } },
        ] });
    });

    it("on dev-azure, a crashed up's lock is aged out by the run after the faults: the lost run's window and the lock are read on one clock", async () => {
        // Found with seed 1273936369, path "6": the fake CLI stamped its locks on the cloud's clock, the lease its lost run's window on the real one.
        const vnet = "urn:pulumi:dev-azure::intergalactic::azure-native:network:VirtualNetwork::net-vnet";
        await sequence({ cloud: "azure", backend: "diy", inventory: true, transport: "grpc", steps: [
            { kind: "fault", failure: { command: "up", times: 1, skip: 0, mode: "crash", stderr: "error: SkuNotAvailable" } },
            { kind: "scheduled", want: "down" },
            { kind: "config", edit: "finalOn" },
            { kind: "fault", failure: { command: "destroy", times: 1, skip: 0, mode: "quiet" } },
            { kind: "personUp", between: true },
            { kind: "concurrent" },
            { kind: "fault", failure: { command: "destroy", times: 1, skip: 1, mode: "fail", keep: ["users", vnet], pendingOn: vnet, stderr: "error: deleting the virtual network: InUseSubnetCannotBeDeleted" } },
        ], backups: [
            { lagMs: 0, stepMs: 25000, api: "answers" }, { lagMs: 0, stepMs: 100000, api: "answers" }, { lagMs: 0, stepMs: 100000, api: "answers" },
            { lagMs: 0, stepMs: 25000, api: "answers" }, { lagMs: 20000, stepMs: 25000, api: "answers" }, { lagMs: 900000, stepMs: 100000, api: "fails" },
        ] });
    });

    it("on dev-azure on Pulumi Cloud, a person's destroy that crashes on a partial stack: the teardown after it stops on that lock, cancelling nothing, until a person cancels it", async () => {
        // Found with seed -498847234, path "7": the teardown operates (the stack is partial), so it meets the person's live update first.
        const vnet = "urn:pulumi:dev-azure::intergalactic::azure-native:network:VirtualNetwork::net-vnet";
        const crash = (pendingOn: string, skip: number) => ({ kind: "fault" as const, failure: { command: "destroy" as const, times: 1, skip, mode: "crash" as const, keep: ["users", vnet], pendingOn, stderr: "error: deleting the virtual network: InUseSubnetCannotBeDeleted" } });
        await sequence({ cloud: "azure", backend: "cloud", inventory: true, steps: [
            { kind: "scheduled", want: "up" }, crash(vnet, 1), crash("users", 1), { kind: "scheduled", want: "down" }, { kind: "personDestroy" },
            { kind: "scheduled", want: "down" }, crash(vnet, 0),
        ], backups: [{ lagMs: 150000, stepMs: 25000, api: "fails" }, { lagMs: 0, stepMs: 100000, api: "answers" }] });
    });

    it("a person's destroy that crashes on the torn-down stack, then a spin-up blocked by its lock: the refusal names the record's last final snapshot, and the answer waits for the person's cancel", async () => {
        // Found with seed -29082964, path "12": the refusal named only the stack file's name, not the snapshot the record last restored from.
        await sequence({ backend: "cloud", inventory: false, steps: [
            { kind: "concurrent" }, { kind: "scheduled", want: "up" }, { kind: "scheduled", want: "down" },
            { kind: "fault", failure: { command: "destroy", times: 1, skip: 0, mode: "crash", keep: [VPC], pendingOn: VPC, stderr: "error: DependencyViolation" } },
            { kind: "personDestroy" }, { kind: "concurrent" }, { kind: "scheduled", want: "down" }, { kind: "scheduled", want: "up" },
        ] });
    });

    it("a person's destroy that crashes on the torn-down stack leaves its lock to the next run that operates, which never cancels it: a person does", async () => {
        // Found with seed 651187136, path "11": the teardown after it has nothing to do, so it runs no operation and cannot see the lock.
        await sequence({ backend: "diy", inventory: false, steps: [
            { kind: "scheduled", want: "down" },
            { kind: "fault", failure: { command: "destroy", times: 1, mode: "crash", keep: [VPC], pendingOn: VPC, stderr: "error: DependencyViolation" } },
            { kind: "personDestroy" },
        ] });
    });
});

/** One scenario after a first spin-up, then the faults gone: a full teardown, a spin-up with the newest data, a no-op, one more day. */
async function sequence(s: Scenario): Promise<void> {
    const world = new World(s);
    const { backend } = world;
    const context = () => world.context();
    const stack = () => world.stack();
    try {
        await world.start();
        for (const step of s.steps) await world.apply(step);

        backend.edit((b) => {
            b.failures = [];
            b.program.dataStores = b.program.dataStores.map((d) => ({ ...d, finalSnapshot: true }));
        });
        world.faultsGone();
        /**
         * A person's crashed CLI left its lock (or lost tags no longer say a lost run took it): never aged out (README
         * Limits), so the run stops on it, cancelling nothing, and a person ends it with `pulumi cancel`; then the run goes on.
         */
        const afterPersonCancels = async (result: unknown, again: () => Promise<unknown>): Promise<unknown> => {
            if (!(result instanceof ReconcileError && /locked by a run that may still be going/.test(result.message) && world.asked &&
                /live, it (was not taken by a scheduler run lost|is an update the scheduler did not start)/.test(world.lines.join("\n")))) return result;
            assert.ok(stack().lock, `the refusal cancelled the lock\n${context()}`);
            await backend.pulumi(["cancel", "--yes"]);
            return again();
        };
        const down = await afterPersonCancels(await world.run("down").catch((e) => e), () => world.run("down").catch((e) => e)) as Awaited<ReturnType<World["run"]>> | Error;
        assert.ok(!(down instanceof Error), `the teardown after the faults failed: ${down}\n${context()}`);
        assert.deepStrictEqual({ resources: stack().resources.length, pending: stack().pending.length, lease: stack().tags[LEASE_TAG] },
            { resources: 0, pending: 0, lease: undefined }, context());
        // A teardown that operates clears any stale lock. One with nothing to do runs no operation, so it cannot see a lock
        // (Pulumi reports one only to the next command that takes it): a person's CLI that crashed on the empty stack leaves
        // its lock to the next run that operates, which judges it by the same rules (the spin-up below must clear it).
        if (down.action !== "none") assert.strictEqual(stack().lock, null, `the teardown left a lock\n${context()}`);
        const before = { resources: JSON.stringify(stack().resources), stores: JSON.stringify(backend.read().cloud.stores), lock: JSON.stringify(stack().lock), mutations: backend.mutations().length };
        let up = await afterPersonCancels(await world.run("up").catch((e) => e), () => {
            before.lock = JSON.stringify(stack().lock);
            return world.run("up").catch((e) => e);
        });
        if (up instanceof ReconcileError && /spin-up refused/.test(up.message)) up = await answered(up, before);
        assert.ok(!(up instanceof Error), `the spin-up after the faults failed: ${up}\n${context()}`);
        world.checkCreated();
        const expected = () => Object.fromEntries(backend.read().program.dataStores.map((d) => [d.name, world.latest[d.name] ?? ""]));
        assert.deepStrictEqual({ markers: backend.liveMarkers(), pending: stack().pending.length, lock: stack().lock, lease: stack().tags[LEASE_TAG] },
            { markers: expected(), pending: 0, lock: null, lease: undefined }, context());
        assert.strictEqual((await world.run("up")).action, "none", context());
        // One more working day and night: what the team wrote on the restored stores comes back, not the older snapshot.
        world.workingDay();
        await world.run("down");
        await world.run("up");
        world.checkCreated();
        assert.deepStrictEqual(backend.liveMarkers(), expected(), context());
        // The transport the scenario drew is the one every operation's events took (a drawn value that changed nothing proves nothing).
        const logs = backend.calls().filter((c) => c.includes("--event-log")).map((c) => c[c.indexOf("--event-log") + 1]);
        assert.ok(logs.length > 0 && logs.every((log) => log.startsWith("tcp://") === (s.transport === "grpc")), `every event log went over ${s.transport ?? "file"}: ${logs}`);

        /**
         * A spin-up may stop and ask instead of guessing only after a step the README's Limits leave to a person, only
         * if it changed nothing, and only if its message lets the person answer: it names `--restore` and, for each
         * store that held data, a snapshot that holds its newest generation (or candidates among which one does). The
         * person's answer, `--restore <store>=<that snapshot>` (`<store>=empty` for one that never held data), must
         * then bring every store's newest generation back.
         */
        async function answered(refusal: ReconcileError, was: typeof before): Promise<unknown> {
            const why = `the spin-up refused: ${refusal.message}\n${context()}`;
            const asking = backend.read().program.dataStores.map((d) => d.name).filter((name) => new RegExp(`^\\s+${name}\\b`, "m").test(refusal.message));
            assert.ok(world.asked || (world.added && asking.every((name) => !(name in world.latest))), `no step asks a person, yet ${why}`);
            assert.deepStrictEqual(
                { resources: JSON.stringify(stack().resources), stores: JSON.stringify(backend.read().cloud.stores), lock: JSON.stringify(stack().lock), mutations: backend.mutations().length, pending: stack().pending.length, lease: stack().tags[LEASE_TAG] },
                { ...was, pending: 0, lease: undefined }, `the refusal changed something: ${why}`);
            assert.match(refusal.message, /--restore/, why);
            const snapshots = Object.entries(backend.read().cloud.snapshots);
            const restore: Record<string, { id: string; config: Record<string, string> }> = {};
            for (const name of asking) {
                if (!(name in world.latest)) {
                    restore[name] = { id: "", config: {} };
                    continue;
                }
                if (world.continuous) {
                    // A restorable account is restored to a point in time: the answer the refusal offers, `<store>=<instance>@<time>`.
                    const offered = [...refusal.message.matchAll(new RegExp(`${name}=(/subscriptions/[^\\s@;,]+)@(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)`, "g"))];
                    const held = offered.find(([, id, at]) => {
                        const snap = backend.read().cloud.snapshots[id];
                        const data = snap?.writes ? snap.writes.filter((w) => Date.parse(w.at) <= Date.parse(at)).at(-1)?.marker : snap?.marker;
                        return data === world.latest[name];
                    });
                    assert.ok(held, `the refusal offers no restore of ${name} that holds its newest write, ${world.latest[name]} (snapshots: ${JSON.stringify(backend.read().cloud.snapshots)}); ${why}`);
                    restore[name] = { id: held[1], config: { [POINT_IN_TIME_CONFIG]: held[2] } };
                    continue;
                }
                const holds = snapshots.filter(([, snap]) => snap.store === name && snap.marker === world.latest[name]);
                // With the record's tags lost and no inventory, nothing the scheduler reads names the snapshot: the person finds it in the cloud.
                const answer = holds.find(([id]) => refusal.message.includes(id)) ?? (world.unnamed ? holds[0] : undefined);
                assert.ok(answer, `the refusal names no snapshot of ${name} that holds its newest generation (snapshots: ${JSON.stringify(backend.read().cloud.snapshots)}); ${why}`);
                restore[name] = { id: answer[0], config: {} };
            }
            // The answer's `up` is the first operation since the refusal, so it may be the one that meets a person's crashed CLI's lock.
            return afterPersonCancels(await world.run("up", { restore }).catch((e) => e), () => world.run("up", { restore }).catch((e) => e));
        }
    } finally {
        backend.cleanup();
    }
}
