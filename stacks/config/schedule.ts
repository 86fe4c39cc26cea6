/**
 * `intergalactic:schedule`: when the scheduler keeps a dev stack up. Stacks
 * without the section are never schedulable, so prod is safe by omission.
 */
import { ConfigObject } from "./reader";

/** A day of the week, in the schedule's own time zone. */
export const Weekday = {
    Mon: "mon",
    Tue: "tue",
    Wed: "wed",
    Thu: "thu",
    Fri: "fri",
    Sat: "sat",
    Sun: "sun",
} as const;
export type Weekday = (typeof Weekday)[keyof typeof Weekday];
/** Sunday first, matching `Date.getUTCDay()` and cron's day-of-week numbers. */
export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** What the scheduler does to a stack outside its hours. */
export const Teardown = {
    /** Delete everything but retained keys and final snapshots (the default). */
    Destroy: "destroy",
    /** Keep what is slow to create and cheap to keep, stop or remove what costs by the hour. */
    Hibernate: "hibernate",
} as const;
export type Teardown = (typeof Teardown)[keyof typeof Teardown];

/**
 * Which plan the stack program builds (`intergalactic:schedule.mode`). The scheduler writes it for its
 * own `up`s of a stack with `teardown: hibernate`; a person's `up` leaves it out and gets `running`.
 */
export const ScheduleMode = {
    /** Everything up; the node groups' sizes are the cluster autoscaler's (the default). */
    Running: "running",
    /** Hibernated: what costs by the hour and holds no data removed or at zero (see `stacks/hibernation.ts`). */
    Hibernated: "hibernated",
    /** The running plan, with the node counts hibernation set to zero written back (the wake-up's `up`). */
    Waking: "waking",
} as const;
export type ScheduleMode = (typeof ScheduleMode)[keyof typeof ScheduleMode];

export interface ScheduleConfig {
    /** Only a stack marked schedulable may be spun up or torn down by the scheduler. */
    readonly schedulable: boolean;
    /** IANA time zone the working hours are in, e.g. `Europe/Berlin`. */
    readonly timeZone: string;
    readonly workingDays: readonly Weekday[];
    /** Local wall-clock time the stack must be up by, `HH:MM`. */
    readonly start: string;
    /** Local wall-clock time after which the stack goes down, `HH:MM` (`24:00` = midnight). */
    readonly stop: string;
    /** Local dates (`YYYY-MM-DD`) on which the stack stays down. */
    readonly holidays: readonly string[];
    /** An instant (ISO 8601 with `Z` or an offset) until which the stack stays up whatever the hours say; "" for none. */
    readonly keepUpUntil: string;
    /**
     * Minutes added to the stack's predicted spin-up to start it early enough to serve at `start`
     * (a scheduled run starts late under load, the runner installs first).
     * @default 15
     */
    readonly readyMarginMinutes?: number;
    /**
     * What happens outside the hours: `destroy` (everything but retained keys and final snapshots goes)
     * or `hibernate` (an `up` of the hibernated plan the program builds, `intergalactic:schedule.mode`,
     * `stacks/hibernation.ts`; the spin-up is an `up` in `waking` mode).
     * @default "destroy"
     */
    readonly teardown?: Teardown;
    /**
     * Set by the scheduler, not by hand: `running`, `hibernated` or `waking` (see {@link ScheduleMode}).
     * The one key of this section the stack program reads. Only a schedulable stack may hibernate.
     * @default "running"
     */
    readonly mode?: ScheduleMode;
    /**
     * Derived, not a config key: minutes before `start` the spin-up begins, the predicted spin-up plus
     * `readyMarginMinutes` rounded up to 5 minutes (`scheduler/readyOnTime.ts`). Absent or 0: at `start`.
     */
    readonly spinUpLeadMinutes?: number;
}

export const ScheduleDefaults = {
    schedulable: false,
    timeZone: "UTC",
    workingDays: ["mon", "tue", "wed", "thu", "fri"] as readonly Weekday[],
    start: "07:00",
    stop: "19:00",
    readyMarginMinutes: 15,
} as const;

/** The largest margin: a lead longer than a few hours means the estimate or the schedule is wrong. */
export const MAX_READY_MARGIN_MINUTES = 240;

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An instant must carry its zone: a bare local time would be read in the runner's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Minutes after local midnight for `HH:MM`. */
export function clockMinutes(clock: string): number {
    const [h, m] = clock.split(":").map(Number);
    return h * 60 + m;
}

export function isTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

function isCalendarDate(text: string): boolean {
    const m = DATE.exec(text);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === text;
}

export function parseSchedule(obj: ConfigObject): ScheduleConfig {
    const key = (name: string) => `${obj.path}.${name}`;
    const p = obj.problems;
    const config: ScheduleConfig = {
        schedulable: obj.boolean("schedulable", ScheduleDefaults.schedulable),
        timeZone: obj.string("timeZone", ScheduleDefaults.timeZone),
        workingDays: obj.stringList("workingDays", ScheduleDefaults.workingDays) as Weekday[],
        start: obj.string("start", ScheduleDefaults.start),
        stop: obj.string("stop", ScheduleDefaults.stop),
        holidays: obj.stringList("holidays", []),
        keepUpUntil: obj.string("keepUpUntil", ""),
        readyMarginMinutes: obj.integer("readyMarginMinutes", ScheduleDefaults.readyMarginMinutes, 0, MAX_READY_MARGIN_MINUTES),
        teardown: obj.string("teardown", Teardown.Destroy) as Teardown,
        mode: obj.string("mode", ScheduleMode.Running) as ScheduleMode,
    };
    obj.rejectUnknownKeys();

    p.check(isTimeZone(config.timeZone), key("timeZone"), config.timeZone, "is not an IANA time zone such as Europe/Berlin or UTC");
    for (const day of config.workingDays) p.oneOf(key("workingDays"), day, WEEKDAYS);
    p.check(new Set(config.workingDays).size === config.workingDays.length, key("workingDays"), config.workingDays, "must not repeat a day");
    p.check(!config.schedulable || config.workingDays.length > 0, key("workingDays"), config.workingDays,
        "must name at least one day for a schedulable stack (set schedulable: false to keep it down instead)");
    const startOk = p.check(CLOCK.test(config.start) && config.start !== "24:00", key("start"), config.start, "must be a time HH:MM from 00:00 to 23:59");
    const stopOk = p.check(CLOCK.test(config.stop), key("stop"), config.stop, "must be a time HH:MM from 00:01 to 24:00");
    if (startOk && stopOk) {
        p.check(clockMinutes(config.stop) > clockMinutes(config.start), key("stop"), config.stop,
            `must be later than start ${config.start}: windows across midnight are not supported`);
    }
    for (const day of config.holidays) p.check(isCalendarDate(day), key("holidays"), day, "must be a calendar date YYYY-MM-DD");
    if (config.keepUpUntil !== "") {
        p.check(INSTANT.test(config.keepUpUntil) && !Number.isNaN(Date.parse(config.keepUpUntil)), key("keepUpUntil"), config.keepUpUntil,
            "must be an ISO 8601 instant with Z or an offset, e.g. 2026-11-27T22:00:00+01:00");
    }
    if (p.oneOf(key("mode"), config.mode ?? ScheduleMode.Running, Object.values(ScheduleMode))) {
        p.check(config.mode === ScheduleMode.Running || config.schedulable, key("mode"), config.mode,
            "is only for a schedulable stack (schedulable: true): the scheduler sets it when it hibernates or wakes the stack");
    }
    p.oneOf(key("teardown"), config.teardown ?? Teardown.Destroy, Object.values(Teardown));
    return config;
}
