/**
 * The services go on writing into a Cosmos DB store while the teardown waits for its continuous backup, and a
 * restore goes back to the point the wait proved: the teardown stops them first (scheduler/writers.ts). The fake
 * cloud has its own clock, and while the services' Deployment is in the state they write into the store at every
 * tick of it (fake/writers.js); the test follows their last write, made after the teardown began, to Monday's
 * restored store, through failures, a crash and a person's `up` between stopping the services and the destroy.
 */
import * as assert from "assert";
import { TimeoutError } from "../bounds";
import { LEASE_TAG } from "../lease";
import { ReconcileError } from "../stackOps";
import { FakeBackup, answeringAfter, cloudSleep, fakeBackup, writeAt } from "../testing/continuousBackup";
import { COSMOS, VPC } from "../testing/fakeBackend";
import { FRIDAY_EVENING, Harness, MONDAY, SATURDAY, harness } from "../testing/harness";
import { authorizationFailed, fakeAzureInventory } from "../testing/restorableAccounts";
import type { CosmosBackupClient } from "./azureBackup";

const DEPLOYMENT = "urn:pulumi:dev::intergalactic::intergalactic:index:CookieServices$kubernetes:apps/v1:Deployment::cookies-mixer-deployment";
const DEPENDENCY_VIOLATION = "error: deleting urn:pulumi:dev::intergalactic::aws:ec2/vpc:Vpc::net-vpc: DependencyViolation: the network has dependencies";

