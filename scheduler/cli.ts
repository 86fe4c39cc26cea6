/**
 * `npm run schedule -- --stack <name> [--now <iso>] [--dry-run] [--report] [--cron] [--deployments]`
 *
 * Runs the reconciler once for a stack and prints what it decided and why.
 * Exit codes: 0 done (or nothing to do), 1 the desired state was not reached
 * or the input is wrong, 2 the stack is not schedulable (refused).
 */
import * as path from "path";
import { InvalidArgumentsError } from "../components/common/validation";
import { StackFileError, loadStackFiles } from "../engine/stackFiles";
import type { Cloud } from "../components/common/cloud";
import { describeCron, utcCronEntries } from "./cron";
import { planDeployments } from "./deployments";
import { DEFAULT_STALE_LOCK_MINUTES, RefusedError, assertSchedulable, reconcile } from "./reconciler";
import { costReport, formatReport } from "./report";
import { StopReason, TimeoutError } from "./bounds";
import { LeaseError } from "./lease";
import { RecordError } from "./record";
import { PulumiUnavailableError, ReconcileError } from "./stackOps";
import { loadStackSchedule } from "./stackSchedule";
import { Restore } from "./dataFlow";
import { InventoryError, SnapshotInventory, inventoryFor } from "./inventory";
import { POINT_IN_TIME_CONFIG, encryptionKeyConfig } from "./lineage";
import { PriceError, loadPrices } from "../tools/estimate/cost";
import { formatReadyOnTime, loadReadySchedule } from "./readyOnTime";
import { formatHibernation, hibernatedState, planInMode } from "../tools/estimate/hibernation";
import { formatWeeklyCosts, stackCosts, stackRegion, weeklyCosts } from "./stateCosts";

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run schedule -- --stack <name> [--now <iso>] [--dry-run] [--report] [--cron] " +
    "[--deployments <org> <repo-url>] [--pulumi-root <dir>] [--stale-lock-minutes <n>] " +
    "[--restore \"<store>=<snapshot id>[@<ISO time>]|<store>=empty ...\"] [--restore-key <store>=<KMS key ARN>] [--job-started-at <iso>]";

export class UsageError extends Error {}

export const MIN_STALE_LOCK_MINUTES = 100;

export interface CliOptions {
    stack: string;
    now: Date;
    dryRun: boolean;
    report: boolean;
    cron: boolean;
    /** `<organization> <repo url>` for `--deployments`; "" when not asked for. */
    deployments: string;
    pulumiRoot: string;
    staleLockMinutes: number;
    /** `--restore <store>=<snapshot id>[@<time>]|empty` and `--restore-key`: a person's choice where the record cannot decide. */
    restore: Record<string, Restore>;
    /** `--job-started-at`: the CI job's start, from which the run's time limit counts; undefined: this process's start. */
    jobStartedAt?: Date;
}

/** A job start this far ahead of our clock is a wrong value, not clock skew. */
const JOB_START_SKEW_MS = 5 * 60_000;

const RESTORE_ITEM = /^([A-Za-z0-9][A-Za-z0-9_-]*)=([^@\s,]+)(?:@(\S+))?$/;

/** One `--restore` value: one or more `<store>=<id>[@<time>]` items, separated by spaces or commas (a workflow input is one string). */
function parseRestore(text: string, into: Record<string, Restore>): void {
    const items = text.split(/[\s,]+/).filter(Boolean);
    if (items.length === 0) throw new UsageError("--restore needs at least one <store>=<snapshot id> or <store>=empty");
    for (const item of items) {
        const m = RESTORE_ITEM.exec(item);
        if (!m) throw new UsageError(`--restore ${item} must be <store>=<snapshot id>, <store>=<restorable account id>@<ISO time> or <store>=empty`);
        const config: Record<string, string> = { ...(into[m[1]]?.config ?? {}) };
        if (m[3] !== undefined) {
            // Cosmos DB restores a point in time, at or before the account's deletion (components/mongo/mongoPlan.ts).
            if (!/(Z|[+-]\d{2}:\d{2})$/.test(m[3]) || Number.isNaN(Date.parse(m[3]))) throw new UsageError(`--restore ${item}: ${m[3]} must be an ISO 8601 instant with Z or an offset`);
            if (m[2] === "empty") throw new UsageError(`--restore ${item}: an empty start has no point in time`);
            config[POINT_IN_TIME_CONFIG] = new Date(m[3]).toISOString();
        }
        into[m[1]] = { id: m[2] === "empty" ? "" : m[2], config };
    }
}

