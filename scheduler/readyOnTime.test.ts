import * as assert from "assert";
import * as path from "path";
import { ScheduleConfig, Weekday, clockMinutes } from "../stacks/config/schedule";
import { utcCronEntries } from "./cron";
import { decide } from "./decide";
import { planStack } from "../engine/planStack";
import { formatReadyOnTime, loadReadySchedule, localInstant, predictedSpinUp, spinUpLeadMinutes, upcomingSpinUps, withSpinUpLead } from "./readyOnTime";
import { localTime } from "./zonedTime";
import { TransitionEstimate } from "../tools/estimate/transition";
import { stackNames } from "../engine/testing/plan";

const ROOT = path.resolve(__dirname, "..");
const berlin: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "", readyMarginMinutes: 15,
};
const led = (schedule: ScheduleConfig, lead: number): ScheduleConfig => ({ ...schedule, spinUpLeadMinutes: lead });
const up = (iso: string, schedule: ScheduleConfig) => decide(new Date(iso), schedule).desired === "up";

describe("the spin-up lead", () => {
    it("of a hibernating stack is its wake-up's, not a full spin-up's: dev starts 25 min early instead of 50", async function () {
        this.timeout(120_000);
        const running = await planStack("dev", ROOT);
        const wake = await predictedSpinUp(ROOT, "dev", { ...berlin, teardown: "hibernate" }, running);
        const full = await predictedSpinUp(ROOT, "dev", { ...berlin, teardown: "destroy" }, running);
        assert.deepStrictEqual([wake.from, full.from], ["hibernated", "nothing"]);
        assert.ok(wake.predictedSeconds <= 600 && full.predictedSeconds > 1800, `${wake.predictedSeconds} ${full.predictedSeconds}`);
        assert.deepStrictEqual([withSpinUpLead(berlin, wake.predictedSeconds).spinUpLeadMinutes, withSpinUpLead(berlin, full.predictedSeconds).spinUpLeadMinutes], [25, 50]);
    });

    for (const [seconds, margin, lead] of [[1922, 15, 50], [0, 0, 0], [1800, 0, 30], [1801, 0, 35], [1618, 15, 45]] as const) {
        it(`starts ${lead} min early for a predicted ${seconds} s spin-up and a ${margin} min margin`, () => {
            assert.strictEqual(spinUpLeadMinutes(seconds, margin), lead);
        });
    }

    it("takes the margin from the schedule (15 min when unset)", () => {
        assert.strictEqual(withSpinUpLead({ ...berlin, readyMarginMinutes: undefined }, 1922).spinUpLeadMinutes, 50);
        assert.strictEqual(withSpinUpLead({ ...berlin, readyMarginMinutes: 30 }, 1922).spinUpLeadMinutes, 65);
    });
});

