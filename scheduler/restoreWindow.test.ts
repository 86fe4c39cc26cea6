/**
 * The teardown against a Cosmos DB account's restore window, end to end on dev-azure's own schedule (its
 * holidays, and the spin-up lead `npm run schedule` derives): a deleted account restores only within its
 * continuous backup's 7 or 30 days, so the teardown deletes it only when the next scheduled spin-up starts a
 * day before that window ends. Each test follows the marker to the restored account, or to the account the
 * refusal kept.
 */
import * as assert from "assert";
import * as path from "path";
import { Problems } from "../components/common";
import type { StackConfig } from "../stacks/config";
import { RESTORE_MARGIN_HOURS, checkRestoreWindow } from "../stacks/config/dataLifetime";
import { ScheduleConfig, Weekday } from "../stacks/config/schedule";
import { ReconcileOptions } from "./reconciler";
import { ReadySchedule, loadReadySchedule, localInstant } from "./readyOnTime";
import { checkRestoreWindows } from "./restoreWindow";
import { ReconcileError } from "./stackOps";
import { FakeDataStore, azureProgram } from "./testing/fakeBackend";
import { Harness, harness } from "./testing/harness";
import { fakeAzureInventory } from "./testing/restorableAccounts";

const ROOT = path.resolve(__dirname, "..");
/** Wed 23 Dec 2026, 19:00 in Berlin: the teardown before Christmas (24, 25 Dec are holidays, then the weekend). */
const CHRISTMAS_TEARDOWN = new Date("2026-12-23T18:00:00Z");

