import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ScheduleConfig } from "../stacks/config/schedule";
import { knownStacks } from "../engine/stackFiles";
import { cronDays, utcCronEntries } from "./cron";
import { decide } from "./decide";
import { loadStackSchedule } from "./stackSchedule";
import { loadReadySchedule } from "./readyOnTime";

const ROOT = path.resolve(__dirname, "..");
const FROM = new Date("2026-11-23T00:00:00Z");
const berlin: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const crons = (schedule: ScheduleConfig) => utcCronEntries(schedule, FROM).map((e) => `${e.trigger} ${e.cron} ${e.offset}`);

describe("utcCronEntries", () => {
    it("emits one spin-up and one teardown entry per UTC offset Berlin uses in a year", () => {
        assert.deepStrictEqual(crons(berlin), [
            "spin-up 0 6 * * 1-5 +01:00", "teardown 0 18 * * 1-5 +01:00",
            "spin-up 0 5 * * 1-5 +02:00", "teardown 0 17 * * 1-5 +02:00",
        ]);
    });

    it("emits a single pair for a zone without DST", () => {
        assert.deepStrictEqual(crons({ ...berlin, timeZone: "UTC", start: "06:00", stop: "20:00" }), [
            "spin-up 0 6 * * 1-5 +00:00", "teardown 0 20 * * 1-5 +00:00",
        ]);
    });

    it("keeps half-hour offsets and moves days that cross midnight in UTC", () => {
        // Auckland is UTC+13:00 in its summer: Monday 07:00 there is Sunday 18:00 UTC.
        const auckland = utcCronEntries({ ...berlin, timeZone: "Pacific/Auckland" }, FROM).filter((e) => e.trigger === "spin-up");
        assert.deepStrictEqual(auckland.map((e) => e.cron).sort(), ["0 18 * * 0-4", "0 19 * * 0-4"]);
        const kolkata = utcCronEntries({ ...berlin, timeZone: "Asia/Kolkata", start: "09:00", stop: "18:00" }, FROM);
        assert.deepStrictEqual(kolkata.map((e) => e.cron), ["30 3 * * 1-5", "30 12 * * 1-5"]);
    });

    it("has, on every day of a year, an entry at which the reconciler sees each transition", () => {
        // For each working day, some spin-up entry fires inside the working hours and some teardown entry after them.
        const entries = utcCronEntries(berlin, FROM);
        for (let day = 0; day < 365; day++) {
            const date = new Date(FROM.getTime() + day * 86_400_000);
            const runs = entries.map((e) => {
                const [minute, hour] = e.cron.split(" ").map(Number);
                const instant = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), hour, minute));
                return { trigger: e.trigger, desired: decide(instant, berlin).desired, weekday: instant.getUTCDay() };
            }).filter((r) => r.weekday >= 1 && r.weekday <= 5);
            if (runs.length === 0) continue;
            assert.ok(runs.some((r) => r.trigger === "spin-up" && r.desired === "up"), `no spin-up on ${date.toISOString()}`);
            assert.ok(runs.some((r) => r.trigger === "teardown" && r.desired === "down"), `no teardown on ${date.toISOString()}`);
        }
    });

    it("folds consecutive cron days into ranges", () => {
        assert.strictEqual(cronDays([5, 1, 2, 3, 4]), "1-5");
        assert.strictEqual(cronDays([0, 6]), "0,6");
        assert.strictEqual(cronDays([0, 1, 2, 4, 5]), "0-2,4,5");
    });
});

describe("the dev-schedule workflow", () => {
    it("has exactly the cron entries the schedulable stacks' configs and predicted spin-ups derive", async function () {
        this.timeout(180_000);
        const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/dev-schedule.yml"), "utf8")) as
            { on: { schedule: { cron: string }[] }; jobs: { reconcile: { strategy: { matrix: { include: { stack: string }[] } } } } };
        const expected = new Set<string>();
        const schedulable: string[] = [];
        for (const stack of knownStacks(ROOT)) {
            const { schedule: plain, environment } = loadStackSchedule(ROOT, stack);
            if (!plain.schedulable || environment === "prod") continue;
            const { schedule } = await loadReadySchedule(ROOT, stack);
            schedulable.push(stack);
            for (const entry of utcCronEntries(schedule, FROM)) expected.add(entry.cron);
        }
        assert.deepStrictEqual(workflow.on.schedule.map((s) => s.cron).sort(), [...expected].sort());
        assert.deepStrictEqual(workflow.jobs.reconcile.strategy.matrix.include.map((i) => i.stack).sort(), schedulable.sort());
    });
});
