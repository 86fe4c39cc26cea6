/**
 * Telling a lock left by a crashed run from one held by a live run.
 *
 * A self-managed backend names each lock in its error ("...json: created by
 * user@host (pid 42) at 2026-11-27T18:00:00Z"); Pulumi Cloud answers 409 and
 * shows the running update in the stack history. We cancel only a lock we can
 * prove is stale: its process is gone from this boot and pid namespace (only
 * our lease can say so), or it was taken longer ago than any scheduler run can
 * last. A holder whose
 * process still runs on this host is live however old its lock is, and the age
 * is measured on the real clock, never on the `--now` a run was asked to
 * decide for. Anything else may be a person's `pulumi up`.
 *
 * A hostname does not name a machine: containers started with one fixed
 * hostname, and pods on the host network (which share the node's hostname but
 * not its pid namespace), each run their own pid 42. A self-managed backend's
 * lock says only `user@host (pid)`, so a pid missing here proves nothing about
 * a lock from the same hostname: such a lock goes stale by age alone, like
 * another host's. Only our lease, which records the boot id and pid namespace,
 * lets a missing pid prove a crash.
 */
import * as fs from "fs";
import * as os from "os";

export interface LockHolder {
    /** `user@host`, or a description when the backend does not say. */
    readonly owner: string;
    readonly host: string;
    readonly pid: number;
    /** When the lock was taken; undefined when the backend does not say. */
    readonly since: Date | undefined;
    /** Pulumi Cloud: the message of the update in progress; only a `scheduler:` update is ever cancelled. */
    readonly message?: string;
    /** Where `pid` means this process (boot id and pid namespace, see `processNamespace`); "" not known. */
    readonly ns?: string;
    /** The process's start time (`/proc/<pid>/stat` field 22): a reused pid has another. */
    readonly start?: string;
    /** A self-managed backend: the lock file's URL, as its error names it (`<backend>/.pulumi/locks/<org>/<project>/<stack>/<id>.json`). */
    readonly lockFile?: string;
}

/**
 * The boot id and pid namespace of this process: a pid names the same process only where both are the
 * same. Containers with one fixed hostname share neither rule with the host (`/proc/sys/kernel/random/boot_id`,
 * `/proc/self/ns/pid`, see proc(5) and pid_namespaces(7)); "" where /proc does not say.
 */
export function processNamespace(): string {
    try {
        return `${fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${fs.readlinkSync("/proc/self/ns/pid")}`;
    } catch {
        return "";
    }
}

/** When a process of this pid namespace started (boot time + start ticks, USER_HZ = 100 on Linux); undefined when it does not run here. */
export function processStartedAt(pid: number): Date | undefined {
    const ticks = Number(processStart(pid));
    try {
        const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))?.[1]);
        return Number.isFinite(ticks) && btime > 0 ? new Date(btime * 1000 + ticks * 10) : undefined;
    } catch {
        return undefined;
    }
}

/** A process's start time in clock ticks since boot; undefined when it does not run here. */
export function processStart(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The command name (field 2) may hold spaces and parentheses: count from the last ")".
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        return undefined;
    }
}

import { SCHEDULER_MESSAGE } from "./settle";

// pulumi/pulumi pkg/backend/diy/lock.go checkForLock: "\n  <lock file URL>: created by <user>@<host> (pid <pid>) at <RFC 3339>".
const DIY_LOCK = /(?:(\S+): )?created by (\S+)@(\S+) \(pid (\d+)\) at (\S+)/g;

/**
 * The holders a self-managed backend lists in its "currently locked" error, each once: the Automation API's
 * error quotes the command's stderr more than once.
 */
export function lockHoldersFromError(stderr: string): LockHolder[] {
    const lines = new Map([...stderr.matchAll(DIY_LOCK)].map((m) => [m[0], m]));
    return [...lines.values()].map((m) => {
        const since = new Date(m[5]);
        return { owner: `${m[2]}@${m[3]}`, host: m[3], pid: Number(m[4]), since: Number.isNaN(since.getTime()) ? undefined : since, ...(m[1] ? { lockFile: m[1] } : {}) };
    });
}

/**
 * How a person ends locks the scheduler will not cancel, once they know the run holding them is dead (a crashed
 * `pulumi up`): on a self-managed backend `pulumi cancel` deletes every lock file of the stack, a live run's too
 * (pulumi/pulumi pkg/backend/diy/backend.go CancelCurrentUpdate), so the dead one's file is named to delete alone;
 * on Pulumi Cloud `pulumi cancel` ends the update in progress.
 */
export function manualUnlock(stackName: string, holders: readonly LockHolder[]): string {
    const cancel = `\`pulumi cancel --stack ${stackName} --yes\``;
    const files = holders.flatMap((h) => (h.lockFile ? [h.lockFile] : []));
    if (files.length === 0) return `once you know it is dead (a crashed \`pulumi up\`), end it with ${cancel}`;
    return `once you know it is dead (a crashed \`pulumi up\`), delete its lock file ${files.join(", ")}, or run ${cancel} (which deletes every lock file of the stack, a live run's too)`;
}

/** A scheduler run lost while it held the lease: who it ran as, and from when until when it held it. */
export interface LostRun {
    readonly owner: string;
    readonly since: Date;
    readonly until: Date;
}

