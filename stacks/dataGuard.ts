/**
 * The program's side of the prod data-loss guard (rules in `config/dataLoss.ts`): the inventory of
 * the stores this config builds, exported as the `dataStores` stack output, and the inventory the
 * last deployment exported, read back through a StackReference to this very stack before any
 * resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "../components/common";
import type { StackConfig } from "./config";
import { StoreInventory, StoreRecord, compareInventories, isProdStack } from "./config/dataLoss";
import { guardInput } from "./config/inventory";
import { selfReferenceName } from "./selfReference";

/** Keeps only well-formed records: the previous output is data from outside this program. */
function asInventory(value: unknown): StoreInventory | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const stores: Record<string, StoreRecord> = {};
    for (const [name, r] of Object.entries(value as Record<string, unknown>)) {
        const rec = r as Record<string, unknown>;
        if (rec && typeof rec.section === "string" && typeof rec.component === "string" && typeof rec.networkCidr === "string") {
            stores[name] = {
                component: rec.component, section: rec.section, networkCidr: rec.networkCidr, deletionProtection: rec.deletionProtection === true,
                ...(typeof rec.finalSnapshot === "boolean" ? { finalSnapshot: rec.finalSnapshot } : {}), environment: String(rec.environment ?? ""),
                ...(typeof rec.cloud === "string" ? { cloud: rec.cloud } : {}), ...(typeof rec.region === "string" ? { region: rec.region } : {}),
            };
        }
    }
    return stores;
}

/** The name of the StackReference that reads this stack's last outputs. */
export const BASELINE_REFERENCE = "data-stores-deployed";

/**
 * The inventory the last deployment of this stack exported, or undefined (first deployment).
 * A StackReference to the stack itself reads the outputs of its last completed update.
 */
export async function deployedInventory(): Promise<StoreInventory | undefined> {
    const self = new pulumi.StackReference(BASELINE_REFERENCE, { name: selfReferenceName() });
    const details = await self.getOutputDetails("dataStores");
    return asInventory(details.value ?? details.secretValue);
}

/** Refuses, before any resource exists, a prod config that would lose a deployed store without an override. */
export async function guardDataLoss(stack: string, config: StackConfig): Promise<void> {
    if (!isProdStack(stack, config.environment)) return;
    const previous = await deployedInventory();
    const problems = compareInventories(guardInput(stack, config, previous));
    if (problems.length > 0) throw new InvalidArgumentsError(`prod stack "${stack}" (data-loss guard)`, problems);
}
