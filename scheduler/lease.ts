/**
 * One reconciler per stack across every trigger (the workflow, Pulumi
 * Deployments schedules, a person's manual run): a lease in a stack tag,
 * held from the first probe to the last record write. Pulumi's own lock only
 * covers one command, and a teardown is several (`up`, record, `destroy`,
 * record); a second run between them acts on what it saw before.
 *
 * On Pulumi Cloud the lease is strict: it is added with AddStackTag, which refuses a tag that exists
 * (cloudTags.ts), so of two runs that find the stack free exactly one holds it, however slow either's request;
 * a stale lease is taken over through a claim tag only one run can add (`acquireStrict`).
 *
 * On a self-managed backend tags have no compare-and-swap, so a run writes its lease, waits and reads it
 * back: of two runs that write within that window, only the one whose write
 * landed last goes on. Two runs both go on only when the other's write lands
 * after this one's read-back, that is when the other's gap between reading
 * the tags and its write landing is longer than this one's wait; so the wait is
 * `settleMs` or SETTLE_FACTOR times this run's own gap, whichever is longer
 * (the other run's CLI, backend and runner are of the same kind). The workflow's `concurrency` group already
 * serialises its own runs. A lease whose process still runs in this boot and
 * pid namespace (with the same start time, so not a reused pid) is live
 * whatever its age; any other is stale once older than the stale-lock
 * threshold (the workflow's job timeout is shorter).
 */
import * as crypto from "crypto";
import * as os from "os";
import { Stack } from "@pulumi/pulumi/automation";
import type { StackReads } from "./cliRead";
import type { TagWrites } from "./cliWrite";
import type { StrictTags } from "./cloudTags";

/** A lease step's tag calls: its writes, and its reads of the tags, stopped with them (cliWrite.ts `boundedWrite`). */
export type LeaseTags = TagWrites & Pick<StackReads, "listTags">;
import { LockHolder, LostRun, describeHolder, processNamespace, processStart, staleness } from "./locks";

export const LEASE_TAG = "intergalactic:scheduler.lease";

/**
 * The lease's value once given back where removing the tag did not take: on a self-managed backend before the fix
 * of pulumi/pulumi#23687 (pulumi/pulumi#23702), `pulumi stack tag rm` of a stack's last tag exits 0 and leaves it.
 */
export const RELEASED = "released";

/** How many times this run's own read-to-written gap the lease waits at least before it reads its write back. */
export const SETTLE_FACTOR = 3;

/** The wait before the read-back: `settleMs` (0 turns it off), or SETTLE_FACTOR times the gap measured, if longer. */
export function settleWaitMs(settleMs: number, gapMs: number): number {
    return settleMs > 0 ? Math.max(settleMs, Math.ceil(SETTLE_FACTOR * gapMs)) : 0;
}
/**
 * The runs that were lost while they held the lease: `[user@host, since, until]` (seconds since the epoch), newest
 * last. A lease taken over as stale (its run crashed or was killed) or given back by a run that failed (its CLI may
 * have been killed, or not stopped when told to) adds its run here. A self-managed backend's lock names only `user@host (pid)`, so it
 * is aged out only when it names one of these runs and was taken while that run held the lease: a person's lock is
 * never aged out, even one taken by someone who once ran the scheduler by hand (locks.ts `lostRuns`).
 */
export const LOST_TAG = "intergalactic:scheduler.lost";

/** The runs in LOST_TAG; [] when there are none. */
export function lostRunsOf(tags: Readonly<Record<string, string>>): LostRun[] {
    try {
        const v = JSON.parse(tags[LOST_TAG] ?? "[]") as unknown;
        if (!Array.isArray(v)) return [];
        return v.filter((x): x is [string, number, number] => Array.isArray(x) && typeof x[0] === "string" && typeof x[1] === "number" && typeof x[2] === "number")
            .map(([owner, since, until]) => ({ owner, since: new Date(since * 1000), until: new Date(until * 1000) }));
    } catch {
        return [];
    }
}