describe("the teardown keeps a Cosmos DB account whose restore window ends before the next spin-up", function () {
    this.timeout(180_000);
    let devAzure: ReadySchedule;
    let h: Harness;
    before(async () => {
        devAzure = await loadReadySchedule(ROOT, "dev-azure");
        assert.strictEqual(devAzure.schedule.spinUpLeadMinutes, 45, "the lead the tests' times are written for");
    });
    afterEach(() => h?.cleanup());

    /**
     * dev-azure's program with its account on `tier`, run on `schedule` with the Azure inventory, every run's clock
     * the fake cloud's (the backup wait is azureBackup.test.ts's: without a client for it, there is none).
     */
    const setUp = async (tier: FakeDataStore["continuousTier"], schedule: ScheduleConfig = devAzure.schedule) => {
        h = await harness({
            edit: (s) => {
                s.program = azureProgram("dev");
                s.program.dataStores[0].continuousTier = tier;
            },
            inventory: (b) => fakeAzureInventory(b),
            base: (b) => ({ schedule, dataStores: ["users"], clock: () => new Date(b.read().cloud.clock!) }),
        });
    };
    /** A scheduled run at `now`, the cloud's clock set to it (each call of the run then moves it on). */
    const at = (now: Date, extra: Partial<ReconcileOptions> = {}) => {
        h.backend.edit((s) => void (s.cloud.clock = now.toISOString()));
        return h.attempt(now, extra);
    };
    const destroys = () => h.backend.mutations().filter((m) => m === "destroy").length;

    it("dev-azure's schedule over Christmas: the 7-day window holds Monday's spin-up, so the teardown deletes the account and the spin-up restores it", async () => {
        await setUp("Continuous7Days");
        const down = await at(CHRISTMAS_TEARDOWN);
        assert.ok(!(down instanceof Error), String(down));
        assert.match(h.log(), /teardown: users \(Continuous7Days\) is restorable for 7 days after its deletion, until 2026-12-30T18:0\d:\d\d\.\d{3}Z; the next scheduled spin-up starts 2026-12-28T05:15:00\.000Z \(45 min before Mon 2026-12-28 07:00 Europe\/Berlin \(UTC\+01:00\)\), at least 26 h before/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        const up = await at(new Date("2026-12-28T05:15:00Z"));
        assert.ok(!(up instanceof Error), String(up));
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("a longer holiday (28-30 Dec off too): the teardown refuses, naming the dates, the rule and the key that fixes it, and deletes nothing until the gap fits the window", async () => {
        const holiday = { ...devAzure.schedule, holidays: [...devAzure.schedule.holidays, "2026-12-28", "2026-12-29", "2026-12-30"] };
        await setUp("Continuous7Days", holiday);
        const refused = await at(CHRISTMAS_TEARDOWN);
        assert.ok(refused instanceof ReconcileError, `the teardown went on, and the next spin-up finds ${JSON.stringify(h.backend.read().cloud.snapshots)}`);
        assert.match(refused.message, /^teardown refused: users \(Continuous7Days\) is restorable for 7 days after its deletion, until 2026-12-30T18:0\d:\d\d\.\d{3}Z, but the next scheduled spin-up starts 2027-01-04T05:15:00\.000Z \(45 min before Mon 2027-01-04 07:00 Europe\/Berlin \(UTC\+01:00\)\), later than 2026-12-29T16:0\d:\d\d\.\d{3}Z \(26 h before the window ends\); nothing was deleted\./);
        assert.match(refused.message, /set intergalactic:mongo\.backupRetentionDays to 30 \(Continuous30Days\) and commit it \(the teardown's own `up` applies it before this check on a stack that is up\), or bring the next spin-up closer in intergalactic:schedule \(holidays, workingDays\), or, to give the data up, export it first \(for example with mongodump\) and list the store in intergalactic:snapshots\.dropDataOnTeardown/);
        assert.strictEqual(destroys(), 0, "nothing was deleted, the services' stop included");
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });

        // The runs of the days after: on 28 Dec the gap is still too long; on 29 Dec, 5 days 11 h, it fits.
        assert.ok(await at(new Date("2026-12-28T18:00:00Z")) instanceof ReconcileError);
        const down = await at(new Date("2026-12-29T18:00:00Z"));
        assert.ok(!(down instanceof Error), String(down));
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
        await at(new Date("2027-01-04T05:15:00Z"));
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("the same holiday on Continuous30Days: the teardown deletes the account, and the spin-up twelve days later restores it", async () => {
        const holiday = { ...devAzure.schedule, holidays: [...devAzure.schedule.holidays, "2026-12-28", "2026-12-29", "2026-12-30"] };
        await setUp("Continuous30Days", holiday);
        const down = await at(CHRISTMAS_TEARDOWN);
        assert.ok(!(down instanceof Error), String(down));
        assert.match(h.log(), /teardown: users \(Continuous30Days\) is restorable for 30 days after its deletion, until 2027-01-22T18:0\d/);
        await at(new Date("2027-01-04T05:15:00Z"));
        assert.deepStrictEqual(h.backend.liveMarkers(), { users: "M1" });
    });

    it("a store the config lets drop its data is deleted whatever the window", async () => {
        const holiday = { ...devAzure.schedule, holidays: [...devAzure.schedule.holidays, "2026-12-28", "2026-12-29", "2026-12-30"] };
        await setUp("Continuous7Days", holiday);
        const down = await at(CHRISTMAS_TEARDOWN, { dropDataOnTeardown: ["users"] });
        assert.ok(!(down instanceof Error), String(down));
        assert.doesNotMatch(h.log(), /is restorable for 7 days/);
        assert.deepStrictEqual(h.backend.liveMarkers(), {});
    });
});

describe("the restore window's rule, in the config check and at the teardown", () => {
    const berlin: ScheduleConfig = {
        schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"] as Weekday[],
        start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "", readyMarginMinutes: 15, spinUpLeadMinutes: 45,
    };
    const weekdays = ["2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17", "2026-11-18"];
    const configAccepts = (schedule: ScheduleConfig) => {
        const problems = new Problems("stack");
        checkRestoreWindow({ cloud: "azure", mongo: { enabled: true, backupRetentionDays: 7 }, schedule } as unknown as StackConfig, problems);
        return problems.count === 0;
    };
    const teardownAccepts = (schedule: ScheduleConfig, at: Date) => {
        try {
            checkRestoreWindows([{ name: "users", days: 7 }], schedule, at);
            return true;
        } catch {
            return false;
        }
    };

    it("uses one margin: a schedule the config check accepts is not refused at its teardown, on any gap up to a week and a half", () => {
        assert.strictEqual(RESTORE_MARGIN_HOURS, 26);
        // The teardown of Mon 9 Nov 2026 at 19:00, then 0 to 7 working days off.
        const teardown = localInstant("2026-11-09", 19 * 60, berlin.timeZone);
        const verdicts = weekdays.map((_, k) => {
            const schedule = { ...berlin, holidays: weekdays.slice(0, k) };
            return [configAccepts(schedule), teardownAccepts(schedule, teardown)];
        });
        for (const [k, [config, teardownToo]] of verdicts.entries()) assert.strictEqual(teardownToo, config, `${k} working days off`);
        // Three days off (to Fri 06:15) pass; four (Tue to Fri: to the next Mon 06:15, 155 h 15 min) do not, in either
        // check: the config check's old hour of margin accepted them, and the teardown then refused every such week.
        assert.deepStrictEqual(verdicts.map(([c]) => c), [true, true, true, true, false, false, false]);
    });

    it("with no spin-up in the coming year says so and names the ways out that exist, not a closer spin-up", () => {
        const parked = { ...berlin, workingDays: [] as Weekday[] };
        assert.throws(() => checkRestoreWindows([{ name: "users", days: 30 }], parked, new Date("2026-11-09T18:00:00Z")), (err: Error) => {
            assert.match(err.message, /but no spin-up is scheduled in the coming year; nothing was deleted\./);
            assert.match(err.message, /so every teardown refuses and the stack keeps running: give intergalactic:schedule a working day that is no holiday within the window, or, to give the data up, export it first \(for example with mongodump\) and list the store in intergalactic:snapshots\.dropDataOnTeardown/);
            assert.doesNotMatch(err.message, /bring the next spin-up closer|backupRetentionDays/);
            return true;
        });
    });
});
