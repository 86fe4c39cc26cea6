/**
 * The services that write into a store restored to a point in time (Cosmos DB's continuous backup) must stop
 * before the teardown waits for that backup: a restore goes back to the point the wait proved, so every write
 * after it is lost, and the services (CookieServices Deployments) would go on writing during the wait and the
 * destroy's first deletions. So such a teardown first deletes the stack's workloads alone, then waits from a
 * moment after they were gone, then destroys the rest.
 *
 * Why a targeted destroy (`pulumi destroy --target <workload> --target-dependents`, the Automation API's
 * `destroy({ target, targetDependents })`) and not an `up` of a plan without them: it runs no program and
 * needs no config, and it leaves the last change a destroy, a partial stack the teardown already resumes
 * without an `up` (dataFlow.ts), so no later run brings the writers back before the stores are gone. An `up`
 * of a stopped plan would leave a stack that looks up, and the next run's snapshot-suffix `up` from a fresh
 * checkout (the running plan) would start the writers again.
 *
 * Why a deletion that ended proves the pods are gone: the Kubernetes provider deletes with foreground
 * cascading by default (pulumi/pulumi-kubernetes provider/pkg/metadata/overrides.go DeletionPropagation,
 * `pulumi.com/deletionPropagationPolicy` unset) and awaits the object's 404 or Deleted event
 * (provider/pkg/await/await.go Deletion, await/condition/deleted.go). Foreground keeps the Deployment until
 * its ReplicaSets are gone, and the garbage collector deletes each ReplicaSet, which has dependents, in
 * foreground too (kubernetes pkg/controller/garbagecollector attemptToDeleteItem), so it stays until its pods
 * are gone from the API, which is once their containers have stopped. Two annotations break that chain, and a
 * workload carrying one is refused before anything is deleted: `pulumi.com/skipAwait: "true"` skips the
 * delete's await for Deployments, StatefulSets, DaemonSets, Jobs and Pods (overrides.go
 * allowsSkipAwaitWithDelete, pulumi/pulumi-kubernetes#3154; CookieServices sets it in the hibernated plan),
 * and a `background` or `orphan` propagation policy ends the delete while the pods still run.
 */
import { boundedOperation } from "./bounds";
import { boundedStackRead } from "./cliRead";
import type { FlowContext } from "./dataFlow";
import { SCHEDULER_MESSAGE } from "./settle";
import { ReconcileError, runLocked, verifyLease } from "./stackOps";
import { StackState, observedVersion, readHistory, readState } from "./state";

/** What stopping the writers left: the state after it, the history entry that state reflects, and when they were gone. */
export interface Stopped {
    readonly state: StackState;
    readonly version: number;
    /** A moment after every workload's pods were gone (the clock read once the state showed none); undefined when none ran. */
    readonly since?: Date;
}

/**
 * Deletes the state's workloads alone (and what depends on them), before the teardown waits for the backup of
 * `stores`, and reads the state again. Refuses, nothing deleted, when a workload's deletion would not show its
 * pods gone; throws, nothing but workloads deleted, when the state holds a workload again after the deletion
 * (an `up` ran in between): the next run stops them again and waits again.
 */
export async function stopWriters(ctx: FlowContext, state: StackState, version: number, stores: readonly string[]): Promise<Stopped> {
    const writers = state.writers ?? [];
    if (writers.length === 0) return { state, version };
    const unproven = writers.filter((w) => w.unproven !== "");
    if (unproven.length > 0) {
        throw new ReconcileError(`teardown refused: the deletion of ${unproven.map((w) => `${w.urn} (${w.unproven})`).join(", ")} would not show that its pods have stopped, ` +
            `so the services could go on writing into ${stores.join(", ")} after the point its restore goes back to; nothing was deleted.\n` +
            "  Run `pulumi up` with the running plan (it removes the annotation; a hibernated stack is woken first), then the teardown");
    }
    ctx.log(`teardown: stopping the services that may write into ${stores.join(", ")} before waiting for its continuous backup: deleting ${writers.length} workload(s) first`);
    await verifyLease(ctx, ctx.lease);
    await runLocked(ctx, "teardown (stopping the services)", () => boundedOperation(ctx, "teardown (pulumi destroy --target)", (signal) =>
        ctx.stack.destroy({
            message: `${SCHEDULER_MESSAGE} stopping the services at ${ctx.options.now.toISOString()}`, target: writers.map((w) => w.urn), targetDependents: true,
            onOutput: (out) => out.split("\n").filter((l) => l.trim() !== "").forEach((l) => ctx.log(`  | ${l}`)), signal,
        })));
    const history = await boundedStackRead(ctx, "reading the stack history", (reads) => readHistory(reads, 1));
    const after = await boundedStackRead(ctx, "reading the stack state", (reads) => readState(reads));
    const since = ctx.clock();
    const back = after.writers ?? [];
    if (back.length > 0) {
        throw new ReconcileError(`teardown stopped: the state holds workloads again after they were deleted (an \`up\` ran in between?): ${back.map((w) => w.urn).join(", ")}; ` +
            "no data store was deleted.\n  The next run stops them again and waits for the backup again");
    }
    ctx.log(`teardown: the services are stopped (their workloads and pods gone by ${since.toISOString()})`);
    return { state: after, version: observedVersion(history), since };
}

/**
 * After the backup wait, just before the destroy: a stack changed since the writers were stopped (a person's `up`
 * during the wait) may run them again, and their writes after the proven point would be lost. Throws, no data store
 * deleted; the next run stops them again and waits again. Pulumi's lock covers one command, so an `up` in the
 * moment between this look and the destroy's own lock is not seen.
 */
export async function refuseWritersBack(ctx: FlowContext, version: number, stores: readonly string[]): Promise<void> {
    const history = await boundedStackRead(ctx, "reading the stack history", (reads) => readHistory(reads, 1));
    if (observedVersion(history) === version) return;
    const state = await boundedStackRead(ctx, "reading the stack state", (reads) => readState(reads));
    const back = state.writers ?? [];
    if (back.length === 0) return;
    throw new ReconcileError(`teardown stopped: the stack changed while it waited for the continuous backup of ${stores.join(", ")}, and it holds workloads again ` +
        `(${back.map((w) => w.urn).join(", ")}), whose writes after the proven point a restore would miss; no data store was deleted.\n` +
        "  The next run stops them again and waits for the backup again");
}