describe("ready on time across time zones and daylight-saving changes", () => {
    const schedule = led(berlin, 50);
    const cases: [string, boolean, string][] = [
        ["2026-11-23T05:09:00Z", false, "winter Monday, 06:09 CET: before the lead"],
        ["2026-11-23T05:10:00Z", true, "winter Monday, 06:10 CET: the spin-up starts"],
        ["2026-07-06T04:09:00Z", false, "summer Monday, 06:09 CEST"],
        ["2026-07-06T04:10:00Z", true, "summer Monday, 06:10 CEST"],
        ["2026-03-30T04:10:00Z", true, "the first CEST Monday after the spring change"],
        ["2026-10-26T04:10:00Z", false, "the first CET Monday after the autumn change: 05:10 local"],
        ["2026-10-26T05:10:00Z", true, "the first CET Monday after the autumn change: 06:10 local"],
        ["2026-11-28T05:10:00Z", false, "a Saturday: no working day follows the lead"],
    ];
    for (const [iso, expected, what] of cases) {
        it(`${expected ? "spins up" : "stays down"} at ${iso} (${what})`, () => assert.strictEqual(up(iso, schedule), expected));
    }

    it("names the lead and the start it serves in the decision", () => {
        assert.match(decide(new Date("2026-11-23T05:10:00Z"), schedule).reason, /the spin-up starts 50 min ahead so the stack serves at Mon 2026-11-23 07:00 Europe\/Berlin/);
    });

    it("spins up the evening before when the lead crosses midnight, and not before a holiday", () => {
        const early = led({ ...berlin, start: "00:30", holidays: ["2026-11-25"] }, 50);
        // Monday 00:30 CET is Sunday 23:30Z; the spin-up starts 22:40Z on Sunday.
        assert.strictEqual(up("2026-11-22T22:39:00Z", early), false);
        assert.strictEqual(up("2026-11-22T22:40:00Z", early), true);
        // Tuesday 23:40 CET leads into the holiday Wednesday: down.
        assert.strictEqual(up("2026-11-24T22:40:00Z", early), false);
        const monday = utcCronEntries(early, new Date("2026-11-23T00:00:00Z")).filter((e) => e.trigger === "spin-up" && e.offset === "+01:00");
        assert.deepStrictEqual(monday.map((e) => e.cron), ["40 22 * * 0-4"]);
    });

    const ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"];
    for (const zone of ZONES) {
        it(`has a cron entry at the lead before every working day's start for a year in ${zone}, and the stack serves at start`, () => {
            const s = led({ ...berlin, timeZone: zone, start: "06:45" }, 55);
            const from = new Date("2026-01-01T00:00:00Z");
            const entries = utcCronEntries(s, from).filter((e) => e.trigger === "spin-up");
            const fires = (t: Date) => entries.some((e) => {
                const [minute, hour, , , days] = e.cron.split(" ");
                const dayList = days.split(",").flatMap((part) => {
                    const [a, b] = part.split("-").map(Number);
                    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
                });
                return Number(minute) === t.getUTCMinutes() && Number(hour) === t.getUTCHours() && dayList.includes(t.getUTCDay());
            });
            const slots = upcomingSpinUps(s, 1800, from, 365);
            assert.ok(slots.length > 250, `${slots.length} working days`);
            for (const slot of slots) {
                assert.strictEqual(slot.serveAt.getTime() - slot.startsAt.getTime(), 55 * 60_000, slot.date);
                assert.strictEqual(localTime(slot.serveAt, zone).minutes, clockMinutes("06:45"), `${slot.date} serves at 06:45 local`);
                assert.ok(fires(slot.startsAt), `no spin-up entry at ${slot.startsAt.toISOString()} for ${slot.date}`);
                assert.ok(decide(slot.startsAt, s).desired === "up" && decide(new Date(slot.startsAt.getTime() - 60_000), s).desired === "down", slot.date);
                assert.ok(slot.readyAt.getTime() <= slot.serveAt.getTime());
            }
        });
    }

    it("steps by calendar date: decided late on the Saturday before the spring change, Sunday (the 23-hour day) is not skipped", () => {
        const s = { ...berlin, workingDays: ["sun", "mon"] as Weekday[], holidays: [] };
        // Sat 2026-03-28 23:30 in Berlin (UTC+01:00); the clocks go forward on Sun 29 March.
        const slots = upcomingSpinUps(s, 0, new Date("2026-03-28T22:30:00Z"), 3);
        assert.deepStrictEqual(slots.map((x) => x.date), ["2026-03-29", "2026-03-30"]);
    });

    it("reads a local wall-clock time as its instant on both sides of a change", () => {
        assert.strictEqual(localInstant("2026-03-29", clockMinutes("07:00"), "Europe/Berlin").toISOString(), "2026-03-29T05:00:00.000Z");
        assert.strictEqual(localInstant("2026-03-28", clockMinutes("07:00"), "Europe/Berlin").toISOString(), "2026-03-28T06:00:00.000Z");
        assert.strictEqual(localInstant("2026-10-25", clockMinutes("07:00"), "Europe/Berlin").toISOString(), "2026-10-25T06:00:00.000Z");
    });

    it("lists the week's spin-ups with their start and predicted ready time, holidays left out", () => {
        const s = led({ ...berlin, holidays: ["2026-11-25"] }, 50);
        const estimate = { predictedSeconds: 1922, from: "nothing", to: "running" } as TransitionEstimate;
        const text = formatReadyOnTime(s, estimate, new Date("2026-11-23T00:00:00Z"));
        assert.match(text, /predicted spin-up 32m 02s \(nothing -> running\) \+ margin 15 min, rounded up to 5: starts 50 min before 07:00/);
        assert.match(text, /Mon 2026-11-23 07:00 Europe\/Berlin \(UTC\+01:00\): spin-up starts 06:10, predicted ready 06:42/);
        assert.doesNotMatch(text, /2026-11-25/);
        assert.strictEqual(text.split("\n").length, 1 + 4);
    });
});

describe("the scheduled stacks' leads", () => {
    for (const stack of stackNames(undefined, "dev")) {
        it(`start ${stack} early enough to serve at its start`, async function () {
            this.timeout(120_000);
            const ready = await loadReadySchedule(ROOT, stack);
            const lead = ready.schedule.spinUpLeadMinutes!;
            assert.ok(lead * 60 >= ready.spinUp.predictedSeconds + 15 * 60, `${lead} min for ${ready.spinUp.predictedSeconds} s`);
            assert.ok(lead - 5 < ready.spinUp.predictedSeconds / 60 + 15, "the lead is rounded up by less than 5 minutes");
        });
    }
});
