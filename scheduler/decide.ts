/**
 * The schedule decision: given an instant and a schedule, should the stack be
 * up or down, and why. Pure, so every time zone and DST case is a table test.
 */
import { ScheduleConfig, clockMinutes } from "../stacks/config/schedule";
import { describeLocal, formatClock, localTime } from "./zonedTime";

/** The state a stack should be in, or is in. */
export const StackState = {
    Up: "up",
    Down: "down",
} as const;
export type StackState = (typeof StackState)[keyof typeof StackState];

export interface Decision {
    readonly desired: StackState;
    /** One sentence a person can check against the schedule. */
    readonly reason: string;
    /** The instant rendered in the schedule's zone, e.g. `Mon 2026-11-30 07:30 Europe/Berlin (UTC+01:00)`. */
    readonly local: string;
}

const DAY_NAMES: Record<string, string> = {
    mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday",
};

/**
 * Up inside the working hours, and from `spinUpLeadMinutes` before each start: the instant
 * `now + lead` falls inside the hours exactly when `now` is in the lead before a start (or inside
 * the hours), so the stack serves at `start` in real elapsed time, across DST changes too.
 */
export function decide(now: Date, schedule: ScheduleConfig): Decision {
    const atNow = decideAt(now, schedule);
    const lead = schedule.spinUpLeadMinutes ?? 0;
    if (atNow.desired === StackState.Up || lead <= 0) return atNow;
    const ahead = decideAt(new Date(now.getTime() + lead * 60_000), schedule);
    if (ahead.desired !== StackState.Up) return atNow;
    return { desired: StackState.Up, local: atNow.local, reason: `the spin-up starts ${lead} min ahead so the stack serves at ${ahead.local}: ${ahead.reason}` };
}

function decideAt(now: Date, schedule: ScheduleConfig): Decision {
    const local = localTime(now, schedule.timeZone);
    const at = describeLocal(local, schedule.timeZone);
    const result = (desired: StackState, reason: string): Decision => ({ desired, reason, local: at });

    // The override wins over everything, holidays included: someone asked for the stack tonight.
    if (schedule.keepUpUntil !== "" && now.getTime() < Date.parse(schedule.keepUpUntil)) {
        return result(StackState.Up, `keepUpUntil ${schedule.keepUpUntil} has not passed yet`);
    }
    if (schedule.holidays.includes(local.date)) {
        return result(StackState.Down, `${local.date} is a holiday`);
    }
    const dayName = DAY_NAMES[local.weekday];
    if (!schedule.workingDays.includes(local.weekday)) {
        return result(StackState.Down, `${dayName} is not a working day (working days: ${schedule.workingDays.join(", ")})`);
    }
    const hours = `${schedule.start}-${schedule.stop}`;
    if (local.minutes < clockMinutes(schedule.start)) {
        return result(StackState.Down, `${formatClock(local.minutes)} is before the working hours ${hours}`);
    }
    if (local.minutes >= clockMinutes(schedule.stop)) {
        return result(StackState.Down, `${formatClock(local.minutes)} is after the working hours ${hours}`);
    }
    return result(StackState.Up, `${dayName} ${formatClock(local.minutes)} is inside the working hours ${hours}`);
}
