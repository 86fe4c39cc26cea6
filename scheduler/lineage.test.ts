/**
 * Snapshot lineage end to end: what the scheduler restores is decided from
 * the exported state (what a store was created from, what its deletion takes),
 * never inferred from the stack outputs or from its own record alone. Each
 * test follows a data marker through failed updates, a person's `up` or
 * `destroy` and lost record tags, and fails if the marker is lost even when
 * every run exits 0.
 */
import * as assert from "assert";
import { ReconcileError } from "./stackOps";
import { COSMOS } from "./testing/fakeBackend";
import { FRIDAY_EVENING, FRIDAY_SNAPSHOT, MONDAY, MONDAY_EVENING, SATURDAY, TUESDAY, Harness, HarnessOptions, harness } from "./testing/harness";
import { AWS_INVENTORY, WITHOUT_INVENTORY } from "./testing/inventories";

/**
 * Each scenario runs without an inventory and with the AWS one (as `npm run schedule` runs an AWS stack), but
 * for those that are the record's alone: lost record tags (with the inventory, the snapshot the teardown tagged
 * settles it: inventory/awsEndToEnd.test.ts), a store renamed while down (an inventory the stack file did not
 * declare the new name to cannot list it, and stops the spin-up), and the Cosmos DB stores (the Azure
 * inventory's: inventory/azure*.test.ts).
 */
