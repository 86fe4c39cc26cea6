/**
 * What of a stack's data outlives a teardown, checked across sections once the
 * cloud is known: a setting that would report data as kept when the cloud keeps
 * none is an error naming the key, not a silent no-op.
 */
import { PerCloud, Problems, show } from "../../components/common";
import type { StackConfig } from "./index";
import { ScheduleConfig, WEEKDAYS, clockMinutes } from "./schedule";

const NAMESPACE = "intergalactic";

export function checkDataLifetime(config: StackConfig, problems: Problems): void {
    checkRestoreWindow(config, problems);
    const key = (path: string) => `${NAMESPACE}:${path}`;
    const stores = [config.redis.enabled ? config.redis.name : undefined, config.mongo.enabled ? config.mongo.name : undefined].filter((n): n is string => n !== undefined);
    // Azure-only refusals (Azure Managed Redis snapshots and restores) are in keys.ts and stackRules.ts.
    const keys = ENCRYPTION_KEYS[config.cloud];
    for (const [name, value] of Object.entries(config.snapshots.encryptionKeys)) {
        if (keys.why !== undefined) problems.add(`${key(`snapshots.encryptionKeys.${name}`)}: ${show(value)} ${keys.why}`);
        else problems.check(stores.includes(name), key(`snapshots.encryptionKeys.${name}`), value, `names no data store of this stack (${stores.join(", ") || "none"})`);
    }
}

/** Per cloud, whether its data stores take a retained encryption key, and why not when they do not. */
const ENCRYPTION_KEYS: PerCloud<{ readonly why?: string }> = {
    aws: {},
    azure: { why: "is only for aws: Azure data stores encrypt with service-managed keys" },
};

/** Per cloud, the days a deleted store stays restorable by the store's retention, or undefined when a snapshot outlives it without a window. */
const RESTORE_WINDOW_DAYS: PerCloud<((retentionDays: number) => number) | undefined> = {
    // A DocumentDB final snapshot is kept until someone deletes it.
    aws: undefined,
    // Cosmos DB continuous backup: Continuous7Days up to 7 days of retention, Continuous30Days above.
    azure: (retentionDays) => (retentionDays <= 7 ? 7 : 30),
};

/**
 * The longest time, in hours of local wall clock (a daylight-saving change adds or takes one), the
 * schedule keeps the stack down: from `stop` on a working day to `start` on the next one, over the
 * weekly pattern and every listed holiday. Infinity when no day is a working day.
 */
export function longestScheduledDowntimeHours(schedule: ScheduleConfig): number {
    if (schedule.workingDays.length === 0) return Infinity;
    const holidays = new Set(schedule.holidays);
    const dayMs = 24 * 3600 * 1000;
    // Two weeks around every holiday, and two ordinary weeks, cover every gap the schedule can make.
    const anchors = [...schedule.holidays.map((d) => Date.parse(`${d}T00:00:00Z`)).filter((t) => !Number.isNaN(t)), Date.UTC(2026, 0, 5)];
    const working = (t: number) => schedule.workingDays.includes(WEEKDAYS[new Date(t).getUTCDay()]) && !holidays.has(new Date(t).toISOString().slice(0, 10));
    const dayHours = (clockMinutes(schedule.stop) - clockMinutes(schedule.start)) / 60;
    let longest = 0;
    for (const anchor of anchors) {
        let previous: number | undefined;
        for (let t = anchor - 21 * dayMs; t <= anchor + 21 * dayMs; t += dayMs) {
            if (!working(t)) continue;
            if (previous !== undefined) longest = Math.max(longest, ((t - previous) / dayMs) * 24 - dayHours);
            previous = t;
        }
    }
    return longest;
}

/**
 * How long before a deleted Cosmos DB account's restore window ends the next scheduled spin-up must start: the one
 * margin of both the config check below and the scheduler's teardown (scheduler/restoreWindow.ts). 24 h: a spin-up
 * that fails is rerun by a person that day or by the next morning's run, which must still fall inside the window;
 * 2 h more for a scheduled run that starts late (GitHub delays scheduled runs "during periods of high loads" and may
 * drop them, naming no bound:
 * https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule).
 */
export const RESTORE_MARGIN_HOURS = 26;

/**
 * The one rule for a restore window: the next spin-up, `hoursToSpinUp` after the deletion, starts at least
 * RESTORE_MARGIN_HOURS before a `windowDays` window counted from that deletion ends.
 */
export function spinUpInRestoreWindow(hoursToSpinUp: number, windowDays: number): boolean {
    return hoursToSpinUp + RESTORE_MARGIN_HOURS <= windowDays * 24;
}

/**
 * Cosmos DB restores a deleted account only to a point within its continuous-backup window (7 or 30 days)
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction): a scheduled downtime
 * as long as the window would start the store empty after it, with nothing reporting the loss.
 */
export function checkRestoreWindow(config: StackConfig, problems: Problems): void {
    const window = RESTORE_WINDOW_DAYS[config.cloud];
    if (window === undefined || !config.mongo.enabled || !config.schedule.schedulable) return;
    const windowDays = window(config.mongo.backupRetentionDays);
    const downtime = longestScheduledDowntimeHours(config.schedule);
    // As the teardown measures it: from the deletion (the teardown, at `stop` or later) to the spin-up's start, the
    // lead before `start`; an hour more when a daylight-saving change lengthens the wall-clock gap.
    const toSpinUp = downtime + 1 - (config.schedule.spinUpLeadMinutes ?? 0) / 60;
    if (spinUpInRestoreWindow(toSpinUp, windowDays)) return;
    const shown = Number.isFinite(downtime) ? `${Math.round(downtime)} hours` : "forever (no working days)";
    problems.add(`${NAMESPACE}:mongo.backupRetentionDays: ${config.mongo.backupRetentionDays} gives a ${windowDays}-day restore window, ` +
        `but ${NAMESPACE}:schedule keeps the stack down up to ${shown}: a deleted Cosmos DB account is restorable only within the window, ` +
        `and the next spin-up must start ${RESTORE_MARGIN_HOURS} h before it ends (the teardown refuses otherwise); ` +
        `${windowDays === 7 ? "set backupRetentionDays above 7 (Continuous30Days) or " : ""}shorten the longest run of holidays`);
}
