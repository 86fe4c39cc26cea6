/**
 * One reconciler per stack across every trigger (the workflow, Pulumi
 * Deployments schedules, a person's manual run): a lease in a stack tag,
 * held from the first probe to the last record write. Pulumi's own lock only
 * covers one command, and a teardown is several (`up`, record, `destroy`,
 * record); a second run between them acts on what it saw before.
 *
 * Tags have no compare-and-swap, so a run writes its lease, waits `settleMs`
 * and reads it back: of two runs that write within that window, only the one
 * whose write landed last goes on. The workflow's `concurrency` group already
 * serialises its own runs. A lease whose process still runs in this boot and
 * pid namespace (with the same start time, so not a reused pid) is live
 * whatever its age; any other is stale once older than the stale-lock
 * threshold (the workflow's job timeout is shorter).
 */
import * as crypto from "crypto";
import * as os from "os";
import { Stack } from "@pulumi/pulumi/automation";
import { LockHolder, describeHolder, processNamespace, processStart, staleness } from "./locks";

export const LEASE_TAG = "intergalactic:scheduler.lease";
/**
 * The `user@host` names the scheduler's runs on this stack ran as, newest last: a self-managed backend's lock
 * names only that, and one naming anyone else is a person's, never aged out (locks.ts `schedulerOwners`).
 */
export const RUNNERS_TAG = "intergalactic:scheduler.runners";

/** The names in RUNNERS_TAG; [] when there are none. */
export function runnersOf(tags: Readonly<Record<string, string>>): string[] {
    try {
        const v = JSON.parse(tags[RUNNERS_TAG] ?? "[]") as unknown;
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    } catch {
        return [];
    }
}

/** `owner` added to `runners` (newest last), the oldest dropped until the tag's value fits Pulumi's 256 bytes. */
function withRunner(runners: readonly string[], owner: string): string {
    const out = [...runners.filter((r) => r !== owner), owner];
    while (out.length > 1 && Buffer.byteLength(JSON.stringify(out), "utf8") > 256) out.shift();
    return JSON.stringify(out);
}

interface Lease { run: string; owner: string; host: string; pid: number; since: string; ns: string; start: string }

export class LeaseError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "LeaseError";
    }
}

export interface LeaseContext {
    readonly stack: Stack;
    readonly log: (line: string) => void;
    readonly sleep: (ms: number) => Promise<void>;
    readonly clock: () => Date;
    readonly staleLockMinutes: number;
    readonly settleMs: number;
}

function parse(text: string | undefined): Lease | undefined {
    if (text === undefined) return undefined;
    try {
        const v = JSON.parse(text) as Partial<Lease>;
        return { run: String(v.run ?? ""), owner: String(v.owner ?? "unknown"), host: String(v.host ?? ""), pid: Number(v.pid ?? 0), since: String(v.since ?? ""), ns: String(v.ns ?? ""), start: String(v.start ?? "") };
    } catch {
        return { run: "", owner: "unreadable", host: "", pid: 0, since: "", ns: "", start: "" };
    }
}

const holderOf = (l: Lease): LockHolder => {
    const since = new Date(l.since);
    return { owner: l.owner, host: l.host, pid: l.pid, since: Number.isNaN(since.getTime()) ? undefined : since, ns: l.ns, start: l.start };
};

export class StackLease {
    private constructor(private readonly ctx: LeaseContext, private readonly run: string) {}

    /** Takes the lease or throws LeaseError naming the live holder; a stale lease is taken over, logged. */
    static async acquire(ctx: LeaseContext): Promise<StackLease> {
        const current = parse((await ctx.stack.listTags())[LEASE_TAG]);
        if (current) {
            const verdict = staleness(holderOf(current), { now: ctx.clock(), staleAfterMinutes: ctx.staleLockMinutes });
            const who = describeHolder(holderOf(current));
            if (!verdict.stale) throw new LeaseError(`another reconciler holds stack ${ctx.stack.name} (${who}: ${verdict.why}); this run changes nothing`);
            ctx.log(`lease: taking over the lease of ${who}: ${verdict.why}`);
        }
        const mine: Lease = { run: crypto.randomUUID(), owner: `${os.userInfo().username}@${os.hostname()}`, host: os.hostname(), pid: process.pid, since: ctx.clock().toISOString(),
            ns: processNamespace(), start: processStart(process.pid) ?? "" };
        await ctx.stack.setTag(LEASE_TAG, JSON.stringify(mine));
        if (ctx.settleMs > 0) await ctx.sleep(ctx.settleMs);
        const lease = new StackLease(ctx, mine.run);
        await lease.verify();
        // Recorded before any operation: a lock this run leaves behind names one of these.
        const tags = await ctx.stack.listTags();
        const runners = withRunner(runnersOf(tags), mine.owner);
        if (tags[RUNNERS_TAG] !== runners) await ctx.stack.setTag(RUNNERS_TAG, runners);
        return lease;
    }

    /** Throws when another run has overwritten the lease since (checked before every change). */
    async verify(): Promise<void> {
        const current = parse((await this.ctx.stack.listTags())[LEASE_TAG]);
        if (current === undefined) {
            throw new LeaseError(`stack ${this.ctx.stack.name}: the lease tag ${LEASE_TAG} did not persist, so this backend does not keep stack tags ` +
                "(DIY backends keep them from Pulumi CLI v3.211.0); the scheduler keeps its lease and restore record in them and stops here");
        }
        if (current.run !== this.run) {
            const who = describeHolder(holderOf(current));
            throw new LeaseError(`stack ${this.ctx.stack.name}: another reconciler took the lease (${who}); this run stops here and leaves the stack to it`);
        }
    }

    /** Gives the lease back if it is still ours. */
    async release(): Promise<void> {
        const current = parse((await this.ctx.stack.listTags())[LEASE_TAG]);
        if (current?.run === this.run) await this.ctx.stack.removeTag(LEASE_TAG);
    }
}