/** The tag value for `runs`, the oldest dropped until it fits Pulumi's 256 bytes (only lost runs are listed, so it rarely fills). */
export function lostRunsTag(runs: readonly LostRun[]): string {
    const out = runs.map((r) => [r.owner, Math.floor(r.since.getTime() / 1000), Math.ceil(r.until.getTime() / 1000)]);
    while (out.length > 1 && Buffer.byteLength(JSON.stringify(out), "utf8") > 256) out.shift();
    return JSON.stringify(out);
}

interface Lease { run: string; owner: string; host: string; pid: number; since: string; ns: string; start: string }

/**
 * Pulumi Cloud: the claim tag of a run taking over the stale lease (or stale claim) whose value is `stale`, named
 * after that value, so one claim stands for one stale holder and no other. Whoever adds it (AddStackTag: one run)
 * may delete that holder's tag, and only while it still holds that value. A fixed claim name would not do: a run
 * that read a stale claim could delete the claim another run had just added in its place (DeleteStackTag names
 * the tag, not its value), and both would go on. 27 + 12 characters: within Pulumi's 40 (pulumi/pulumi#24428).
 */
export const CLAIM_PREFIX = "intergalactic:scheduler.to.";
export const claimTag = (stale: string) => CLAIM_PREFIX + crypto.createHash("sha256").update(stale).digest("hex").slice(0, 12);

/** How many times a strict acquisition starts over (a lease released or taken over under it) before it gives up. */
const STRICT_ROUNDS = 5;

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
    /**
     * This machine's own clock, which also stamps the locks its CLI takes: a lost run's window is read on it, never on
     * the injected `clock`. A test whose fake CLI keeps another machine's time passes that one. @default () => new Date()
     */
    readonly machineClock?: () => Date;
}

