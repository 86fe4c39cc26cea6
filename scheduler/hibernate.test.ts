/**
 * `teardown: hibernate` end to end: the reconciler and the real Automation API against the fake
 * pulumi CLI, following the data marker of the store through hibernate -> running -> hibernate.
 */
import * as assert from "assert";
import { ScheduleConfig } from "../stacks/config/schedule";
import { StackState } from "./decide";
import { powerSplitOf } from "./dataFlow";
import { ReconcileOptions, actionFor, reconcile } from "./reconciler";
import { Observed, asleepIn } from "./state";
import { FakeBackend } from "./testing/fakeBackend";

const SATURDAY = new Date("2026-11-28T10:00:00Z");
const MONDAY = new Date("2026-11-30T06:30:00Z");
const MONDAY_EVENING = new Date("2026-11-30T18:30:00Z");
const NAT = "urn:pulumi:dev::intergalactic::aws:ec2/natGateway:NatGateway::net-nat-a";
const INGRESS = "urn:pulumi:dev::intergalactic::kubernetes:networking.k8s.io/v1:Ingress::services-ingress";
const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "", teardown: "hibernate",
};

describe("actionFor with teardown: hibernate", () => {
    it("hibernates by an up, leaves a hibernated or empty stack alone at night, and wakes whatever is not running", () => {
        const table: [StackState, Observed, boolean, string][] = [
            ["down", "up", false, "hibernate"], ["down", "partial", false, "hibernate"], ["down", "up", true, "none"], ["down", "down", false, "none"],
            ["up", "up", true, "spin-up"], ["up", "partial", false, "spin-up"], ["up", "down", false, "spin-up"], ["up", "up", false, "none"],
        ];
        for (const [desired, observed, hibernated, action] of table) {
            assert.strictEqual(actionFor(desired, observed, "hibernate", hibernated), action, `${desired} ${observed} ${hibernated}`);
        }
        assert.strictEqual(actionFor("down", "up", "destroy", false), "teardown");
    });
});

describe("what a hibernate leaves in the state", () => {
    it("is a protected Ingress or every node group at desired 0, not a store's protect (deletionProtection) nor one group the autoscaler left at 0", () => {
        const group = (name: string, desiredSize: number) => ({ urn: `urn:${name}`, type: "aws:eks/nodeGroup:NodeGroup", outputs: { scalingConfig: { desiredSize } } });
        const store = { urn: "urn:users", type: "aws:docdb/cluster:Cluster", protect: true };
        assert.deepStrictEqual(asleepIn([store, group("a", 0), group("b", 2)]), []);
        assert.deepStrictEqual(asleepIn([store, group("a", 0), group("b", 0)]), ["urn:a", "urn:b"]);
        assert.deepStrictEqual(asleepIn([{ urn: INGRESS, type: "kubernetes:networking.k8s.io/v1:Ingress", protect: true }, group("a", 1)]), [INGRESS]);
    });
});

