/**
 * The Azure inventory end to end: the reconciler runs against the fake CLI, and the fake cloud's Cosmos DB
 * accounts reach the inventory as Restorable Database Accounts - List pages in the documented shape, among
 * instances it must leave out (another store's account, a live account, one past every window, another API).
 * Each test follows the data marker from the first store to the restored one.
 */
import * as assert from "assert";
import { POINT_IN_TIME_CONFIG } from "../lineage";
import { ReconcileError } from "../stackOps";
import { COSMOS } from "../testing/fakeBackend";
import { FRIDAY_EVENING, Harness, MONDAY, TUESDAY, harness } from "../testing/harness";
import { authorizationFailed, fakeAzureInventory, restorable } from "../testing/restorableAccounts";

const NOISE = [
    restorable("cccc-3333", "orders-db0c0c0c0c", "2026-11-20T05:40:00Z", new Date(Date.now() - 3_600_000).toISOString()),
    restorable("ffff-6666", "users-db7e7e7e7e", "2026-09-01T05:40:00Z", "2026-10-01T18:00:00Z"),
    restorable("abab-7777", "users-db3c3c3c3c", "2026-11-20T05:40:00Z", new Date(Date.now() - 60_000).toISOString(), "Sql"),
];

describe("the Azure snapshot inventory through the reconciler", function () {
    this.timeout(180_000);
    let h: Harness;
    let failing: Error | undefined;
    beforeEach(async () => {
        failing = undefined;
        h = await harness({
            edit: (s) => void (s.program.dataStores[0].dataType = COSMOS),
            base: (b) => ({
                dataStores: ["users"],
                inventory: fakeAzureInventory(b, NOISE, () => failing),
            }),
        });
    });
    afterEach(() => h.cleanup());

    /** Friday's teardown, Monday's spin-up from it and the day's work (M2), then a person's `pulumi destroy`. */
    async function destroyedByAPerson(): Promise<{ instance: string; deletedAt: string }> {
        await h.run(FRIDAY_EVENING);
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
        h.write("M2");
        await h.person("destroy", "--yes", "--skip-preview", "--message", "tidying up by hand");
        const [instance, kept] = Object.entries(h.backend.read().cloud.snapshots).find(([, s]) => s.marker === "M2")!;
        return { instance, deletedAt: kept.deletedAt! };
    }

    it("after a person's destroy whose clock ran ahead, the spin-up restores that account's instance, at a time it can restore", async () => {
        const { instance, deletedAt } = await destroyedByAPerson();
        assert.match(h.log(), /teardown: users: its final snapshot \S+ is in the cloud's snapshot inventory/);
        // The history's start time is the person's clock: an hour ahead of Azure's, so after the deletion.
        h.backend.edit((s) => {
            const destroy = s.stacks.dev.history.at(-1)!;
            destroy.startTime = new Date(Date.parse(deletedAt) + 3_600_000).toISOString();
        });
        await h.run(TUESDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
        const latest = new Date(Date.parse(new Date(deletedAt).toISOString()) - 1000).toISOString();
        assert.strictEqual(h.backend.lastUpConfig()["intergalactic:mongo"] && (h.backend.lastUpConfig()["intergalactic:mongo"] as { restoreTimestampUtc?: string }).restoreTimestampUtc, latest);
        assert.ok(instance.endsWith(`/restorableDatabaseAccounts/${h.backend.read().cloud.created!.at(-2)!.id}`), "the instance of the account the person deleted");
        assert.match(h.log(), new RegExp(`later than the latest time the cloud can restore it to, ${latest.replace(/\./g, "\\.")}; restoring to`));
    });

    it("after a person's destroy and lost record tags, the spin-up asks, naming the newest instance as a --restore answer; that answer brings the data back", async () => {
        const { instance, deletedAt } = await destroyedByAPerson();
        h.backend.edit((s) => void (s.stacks.dev.tags = {}));
        const asked = await h.attempt(TUESDAY);
        assert.ok(asked instanceof ReconcileError, `the spin-up went on, and users holds ${JSON.stringify(h.backend.liveMarkers())}`);
        const latest = new Date(Date.parse(deletedAt) - 1000).toISOString();
        const answer = `users=${instance}@${latest}`;
        assert.ok(asked.message.includes(`the cloud keeps, newest first: ${answer}`), asked.message);
        assert.match(h.log(), /may be another stack's: Azure's restorable accounts carry no tags/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {}, "nothing was created");
        await h.run(TUESDAY, { restore: { users: { id: instance, config: { [POINT_IN_TIME_CONFIG]: latest } } } });
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M2" });
    });

    it("a listing the subscription refuses (AuthorizationFailed) stops the spin-up before it changes anything, naming the API and the error", async () => {
        await h.run(FRIDAY_EVENING);
        failing = authorizationFailed();
        const before = h.backend.mutations().length;
        const stopped = await h.attempt(MONDAY);
        assert.ok(stopped instanceof ReconcileError, `the spin-up went on: ${stopped}`);
        assert.match(stopped.message, /spin-up stopped, so as not to restore the wrong data; nothing was changed/);
        assert.match(stopped.message, /Cosmos DB Restorable Database Accounts - List \(GET \/subscriptions\/0000-sub\/providers\/Microsoft\.DocumentDB\/restorableDatabaseAccounts\) failed: AuthorizationFailed \(HTTP 403\)/);
        assert.match(stopped.message, /--restore users=\/subscriptions\/0000-sub\/providers\/Microsoft\.DocumentDB\/locations\/westeurope\/restorableDatabaseAccounts\//);
        assert.deepStrictEqual(h.backend.mutations().slice(before), [], "no up, no refresh");
        failing = undefined;
        await h.run(MONDAY);
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });
});