describe("the teardown stops the services before it waits for a Cosmos DB account's continuous backup", function () {
    this.timeout(180_000);
    let h: Harness;
    let backup: FakeBackup;
    let failing: Error | undefined;
    /** Runs before each backup answer (a person's `up` during the wait). */
    let beforeAnswer: (() => Promise<void>) | undefined;
    /** How far the cloud's clock is ahead of the runner's (behind, when negative); the tests start with the runner's at Friday evening. */
    let skewMs = 0;
    beforeEach(async () => {
        failing = undefined;
        beforeAnswer = undefined;
        h = await harness({
            edit: (s) => {
                s.program.dataStores[0].dataType = COSMOS;
                s.program.resources.push({ urn: DEPLOYMENT, type: "kubernetes:apps/v1:Deployment", writes: true });
            },
            base: (b) => ({
                dataStores: ["users"],
                inventory: fakeAzureInventory(b, [], undefined, answering(backup)),
                clock: () => new Date(Date.parse(b.read().cloud.clock!) - skewMs),
            }),
        });
        backup = fakeBackup(() => h.backend, () => 25_000, () => failing);
        const cloudEvening = FRIDAY_EVENING.getTime() + skewMs;
        h.backend.edit((s) => void (s.cloud.clock = new Date(cloudEvening).toISOString()));
        writeAt(h.backend, "M1-tail", new Date(cloudEvening - 5_000), 25_000);
    });
    afterEach(() => h.cleanup());

    /** The backup API, running `beforeAnswer` first. */
    function answering(api: FakeBackup): CosmosBackupClient {
        return answeringAfter(api, async () => {
            const run = beforeAnswer;
            beforeAnswer = undefined;
            if (run) await run();
        });
    }

    /** The services' last write: made after the teardown began (on the cloud's clock), and what Monday's store must hold. */
    function lastWrite(): string {
        const last = h.backend.read().cloud.lastWrite!;
        assert.ok(Date.parse(last.at) > FRIDAY_EVENING.getTime() + skewMs, `the services' last write, at ${last.at}, was made after the teardown began`);
        return last.marker;
    }

    async function comesBack(marker: string): Promise<void> {
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: marker }, "the services' writes after the teardown began were lost");
    }

    it("a write the services made after the teardown began is in Monday's restored store", async () => {
        await h.run(FRIDAY_EVENING);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await comesBack(lastWrite());
        assert.match(h.log(), /teardown: stopping the services that may write into users before waiting for its continuous backup: deleting 1 workload\(s\) first/);
        assert.match(h.log(), /teardown: users: its continuous backup holds every write up to \S+ \(the services were stopped at \S+\); its restore goes back to that point/);
        const targeted = h.backend.calls().find((c) => c[0] === "destroy" && c.includes("--target"));
        assert.ok(targeted && targeted.includes(DEPLOYMENT) && targeted.includes("--target-dependents"), `a destroy of the workloads alone: ${JSON.stringify(targeted)}`);
    });

    it("a full destroy that fails after the services stopped: the next run destroys without starting them again, and the write comes back", async () => {
        h.backend.edit((s) => s.failures.push({ command: "destroy", skip: 1, times: 1, mode: "fail", keep: ["users", VPC], stderr: DEPENDENCY_VIOLATION }));
        assert.ok((await h.attempt(FRIDAY_EVENING)) instanceof Error, "the destroy was to fail");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: h.backend.read().cloud.lastWrite!.marker }, "the store is still there");
        const ups = h.backend.mutations().filter((m) => m === "up").length;
        await h.run(SATURDAY);
        assert.strictEqual(h.backend.mutations().filter((m) => m === "up").length, ups, "no up started the services again");
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await comesBack(lastWrite());
    });

    it("a crash after the services stopped, before the destroy: the next run tears down and the write comes back", async () => {
        h.backend.edit((s) => s.failures.push({ command: "destroy", skip: 1, times: 1, mode: "crash", keep: ["users", VPC] }));
        assert.ok((await h.attempt(FRIDAY_EVENING)) instanceof Error, "the run was to crash");
        assert.ok(!h.backend.read().stacks.dev.resources.some((r) => r.urn === DEPLOYMENT), "the services were stopped");
        // Hours later the crashed run's lock is stale (its age is read on the real clock: fake/backend.js).
        h.backend.edit((s) => void (s.cloud.clock = new Date(Date.now() + 3 * 3_600_000).toISOString()));
        const retried = await h.attempt(SATURDAY, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
        assert.ok(!(retried instanceof Error), `${retried}\n${h.lines.slice(-15).join("\n")}`);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await comesBack(lastWrite());
    });

    it("a backup read that fails after the services stopped, then a person's up: the next run stops them again and waits again", async () => {
        let refusals = 0;
        beforeAnswer = async () => void (failing = authorizationFailed());
        const refused = await h.attempt(FRIDAY_EVENING);
        assert.ok(refused instanceof ReconcileError && /nothing was deleted/.test(refused.message), `the teardown went on: ${refused}`);
        refusals++;
        failing = undefined;
        await h.person("up", "--yes", "--skip-preview", "--message", "back to work");
        assert.ok(h.backend.read().stacks.dev.resources.some((r) => r.urn === DEPLOYMENT), "the person's up started the services again");
        await h.run(SATURDAY);
        assert.strictEqual(refusals, 1);
        assert.strictEqual(h.backend.calls().filter((c) => c[0] === "destroy" && c.includes("--target")).length, 2, "stopped twice");
        await comesBack(lastWrite());
    });

    it("a person's up during the backup wait: the teardown stops before the destroy; the next run stops the services again and waits again", async () => {
        beforeAnswer = () => h.person("up", "--yes", "--skip-preview", "--message", "back to work");
        const stopped = await h.attempt(FRIDAY_EVENING);
        assert.ok(stopped instanceof ReconcileError, `the teardown went on: ${stopped}`);
        assert.match(stopped.message, /the stack changed while it waited for the continuous backup of users, and it holds workloads again/);
        assert.deepStrictEqual(Object.keys(h.backend.liveMarkers()), ["users"], "no data store was deleted");
        await h.run(SATURDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await comesBack(lastWrite());
    });

    /**
     * A Deployment whose pods are stuck terminating (their node unreachable) is never gone from the API, so the
     * provider's delete awaits it (foreground deletion, writers.ts) and the targeted destroy hangs. On the interrupt
     * Pulumi cancels the provider, whose Cancel "abort[s] any ongoing resource operations" with an error
     * (pulumi/pulumi-kubernetes provider/pkg/provider/provider.go Cancel): the destroy fails, the Deployment stays in
     * the state and the lock is released (the fake's hang, stopped by SIGINT). The services may still write.
     */
    async function hungStop(extra: Parameters<Harness["attempt"]>[1]): Promise<void> {
        h.backend.edit((s) => s.failures.push({ command: "destroy", times: 1, mode: "hang" }));
        const started = Date.now();
        const hung = await h.attempt(FRIDAY_EVENING, extra);
        assert.ok(Date.now() - started < 30_000, `the run ended within its bound, not after ${Date.now() - started} ms`);
        assert.ok(hung instanceof TimeoutError, `the run was to stop at its bound: ${hung}\n${h.lines.slice(-10).join("\n")}`);
        assert.match(hung.message, /^teardown \(pulumi destroy --target\) did not finish within \d+ s; it was interrupted and stopped cleanly, releasing the stack's lock; the next run resumes it/);
        const state = h.backend.read();
        assert.ok(state.stacks.dev.resources.some((r) => r.urn === DEPLOYMENT), "the services' Deployment is still in the state");
        assert.deepStrictEqual(Object.keys(h.backend.liveMarkers()), ["users"], "no data store was deleted");
        assert.deepStrictEqual(Object.keys(state.cloud.snapshots), [], "no deletion took a snapshot");
        assert.deepStrictEqual(h.backend.calls().filter((c) => c[0] === "destroy").map((c) => c.includes("--target")), [true], "no destroy but the services' one ran");
        assert.deepStrictEqual({ lock: state.stacks.dev.lock, lease: state.stacks.dev.tags[LEASE_TAG] }, { lock: null, lease: undefined });
        assert.doesNotMatch(h.log(), /continuous backup holds every write/, "it did not go on to the backup wait");
        // The next run stops the services again (their pods gone by then), waits for the writes they made meanwhile, and tears down.
        await h.run(SATURDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        assert.strictEqual(h.backend.calls().filter((c) => c[0] === "destroy" && c.includes("--target")).length, 2, "stopped again");
        await comesBack(lastWrite());
    }

    it("a targeted delete of the services hung on pods stuck terminating stops at the operation's bound, nothing of the data deleted; the next run resumes and keeps the last write", async () => {
        await hungStop({ limits: { operationMs: 1500, graceMs: 10_000 } });
    });

    it("the same hang stops at the run's deadline counted from the CI job's start", async () => {
        // The job started 79 min 50 s ago (on the runner's clock): of the run's 80 minutes, 10 s are left for what comes before the hang and the hang.
        await hungStop({ clock: () => new Date(), jobStartedAt: new Date(Date.now() - (80 * 60 - 10) * 1000) });
    });

    it("a workload whose deletion would not await its pods is refused before anything is deleted", async () => {
        h.backend.edit((s) => {
            const d = s.stacks.dev.resources.find((r) => r.urn === DEPLOYMENT)!;
            d.annotations = { "pulumi.com/skipAwait": "true" };
        });
        const refused = await h.attempt(FRIDAY_EVENING);
        assert.ok(refused instanceof ReconcileError, `the teardown went on: ${refused}`);
        assert.match(refused.message, /teardown refused: the deletion of \S+cookies-mixer-deployment \(pulumi\.com\/skipAwait: "true"/);
        assert.ok(h.backend.read().stacks.dev.resources.some((r) => r.urn === DEPLOYMENT), "nothing was deleted");
        assert.ok(!h.backend.mutations().includes("destroy"), "no destroy ran");
    });
    describe("whichever way the runner's clock is off Azure's", () => {
        after(() => void (skewMs = 0));

        describe("the runner 10 min behind Azure", () => {
            before(() => void (skewMs = 600_000));
            it("the services' last write, just before they were stopped, is in Monday's restored store", async () => {
                await h.run(FRIDAY_EVENING);
                assert.deepStrictEqual(h.backend.liveMarkers(), {});
                await comesBack(lastWrite());
                assert.match(h.log(), /teardown: users: Azure's clock is taken as 60[12] s ahead of this machine's/);
                const restored = (h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc!;
                assert.ok(Date.parse(restored) >= Date.parse(h.backend.read().cloud.lastWrite!.at), `restored to ${restored}, in Azure's timestamps, at or after the last write`);
            });
        });

        describe("the runner 10 min ahead of Azure", () => {
            before(() => void (skewMs = -600_000));
            it("the wait ends once Azure's backup holds the writes, instead of waiting for a time Azure has not reached", async () => {
                // Each sleep lets the cloud's clock run as long, and takes a hundredth of it in real time: a wait for
                // Azure to reach the runner's clock would take 24 rounds, past the 2 s bound.
                await h.run(FRIDAY_EVENING, { limits: { backupWaitMs: 2_000 }, sleep: cloudSleep(() => h.backend, 100) });
                assert.deepStrictEqual(h.backend.liveMarkers(), {});
                await comesBack(lastWrite());
                assert.match(h.log(), /teardown: users: Azure's clock is taken as 59[89] s behind this machine's/);
            });
        });
    });
});
