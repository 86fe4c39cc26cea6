import * as assert from "assert";
import fc from "fast-check";
import { ScheduleConfig } from "../stacks/config/schedule";
import { decide } from "./decide";

const berlin: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const at = (iso: string, schedule: ScheduleConfig = berlin) => decide(new Date(iso), schedule);

describe("decide", () => {
    describe("a Monday 07:00 start in Europe/Berlin across the DST changes", () => {
        const cases: [string, string, "up" | "down", string][] = [
            // The week before the March change Berlin is UTC+01:00: 07:00 local is 06:00Z.
            ["2026-03-23T05:30:00Z", "06:30 CET", "down", "+01:00"],
            ["2026-03-23T06:00:00Z", "07:00 CET", "up", "+01:00"],
            // From 29 March Berlin is UTC+02:00: 07:00 local is 05:00Z.
            ["2026-03-30T04:59:00Z", "06:59 CEST", "down", "+02:00"],
            ["2026-03-30T05:00:00Z", "07:00 CEST", "up", "+02:00"],
            ["2026-03-30T05:30:00Z", "07:30 CEST", "up", "+02:00"],
            // The week before the October change: still summer time.
            ["2026-10-19T05:00:00Z", "07:00 CEST", "up", "+02:00"],
            // From 25 October back to UTC+01:00: 05:00Z is only 06:00 local.
            ["2026-10-26T05:00:00Z", "06:00 CET", "down", "+01:00"],
            ["2026-10-26T06:00:00Z", "07:00 CET", "up", "+01:00"],
        ];
        for (const [iso, local, desired, offset] of cases) {
            it(`wants the stack ${desired} at ${iso} (${local})`, () => {
                const decision = at(iso);
                assert.strictEqual(decision.desired, desired);
                assert.ok(decision.local.includes(`UTC${offset}`), decision.local);
            });
        }
    });

    it("opens a window whose start falls into the spring-forward gap at the first instant after it", () => {
        const sunday: ScheduleConfig = { ...berlin, workingDays: ["sun"], start: "02:30", stop: "06:00" };
        // 29 March 2026: 01:59 CET is followed by 03:00 CEST; 02:30 never happens on the wall clock.
        assert.strictEqual(at("2026-03-29T00:59:00Z", sunday).desired, "down");
        assert.strictEqual(at("2026-03-29T01:00:00Z", sunday).desired, "up");
    });

    it("counts start as inside and stop as outside the working hours", () => {
        assert.strictEqual(at("2026-11-30T06:00:00Z").desired, "up");
        assert.strictEqual(at("2026-11-30T17:59:00Z").desired, "up");
        assert.strictEqual(at("2026-11-30T18:00:00Z").desired, "down");
    });

    it("wants the stack down on a Saturday and says why", () => {
        const decision = at("2026-11-28T10:00:00Z");
        assert.strictEqual(decision.desired, "down");
        assert.match(decision.reason, /Saturday is not a working day/);
        assert.strictEqual(decision.local, "Sat 2026-11-28 11:00 Europe/Berlin (UTC+01:00)");
    });

    it("wants the stack up early on Monday 30 November (06:30Z is 07:30 in Berlin)", () => {
        const decision = at("2026-11-30T06:30:00Z");
        assert.strictEqual(decision.desired, "up");
        assert.match(decision.reason, /inside the working hours 07:00-19:00/);
    });

    it("keeps the stack down on a holiday, judged by the date in the schedule's zone", () => {
        const holidays: ScheduleConfig = { ...berlin, start: "00:00", stop: "24:00", holidays: ["2026-12-25"] };
        // 24 December 23:30Z is already 25 December 00:30 in Berlin.
        assert.strictEqual(at("2026-12-24T22:30:00Z", holidays).desired, "up");
        const decision = at("2026-12-24T23:30:00Z", holidays);
        assert.strictEqual(decision.desired, "down");
        assert.match(decision.reason, /2026-12-25 is a holiday/);
    });

    it("keeps the stack up until keepUpUntil, even on a weekend or a holiday, then lets the schedule decide", () => {
        const override: ScheduleConfig = { ...berlin, holidays: ["2026-11-28"], keepUpUntil: "2026-11-28T22:00:00+01:00" };
        const before = at("2026-11-28T20:59:00Z", override);
        assert.strictEqual(before.desired, "up");
        assert.match(before.reason, /keepUpUntil 2026-11-28T22:00:00\+01:00 has not passed yet/);
        assert.strictEqual(at("2026-11-28T21:00:00Z", override).desired, "down");
    });

    it("handles zones with half-hour offsets and other DST rules", () => {
        const kolkata: ScheduleConfig = { ...berlin, timeZone: "Asia/Kolkata", start: "09:00", stop: "18:00" };
        assert.strictEqual(at("2026-11-30T03:29:00Z", kolkata).desired, "down"); // 08:59 IST
        assert.strictEqual(at("2026-11-30T03:30:00Z", kolkata).desired, "up"); // 09:00 IST
        const newYork: ScheduleConfig = { ...berlin, timeZone: "America/New_York", start: "08:00" };
        // US DST starts 8 March 2026, three weeks before Europe's.
        assert.strictEqual(at("2026-03-09T12:00:00Z", newYork).desired, "up"); // 08:00 EDT
        assert.strictEqual(at("2026-03-02T12:00:00Z", newYork).desired, "down"); // 07:00 EST
    });

    it("agrees with plain UTC arithmetic for a UTC schedule at any instant", () => {
        const utc: ScheduleConfig = { ...berlin, timeZone: "UTC", start: "06:00", stop: "20:00" };
        fc.assert(fc.property(fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true }), (d) => {
            const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
            const weekday = d.getUTCDay();
            const expected = weekday >= 1 && weekday <= 5 && minutes >= 360 && minutes < 1200 ? "up" : "down";
            return decide(d, utc).desired === expected;
        }), { numRuns: 300 });
    });
});
