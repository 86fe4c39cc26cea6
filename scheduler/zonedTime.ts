/**
 * Wall-clock time in an IANA time zone, through `Intl` (the platform's tz
 * database): no tz library, and DST rules stay as current as Node's ICU.
 */
import { WEEKDAYS, Weekday } from "../stacks/config/schedule";

/** The local calendar date, weekday and minutes after midnight of an instant in a zone. */
export interface LocalTime {
    /** `YYYY-MM-DD`. */
    readonly date: string;
    readonly weekday: Weekday;
    /** Minutes after local midnight, 0-1439. */
    readonly minutes: number;
    /** The zone's offset from UTC at this instant, in minutes (Berlin in winter: 60). */
    readonly offsetMinutes: number;
}

// Formatters are costly to build and the cost report asks for thousands of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
    let f = formatters.get(timeZone);
    if (!f) {
        f = new Intl.DateTimeFormat("en-US", {
            timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
            hour: "2-digit", minute: "2-digit", second: "2-digit",
        });
        formatters.set(timeZone, f);
    }
    return f;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
    const parts: Record<string, number> = {};
    for (const part of formatter(timeZone).formatToParts(instant)) {
        if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
    const date = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
    return {
        date: date.toISOString().slice(0, 10),
        weekday: WEEKDAYS[date.getUTCDay()],
        minutes: parts.hour * 60 + parts.minute,
        offsetMinutes: Math.round((wallAsUtc - wholeSeconds) / 60000),
    };
}

/** `+01:00` style. */
export function formatOffset(offsetMinutes: number): string {
    const sign = offsetMinutes < 0 ? "-" : "+";
    const abs = Math.abs(offsetMinutes);
    return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** `HH:MM` for minutes after midnight. */
export function formatClock(minutes: number): string {
    return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** E.g. `Sat 2026-11-28 11:00 Europe/Berlin (UTC+01:00)`. */
export function describeLocal(local: LocalTime, timeZone: string): string {
    const day = local.weekday[0].toUpperCase() + local.weekday.slice(1);
    return `${day} ${local.date} ${formatClock(local.minutes)} ${timeZone} (UTC${formatOffset(local.offsetMinutes)})`;
}

/** Every distinct UTC offset the zone uses in the year after `from`, sampled daily (DST rules change at most a few times a year). */
export function offsetsInYear(timeZone: string, from: Date): number[] {
    const offsets = new Set<number>();
    for (let day = 0; day < 366; day++) {
        offsets.add(localTime(new Date(from.getTime() + day * 86_400_000), timeZone).offsetMinutes);
    }
    return [...offsets].sort((a, b) => a - b);
}
