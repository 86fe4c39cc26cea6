/**
 * Telling a lock left by a crashed run from one held by a live run.
 *
 * A self-managed backend names each lock in its error ("...json: created by
 * user@host (pid 42) at 2026-11-27T18:00:00Z"); Pulumi Cloud answers 409 and
 * shows the running update in the stack history. We cancel only a lock we can
 * prove is stale: its process is gone from this very host, or it was taken on
 * another host longer ago than any scheduler run can last. A holder whose
 * process still runs on this host is live however old its lock is, and the age
 * is measured on the real clock, never on the `--now` a run was asked to
 * decide for. Anything else may be a person's `pulumi up`.
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

const DIY_LOCK = /created by (\S+)@(\S+) \(pid (\d+)\) at (\S+)/g;

/** The holders a self-managed backend lists in its "currently locked" error. */
export function lockHoldersFromError(stderr: string): LockHolder[] {
    return [...stderr.matchAll(DIY_LOCK)].map((m) => {
        const since = new Date(m[4]);
        return { owner: `${m[1]}@${m[2]}`, host: m[2], pid: Number(m[3]), since: Number.isNaN(since.getTime()) ? undefined : since };
    });
}

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
}

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
    if (holder.pid > 0 && !holder.ns && holder.host === hostname) {
        // The pid answers for itself on this host: age must not override a live process.
        return alive(holder.pid)
            ? { stale: false, why: `its process ${holder.pid} still runs on this host` }
            : { stale: true, why: `its process ${holder.pid} no longer runs on this host` };
    }
    if (holder.since === undefined) {
        return { stale: false, why: "the backend does not say when it was taken" };
    }
    const ageMinutes = Math.floor((ctx.now.getTime() - holder.since.getTime()) / 60_000);
    if (ageMinutes >= ctx.staleAfterMinutes) {
        return { stale: true, why: `it is ${ageMinutes} min old, longer than any run may last (${ctx.staleAfterMinutes} min)` };
    }
    return { stale: false, why: `it is ${ageMinutes} min old, so its run may still be going (stale after ${ctx.staleAfterMinutes} min)` };
}

export function describeHolder(holder: LockHolder): string {
    const since = holder.since ? ` since ${holder.since.toISOString()}` : "";
    const pid = holder.pid > 0 ? ` (pid ${holder.pid})` : "";
    return `${holder.owner}${pid}${since}`;
}
