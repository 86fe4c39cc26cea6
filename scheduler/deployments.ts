/**
 * Pulumi Deployments as the trigger instead of GitHub Actions: one
 * `DeploymentSettings` for the scheduled stack and one `DeploymentSchedule`
 * per UTC cron entry.
 *
 * A schedule can only start `update`, `destroy`, `refresh` or `preview`, and a
 * bare `destroy` would skip the final-snapshot bookkeeping and fire at the
 * wrong local hour for half the year. So every deployment runs the reconciler
 * first (a pre-run command), which decides from the real local time exactly as
 * in CI; the scheduled operation itself is a `refresh`, which changes nothing
 * on a stack the reconciler just brought to its wanted state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { ScheduleConfig } from "../stacks/config/schedule";
import { CronEntry, utcCronEntries } from "./cron";

/** Where Pulumi Deployments finds the code and which stack it schedules. */
export interface DeploymentTarget {
    /** Pulumi Cloud organization. */
    readonly organization: string;
    /** Pulumi project name (`intergalactic`). */
    readonly project: string;
    /** The scheduled stack, e.g. `dev`. */
    readonly stack: string;
    /** HTTPS URL of this repository. */
    readonly repoUrl: string;
    /** Branch to run from, e.g. `main`. */
    readonly branch: string;
    /** Directory of `Pulumi.yaml` inside the repository; "." for the root. */
    readonly repoDir: string;
}

export interface PlannedSchedule {
    /** Logical resource name: `<stack>-<trigger>-<hhmm>-<days>`, stable while the schedule is. */
    readonly name: string;
    readonly entry: CronEntry;
}

export interface DeploymentPlan {
    readonly preRunCommands: readonly string[];
    readonly operation: service.PulumiOperation;
    readonly schedules: readonly PlannedSchedule[];
}

export function planDeployments(target: DeploymentTarget, schedule: ScheduleConfig, from: Date): DeploymentPlan {
    const schedules = utcCronEntries(schedule, from).map((entry) => {
        const [minute, hour, , , days] = entry.cron.split(" ");
        const hhmm = `${hour.padStart(2, "0")}${minute.padStart(2, "0")}`;
        return { name: `${target.stack}-${entry.trigger}-${hhmm}z-${days.replace(/,/g, "_")}`, entry };
    });
    return {
        // Install ourselves: the reconciler must run before the operation, with the locked dependency set.
        preRunCommands: ["npm ci --no-audit --no-fund", `npm run schedule -- --stack ${target.stack}`],
        operation: service.PulumiOperation.Refresh,
        schedules,
    };
}

/** Registers the settings and the schedules of a plan (in a management program, not in the scheduled stack itself). */
export function createDeploymentSchedules(target: DeploymentTarget, plan: DeploymentPlan, opts: pulumi.CustomResourceOptions = {}):
    { settings: service.DeploymentSettings; schedules: service.DeploymentSchedule[] } {
    const ids = { organization: target.organization, project: target.project, stack: target.stack };
    const settings = new service.DeploymentSettings(`${target.stack}-schedule-settings`, {
        ...ids,
        // Git source only, no GitHub app: commits never trigger these deployments, only the schedules do.
        sourceContext: { git: { repoUrl: target.repoUrl, branch: target.branch, repoDir: target.repoDir } },
        operationContext: {
            preRunCommands: [...plan.preRunCommands],
            options: { skipInstallDependencies: true },
        },
    }, opts);
    const schedules = plan.schedules.map((s) => new service.DeploymentSchedule(s.name, {
        ...ids,
        scheduleCron: s.entry.cron,
        pulumiOperation: plan.operation,
    }, { ...opts, dependsOn: [settings] }));
    return { settings, schedules };
}