describe("hibernation through the reconciler and a fake pulumi CLI", function () {
    this.timeout(120_000);
    let backend: FakeBackend;
    let lines: string[];
    const options = (now: Date): ReconcileOptions => ({
        stackName: "dev", workDir: backend.workDir, pulumiRoot: backend.root, envVars: {},
        schedule, environment: "dev", now, dryRun: false,
        dataStores: backend.read().program.dataStores.map((d) => d.name),
        log: (line) => lines.push(line), sleep: async () => undefined, clock: () => now, leaseSettleMs: 0,
    });
    const storeIds = () => backend.read().stacks.dev.resources.filter((r) => r.store).map((r) => r.id);
    const hasNat = () => backend.read().stacks.dev.resources.some((r) => r.urn === NAT);
    const mode = () => (backend.lastUpConfig()["intergalactic:schedule"] as { mode?: string } | undefined)?.mode;

    beforeEach(async () => {
        backend = new FakeBackend();
        lines = [];
        backend.edit((s) => s.program.resources.push({ urn: NAT, type: "aws:ec2/natGateway:NatGateway", hibernates: true }));
        await backend.markUp("M1");
    });
    afterEach(() => backend.cleanup());

    it("hibernates at night with an up, wakes in the morning with an up, and hibernates again: the same store holds M1 throughout", async () => {
        const id = storeIds();
        const night = await reconcile(options(SATURDAY));
        assert.strictEqual(night.action, "hibernate");
        assert.deepStrictEqual(backend.mutations(), ["up", "up"], "never a destroy");
        assert.strictEqual(mode(), "hibernated");
        assert.ok(!hasNat());
        assert.deepStrictEqual([storeIds(), backend.liveMarkers()], [id, { users: "M1" }]);
        assert.deepStrictEqual(Object.keys(backend.read().cloud.snapshots), [], "nothing was deleted, so no snapshot was taken");
        // The working copy's stack file is put back: the mode never stays in the checkout.
        assert.strictEqual((backend.config(backend.workDir)["intergalactic:schedule"] as object | undefined), undefined);

        const again = await reconcile(options(new Date(SATURDAY.getTime() + 60_000)));
        assert.strictEqual(again.action, "none");
        assert.match(lines.join("\n"), /nothing to do: the stack is already hibernated/);

        const morning = await reconcile(options(MONDAY));
        assert.strictEqual(morning.action, "spin-up");
        assert.strictEqual(mode(), "waking");
        assert.ok(hasNat());
        assert.deepStrictEqual([storeIds(), backend.liveMarkers()], [id, { users: "M1" }]);
        assert.strictEqual((await reconcile(options(new Date(MONDAY.getTime() + 60_000)))).action, "none");

        const evening = await reconcile(options(MONDAY_EVENING));
        assert.strictEqual(evening.action, "hibernate");
        assert.deepStrictEqual([storeIds(), backend.liveMarkers(), hasNat()], [id, { users: "M1" }, false]);
        assert.ok(!backend.mutations().includes("destroy"));
    });

    it("retries a hibernate that failed halfway as a hibernate, never a destroy, and wakes from it with the data kept", async () => {
        const id = storeIds();
        backend.edit((s) => s.failures.push({ command: "up", mode: "partial", times: 1, skip: 0, stderr: "error: deleting the NAT gateway: RequestExpired" }));
        await assert.rejects(reconcile(options(SATURDAY)), /RequestExpired/);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });

        const retry = await reconcile(options(new Date(SATURDAY.getTime() + 3_600_000)));
        assert.strictEqual(retry.observed, "partial");
        assert.strictEqual(retry.action, "hibernate");
        assert.strictEqual(mode(), "hibernated");
        assert.deepStrictEqual([storeIds(), backend.liveMarkers()], [id, { users: "M1" }]);

        // A failed wake-up is woken again the same way.
        backend.edit((s) => s.failures.push({ command: "up", mode: "partial", times: 1, skip: 0, stderr: "error: updating the node group: ResourceInUseException" }));
        await assert.rejects(reconcile(options(MONDAY)), /ResourceInUseException/);
        const wake = await reconcile(options(new Date(MONDAY.getTime() + 600_000)));
        assert.deepStrictEqual([wake.action, mode(), hasNat()], ["spin-up", "waking", true]);
        assert.deepStrictEqual([storeIds(), backend.liveMarkers()], [id, { users: "M1" }]);
        assert.ok(!backend.mutations().includes("destroy"));
    });

    it("wakes a hibernated stack before destroying it once teardown is back to destroy, and its snapshot holds M1", async () => {
        await reconcile(options(SATURDAY));
        const destroying: ReconcileOptions = { ...options(new Date(SATURDAY.getTime() + 3_600_000)), schedule: { ...schedule, teardown: "destroy" } };
        const result = await reconcile(destroying);
        assert.strictEqual(result.action, "teardown");
        const history = backend.read().stacks.dev.history;
        const wake = history.findIndex((h) => h.message.startsWith("scheduler: wake-up at") && h.result === "succeeded");
        const destroy = history.findIndex((h) => h.kind === "destroy");
        assert.ok(wake >= 0 && destroy > wake, history.map((h) => `${h.kind} ${h.message}`).join("; "));
        assert.deepStrictEqual(Object.values(backend.read().cloud.snapshots).map((x) => x.marker), ["M1"]);
    });

    it("recovers a partial stack in working hours in running mode, keeping the autoscaler's counts, when it did not sleep", async () => {
        backend.edit((s) => s.failures.push({ command: "up", mode: "partial", times: 1, skip: 0, stderr: "error: by hand" }));
        await backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a person's up"]);
        const day = await reconcile(options(new Date("2026-11-30T09:00:00Z")));
        assert.deepStrictEqual([day.observed, day.action, mode()], ["partial", "spin-up", undefined]);
    });

    it("wakes a stack whose state holds the hibernated Ingress's protect before destroying it, whatever the last change was: a person's failed up after the hibernate", async () => {
        backend.edit((s) => s.program.resources.push({ urn: INGRESS, type: "kubernetes:networking.k8s.io/v1:Ingress", protect: "hibernated" }));
        await reconcile(options(SATURDAY));
        // A person's plain up that fails before it reaches the Ingress: the state keeps protect, the last change is theirs.
        backend.edit((s) => s.failures.push({ command: "up", mode: "fail", times: 1, skip: 0, stderr: "error: by hand" }));
        await backend.pulumi(["up", "--yes", "--skip-preview", "--message", "a person's up"]);
        const destroying: ReconcileOptions = { ...options(new Date(SATURDAY.getTime() + 3_600_000)), schedule: { ...schedule, teardown: "destroy" } };
        const result = await reconcile(destroying);
        assert.strictEqual(result.action, "teardown");
        const history = backend.read().stacks.dev.history;
        const wake = history.findIndex((h) => h.message.startsWith("scheduler: wake-up at") && h.result === "succeeded");
        assert.ok(wake > history.findIndex((h) => h.message === "a person's up"), history.map((h) => `${h.kind} ${h.message}`).join("; "));
        assert.deepStrictEqual(backend.read().stacks.dev.resources, []);
        assert.deepStrictEqual(Object.values(backend.read().cloud.snapshots).map((x) => x.marker), ["M1"]);
    });

    it("refuses a teardown before its destroy while the state holds a protected resource, since a --skip-preview destroy deletes the rest first (pulumi/pulumi#18396)", async () => {
        backend.edit((s) => s.program.resources.push({ urn: INGRESS, type: "kubernetes:networking.k8s.io/v1:Ingress", protect: "always" }));
        await backend.markUp("M1");
        const destroying: ReconcileOptions = { ...options(SATURDAY), schedule: { ...schedule, teardown: "destroy" } };
        await assert.rejects(reconcile(destroying), /services-ingress[\s\S]*pulumi up/);
        assert.ok(!backend.mutations().includes("destroy"), backend.mutations().join(", "));
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });

    it("says in a dry run that it would hibernate, and that a hibernated stack needs nothing, changing nothing", async () => {
        const dry = (now: Date) => reconcile({ ...options(now), dryRun: true });
        assert.strictEqual((await dry(SATURDAY)).action, "hibernate");
        assert.match(lines.join("\n"), /dry run: would hibernate \(pulumi up, intergalactic:schedule\.mode hibernated\)/);
        assert.deepStrictEqual(backend.mutations(), ["up"]);
        await reconcile(options(SATURDAY));
        lines = [];
        assert.strictEqual((await dry(new Date(SATURDAY.getTime() + 60_000))).action, "none");
        assert.match(lines.join("\n"), /dry run: the stack is hibernated\n.*dry run: would do nothing/);
    });

    it("leaves an empty stack empty at night instead of building a hibernated one", async () => {
        await reconcile(options(SATURDAY));
        await backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
        const before = backend.mutations().length;
        const night = await reconcile(options(new Date(SATURDAY.getTime() + 3_600_000)));
        assert.deepStrictEqual([night.observed, night.action, backend.mutations().length], ["down", "none", before]);
    });
});

