/**
 * A store whose deletion keeps a continuous backup (Cosmos DB) is restored to a point in time, and that
 * backup lags the live writes: Azure backs the log up every 100 seconds, sometimes later, and a point the
 * backup has not reached holds none of the writes after it
 * (https://learn.microsoft.com/azure/cosmos-db/latest-restore-timestamp-continuous-backup). Azure documents
 * asking the latest restorable timestamp before deleting an account, until it reaches the last write; it
 * answers only for a live account. So just before its destroy, a teardown waits until the backup of each
 * such store holds every write made until the services were stopped (writers.ts; the teardown's start when the
 * state holds none), and records the point the wait proved as the one its restore goes back to. A store it
 * cannot prove that for is not deleted.
 */
import { InterruptedError, boundedWait, stoppableSleep } from "./bounds";
import { POINT_IN_TIME_CONFIG } from "./lineage";
import { StoreRecord } from "./record";
import { ReconcileError } from "./stackOps";
import type { StackState } from "./state";
import type { FlowContext } from "./dataFlow";

/**
 * The records of the stores about to be deleted, each point-in-time restore moved to the point its backup
 * was proved to hold (at or after the one armed: `since`, when the services were stopped or the teardown began). Throws, nothing deleted, when a
 * store's backup cannot be shown to hold its writes: the next run tries again.
 */
export async function provenRestorePoints(ctx: FlowContext, state: StackState, deleting: Readonly<Record<string, StoreRecord>>,
    armed: Readonly<Record<string, string>>, since = "the teardown began"): Promise<Record<string, StoreRecord>> {
    const out: Record<string, StoreRecord> = { ...deleting };
    const inventory = ctx.options.inventory;
    const refused: string[] = [];
    for (const [store, id] of Object.entries(armed)) {
        const at = deleting[store]?.armedConfig[POINT_IN_TIME_CONFIG];
        // Nothing kept (its data may be dropped), or a snapshot taken at the deletion: it holds every write.
        if (!id || at === undefined) continue;
        const from = new Date(at);
        if (!inventory?.awaitBackup) {
            ctx.log(`teardown: ${store}: no snapshot inventory can show that its continuous backup holds the writes up to ${at}; its restore goes back to ${at}`);
            continue;
        }
        const wait = inventory.awaitBackup.bind(inventory);
        const resources = state.stores.find((s) => s.name === store)?.resources ?? [];
        try {
            const proven = await boundedWait(ctx, `waiting for the continuous backup of ${store} to reach ${at}`, (signal) =>
                wait({ stack: ctx.stack.name, store, resources, since: from, clock: ctx.clock, log: (line) => ctx.log(`teardown: ${line}`), signal, sleep: stoppableSleep(ctx.sleep, signal) }));
            ctx.log(`teardown: ${store}: its continuous backup holds every write up to ${proven.toISOString()} (${since} at ${at}); its restore goes back to that point`);
            out[store] = { ...deleting[store], armedConfig: { ...deleting[store].armedConfig, [POINT_IN_TIME_CONFIG]: proven.toISOString() } };
        } catch (err) {
            // A stop signal ends the run as it ends every other step; nothing was deleted.
            if (err instanceof InterruptedError) throw err;
            refused.push(`${store} (${(err as Error).message.split("\n")[0]})`);
        }
    }
    if (refused.length > 0) {
        throw new ReconcileError(`teardown refused: the continuous backup of ${refused.join(", ")} could not be shown to hold every write made until ${since}, ` +
            "so a restore would miss the writes it had not caught up with; nothing was deleted.\n  The next run tries again");
    }
    return out;
}
