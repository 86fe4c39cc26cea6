/**
 * Ready on time: the spin-up starts early by the stack's predicted spin-up
 * (the transition estimate of `tools/estimate`) plus `readyMarginMinutes`, so
 * the stack serves at the schedule's `start`. The lead is rounded up to 5
 * minutes, which also keeps the spin-up's cron entry off the full hour, when
 * GitHub's scheduled runs are delayed most
 * (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule).
 */
import { Plan } from "../engine/format";
import { planStack } from "../engine/planStack";
import { loadOperationTimes } from "../tools/estimate/operationTimes";
import { NOTHING, TransitionEstimate, estimateTransition } from "../tools/estimate/transition";
import { formatDuration } from "../tools/estimate/estimate";
import { ScheduleConfig, ScheduleDefaults, Teardown, WEEKDAYS, clockMinutes } from "../stacks/config/schedule";
import { hibernatedState, planInMode, wakeServing } from "../tools/estimate/hibernation";
import { StackSchedule, loadStackSchedule } from "./stackSchedule";
import { describeLocal, formatClock, localTime } from "./zonedTime";

export const LEAD_STEP_MINUTES = 5;

/** Minutes before `start` the spin-up begins: predicted spin-up plus margin, rounded up to 5 minutes. */
export function spinUpLeadMinutes(predictedSeconds: number, marginMinutes: number): number {
    return Math.ceil((predictedSeconds / 60 + marginMinutes) / LEAD_STEP_MINUTES) * LEAD_STEP_MINUTES;
}

/** The schedule with its derived lead. */
export function withSpinUpLead(schedule: ScheduleConfig, predictedSeconds: number): ScheduleConfig {
    const margin = schedule.readyMarginMinutes ?? ScheduleDefaults.readyMarginMinutes;
    return { ...schedule, spinUpLeadMinutes: spinUpLeadMinutes(predictedSeconds, margin) };
}

/** A stack's schedule with its lead, from its plan's predicted spin-up. */
export interface ReadySchedule extends StackSchedule {
    readonly plan: Plan;
    readonly spinUp: TransitionEstimate;
}

/** Loads the schedule, plans the stack and predicts its spin-up from nothing. */
export async function loadReadySchedule(root: string, stack: string): Promise<ReadySchedule> {
    const loaded = loadStackSchedule(root, stack);
    const plan = await planStack(stack, root);
    const spinUp = await predictedSpinUp(root, stack, loaded.schedule, plan);
    return { ...loaded, schedule: withSpinUpLead(loaded.schedule, spinUp.predictedSeconds), plan, spinUp };
}

/**
 * The spin-up a schedule's morning runs: from nothing to running, or, for `teardown: hibernate`, the
 * wake-up (hibernated -> the waking plan, the stack program's own plans). A hibernating stack found
 * empty (its first spin-up, or after a person's destroy) then serves late by the difference.
 */
export async function predictedSpinUp(root: string, stack: string, schedule: ScheduleConfig, running: Plan): Promise<TransitionEstimate> {
    const times = loadOperationTimes();
    if (schedule.teardown !== Teardown.Hibernate) return estimateTransition({ label: NOTHING }, { label: "running", plan: running }, times);
    const hibernated = await hibernatedState(running, root);
    const waking = await planInMode(stack, "waking", root);
    return estimateTransition({ label: "hibernated", plan: hibernated.plan }, { label: "running", plan: waking }, times, undefined, wakeServing(waking, hibernated.decisions));
}

/** The instant a local wall-clock time of a date has in a zone (in a spring-forward gap: the instant the clock jumps over it). */
export function localInstant(date: string, minutes: number, timeZone: string): Date {
    const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
    let t = wall - localTime(new Date(wall), timeZone).offsetMinutes * 60_000;
    // Once more with the offset in force at the first guess: exact except inside a gap.
    t = wall - localTime(new Date(t), timeZone).offsetMinutes * 60_000;
    return new Date(t);
}

/** One working day's spin-up. */
export interface SpinUpSlot {
    readonly date: string;
    readonly startsAt: Date;
    readonly readyAt: Date;
    readonly serveAt: Date;
}

/** The spin-ups of the working days whose `start` lies in the `days` days after `from` (holidays left out). */
export function upcomingSpinUps(schedule: ScheduleConfig, predictedSeconds: number, from: Date, days = 7): SpinUpSlot[] {
    const lead = schedule.spinUpLeadMinutes ?? 0;
    const slots: SpinUpSlot[] = [];
    const seen = new Set<string>();
    // By calendar date in the schedule's zone: steps of 24 h skip a date when a 23-hour day (a DST change) falls
    // between the start instant's hour and midnight (Berlin, from Sat 28 Mar 2026 23:30: no Sun 29 Mar).
    const first = Date.parse(`${localTime(from, schedule.timeZone).date}T00:00:00Z`);
    for (let d = 0; d <= days; d++) {
        const day = new Date(first + d * 86_400_000);
        const local = { date: day.toISOString().slice(0, 10), weekday: WEEKDAYS[day.getUTCDay()] };
        if (seen.has(local.date)) continue;
        seen.add(local.date);
        if (!schedule.workingDays.includes(local.weekday) || schedule.holidays.includes(local.date)) continue;
        const serveAt = localInstant(local.date, clockMinutes(schedule.start), schedule.timeZone);
        if (serveAt.getTime() <= from.getTime() || serveAt.getTime() > from.getTime() + days * 86_400_000) continue;
        const startsAt = new Date(serveAt.getTime() - lead * 60_000);
        slots.push({ date: local.date, startsAt, readyAt: new Date(startsAt.getTime() + predictedSeconds * 1000), serveAt });
    }
    return slots;
}

/** The report's lines: the lead and, per working day, when the spin-up starts and when the stack is predicted ready. */
export function formatReadyOnTime(schedule: ScheduleConfig, spinUp: TransitionEstimate, from: Date): string {
    const lead = schedule.spinUpLeadMinutes ?? 0;
    const margin = schedule.readyMarginMinutes ?? ScheduleDefaults.readyMarginMinutes;
    const clock = (t: Date) => formatClock(localTime(t, schedule.timeZone).minutes);
    const lines = [
        `Ready on time: predicted spin-up ${formatDuration(spinUp.predictedSeconds)} (${spinUp.from} -> ${spinUp.to}) + margin ${margin} min, rounded up to ${LEAD_STEP_MINUTES}: starts ${lead} min before ${schedule.start}.`,
        ...upcomingSpinUps(schedule, spinUp.predictedSeconds, from).map((s) =>
            `  ${describeLocal(localTime(s.serveAt, schedule.timeZone), schedule.timeZone)}: spin-up starts ${clock(s.startsAt)}, predicted ready ${clock(s.readyAt)}`),
    ];
    return lines.join("\n");
}