function parse(text: string | undefined): Lease | undefined {
    if (text === undefined || text === RELEASED) return undefined;
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

const machineNow = (ctx: LeaseContext): Date => ctx.machineClock?.() ?? new Date();

export class StackLease {
    /** `startedAt`: this machine's own clock, which also stamps the locks its CLI takes (never an injected clock). */
    /** `strict`: taken with AddStackTag on Pulumi Cloud (acquireStrict). */
    private constructor(private readonly ctx: LeaseContext, private readonly mine: Lease, private readonly strict = false, private readonly startedAt = machineNow(ctx)) {}

    private get run(): string {
        return this.mine.run;
    }

    /**
     * Takes the lease or throws LeaseError naming the live holder; a stale lease is taken over, logged. `writes`:
     * the tag writes of the bounded step it runs in (cliWrite.ts), which stops them when the step gives up.
     */
    static async acquire(ctx: LeaseContext, writes: LeaseTags, attempt: LeaseAttempt = {}, strict?: StrictTags): Promise<StackLease> {
        if (strict) return StackLease.acquireStrict(ctx, writes, attempt, strict);
        // The real clock, not the injected one: the gap is this machine's and its CLI's own latency.
        const readAt = Date.now();
        const current = parse((await writes.listTags())[LEASE_TAG]);
        let lost: LostRun | undefined;
        if (current) {
            const verdict = staleness(holderOf(current), { now: ctx.clock(), staleAfterMinutes: ctx.staleLockMinutes });
            const who = describeHolder(holderOf(current));
            if (!verdict.stale) throw new LeaseError(`another reconciler holds stack ${ctx.stack.name} (${who}: ${verdict.why}); this run changes nothing`);
            ctx.log(`lease: taking over the lease of ${who}: ${verdict.why}`);
            const since = holderOf(current).since;
            // Its run was lost holding the lease: a lock it left was taken between its start and now.
            if (since) lost = { owner: current.owner, since, until: ctx.clock() };
        }
        const mine = newLease(ctx);
        attempt.run = mine.run;
        await writes.setTag(LEASE_TAG, JSON.stringify(mine));
        const gapMs = Date.now() - readAt;
        const waitMs = settleWaitMs(ctx.settleMs, gapMs);
        if (waitMs > ctx.settleMs) ctx.log(`lease: reading the tags and writing the lease took ${gapMs} ms here; waiting ${waitMs} ms before reading it back`);
        if (waitMs > 0) await ctx.sleep(waitMs);
        const lease = new StackLease(ctx, mine);
        await lease.verify(writes);
        // Recorded before any operation, and only once this run holds the lease.
        if (lost) await lease.addLost(lost, writes);
        return lease;
    }

    /**
     * Pulumi Cloud: adds the lease with AddStackTag. Added: held, with no settle wait (no other run can add it
     * while it exists). There already: its holder is judged as on any backend, a live one named in a LeaseError,
     * a stale one taken over (`takeOver`), and the add tried again. A lease that reads as this run's own is an
     * earlier try of the same add that landed before its answer was lost (cloudTags.ts retries).
     */
    private static async acquireStrict(ctx: LeaseContext, writes: LeaseTags, attempt: LeaseAttempt, strict: StrictTags): Promise<StackLease> {
        const mine = newLease(ctx);
        const value = JSON.stringify(mine);
        attempt.run = mine.run;
        let lost: LostRun | undefined;
        for (let round = 1; ; round++) {
            if (round > STRICT_ROUNDS) throw new LeaseError(`stack ${ctx.stack.name}: its lease changed hands ${STRICT_ROUNDS} times while this run tried to take it; this run changes nothing`);
            if (await strict.add(LEASE_TAG, value)) break;
            const text = (await strict.read())[LEASE_TAG];
            if (text === undefined) continue;
            const current = parse(text);
            if (current?.run === mine.run) break;
            const holder = current ? holderOf(current) : undefined;
            const verdict = holder ? staleness(holder, { now: ctx.clock(), staleAfterMinutes: ctx.staleLockMinutes }) : { stale: true, why: `it reads ${RELEASED}` };
            if (holder && !verdict.stale) throw new LeaseError(`another reconciler holds stack ${ctx.stack.name} (${describeHolder(holder)}: ${verdict.why}); this run changes nothing`);
            // `released` (a stack moved here from a self-managed backend) is nobody's: taken over like a stale lease.
            ctx.log(`lease: taking over ${holder ? `the lease of ${describeHolder(holder)}` : "the lease"}: ${verdict.why}`);
            // Its run was lost holding the lease: a lock it left was taken between its start and now.
            if (holder?.since) lost = { owner: holder.owner, since: holder.since, until: ctx.clock() };
            await takeOver(ctx, strict, LEASE_TAG, text, value, attempt);
        }
        const lease = new StackLease(ctx, mine, true);
        // Recorded only once this run holds the lease. Its own `stack tag set` PATCHes the whole map it read
        // (stack_tag.go `newStackTagSetCmd`), as do the record writes after it, and that stays safe once the lease is
        // strict: while a run holds it no other run writes a tag (they try AddStackTag and stop), and a claim is added
        // only on a stale lease, so a PATCH that drops a claim added meanwhile only makes that claim's run find the
        // lease no longer the stale one, and stop. What it cannot cover: a PATCH the service received from a CLI that
        // was stopped may land after this run released the lease, and put this run's lease back (README).
        if (lost) await lease.addLost(lost, writes);
        return lease;
    }

    private async addLost(run: LostRun, writes: LeaseTags): Promise<void> {
        const tags = await writes.listTags();
        await writes.setTag(LOST_TAG, lostRunsTag([...lostRunsOf(tags), run]));
    }

    /** Throws when another run has overwritten the lease since (checked before every change); `reads`: its bounded step's (cliRead.ts). */
    async verify(reads: Pick<StackReads, "listTags">): Promise<void> {
        const current = parse((await reads.listTags())[LEASE_TAG]);
        if (current === undefined && this.strict) {
            // Pulumi Cloud replaces a stack's tags with those an update's CLI read when it started (pulumi/pulumi
            // pkg/backend/httpstate/backend.go: StartUpdate with GetMergedStackTags; apitype StartUpdateRequest.Tags
            // "will replace the current set of tags"), and `stack tag set` with the map it read.
            throw new LeaseError(`stack ${this.ctx.stack.name}: the lease tag ${LEASE_TAG} is gone: a \`pulumi\` command whose CLI read the stack's tags before this run took the lease ` +
                "(a person's update, or a tag write) put back the tags it read; this run stops here");
        }
        if (current === undefined) {
            throw new LeaseError(`stack ${this.ctx.stack.name}: the lease tag ${LEASE_TAG} did not persist, so this backend does not keep stack tags ` +
                "(DIY backends keep them from Pulumi CLI v3.211.0); the scheduler keeps its lease and restore record in them and stops here");
        }
        if (current.run !== this.run) {
            const who = describeHolder(holderOf(current));
            throw new LeaseError(`stack ${this.ctx.stack.name}: another reconciler took the lease (${who}); this run stops here and leaves the stack to it`);
        }
    }

    /**
     * Gives the lease back if it is still ours. `lockLeft`: this run failed, so a lock of its CLI may stay; the run
     * is listed as lost, and a later run may age that lock out (never a lock taken after it ended).
     */
    async release(writes: LeaseTags, lockLeft = false, strict?: StrictTags): Promise<void> {
        const current = parse(strict ? (await strict.read())[LEASE_TAG] : (await writes.listTags())[LEASE_TAG]);
        if (current?.run !== this.run) return;
        if (lockLeft) await this.addLost({ owner: this.mine.owner, since: this.startedAt, until: machineNow(this.ctx) }, writes);
        // Pulumi Cloud deletes the one tag (DeleteStackTag): `stack tag rm` would PATCH back the map it read.
        if (strict) await strict.remove(LEASE_TAG);
        else await removeLease(this.ctx, this.run, writes);
    }

    /**
     * Takes back the lease an acquisition that failed may have written: a lease write stopped by its step's time
     * limit may have landed before its process was killed (cliWrite.ts), and the run then throws before it holds a
     * lease to release. Left there, it looks held by this live process (on this host) or fresh (on another), and
     * the next run would wait for it to go stale. Removes only a lease that reads as this attempt's own, twice,
     * `settleMs` apart: tags have no compare-and-swap, so a lease another run wrote after this one's (it had read
     * the tags before this lease landed) must have had the time a lease takes to land before the removal, or the
     * removal would take the other run's lease (which then stops at its next check, as for any lost lease).
     * On Pulumi Cloud one read is enough: no run replaces a tag another added (`acquireStrict`).
     */
    static async withdraw(ctx: LeaseContext, attempt: LeaseAttempt, writes: LeaseTags, strict?: StrictTags): Promise<boolean> {
        if (strict) return withdrawStrict(strict, attempt);
        const mine = async () => attempt.run !== undefined && parse((await writes.listTags())[LEASE_TAG])?.run === attempt.run;
        if (!(await mine())) return false;
        if (ctx.settleMs > 0) await ctx.sleep(ctx.settleMs);
        if (!(await mine())) return false;
        await removeLease(ctx, attempt.run!, writes);
        return true;
    }
}

/** What an acquisition tried: the run id of the lease it was writing, once it started to write one. */
export interface LeaseAttempt {
    run?: string;
    /** Claims a withdrawal must leave: their stale tag's deletion may still land (`takeOver`). */
    kept?: string[];
}

function newLease(ctx: LeaseContext): Lease {
    return { run: crypto.randomUUID(), owner: `${os.userInfo().username}@${os.hostname()}`, host: os.hostname(), pid: process.pid, since: ctx.clock().toISOString(),
        ns: processNamespace(), start: processStart(process.pid) ?? "" };
}

/**
 * Removes `tag` while it still holds `stale` (a stale lease, or a stale claim), once this run has added the claim
 * for it; throws LeaseError naming a live run that claimed it first. A claim whose run is gone is stale by the
 * same rules as a lease and is itself taken over. The caller then tries again from its add.
 */
async function takeOver(ctx: LeaseContext, strict: StrictTags, tag: string, stale: string, value: string, attempt: LeaseAttempt, depth = 0): Promise<void> {
    const claim = claimTag(stale);
    if (!(await strict.add(claim, value))) {
        const text = (await strict.read())[claim];
        // Gone: the run that claimed it is done, and the caller's next add says what it left.
        if (text === undefined) return;
        const claimant = parse(text);
        if (claimant?.run !== attempt.run) {
            const holder = claimant ? holderOf(claimant) : undefined;
            const verdict = holder ? staleness(holder, { now: ctx.clock(), staleAfterMinutes: ctx.staleLockMinutes }) : { stale: true, why: "it is unreadable" };
            const who = holder ? describeHolder(holder) : "an unreadable claim";
            if (!verdict.stale) throw new LeaseError(`another reconciler is taking over the stale lease of stack ${ctx.stack.name} (${who}: ${verdict.why}); this run changes nothing`);
            if (depth >= STRICT_ROUNDS) throw new LeaseError(`stack ${ctx.stack.name}: ${STRICT_ROUNDS} stale claims on its lease in a row; this run changes nothing`);
            ctx.log(`lease: the run that claimed the stale lease is gone (${who}: ${verdict.why}); taking its claim over`);
            return takeOver(ctx, strict, claim, text, value, attempt, depth + 1);
        }
    }
    try {
        if ((await strict.read())[tag] === stale) await strict.remove(tag);
    } catch (err) {
        if (!mayHaveLanded(err)) {
            await strict.remove(claim);
            throw err;
        }
        // The deletion may land later and remove whatever `tag` holds by then: a lease this run adds now, or one a
        // run adds once this claim is gone. So the claim stays (no other run deletes the stale tag while it does, and
        // none can add the lease while the stale one is there), and this run stops without adding its lease; once the
        // deletion has landed the next run finds the lease free, else it finds this claim, stale once this run ended.
        attempt.kept = [...(attempt.kept ?? []), claim];
        throw new LeaseError(`stack ${ctx.stack.name}: deleting the stale ${tag === LEASE_TAG ? "lease" : "claim"} got no answer and may still land (${(err as Error).message}); ` +
            "this run keeps its claim, changes nothing and leaves the stack to the next run: try again later");
    }
    // The stale holder's tag is gone (or changed): a run that claims it later finds something else and leaves it.
    // A removal that may land later is left to land: no run can add this claim while it is there.
    await strict.remove(claim).catch((err) => {
        if (!mayHaveLanded(err)) throw err;
        ctx.log(`lease: removing the claim ${claim} got no answer (${(err as Error).message}); it is left to land`);
    });
}

/** A DeleteStackTag that got no answer (cloudTags.ts CloudTagError, not imported: stackOps.ts imports this module). */
function mayHaveLanded(err: unknown): boolean {
    return (err as { mayHaveLanded?: unknown } | undefined)?.mayHaveLanded === true;
}

/** Pulumi Cloud: removes this attempt's lease and claims that landed; true when its lease was one of them. */
async function withdrawStrict(strict: StrictTags, attempt: LeaseAttempt): Promise<boolean> {
    if (attempt.run === undefined) return false;
    const tags = await strict.read();
    const own = Object.keys(tags).filter((k) => (k === LEASE_TAG || k.startsWith(CLAIM_PREFIX)) && !attempt.kept?.includes(k) && parse(tags[k])?.run === attempt.run);
    for (const k of own) await strict.remove(k);
    return own.includes(LEASE_TAG);
}

async function removeLease(ctx: LeaseContext, run: string, writes: LeaseTags): Promise<void> {
    await writes.removeTag(LEASE_TAG);
    // Read back: a self-managed backend may keep a stack's last tag through `tag rm` (pulumi/pulumi#23687).
    if (parse((await writes.listTags())[LEASE_TAG])?.run === run) {
        ctx.log(`lease: the backend kept ${LEASE_TAG} through its removal (pulumi/pulumi#23687, fixed by pulumi/pulumi#23702); marking it ${RELEASED}`);
        await writes.setTag(LEASE_TAG, RELEASED);
    }
}
