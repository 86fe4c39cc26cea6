import * as assert from "assert";
import { ScheduleConfig } from "../stacks/config/schedule";
import { costReport, formatReport } from "./report";

const berlin: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const monday = new Date("2026-11-23T00:00:00Z");

describe("costReport", () => {
    it("counts 60 hours a week for weekdays 07:00-19:00, saving 64.3% of always-on hours", () => {
        const report = costReport(berlin, monday);
        assert.strictEqual(report.nominalHoursUp, 60);
        assert.strictEqual(report.nextWeekHoursUp, 60);
        assert.strictEqual(report.savedShare.toFixed(3), "0.643");
        assert.match(formatReport("dev", berlin, report, monday), /Up 60\.0 h per week of 168 h; saves 108\.0 h, 64\.3% of always-on hours\./);
    });

    it("takes holidays and keepUpUntil into account for the coming week", () => {
        const report = costReport({ ...berlin, holidays: ["2026-11-25"], keepUpUntil: "2026-11-23T03:00:00Z" }, monday);
        // One holiday (-12 h) and kept up for the first 3 hours of the week, before the schedule starts (+3 h).
        assert.strictEqual(report.nextWeekHoursUp, 51);
        assert.strictEqual(report.nominalHoursUp, 60);
    });
});