/** What `--help` prints. */
export const SCHEDULE_HELP = `${USAGE}

Brings a dev stack to the state its intergalactic:schedule wants (up in working hours,
torn down outside them) through the Automation API, and says what it decided and why.
Exit 0 done or nothing to do, 1 the wanted state could not be reached, 2 refused.

  --stack <name>               the stack (required); it must be schedulable, never prod
  --now <iso>                  decide for this instant instead of the clock
  --dry-run                    decide and print, change nothing (needs no Pulumi CLI)
  --report                     hours up per week, the share of always-on saved, each spin-up's start and
                               predicted ready time, the weekly cost of each state, the hibernation model
  --cron                       the UTC cron entries of the schedule
  --deployments <org> <url>    Pulumi Deployments settings and schedules as JSON
  --pulumi-root <dir>          the Pulumi project folder (default: this repository)
  --stale-lock-minutes <n>     when another host's lock or lease counts as stale (default 120, at least 100)
  --restore "<store>=<id> ..." a person's choice where the record cannot decide: a snapshot id, <id>@<ISO time>
                               for a Cosmos DB point in time, or empty; several separated by spaces
  --restore-key <store>=<arn>  the KMS key a snapshot the record does not know is encrypted with
  --job-started-at <iso>       when the CI job started: the run's 80-minute limit counts from it, since the job's
                               timeout (90 min) is what kills the run (default: the reconciler's start)
  --help                       print this help

SIGINT or SIGTERM (a cancelled workflow, the job's timeout) interrupts the running Pulumi operation once,
waits for it to stop cleanly (up to 5 min, or until a second signal), releases the lease and says what the
next run does; exit 1.`;

export function parseArgs(argv: readonly string[], clock: () => Date = () => new Date()): CliOptions {
    const o: CliOptions = { stack: "", now: clock(), dryRun: false, report: false, cron: false, deployments: "", pulumiRoot: "", staleLockMinutes: DEFAULT_STALE_LOCK_MINUTES, restore: {} };
    const keys: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value; ${USAGE}`);
            return v;
        };
        if (flag === "--stack") o.stack = value();
        else if (flag === "--now") {
            const text = value();
            o.now = new Date(text);
            if (!/(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(o.now.getTime())) throw new UsageError(`--now ${text} must be an ISO 8601 instant with Z or an offset`);
        } else if (flag === "--dry-run") o.dryRun = true;
        else if (flag === "--report") o.report = true;
        else if (flag === "--cron") o.cron = true;
        else if (flag === "--deployments") o.deployments = `${value()} ${value()}`;
        else if (flag === "--pulumi-root") o.pulumiRoot = path.resolve(value());
        else if (flag === "--stale-lock-minutes") {
            o.staleLockMinutes = Number(value());
            // Above the workflow's job timeout (90 min): a younger lock may belong to a run still going.
            if (!Number.isInteger(o.staleLockMinutes) || o.staleLockMinutes < MIN_STALE_LOCK_MINUTES) {
                throw new UsageError(`--stale-lock-minutes must be a whole number of minutes >= ${MIN_STALE_LOCK_MINUTES} (longer than the workflow's 90-minute job)`);
            }
        } else if (flag === "--job-started-at") {
            const text = value();
            const at = new Date(text);
            if (!/(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(at.getTime())) throw new UsageError(`--job-started-at ${text} must be an ISO 8601 instant with Z or an offset`);
            if (at.getTime() > clock().getTime() + JOB_START_SKEW_MS) throw new UsageError(`--job-started-at ${text} is in the future; give the time the CI job started`);
            o.jobStartedAt = at;
        } else if (flag === "--restore") parseRestore(value(), o.restore);
        else if (flag === "--restore-key") {
            // The retained KMS key a snapshot is encrypted with, for a snapshot the record does not know (the stack's restoreSources.<store>.encryptionKeyArn).
            const text = value();
            const m = /^([A-Za-z0-9][A-Za-z0-9_-]*)=(arn:\S+)$/.exec(text);
            if (!m) throw new UsageError(`--restore-key ${text} must be <store>=<KMS key ARN>`);
            keys[m[1]] = m[2];
        } else throw new UsageError(`unknown option ${flag}; ${USAGE}`);
    }
    for (const [store, arn] of Object.entries(keys)) {
        if (!o.restore[store]?.id) throw new UsageError(`--restore-key ${store}=...: give --restore ${store}=<snapshot id> too`);
        o.restore[store] = { ...o.restore[store], config: { ...o.restore[store].config, [encryptionKeyConfig(store)]: arn } };
    }
    if (!o.stack) throw new UsageError(`missing --stack <name>; ${USAGE}`);
    return o;
}

