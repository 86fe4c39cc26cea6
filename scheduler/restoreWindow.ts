/**
 * A teardown deletes a store whose deletion keeps a restore window (a Cosmos DB account's continuous backup) only
 * when the schedule's next spin-up still falls inside it. A deleted account restores only within its tier's
 * retention period, 7 days for Continuous7Days and 30 for Continuous30Days, which cannot be changed
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction, "Current limitations").
 * The spin-up checks the window too (dataFlow.ts checkedAgainstCloud), but by then the data is gone: the teardown
 * is the last run that can still keep it, by not deleting.
 */
import { ScheduleConfig } from "../stacks/config/schedule";
import { upcomingSpinUps } from "./readyOnTime";
import { ReconcileError } from "./stackOps";
import { describeLocal, localTime } from "./zonedTime";

/**
 * How long before the window ends the next spin-up must start. A scheduled run may start late or not at all
 * (GitHub delays scheduled runs under load and may drop them,
 * https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule),
 * and a spin-up that fails is rerun by a person during the day it was to serve or by the next morning's run: a day
 * leaves that rerun inside the window.
 */
export const RESTORE_MARGIN_HOURS = 24;

/** The key that sets a Cosmos DB account's tier: more than 7 days gives Continuous30Days (components/mongo/mongoPlan.ts). */
export const RETENTION_KEY = "intergalactic:mongo.backupRetentionDays";

/** The longest window Azure keeps (Continuous30Days). */
const LONGEST_DAYS = 30;

/** A store a teardown is about to delete, and for how many days after its deletion it can be restored. */
export interface WindowedStore {
    readonly name: string;
    readonly days: number;
}

const tierOf = (days: number): string => (days <= 7 ? "Continuous7Days" : "Continuous30Days");
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The log lines of the stores whose window holds the next spin-up; throws, deleting nothing, when one does not.
 * `deletingAt`: the moment the deletion starts (the window is counted from it, and the point its restore goes
 * back to is no earlier); `decidedAt`: the instant the schedule was decided for, after which the next spin-up
 * is looked for, its lead (`spinUpLeadMinutes`) before `start` on the next working day that is no holiday.
 */
export function checkRestoreWindows(stores: readonly WindowedStore[], schedule: ScheduleConfig, deletingAt: Date, decidedAt: Date): string[] {
    if (stores.length === 0) return [];
    const next = upcomingSpinUps(schedule, 0, decidedAt, 366)[0];
    const lead = schedule.spinUpLeadMinutes ?? 0;
    const starts = next
        ? `the next scheduled spin-up starts ${next.startsAt.toISOString()} (${lead > 0 ? `${lead} min before ` : ""}${describeLocal(localTime(next.serveAt, schedule.timeZone), schedule.timeZone)})`
        : "no spin-up is scheduled in the coming year";
    const lines: string[] = [];
    const refused: string[] = [];
    for (const { name, days } of stores) {
        const until = new Date(deletingAt.getTime() + days * DAY_MS);
        const latest = new Date(until.getTime() - RESTORE_MARGIN_HOURS * HOUR_MS);
        const window = `${name} (${tierOf(days)}) is restorable for ${days} days after its deletion, until ${until.toISOString()}`;
        if (next && next.startsAt.getTime() <= latest.getTime()) lines.push(`teardown: ${window}; ${starts}, at least ${RESTORE_MARGIN_HOURS} h before`);
        else refused.push(`${window}, but ${starts}, later than ${latest.toISOString()} (${RESTORE_MARGIN_HOURS} h before the window ends)`);
    }
    if (refused.length === 0) return lines;
    const longer = stores.some((s) => s.days < LONGEST_DAYS) ? `set ${RETENTION_KEY} to ${LONGEST_DAYS} (Continuous30Days) and apply it with an \`up\`, or ` : "";
    throw new ReconcileError(`teardown refused: ${refused.join("; ")}; nothing was deleted.\n` +
        `  A deleted Cosmos DB account can be restored only within its continuous backup's window (7 or 30 days by tier), and the next spin-up must start ${RESTORE_MARGIN_HOURS} h before it ends: ` +
        `${longer}bring the next spin-up closer in intergalactic:schedule (holidays, workingDays), or list the store in intergalactic:snapshots.dropDataOnTeardown if its data may be dropped`);
}