for (const inventory of [WITHOUT_INVENTORY, AWS_INVENTORY]) {
    describe(`snapshot lineage comes from the exported state, ${inventory.name}`, function () {
        this.timeout(180_000);
        let h: Harness;
        const setUp = (o: HarnessOptions = {}) => harness({ base: () => ({ dataStores: ["users"] }), ...inventory.options, ...o });
        /** Only without an inventory: what the record alone decides (the AWS inventory settles it, or has no say). */
        const withoutInventory = inventory === WITHOUT_INVENTORY ? it : () => undefined;
        beforeEach(async () => {
            h = await setUp();
        });
        afterEach(() => h.cleanup());

        it("a person's up after a failed spin-up creates the store empty; its snapshot never becomes the lineage's, and the next spin-up asks", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "fail", stderr: "error: AccessDeniedException: kms:CreateGrant" }));
            assert.ok(await h.run(MONDAY).catch((e) => e) instanceof ReconcileError);
            const up = await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "need dev now"]);
            assert.strictEqual(up.code, 0, up.stderr);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "" }, "a fresh checkout's up creates the store empty");

            await h.run(MONDAY_EVENING);
            assert.match(h.log(), /record: users was created empty, as its state says, not from users-td-20261127t1800z-dev as the scheduler asked; its lineage is unknown/);
            const refused = await h.run(TUESDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
            assert.match(refused.message, /users: users-td-20261130t1800z-dev \(from a store created outside the scheduler, lineage unknown\) competes with users-td-20261127t1800z-dev/);
            assert.match(refused.message, /--restore <store>=<snapshot id>/);

            await h.run(TUESDAY, { restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("a spin-up that restores a store and then fails keeps the old (empty) outputs; a person's destroy then takes a snapshot the next spin-up never skips silently", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "partial", stderr: "error: timed out waiting for the EKS add-on coredns" }));
            assert.ok(await h.run(MONDAY).catch((e) => e) instanceof ReconcileError);
            assert.deepStrictEqual(h.backend.read().stacks.dev.outputs, {}, "the failed update registered no outputs (pulumi/pulumi#15754)");
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" }, "the store itself was restored");
            h.write("M2");
            const destroyed = await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "cleaning the broken stack"]);
            assert.strictEqual(destroyed.code, 0, destroyed.stderr);
            assert.strictEqual(h.backend.read().cloud.snapshots["users-up-20261130t0630z-dev"]?.marker, "M2");

            const refused = await h.run(TUESDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
            assert.match(refused.message, /users: the final snapshot its last deletion took is unknown: update at [^ ]+ \(failed\) may have created it, and destroy at [^ ]+ \("cleaning the broken stack"\) deleted it/);
            await h.run(TUESDAY, { restore: { users: { id: "users-up-20261130t0630z-dev", config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        });

        it("a teardown whose snapshot-naming up fails partway is retried with the name the state holds, not the stale output", async () => {
            h.backend.edit((s) => s.failures.push({ command: "up", times: 1, mode: "partial", stderr: "error: deleting the EKS add-on vpc-cni: timeout" }));
            assert.ok(await h.run(FRIDAY_EVENING).catch((e) => e) instanceof ReconcileError);
            assert.deepStrictEqual((h.backend.read().stacks.dev.outputs as { finalSnapshots: unknown }).finalSnapshots, { users: "users-final" }, "the outputs still name the old snapshot");

            await h.run(SATURDAY);
            assert.match(h.log(), /teardown: users takes final snapshot users-td-20261127t1800z-dev, as its state says/);
            assert.ok(h.backend.read().cloud.snapshots[FRIDAY_SNAPSHOT]);
            const spinUp = await h.run(MONDAY);
            assert.deepStrictEqual(spinUp.snapshots, { users: FRIDAY_SNAPSHOT });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("outputs naming no snapshot after a failed update: the teardown deletes with the name the state holds, and the spin-up restores it", async () => {
            await h.run(FRIDAY_EVENING);
            await h.run(MONDAY);
            h.write("M2");
            // What a later failed update leaves: outputs not registered (pulumi/pulumi#15754), a failed entry.
            h.backend.edit((s) => {
                s.stacks.dev.outputs = {};
                s.stacks.dev.history.push({ version: s.stacks.dev.history.length + 1, kind: "update", result: "failed", message: "chart upgrade", config: {}, startTime: new Date().toISOString() });
            });
            await h.run(MONDAY_EVENING);
            assert.match(h.log(), /teardown: users takes final snapshot users-up-20261130t0630z-dev, as its state says/);
            await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "cleaning the broken stack"]);
            await h.run(TUESDAY);
            assert.doesNotMatch(h.log(), /starts it empty/);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        });

        withoutInventory("lost record tags after a scheduler teardown: the spin-up asks instead of starting the store empty", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => void (s.stacks.dev.tags = {}));
            const refused = await h.run(MONDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
            assert.match(refused.message, /users: .*destroy at [^ ]+ \("scheduler: teardown at 2026-11-27T18:00:00.000Z"\) ran after the scheduler last recorded the stack, and the record has no entry for it/);
            assert.ok(!h.backend.calls().slice(-10).some((c) => c[0] === "up"), "nothing was created");

            await h.run(MONDAY, { restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        it("finds an older scheduler's record in a destroy's config however far back in the history it is", async () => {
            // The record as the earlier scheduler kept it: the restore map in the config of its teardown's destroy.
            h.backend.edit((s) => {
                const dev = s.stacks.dev;
                s.cloud.snapshots["users-td-20261120t1800z"] = { store: "users", marker: "M1" };
                for (const r of dev.resources) if (r.store) delete s.cloud.stores[r.id ?? ""];
                dev.resources = [];
                dev.outputs = {};
                const config = { "intergalactic:snapshots": { value: JSON.stringify({ restore: { users: "users-td-20261120t1800z" } }) } };
                dev.history.push({ version: dev.history.length + 1, kind: "destroy", result: "succeeded", message: "scheduler: teardown at 2026-11-20T18:00:00.000Z", config, startTime: "2026-11-20T18:00:00Z" });
                for (let i = 0; i < 25; i++) dev.history.push({ version: dev.history.length + 1, kind: "refresh", result: "succeeded", message: "", config: {}, startTime: "2026-11-21T10:00:00Z" });
            });
            await h.run(MONDAY);
            assert.match(h.log(), /record: users starts from the last teardown in the stack history: users-td-20261120t1800z/);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });
        it("a store a person deleted with its final snapshot turned off: the spin-up stops and names the lineage's older snapshot", async () => {
            await h.run(FRIDAY_EVENING);
            await h.run(MONDAY);
            h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = false));
            const up = await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "no final snapshot, faster destroy"]);
            assert.strictEqual(up.code, 0, up.stderr);
            assert.strictEqual((await h.run(new Date("2026-11-30T08:00:00Z"))).action, "none");
            const destroyed = await h.backend.pulumi(["destroy", "--yes", "--skip-preview", "--message", "by hand"]);
            assert.strictEqual(destroyed.code, 0, destroyed.stderr);
            h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = true));
            const refused = await h.run(TUESDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on and the store is ${JSON.stringify(h.backend.liveMarkers())}`);
            assert.match(refused.message, new RegExp(`users: .*deleted without a final snapshot.*the newest snapshot that exists is ${FRIDAY_SNAPSHOT}`));
            await h.run(TUESDAY, { restore: { users: { id: FRIDAY_SNAPSHOT, config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });

        withoutInventory("a store renamed while the stack is down: the spin-up stops and names the old name's snapshot instead of starting it empty", async () => {
            await h.run(FRIDAY_EVENING);
            h.backend.edit((s) => void (s.program.dataStores[0].name = "accounts"));
            const refused = await h.run(MONDAY, { dataStores: ["accounts"] }).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on and the store is ${JSON.stringify(h.backend.liveMarkers())}`);
            assert.match(refused.message, new RegExp(`accounts has no record, while users .* holds data; .*--restore accounts=${FRIDAY_SNAPSHOT}`));
            assert.deepStrictEqual(h.backend.liveMarkers(), {});
            await h.run(MONDAY, { dataStores: ["accounts"], restore: { accounts: { id: FRIDAY_SNAPSHOT, config: {} } } });
            assert.deepStrictEqual(h.backend.liveMarkers(), { accounts: "M1" });
        });

        withoutInventory("a restored Cosmos DB account whose restore source ARM echoes in its own spelling stays the lineage's, week after week", async () => {
            h.cleanup();
            h = await setUp({
                edit: (s) => {
                    s.program.dataStores[0].dataType = COSMOS;
                    s.armSpelling = true;
                },
            });
            await h.run(FRIDAY_EVENING);
            await h.run(MONDAY);
            h.write("M2");
            await h.run(MONDAY_EVENING);
            await h.run(TUESDAY);
            assert.doesNotMatch(h.log(), /lineage is unknown/);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        });

        withoutInventory("a Cosmos DB account past its restore window: the spin-up stops and says until when it was restorable", async () => {
            h.cleanup();
            h = await setUp({ edit: (s) => void (s.program.dataStores[0].dataType = COSMOS) });
            await h.run(FRIDAY_EVENING);
            assert.strictEqual(h.backend.read().stacks.dev.tags["intergalactic:data.users.fu"], "2026-12-27T18:00:00.000Z", "30 days of continuous backup after the deletion");
            const late = new Date("2027-01-04T06:30:00Z");
            const refused = await h.run(late, { clock: () => late }).catch((e) => e);
            assert.ok(refused instanceof ReconcileError, `the spin-up went on: ${refused}`);
            assert.match(refused.message, /users: .*was restorable only until 2026-12-27T18:00:00.000Z/);

            // The person finds another restorable account still inside its own window, and answers with it.
            const copy = "/subscriptions/0000-sub/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/users-copy";
            const deletedAt = new Date().toISOString();
            h.backend.edit((s) => void (s.cloud.snapshots[copy] = { store: "users", marker: "M1", deletedAt, restorableForDays: 30 }));
            const answered = await h.run(late, { clock: () => late, restore: { users: { id: copy, config: { "intergalactic:mongo.restoreTimestampUtc": deletedAt } } } }).catch((e) => e);
            assert.ok(!(answered instanceof Error), `the person's answer was refused: ${answered}`);
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });
        it("a teardown whose snapshot-naming up would turn a live store's final snapshot off never applies it: the deletion takes the snapshot the state names, and the next spin-up restores it", async () => {
            await h.run(FRIDAY_EVENING);
            await h.run(MONDAY);
            h.write("M2");
            const users = () => h.backend.read().stacks.dev.resources.find((r) => r.store === "users");
            assert.strictEqual(users()?.finalSnapshot, "users-up-20261130t0630z-dev");
            h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = false)); // main's config now says so (dev allows it)
            const updatesBefore = h.backend.read().stacks.dev.history.filter((h) => h.kind === "update").length;
            await h.run(MONDAY_EVENING);
            assert.match(h.log(), /would turn off the final snapshot of users .*so it is not applied/);
            assert.strictEqual(h.backend.read().stacks.dev.history.filter((h) => h.kind === "update").length, updatesBefore, "no up ran");
            assert.strictEqual(h.backend.read().cloud.snapshots["users-up-20261130t0630z-dev"]?.marker, "M2", "the deletion kept the day's data");
            // The spin-up would restore it into a store whose deletion keeps nothing: it refuses (disarmSpinUp.test.ts).
            const refused = await h.run(TUESDAY).catch((e) => e);
            assert.ok(refused instanceof ReconcileError && /spin-up refused: users holds data/.test(refused.message), `${refused}`);
            await h.run(TUESDAY, { dropDataOnTeardown: ["users"] });
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        });

        it("a teardown that refuses (the state itself keeps no final snapshot) changes nothing first", async () => {
            h.backend.edit((s) => void (s.program.dataStores[0].finalSnapshot = false));
            await h.backend.pulumi(["up", "--yes", "--skip-preview", "--message", "snapshots off"]);
            const before = h.backend.read().stacks.dev.resources;
            const refused = await h.run(FRIDAY_EVENING).catch((e) => e);
            assert.ok(refused instanceof ReconcileError && /teardown refused: users/.test(refused.message), `${refused}`);
            assert.deepStrictEqual(h.backend.read().stacks.dev.resources.map((r) => [r.urn, r.finalSnapshot ?? ""]), before.map((r) => [r.urn, r.finalSnapshot ?? ""]));
            assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        });
    });
}
