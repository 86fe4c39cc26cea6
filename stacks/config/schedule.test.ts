import * as assert from "assert";
import * as path from "path";
import { InvalidArgumentsError, Problems } from "../../components/common/validation";
import { loadStackFiles } from "../../engine/stackFiles";
import { parseStackConfig } from "./index";
import { ConfigObject } from "./reader";
import { ScheduleConfig, parseSchedule } from "./schedule";
import { stackNames } from "../../engine/testing/plan";

const ROOT = path.resolve(__dirname, "../..");

function parse(value: Record<string, unknown>): ScheduleConfig {
    const problems = new Problems("stack config");
    const config = parseSchedule(new ConfigObject("intergalactic:schedule", value, problems));
    problems.throwIfAny();
    return config;
}

function problemsOf(value: Record<string, unknown>): readonly string[] {
    try {
        parse(value);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError);
        return err.problems;
    }
    assert.fail("expected the schedule to be rejected");
}

describe("intergalactic:schedule", () => {
    it("is not schedulable when the section is absent", () => {
        const config = parse({});
        assert.strictEqual(config.schedulable, false);
        assert.deepStrictEqual(config.workingDays, ["mon", "tue", "wed", "thu", "fri"]);
        assert.strictEqual(config.keepUpUntil, "");
    });

    it("reads teardown: hibernate", () => {
        assert.strictEqual(parse({ schedulable: true, teardown: "hibernate" }).teardown, "hibernate");
    });

    it("reads a full schedule", () => {
        const config = parse({
            schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "fri"], start: "06:30", stop: "24:00",
            holidays: ["2026-12-24"], keepUpUntil: "2026-11-27T22:00:00+01:00",
        });
        assert.deepStrictEqual(config, {
            schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "fri"], start: "06:30", stop: "24:00",
            holidays: ["2026-12-24"], keepUpUntil: "2026-11-27T22:00:00+01:00", readyMarginMinutes: 15, teardown: "destroy", mode: "running",
        });
        assert.strictEqual(parse({ readyMarginMinutes: 30 }).readyMarginMinutes, 30);
    });

    const rules: [string, Record<string, unknown>, string][] = [
        ["an unknown time zone", { timeZone: "Europe/Atlantis" }, 'intergalactic:schedule.timeZone: "Europe/Atlantis" is not an IANA time zone'],
        ["an unknown day", { workingDays: ["mon", "funday"] }, 'intergalactic:schedule.workingDays: "funday" is not allowed: use one of sun, mon'],
        ["a repeated day", { workingDays: ["mon", "mon"] }, 'intergalactic:schedule.workingDays: ["mon","mon"] must not repeat a day'],
        ["no days on a schedulable stack", { schedulable: true, workingDays: [] }, "intergalactic:schedule.workingDays: [] must name at least one day"],
        ["a start that is not a time", { start: "7am" }, 'intergalactic:schedule.start: "7am" must be a time HH:MM from 00:00 to 23:59'],
        ["a stop that is not a time", { stop: "25:00" }, 'intergalactic:schedule.stop: "25:00" must be a time HH:MM from 00:01 to 24:00'],
        ["a stop before the start", { start: "19:00", stop: "07:00" }, 'intergalactic:schedule.stop: "07:00" must be later than start 19:00'],
        ["a holiday that is not a date", { holidays: ["2026-02-30"] }, 'intergalactic:schedule.holidays: "2026-02-30" must be a calendar date YYYY-MM-DD'],
        ["an override without a zone", { keepUpUntil: "2026-11-27T22:00" }, 'intergalactic:schedule.keepUpUntil: "2026-11-27T22:00" must be an ISO 8601 instant with Z or an offset'],
        ["a margin that is not a number", { readyMarginMinutes: "soon" }, 'intergalactic:schedule.readyMarginMinutes: "soon" must be a number'],
        ["a negative margin", { readyMarginMinutes: -5 }, "intergalactic:schedule.readyMarginMinutes: -5 must be"],
        ["a margin of more than 4 hours", { readyMarginMinutes: 300 }, "intergalactic:schedule.readyMarginMinutes: 300 must be"],
        ["a margin of part of a minute", { readyMarginMinutes: 2.5 }, "intergalactic:schedule.readyMarginMinutes: 2.5 must be"],
        ["an unknown teardown", { teardown: "pause" }, 'intergalactic:schedule.teardown: "pause" is not allowed: use one of destroy, hibernate'],
        ["an unknown mode", { schedulable: true, mode: "asleep" }, 'intergalactic:schedule.mode: "asleep" is not allowed: use one of running, hibernated, waking'],
        ["a mode on a stack that is not schedulable", { mode: "hibernated" }, 'intergalactic:schedule.mode: "hibernated" is only for a schedulable stack'],
        ["an unknown key", { timezone: "UTC" }, "intergalactic:schedule.timezone: unknown key"],
        ["a flag that is not a boolean", { schedulable: "yes" }, 'intergalactic:schedule.schedulable: "yes" must be true or false'],
    ];
    for (const [what, value, message] of rules) {
        it(`rejects ${what}, naming the key, the value and the rule`, () => {
            const problems = problemsOf(value);
            assert.ok(problems.some((p) => p.startsWith(message)), problems.join("\n"));
        });
    }

    it("lists every problem at once", () => {
        assert.strictEqual(problemsOf({ timeZone: "Nowhere", start: "x", holidays: ["y"] }).length, 3);
    });

    it("marks the dev stacks schedulable and leaves the prod stacks without a schedule", () => {
        for (const stack of stackNames()) {
            const config = parseStackConfig(loadStackFiles(ROOT, stack).config);
            assert.strictEqual(config.schedule.schedulable, config.environment === "dev", stack);
        }
    });
});
