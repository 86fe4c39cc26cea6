/**
 * A teardown deletes a store whose deletion keeps a restore window (a Cosmos DB account's continuous backup) only
 * when the schedule's next spin-up still falls inside it. A deleted account restores only within its tier's
 * retention period, 7 days for Continuous7Days and 30 for Continuous30Days, which cannot be changed
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction, "Current limitations").
 * The spin-up checks the window too (dataFlow.ts checkedAgainstCloud), but by then the data is gone: the teardown
 * is the last run that can still keep it, by not deleting.
 */
import { RESTORE_MARGIN_HOURS, spinUpInRestoreWindow } from "../stacks/config/dataLifetime";
import { ScheduleConfig } from "../stacks/config/schedule";
import { upcomingSpinUps } from "./readyOnTime";
import { ReconcileError } from "./stackOps";
import { describeLocal, localTime } from "./zonedTime";

/** The margin and the rule are the config check's (stacks/config/dataLifetime.ts), so a schedule `pulumi up` accepts is not refused here. */
export { RESTORE_MARGIN_HOURS };

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
 * `deletingAt`: the moment the deletion starts, on the clock the teardown stamps its record with (the real one,
 * never `--now`): the window is counted from it, and the next spin-up, its lead (`spinUpLeadMinutes`) before
 * `start` on the next working day that is no holiday, is looked for after it, so a `--now` in the past cannot
 * pick a spin-up that is already over.
 */
export function checkRestoreWindows(stores: readonly WindowedStore[], schedule: ScheduleConfig, deletingAt: Date): string[] {
    if (stores.length === 0) return [];
    const next = upcomingSpinUps(schedule, 0, deletingAt, 366)[0];
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
        if (next && spinUpInRestoreWindow((next.startsAt.getTime() - deletingAt.getTime()) / HOUR_MS, days)) {
            lines.push(`teardown: ${window}; ${starts}, at least ${RESTORE_MARGIN_HOURS} h before`);
        } else {
            refused.push(`${window}, but ${starts}${next ? `, later than ${latest.toISOString()} (${RESTORE_MARGIN_HOURS} h before the window ends)` : ""}`);
        }
    }
    if (refused.length === 0) return lines;
    const rule = `A deleted Cosmos DB account can be restored only within its continuous backup's window (7 or 30 days by tier, read from the stack's state), ` +
        `and the next spin-up must start ${RESTORE_MARGIN_HOURS} h before it ends`;
    // The teardown's own `up` (applying the snapshot suffix, dataFlow.ts) applies a committed retention change, and
    // the tier is read from the state it leaves, before this check.
    const longer = stores.some((s) => s.days < LONGEST_DAYS)
        ? `set ${RETENTION_KEY} to ${LONGEST_DAYS} (Continuous30Days) and commit it (the teardown's own \`up\` applies it before this check on a stack that is up), or ` : "";
    const dropIt = "or, to give the data up, export it first (for example with mongodump) and list the store in intergalactic:snapshots.dropDataOnTeardown";
    const ways = next
        ? `${longer}bring the next spin-up closer in intergalactic:schedule (holidays, workingDays), ${dropIt}`
        : `so every teardown refuses and the stack keeps running: give intergalactic:schedule a working day that is no holiday within the window, ${dropIt}`;
    throw new ReconcileError(`teardown refused: ${refused.join("; ")}; nothing was deleted.\n  ${rule}: ${ways}`);
}
