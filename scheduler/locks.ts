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
import * as os from "os";

export interface LockHolder {
    /** `user@host`, or a description when the backend does not say. */
    readonly owner: string;
    readonly host: string;
    readonly pid: number;
    /** When the lock was taken; undefined when the backend does not say. */
    readonly since: Date | undefined;
}

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
    if (holder.pid > 0 && holder.host === hostname) {
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