/** Whether `holder`'s lock was taken by `run`: same `user@host`, taken while the run held the lease (a few minutes' slack for clocks). */
export function lockOfRun(holder: LockHolder, run: LostRun): boolean {
    const at = holder.since?.getTime();
    return holder.owner === run.owner && at !== undefined && at >= run.since.getTime() - LOST_SLACK_MS && at <= run.until.getTime() + LOST_SLACK_MS;
}

const LOST_SLACK_MS = 5 * 60_000;
/** lease.ts LOST_TAG (not imported: lease.ts imports this file). */
const LOST_TAG_NAME = "intergalactic:scheduler.lost";

export interface Staleness {
    readonly stale: boolean;
    readonly why: string;
}

export interface StalenessContext {
    /** The real time: a lock's age is wall-clock time, whatever instant the run decides for. */
    readonly now: Date;
    readonly staleAfterMinutes: number;
    readonly hostname?: string;
    readonly pidAlive?: (pid: number) => boolean;
    /** @default processNamespace() */
    readonly ns?: string;
    /** @default processStart */
    readonly startOf?: (pid: number) => string | undefined;
    /** @default processStartedAt */
    readonly startedAt?: (pid: number) => Date | undefined;
    /**
     * The scheduler runs that were lost holding the stack's lease (lease.ts LOST_TAG). A self-managed backend's
     * lock that names none of them, or was taken outside the time that run held the lease, is a person's: never
     * stale by age. @default any (age decides)
     */
    readonly lostRuns?: readonly LostRun[];
}

/** A pid reused after the lock was taken started later than it; a minute of slack for the lock's own clock. */
const REUSE_SLACK_MS = 60_000;

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        // EPERM: it exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

export function staleness(holder: LockHolder, ctx: StalenessContext): Staleness {
    const hostname = ctx.hostname ?? os.hostname();
    const alive = ctx.pidAlive ?? processAlive;
    if (holder.message !== undefined && !holder.message.startsWith(SCHEDULER_MESSAGE)) {
        return { stale: false, why: `it is an update the scheduler did not start ("${holder.message}"), which only a person may cancel (\`pulumi cancel\`)` };
    }
    const ns = ctx.ns ?? processNamespace();
    if (holder.ns && holder.pid > 0 && ns !== "" && holder.ns === ns) {
        // Same boot and pid namespace: the pid and its start time answer for themselves, whatever the age.
        const start = (ctx.startOf ?? processStart)(holder.pid);
        return start !== undefined && start === holder.start
            ? { stale: false, why: `its process ${holder.pid} still runs here` }
            : { stale: true, why: `its process ${holder.pid} no longer runs here${start !== undefined ? " (the pid now belongs to another process)" : ""}` };
    }
    let unplaced = "";
    if (holder.pid > 0 && !holder.ns && holder.host === hostname) {
        // A live pid here may be the holder: age must not override it, unless that process started after the lock.
        const started = alive(holder.pid) ? (ctx.startedAt ?? processStartedAt)(holder.pid) : undefined;
        if (alive(holder.pid) && !(started && holder.since && started.getTime() > holder.since.getTime() + REUSE_SLACK_MS)) {
            return { stale: false, why: `its process ${holder.pid} still runs on this host` };
        }
        // Gone (or reused) here proves nothing: a container or host-network pod with this hostname may run it.
        unplaced = alive(holder.pid)
            ? `pid ${holder.pid} here started after the lock was taken, and `
            : `pid ${holder.pid} does not run here, but another machine or container named ${hostname} may run it, so `;
    }
    if (holder.message === undefined && !holder.ns && ctx.lostRuns !== undefined && !ctx.lostRuns.some((r) => lockOfRun(holder, r))) {
        // A self-managed backend takes the lock before the preview and its confirmation prompt (pulumi/pulumi
        // pkg/backend/diy/backend.go, Update: Lock, then PreviewThenPromptThenExecute): a person may hold it for hours.
        // A name alone proves nothing: a person who once ran the scheduler by hand runs `pulumi up` as the same user@host.
        return { stale: false, why: `it was not taken by a scheduler run lost while it held the stack's lease (${LOST_TAG_NAME}), so it is a person's (one left at \`pulumi up\`'s prompt, or a long update), never cancelled by age; only they, or a person with \`pulumi cancel\`, may end it` };
    }
    if (holder.since === undefined) {
        return { stale: false, why: `${unplaced}the backend does not say when it was taken` };
    }
    const ageMinutes = Math.floor((ctx.now.getTime() - holder.since.getTime()) / 60_000);
    if (ageMinutes >= ctx.staleAfterMinutes) {
        return { stale: true, why: `${unplaced}it is ${ageMinutes} min old, longer than any run may last (${ctx.staleAfterMinutes} min)` };
    }
    return { stale: false, why: `${unplaced}it is ${ageMinutes} min old, so its run may still be going (stale after ${ctx.staleAfterMinutes} min)` };
}

export function describeHolder(holder: LockHolder): string {
    const since = holder.since ? ` since ${holder.since.toISOString()}` : "";
    const pid = holder.pid > 0 ? ` (pid ${holder.pid})` : "";
    return `${holder.owner}${pid}${since}`;
}
