/**
 * Test helper: the snapshot inventories a scenario runs with, one case each, so that one scenario body runs as
 * a test passes it (none) and as `npm run schedule` does on each cloud, where it always builds the cloud's own
 * (cli.ts stackInventory): the AWS inventory over the fake AWS APIs (fakeAws.ts), and on a dev-azure-like
 * program (its Cosmos DB store, the services that write into it) the Azure one over the fake cloud's
 * restorable accounts (restorableAccounts.ts) and its continuous backup (continuousBackup.ts).
 */
import { AwsInventory } from "../inventory/aws";
import { POINT_IN_TIME_CONFIG } from "../lineage";
import type { Restore } from "../record";
import { fakeBackup } from "./continuousBackup";
import { FakeAwsApi } from "./fakeAws";
import { FakeBackend, VPC, azureProgram, vnetOf } from "./fakeBackend";
import type { HarnessOptions } from "./harness";
import { fakeAzureInventory } from "./restorableAccounts";

export interface InventoryCase {
    /** How a test's title names it: `without an inventory`, `with the AWS inventory`, `with the Azure inventory`. */
    readonly name: string;
    readonly cloud: "aws" | "azure";
    /** What the harness takes for it: the program (the Azure case's), the inventory. */
    readonly options: HarnessOptions;
    /** The program's network, which a destroy deletes last. */
    readonly network: string;
    /**
     * The destroys a teardown runs before the one that deletes the stores: on the Azure program, the targeted
     * destroy that stops the services writing into the Cosmos DB store (writers.ts). A fault meant for the
     * deletions skips them.
     */
    readonly destroysFirst: number;
    /** What a destroy that fails on the network says (the provider's error). */
    readonly networkInUse: { stderr: string; pattern: RegExp };
    /** What `--restore <store>=` takes to restore kept snapshot `id` (a Cosmos DB account: its deletion time too). */
    restore(backend: FakeBackend, id: string): Restore;
}

const AWS_NETWORK_IN_USE = {
    stderr: `error: deleting ${VPC}: operation error EC2: DeleteVpc, api error DependencyViolation: The vpc 'vpc-0a1b' has dependencies and cannot be deleted.`,
    pattern: /DependencyViolation/,
};
const snapshotOnly = (_backend: FakeBackend, id: string): Restore => ({ id, config: {} });

export const WITHOUT_INVENTORY: InventoryCase = { name: "without an inventory", cloud: "aws", options: {}, network: VPC, destroysFirst: 0, networkInUse: AWS_NETWORK_IN_USE, restore: snapshotOnly };

export const AWS_INVENTORY: InventoryCase = {
    name: "with the AWS inventory", cloud: "aws", network: VPC, destroysFirst: 0, networkInUse: AWS_NETWORK_IN_USE, restore: snapshotOnly,
    options: { inventory: (b) => new AwsInventory(new FakeAwsApi(() => b), "intergalactic", "us-east-1") },
};

const VNET = vnetOf("dev");
export const AZURE_INVENTORY: InventoryCase = {
    name: "with the Azure inventory", cloud: "azure", network: VNET, destroysFirst: 1,
    networkInUse: {
        stderr: `error: deleting ${VNET}: Code="InUseSubnetCannotBeDeleted" Message="Subnet aks-nodes is in use and cannot be deleted."`,
        pattern: /InUseSubnetCannotBeDeleted/,
    },
    // A deleted account restores to a point in time up to its deletion (continuous-backup-restore-introduction).
    restore: (backend, id) => ({ id, config: { [POINT_IN_TIME_CONFIG]: backend.read().cloud.snapshots[id]?.deletedAt ?? "" } }),
    options: {
        edit: (s) => void (s.program = azureProgram("dev")),
        // Every account is backed up to the moment asked (no dated writes): the teardown's wait ends at once.
        inventory: (b) => fakeAzureInventory(b, [], undefined, fakeBackup(() => b, () => 25_000)),
    },
};

/** Each inventory a scenario that must hold in production runs with. */
export const INVENTORY_CASES: readonly InventoryCase[] = [WITHOUT_INVENTORY, AWS_INVENTORY, AZURE_INVENTORY];