/** What can deliver SIGINT/SIGTERM (the process; a test's emitter). */
export interface SignalSource {
    on(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
    off(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

/**
 * Turns SIGINT/SIGTERM into an aborted `signal` (its reason a StopReason) instead of Node's default exit, so
 * the reconciler stops its Pulumi operation and releases its lease. A SIGINT from a terminal (stdin a TTY)
 * went to the whole process group, Pulumi included, which must not get a second one. A second signal aborts
 * `hurry`: a cancelled GitHub job gets SIGTERM 7.5 s after SIGINT and is killed 2.5 s later (pulumi/actions#928).
 */
export function stopOnSignals(source: SignalSource, printError: (line: string) => void, fromTerminal = Boolean(process.stdin.isTTY)):
    { signal: AbortSignal; hurry: AbortSignal; dispose: () => void } {
    const stop = new AbortController();
    const hurry = new AbortController();
    const handlers = (["SIGINT", "SIGTERM"] as const).map((name) => {
        const handler = () => {
            if (stop.signal.aborted) {
                printError(`schedule: ${name} received again; releasing the lease and exiting now`);
                return hurry.abort(name);
            }
            printError(`schedule: ${name} received; stopping: the running Pulumi operation is interrupted, nothing new starts`);
            const reason: StopReason = { signal: name, childHasIt: name === "SIGINT" && fromTerminal };
            stop.abort(reason);
        };
        source.on(name, handler);
        return [name, handler] as const;
    });
    return { signal: stop.signal, hurry: hurry.signal, dispose: () => handlers.forEach(([name, handler]) => source.off(name, handler)) };
}

/** Runs the CLI; returns the exit code. `print` receives the progress lines, `printError` the reason of a failure. */
export async function runCli(argv: readonly string[], print: (line: string) => void, printError = print, root = ROOT, signals: SignalSource = process): Promise<number> {
    try {
        const options = parseArgs(argv);
        const loaded = loadStackSchedule(root, options.stack);
        const { environment, dropDataOnTeardown, dataStores } = loaded;
        // A stack the scheduler may run starts early by its predicted spin-up plus the margin, to serve at `start`.
        const ready = loaded.schedule.schedulable && environment !== "prod" ? await loadReadySchedule(root, options.stack) : undefined;
        const schedule = ready?.schedule ?? loaded.schedule;
        if (options.report || options.cron || options.deployments) {
            assertSchedulable(options.stack, environment, schedule);
            if (options.report && ready) {
                const hours = costReport(schedule, options.now);
                print(formatReport(options.stack, schedule, hours, options.now));
                print(formatReadyOnTime(schedule, ready.spinUp, options.now));
                // What each state costs: the stack's own plans (running, hibernated) priced by the table.
                const hibernated = await hibernatedState(ready.plan, root);
                const costs = stackCosts(ready.plan, stackRegion(root, options.stack), loadPrices(), hibernated.plan);
                print(formatWeeklyCosts(costs, weeklyCosts(costs, hours.nominalHoursUp)));
                print(formatHibernation(ready.plan, hibernated, await planInMode(options.stack, "waking", root)));
            }
            if (options.cron) print(describeCron(utcCronEntries(schedule, options.now)));
            if (options.deployments) print(JSON.stringify(deploymentsJson(options, schedule), null, 2));
            return 0;
        }
        const inventory = options.dryRun ? undefined : stackInventory(root, options.stack, print);
        const stop = stopOnSignals(signals, printError);
        try {
            await reconcile({
                stackName: options.stack, workDir: root, pulumiRoot: options.pulumiRoot, envVars: {},
                schedule, environment, now: options.now, dryRun: options.dryRun, log: print,
                staleLockMinutes: options.staleLockMinutes, dropDataOnTeardown, dataStores, restore: options.restore,
                jobStartedAt: options.jobStartedAt, stop: stop.signal, hurry: stop.hurry, inventory,
            });
        } finally {
            stop.dispose();
        }
        return 0;
    } catch (err) {
        if (err instanceof RefusedError) {
            printError(err.message);
            return 2;
        }
        const known = [UsageError, StackFileError, InvalidArgumentsError, ReconcileError, PulumiUnavailableError, TimeoutError, LeaseError, RecordError, PriceError, InventoryError].some((k) => err instanceof k);
        printError(`schedule failed: ${known ? (err as Error).message : (err as Error).stack ?? err}`);
        return 1;
    }
}

/**
 * The cloud's snapshot inventory for the stack's cloud (`intergalactic:cloud`), built before anything runs so
 * that a missing SDK or subscription stops the run with one sentence; undefined when that cloud has none.
 */
function stackInventory(root: string, stack: string, print: (line: string) => void): SnapshotInventory | undefined {
    const config = loadStackFiles(root, stack).config;
    const cloud = config["intergalactic:cloud"] as Cloud;
    const inventory = inventoryFor(cloud, { stack, config, env: process.env });
    print(inventory ? `snapshot inventory: the ${cloud} cloud's own, the record's last resort` : `snapshot inventory: none on ${cloud} yet; where the record cannot say, the spin-up asks`);
    return inventory;
}

function deploymentsJson(options: CliOptions, schedule: Parameters<typeof planDeployments>[1]) {
    const [organization, repoUrl] = options.deployments.split(" ");
    const target = { organization, project: "intergalactic", stack: options.stack, repoUrl, branch: "main", repoDir: "." };
    const plan = planDeployments(target, schedule, options.now);
    return {
        deploymentSettings: { ...target, preRunCommands: plan.preRunCommands },
        deploymentSchedules: plan.schedules.map((s) => ({ name: s.name, scheduleCron: s.entry.cron, pulumiOperation: plan.operation, trigger: s.entry.trigger, rightAtOffset: s.entry.offset })),
    };
}

if (require.main === module && (process.argv.includes("--help") || process.argv.includes("-h"))) {
    console.log(SCHEDULE_HELP);
} else if (require.main === module) {
    runCli(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line)).then((code) => process.exit(code));
}
