/**
 * `--report`: how many hours a week the schedule keeps the stack up, and the
 * share of always-on hours that saves.
 */
import { ScheduleConfig, clockMinutes } from "../stacks/config/schedule";
import { StackState, decide } from "./decide";

export const HOURS_PER_WEEK = 168;
const STEP_MINUTES = 5;

export interface CostReport {
    /** Hours up in a plain week: working days times the working hours and the spin-up lead, no holidays or overrides. */
    readonly nominalHoursUp: number;
    /** Hours up in the 7 days from the given instant, counting holidays, overrides and DST. */
    readonly nextWeekHoursUp: number;
    /** 1 - nominalHoursUp / 168. */
    readonly savedShare: number;
}

export function costReport(schedule: ScheduleConfig, from: Date): CostReport {
    const lead = schedule.spinUpLeadMinutes ?? 0;
    const nominalHoursUp = (schedule.workingDays.length * (clockMinutes(schedule.stop) - clockMinutes(schedule.start) + lead)) / 60;
    let upSteps = 0;
    const steps = (HOURS_PER_WEEK * 60) / STEP_MINUTES;
    for (let i = 0; i < steps; i++) {
        if (decide(new Date(from.getTime() + i * STEP_MINUTES * 60_000), schedule).desired === StackState.Up) upSteps++;
    }
    return {
        nominalHoursUp,
        nextWeekHoursUp: (upSteps * STEP_MINUTES) / 60,
        savedShare: 1 - nominalHoursUp / HOURS_PER_WEEK,
    };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

export function formatReport(stack: string, schedule: ScheduleConfig, report: CostReport, from: Date): string {
    const saved = HOURS_PER_WEEK - report.nominalHoursUp;
    return [
        `Stack ${stack}: up ${schedule.workingDays.join(", ")} ${schedule.start}-${schedule.stop} ${schedule.timeZone}` +
            `${schedule.spinUpLeadMinutes ? `, each spin-up starting ${schedule.spinUpLeadMinutes} min before ${schedule.start}` : ""}.`,
        `Up ${report.nominalHoursUp.toFixed(1)} h per week of ${HOURS_PER_WEEK} h; saves ${saved.toFixed(1)} h, ` +
            `${pct(report.savedShare)} of always-on hours.`,
        `The 7 days from ${from.toISOString()}: up ${report.nextWeekHoursUp.toFixed(1)} h ` +
            `(${pct(1 - report.nextWeekHoursUp / HOURS_PER_WEEK)} saved; holidays, keepUpUntil and DST counted).`,
    ].join("\n");
}
