/*
 * `up`, `destroy` and `refresh`: the lock, the injected fault, the change, the history entry.
 *
 * `state.failures` inject faults: { command, skip, times, mode, stderr, keep, pendingOn }
 *   mode "fail"    a destroy deletes everything but `keep` (URNs or store names) then fails
 *   mode "crash"   the process dies mid-operation: deletions as for "fail", the lock it took
 *                  stays (its pid is dead), `pendingOn` stays pending; on a self-managed
 *                  backend no history entry, on Pulumi Cloud the update stays in progress
 *   mode "hang"    takes the lock and never finishes; SIGINT cancels it cleanly (as Pulumi
 *                  does) unless `ignoreSigint`; a killed process leaves its lock; a destroy
 *                  with `pendingOn` first deletes as "crash" does, then hangs mid-deletion
 *   mode "delay"   holds the lock for `delayMs`, then runs normally
 *   mode "partial" an `up` applies its changes (stores created or updated), keeps the old
 *                  outputs and fails
 *   mode "quiet"   a destroy runs normally, but none of its engine events reach `--event-log`
 *                  (the Automation API stops tailing that file at the command's exit, without
 *                  a last read, so a fast command's last events can be missed; over gRPC a CLI
 *                  that cannot reach the events server goes on without them, pulumi/pulumi
 *                  pkg/backend/display/display.go startEventLogger)
 * A destroy's delete steps go to `--event-log` as the engine reports them (events.js), to a
 * file or over gRPC as the reported version makes the Automation API ask.
 * `skip` lets that many matching calls pass first.
 */
"use strict";
const { Exit, fail } = require("./call");
const { readConfig } = require("./config");
const { applyDestroy, applyUp, exportedResource, isStore, keptTags, restorableDays, urnOf } = require("./cloud");
const { cloudNow } = require("./writers");
const { finish, isCloud, lock, stackOf, takeFailure, withBackend } = require("./backend");
const { destroyEvents } = require("./events");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process dies mid-operation: what it did so far stays, and so do its lock and a pending operation. */
function crash(b, s, call, command, fault, config, events) {
    if (command === "destroy") {
        const targets = call.flags("--target");
        // A destroy of `--target`s deletes only those: the one it was deleting when it died is one of them.
        const target = s.resources.find((r) => (r.urn === fault.pendingOn || r.store === fault.pendingOn) && (targets.length === 0 || targets.includes(r.urn)));
        applyDestroy(b, s, [...(fault.keep || []), ...(target ? [target.urn] : [])], events.step, undefined, targets.length > 0 ? targets : undefined);
        if (target) {
            // Its delete step started; the process died before it ended.
            events.step("pre", exportedResource(b, target));
            // It was being deleted when the process died: gone from the cloud, still in the state; its snapshot as a
            // deletion that ended takes it (deleteResource), on the cloud's clock.
            if (isStore(target) && b.cloud.stores[target.id]) {
                if (target.finalSnapshot && !b.cloud.snapshots[target.finalSnapshot]) {
                    b.cloud.snapshots[target.finalSnapshot] = { ...keptTags(b, target), deletedAt: cloudNow(b).toISOString(), restorableForDays: restorableDays(target) };
                }
                delete b.cloud.stores[target.id];
            }
            s.pending.push({ urn: target.urn, type: "deleting" });
        }
        return;
    }
    // Died after creating what it could: the state has it, but the update never ended.
    try {
        applyUp(b, s, call.stackName, config);
    } catch {
        // A failed restore creates nothing more.
    }
    s.pending.push({ urn: fault.pendingOn || urnOf(call.stackName, "aws:ec2/subnet:Subnet", "net-app-a"), type: "creating" });
}

/** The change itself, then the history entry; a fault's failure after its partial change. */
function apply(b, s, call, command, fault, config, events) {
    if (fault.mode === "fail" && command === "up") fail(fault.stderr);
    if (fault.mode === "partial" && command === "up") {
        // A real update fails partway: what it updated keeps its new properties, the outputs stay as they were (pulumi/pulumi#15754).
        const outputs = s.outputs;
        try {
            applyUp(b, s, call.stackName, config);
        } finally {
            s.outputs = outputs;
        }
        fail(fault.stderr);
    }
    if (command === "up") applyUp(b, s, call.stackName, config);
    const targets = call.flags("--target");
    if (command === "destroy") applyDestroy(b, s, fault.mode === "fail" ? fault.keep || [] : [], events.step, fault.mode === "fail" ? fault.stderr : undefined, targets.length > 0 ? targets : undefined);
    if (command === "refresh") {
        s.resources = s.resources.filter((r) => !isStore(r) || b.cloud.stores[r.id]);
        if (call.has("--clear-pending-creates")) s.pending = [];
        else s.pending = s.pending.filter((p) => p.type !== "deleting");
    }
    if (fault.mode === "fail") fail(fault.stderr);
}

async function operation(root, call, command) {
    const config = readConfig(call);
    const fault = withBackend(root, (b) => {
        lock(root, b, call, stackOf(b, call), command, config);
        return takeFailure(b, command) || { mode: "none" };
    });
    if (fault.mode === "hang") {
        if (command === "destroy" && fault.pendingOn) {
            // Hung in the middle of a deletion: what it deleted before is gone, the store it is deleting is gone from
            // the cloud (its final snapshot taken) and pending in the state, its events so far in the log, as for a crash.
            const events = destroyEvents(call);
            withBackend(root, (b) => crash(b, stackOf(b, call), call, command, fault, config, events));
            await events.write(false);
        }
        const why = await call.until((signal) => signal === "gone" || (signal === "SIGINT" && !fault.ignoreSigint));
        // Killed: the lock stays with a dead pid (and on Pulumi Cloud the update stays in progress).
        if (why === "gone") throw new Exit(137, "signal: killed");
        withBackend(root, (b) => void finish(b, call, stackOf(b, call), command, "failed", config));
        fail("error: update canceled");
    }
    if (fault.mode === "delay") await sleep(fault.delayMs || 0);
    const events = destroyEvents(call);
    if (fault.mode === "crash") {
        withBackend(root, (b) => crash(b, stackOf(b, call), call, command, fault, config, events));
        if (command === "destroy") await events.write(false);
        throw new Exit(137, "signal: killed");
    }
    const failure = withBackend(root, (b) => {
        const s = stackOf(b, call);
        // Pulumi Cloud: a `pulumi cancel` while this update ran ended it; its next checkpoint write is refused.
        if (isCloud(b) && !(s.lock && s.lock.pid === call.pid)) return new Exit(255, "error: [409] Conflict: the update has been canceled");
        try {
            apply(b, s, call, command, fault, config, events);
            finish(b, call, s, command, "succeeded", config);
            return undefined;
        } catch (err) {
            finish(b, call, s, command, "failed", config);
            return err;
        }
    });
    if (command === "destroy" && fault.mode !== "quiet") await events.write(true);
    if (failure) throw failure;
    call.out(`${command === "destroy" ? "Destroying" : "Updating"} (${call.stackName})\n  done\n`);
}

module.exports = { operation };