describe("an agent pool's power state and its other inputs, never in one request", function () {
    this.timeout(120_000);
    const POOL = "urn:pulumi:dev::intergalactic::azure-native:containerservice:AgentPool::cluster-user-c";
    let backend: FakeBackend;
    let lines: string[];
    const options = (now: Date): ReconcileOptions => ({
        stackName: "dev", workDir: backend.checkout(), pulumiRoot: backend.root, envVars: {},
        schedule, environment: "dev", now, dryRun: false,
        dataStores: backend.read().program.dataStores.map((d) => d.name),
        log: (line) => lines.push(line), sleep: async () => undefined, clock: () => now, leaseSettleMs: 0,
    });
    const pool = () => backend.read().stacks.dev.resources.find((r) => r.urn === POOL)?.inputs;
    /** A change to the pool's config committed on main (its labels), which the next `up` applies. */
    const commitLabel = (team: string) => backend.edit((s) => {
        s.program.resources.find((r) => r.urn === POOL)!.inputs = { vmSize: "Standard_D4s_v5", nodeLabels: { team } };
    });
    const updates = () => backend.read().stacks.dev.history.filter((h) => h.kind === "update").map((h) => `${h.message} ${h.result}`);

    beforeEach(async () => {
        backend = new FakeBackend();
        lines = [];
        backend.edit((s) => s.program.resources.push({ urn: POOL, type: "azure-native:containerservice:AgentPool", stops: true, inputs: { vmSize: "Standard_D4s_v5", nodeLabels: { team: "a" } } }));
        await backend.markUp("M1");
    });
    afterEach(() => backend.cleanup());

    it("reads what an update step changes from its diffs and its provider's property paths, by their top-level keys", () => {
        const step = { op: "update" as const, urn: POOL, type: "azure-native:containerservice:AgentPool" };
        assert.deepStrictEqual(powerSplitOf({ ...step, diffs: ["powerState"], detailedDiff: { "powerState.code": { diffKind: "update" as never, inputDiff: true } } }), undefined);
        assert.deepStrictEqual(powerSplitOf({ ...step, detailedDiff: { "powerState.code": { diffKind: "update" as never, inputDiff: true }, "nodeLabels[\"a.b\"]": { diffKind: "add" as never, inputDiff: true } } })?.others, ["nodeLabels"]);
        assert.deepStrictEqual(powerSplitOf({ ...step, diffs: ["powerState", "tags", "maxCount"] })?.others, ["maxCount", "tags"]);
        assert.strictEqual(powerSplitOf({ ...step, diffs: ["tags", "maxCount"] }), undefined, "no power change");
        assert.strictEqual(powerSplitOf({ ...step, op: "replace", diffs: ["powerState", "vmSize"] }), undefined, "a replacement creates a new pool");
        assert.strictEqual(powerSplitOf({ ...step, type: "aws:eks/nodeGroup:NodeGroup", diffs: ["powerState", "tags"] }), undefined);
    });

    it("hibernates with a pool change committed since the last running up in two ups: the change while the pool runs, then the stop alone", async () => {
        const id = backend.read().stacks.dev.resources.find((r) => r.store)!.id;
        commitLabel("b");
        const night = await reconcile(options(SATURDAY));
        assert.strictEqual(night.action, "hibernate");
        assert.deepStrictEqual(updates(), [
            "first up by hand succeeded",
            "scheduler: pool changes before hibernate at 2026-11-28T10:00:00.000Z succeeded",
            "scheduler: hibernate at 2026-11-28T10:00:00.000Z succeeded",
        ]);
        assert.match(lines.join("\n"), /cluster-user-c \(powerState with nodeLabels\)[^\n]*nothing was changed/);
        assert.deepStrictEqual(pool(), { vmSize: "Standard_D4s_v5", nodeLabels: { team: "b" }, powerState: { code: "Stopped" } });
        assert.deepStrictEqual([backend.read().stacks.dev.resources.find((r) => r.store)!.id, backend.liveMarkers()], [id, { users: "M1" }]);
        assert.ok(!backend.mutations().includes("destroy"));
        assert.strictEqual((await reconcile(options(new Date(SATURDAY.getTime() + 60_000)))).action, "none", "it counts as hibernated");
    });

    it("wakes with a pool change committed while the stack slept in two ups: the change while the pool is stopped, then the start alone", async () => {
        const id = backend.read().stacks.dev.resources.find((r) => r.store)!.id;
        await reconcile(options(SATURDAY));
        assert.deepStrictEqual(pool()?.powerState, { code: "Stopped" });
        commitLabel("b");
        const morning = await reconcile(options(MONDAY));
        assert.strictEqual(morning.action, "spin-up");
        assert.deepStrictEqual(updates().slice(-3), [
            "scheduler: hibernate at 2026-11-28T10:00:00.000Z succeeded",
            `scheduler: hibernate at ${MONDAY.toISOString()} succeeded`,
            `scheduler: wake-up at ${MONDAY.toISOString()} succeeded`,
        ]);
        assert.match(lines.join("\n"), /wake-up: the wake-up would change cluster-user-c \(powerState with nodeLabels\)[^\n]*nothing was changed/);
        assert.deepStrictEqual(pool(), { vmSize: "Standard_D4s_v5", nodeLabels: { team: "b" }, powerState: { code: "Running" } });
        assert.deepStrictEqual([backend.read().stacks.dev.resources.find((r) => r.store)!.id, backend.liveMarkers()], [id, { users: "M1" }]);
        assert.ok(!backend.mutations().includes("destroy"));
    });

    it("hibernates again on the next run when the stop fails after the pool change was applied to the running pool, keeping the data", async () => {
        const id = backend.read().stacks.dev.resources.find((r) => r.store)!.id;
        commitLabel("b");
        // The second up of the night (the stop) fails; the first (the change while the pool runs) went through.
        backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "fail", skip: 1 }));
        await assert.rejects(reconcile(options(SATURDAY)));
        assert.deepStrictEqual([pool()?.nodeLabels, pool()?.powerState], [{ team: "b" }, { code: "Running" }]);
        const retry = await reconcile(options(new Date(SATURDAY.getTime() + 600_000)));
        assert.deepStrictEqual([retry.action, pool()?.powerState, pool()?.nodeLabels], ["hibernate", { code: "Stopped" }, { team: "b" }]);
        assert.deepStrictEqual([backend.read().stacks.dev.resources.find((r) => r.store)!.id, backend.liveMarkers()], [id, { users: "M1" }]);
        assert.ok(!backend.mutations().includes("destroy"));
    });

    it("wakes again on the next run when the start fails after the change was applied to the stopped pool, keeping the data", async () => {
        await reconcile(options(SATURDAY));
        commitLabel("b");
        // The second up of the morning (the start) fails; the first (the change while stopped) went through.
        backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "fail", skip: 1 }));
        await assert.rejects(reconcile(options(MONDAY)));
        assert.deepStrictEqual([pool()?.nodeLabels, pool()?.powerState], [{ team: "b" }, { code: "Stopped" }]);
        const retry = await reconcile(options(new Date(MONDAY.getTime() + 600_000)));
        assert.deepStrictEqual([retry.action, pool()?.powerState, pool()?.nodeLabels], ["spin-up", { code: "Running" }, { team: "b" }]);
        assert.deepStrictEqual(backend.liveMarkers(), { users: "M1" });
    });
});
