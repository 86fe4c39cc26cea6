/**
 * UTC cron entries for the spin-up and teardown of a schedule.
 *
 * GitHub Actions and Pulumi Deployments read cron in UTC only, while the
 * schedule is in local wall-clock time. Across a DST change the UTC time of
 * "07:00 Berlin" moves by an hour, so we emit one entry per UTC offset the
 * zone uses in the coming year (two for Berlin). Every entry runs the
 * reconciler, which decides from the real local time: the entry of the
 * offset not in force lands an hour early or late, finds the stack already
 * in the wanted state (or still inside/outside the hours) and changes nothing.
 */
import { ScheduleConfig, WEEKDAYS, clockMinutes } from "../stacks/config/schedule";
import { formatOffset, offsetsInYear } from "./zonedTime";

export const Trigger = {
    SpinUp: "spin-up",
    Teardown: "teardown",
} as const;
export type Trigger = (typeof Trigger)[keyof typeof Trigger];

export interface CronEntry {
    /** Five-field cron in UTC, e.g. `0 6 * * 1-5`. */
    readonly cron: string;
    readonly trigger: Trigger;
    /** Which UTC offset of the zone this entry is right for, e.g. `+01:00`. */
    readonly offset: string;
}

const MINUTES_PER_DAY = 24 * 60;

/** Cron day-of-week list with consecutive days folded into ranges: `1-5`, `0,6`. */
export function cronDays(days: readonly number[]): string {
    const sorted = [...new Set(days)].sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < sorted.length; i++) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(","));
        i = j;
    }
    return parts.join(",");
}

function entriesFor(trigger: Trigger, localMinutes: number, schedule: ScheduleConfig, offset: number): CronEntry[] {
    // Group the working days by UTC minute-of-day: a shift across midnight moves some days but not their minute.
    const byMinute = new Map<number, number[]>();
    for (const day of schedule.workingDays) {
        const utc = localMinutes - offset;
        const shift = Math.floor(utc / MINUTES_PER_DAY);
        const minuteOfDay = utc - shift * MINUTES_PER_DAY;
        const utcDay = (WEEKDAYS.indexOf(day) + shift + 7) % 7;
        byMinute.set(minuteOfDay, [...(byMinute.get(minuteOfDay) ?? []), utcDay]);
    }
    return [...byMinute.entries()].map(([minute, days]) => ({
        cron: `${minute % 60} ${Math.floor(minute / 60)} * * ${cronDays(days)}`,
        trigger,
        offset: formatOffset(offset),
    }));
}

/** The UTC cron entries for a schedule, for every offset its zone uses in the year after `from`. */
export function utcCronEntries(schedule: ScheduleConfig, from: Date): CronEntry[] {
    const entries: CronEntry[] = [];
    for (const offset of offsetsInYear(schedule.timeZone, from)) {
        // The spin-up starts its lead before `start` (possibly the evening before), so the stack serves at `start`.
        entries.push(...entriesFor(Trigger.SpinUp, clockMinutes(schedule.start) - (schedule.spinUpLeadMinutes ?? 0), schedule, offset));
        entries.push(...entriesFor(Trigger.Teardown, clockMinutes(schedule.stop), schedule, offset));
    }
    const seen = new Set<string>();
    return entries.filter((e) => !seen.has(`${e.trigger} ${e.cron}`) && seen.add(`${e.trigger} ${e.cron}`));
}

/** Human-readable lines, one per entry. */
export function describeCron(entries: readonly CronEntry[]): string {
    return [
        ...entries.map((e) => `${e.cron.padEnd(18)} ${e.trigger.padEnd(9)} (right while the zone is at UTC${e.offset})`),
        "Every entry runs the reconciler, which decides from the local time: an entry for an offset not in force changes nothing.",
    ].join("\n");
}
