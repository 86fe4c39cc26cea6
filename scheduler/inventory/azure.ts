/**
 * The cloud's own inventory on Azure: the restorable database accounts Cosmos DB keeps of every deleted
 * account with continuous backup (Restorable Database Accounts - List,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/restorable-database-accounts/list;
 * permission `Microsoft.DocumentDB/locations/restorableDatabaseAccounts/read`). Azure Managed Redis and
 * Event Hubs keep nothing past a deletion, so only HaMongo's account is ever listed.
 *
 * What a listed instance says, and what it cannot:
 * - `accountName`, `creationTime`, `deletionTime` (absent while the account lives), `oldestRestorableTime`,
 *   `apiType` and `restorableLocations`; its `name` is the instance id the restore names. Nothing else:
 *   no tags, no resource group, no backup tier and no `createMode`/`restoreParameters`
 *   (RestorableDatabaseAccountGetResult in @azure/arm-cosmosdb has none), and a deleted account's own GET
 *   answers 404. So:
 * - its store is known only by the account name HaMongo's account gets (`<store>-db` and azure-native's 8
 *   autonaming hex characters), and its stack not at all: another stack's store of the same name in the same
 *   subscription looks the same. Such an instance is restored unasked only when the record names it.
 * - so a stack moved between backends or organisations while down (no record, a new qualified name) finds
 *   its store's instances as before the move: nothing here is filtered by owner, and each is listed as not
 *   proven, so its spin-up asks (inventory/index.ts newestReal) rather than starting the store empty.
 * - its lineage is unknown (`?`): an account created after another's deletion may have been restored from
 *   it or created empty (a person's `up` after a failed spin-up), and nothing listed tells them apart.
 * - each teardown leaves one more instance of the same name (a restore is a new account with a new
 *   instance id), each with its own window, whose length the listing does not say.
 * - the latest point it restores with every write is not known once it is deleted: a teardown proves one
 *   before its deletion (awaitBackup, azureBackup.ts) and the record keeps it; the listing offers just
 *   before the deletion, the latest Azure accepts.
 */
import { childName } from "../../components/common/naming";
import { CosmosLimits } from "../../components/mongo/layout";
import { POINT_IN_TIME_CONFIG } from "../lineage";
import { UNKNOWN_LINEAGE } from "../record";
import { CosmosBackupClient, awaitContinuousBackup, describeError } from "./azureBackup";
import { InventoryError, requireInventorySdk } from "./index";
import type { BackupWait, InventorySettings, KeptSnapshot, SnapshotInventory } from "./index";

/** One restorable account as the SDK's `restorableDatabaseAccounts.list()` yields it (RestorableDatabaseAccountGetResult). */
export interface RestorableAccount {
    /** `/subscriptions/<s>/providers/Microsoft.DocumentDB/locations/<location>/restorableDatabaseAccounts/<instance id>`. */
    readonly id?: string;
    /** The instance id. */
    readonly name?: string;
    /** The account's location, as a display name ("West Europe"). */
    readonly location?: string;
    readonly accountName?: string;
    readonly creationTime?: Date;
    /** Absent while the account lives. */
    readonly deletionTime?: Date;
    /** The earliest time it can be restored to. */
    readonly oldestRestorableTime?: Date;
    /** `MongoDB`, `Sql`, `Cassandra`, `Table`, `Gremlin`, `GremlinV2`. */
    readonly apiType?: string;
    readonly restorableLocations?: readonly { readonly locationName?: string; readonly creationTime?: Date; readonly deletionTime?: Date }[];
}

/** The one call the inventory makes: every restorable account of the subscription, across its pages. */
export interface RestorableAccountsApi {
    list(): AsyncIterable<RestorableAccount>;
}

/** The SDKs the inventory loads, pinned in package.json (devDependencies) and declared as optional peers. */
export const AZURE_INVENTORY_SDKS = [
    { packageName: "@azure/arm-cosmosdb", versionRange: "^17.0.0" },
    { packageName: "@azure/identity", versionRange: "^4.14.1" },
] as const;

/** Restorable Database Accounts - List, as the messages name it. */
export const LIST_API = "Cosmos DB Restorable Database Accounts - List";


export interface AzureInventoryOptions {
    readonly subscription: string;
    /** The clock instances past every tier's window are measured against. */
    readonly now: () => Date;
}

/** A Cosmos DB account name as ARM takes it (Database Accounts - Create Or Update: `^[a-z0-9]+(-[a-z0-9]+)*`, at most 44 characters). */
const ACCOUNT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Matches nothing: a store whose account name could not exist. */
const NO_ACCOUNT = /(?!)/;

/**
 * The account name HaMongo's account of `store` gets. The component names it by no `accountName`, so
 * azure-native autonames it: the logical name `childName(store, "db")` as it is, then 8 lower-case hex
 * characters without a separator (resource.NewUniqueHex; pulumi/pulumi-azure-native
 * provider/pkg/provider/autonaming_test.go: `test` becomes `test614742c2`). A store name that cannot make an
 * account name (upper case, other characters, longer than 44 with the suffix) has no account to match.
 */
export function accountNamePattern(store: string): RegExp {
    const logical = childName(store, "db");
    if (!ACCOUNT_NAME.test(logical) || logical.length + CosmosLimits.autonameSuffixLength > CosmosLimits.accountNameLength) return NO_ACCOUNT;
    return new RegExp(`^${logical}[0-9a-f]{${CosmosLimits.autonameSuffixLength}}$`);
}

const DAY_MS = 86_400_000;
/** The longest continuous-backup window: past it Azure restores nothing, whatever the tier was. */
const LONGEST_WINDOW_DAYS = Math.max(...CosmosLimits.continuousTierDays);
/**
 * The shortest: a listed instance names no tier (RestorableDatabaseAccountGetResult has no backup policy), and the
 * tier the stack's config names now may not be the one the account had when it was deleted. So an instance's
 * window is taken to end at the earliest it can; the tier the state said at the deletion is the record's
 * (settle.ts `restorableUntil`), which a spin-up keeps when it restores the record's own instance.
 */
const SHORTEST_WINDOW_DAYS = Math.min(...CosmosLimits.continuousTierDays);

/** An ARM id in the spelling the state and the record use: the location's name (`westeurope`), not its display name. */
function instanceId(subscription: string, a: RestorableAccount): string {
    const location = (a.location ?? /\/locations\/([^/]+)\//i.exec(a.id ?? "")?.[1] ?? "").replace(/\s+/g, "").toLowerCase();
    return `/subscriptions/${subscription}/providers/Microsoft.DocumentDB/locations/${location}/restorableDatabaseAccounts/${a.name}`;
}

/**
 * The latest time an instance can be restored to: just before its deletion. An instance serves a restore at
 * a time when it was alive, from its creation to its deletion (Restore-AzCosmosDBAccount picks the instance
 * "alive at the given timestamp", Azure/azure-powershell#25130), and never before `oldestRestorableTime`.
 * Undefined when that window is empty.
 */
export function latestRestorableTime(a: RestorableAccount): Date | undefined {
    if (!a.deletionTime) return undefined;
    const latest = new Date(a.deletionTime.getTime() - 1000);
    const earliest = Math.max(a.creationTime?.getTime() ?? 0, a.oldestRestorableTime?.getTime() ?? 0);
    return latest.getTime() >= earliest ? latest : undefined;
}

/** The deleted instances of `store`'s account that can still be restored, as kept snapshots. */
export function keptAccounts(accounts: readonly RestorableAccount[], store: string, options: AzureInventoryOptions): KeptSnapshot[] {
    const pattern = accountNamePattern(store);
    const now = options.now().getTime();
    const out: KeptSnapshot[] = [];
    for (const a of accounts) {
        // A live account (no deletionTime) is a store someone runs, not what a deletion kept.
        if (a.apiType !== "MongoDB" || !a.name || !a.deletionTime || !pattern.test(a.accountName ?? "")) continue;
        if (now > a.deletionTime.getTime() + LONGEST_WINDOW_DAYS * DAY_MS) continue;
        const at = latestRestorableTime(a);
        if (!at) continue;
        out.push({
            id: instanceId(options.subscription, a),
            takenAt: a.deletionTime,
            from: UNKNOWN_LINEAGE,
            config: { [POINT_IN_TIME_CONFIG]: at.toISOString() },
            until: new Date(a.deletionTime.getTime() + SHORTEST_WINDOW_DAYS * DAY_MS).toISOString(),
            ownerUnproven: `Azure's restorable accounts carry no tags, so only its account name ${a.accountName} ties it to ${store}, not to a stack`,
        });
    }
    return out;
}

export class AzureInventory implements SnapshotInventory {
    /** Waits for the continuous backup of a live account (azureBackup.ts); absent without a client for it. */
    readonly awaitBackup?: (wait: BackupWait) => Promise<Date>;

    constructor(private readonly api: RestorableAccountsApi, private readonly options: AzureInventoryOptions, backup?: CosmosBackupClient) {
        if (backup) this.awaitBackup = (wait) => awaitContinuousBackup(backup, wait);
    }

    async list(_stack: string, store: string): Promise<readonly KeptSnapshot[]> {
        const accounts: RestorableAccount[] = [];
        try {
            for await (const a of this.api.list()) accounts.push(a);
        } catch (err) {
            throw new InventoryError(`${LIST_API} (GET /subscriptions/${this.options.subscription}/providers/Microsoft.DocumentDB/restorableDatabaseAccounts) failed: ` +
                `${describeError(err)}; the deployer's identity needs Microsoft.DocumentDB/locations/restorableDatabaseAccounts/read on the subscription`);
        }
        return keptAccounts(accounts, store, this.options);
    }
}

/**
 * Loads one SDK package; a missing one (not a module it requires) is MissingInventorySdkError naming both to install.
 * `node` is the Node.js version its engine is checked against.
 * @default node process.versions.node
 */
export function loadSdk<T>(packageName: string, node: string = process.versions.node): T {
    return requireInventorySdk(packageName, "Azure", AZURE_INVENTORY_SDKS.map((s) => `${s.packageName}@${s.versionRange}`), require, node) as T;
}

/** The parts of the two SDKs the inventory uses, typed here so that nothing else loads them. */
interface CosmosSdk {
    CosmosDBManagementClient: new (credential: unknown, subscriptionId: string) => CosmosBackupClient & { restorableDatabaseAccounts: RestorableAccountsApi };
}
interface IdentitySdk {
    DefaultAzureCredential: new () => unknown;
}

/** The real clients: the SDK's paged lists (they follow `nextLink`), its account read and backup call, signed in with DefaultAzureCredential. */
export function sdkClients(subscription: string): { restorable: RestorableAccountsApi; backup: CosmosBackupClient } {
    const { DefaultAzureCredential } = loadSdk<IdentitySdk>("@azure/identity");
    const { CosmosDBManagementClient } = loadSdk<CosmosSdk>("@azure/arm-cosmosdb");
    const client = new CosmosDBManagementClient(new DefaultAzureCredential(), subscription);
    return { restorable: { list: () => client.restorableDatabaseAccounts.list() }, backup: client };
}

/** The subscription the stack deploys to: `azure-native:subscriptionId`, else the provider's `ARM_SUBSCRIPTION_ID`. */
export function stackSubscription(settings: InventorySettings): string {
    const subscription = settings.config["azure-native:subscriptionId"] || settings.env.ARM_SUBSCRIPTION_ID || "";
    if (!subscription) {
        throw new InventoryError(`the Azure snapshot inventory of ${settings.stack} needs its subscription: set azure-native:subscriptionId in Pulumi.${settings.stack}.yaml or ARM_SUBSCRIPTION_ID`);
    }
    return subscription;
}

/**
 * The inventory `npm run schedule` uses for an Azure stack; `api` (and `backup`) replace the SDK clients in tests,
 * where a test without `backup` has no wait for the continuous backup.
 */
export function azureInventory(settings: InventorySettings, api?: RestorableAccountsApi, now: () => Date = () => new Date(), backup?: CosmosBackupClient): SnapshotInventory {
    const subscription = stackSubscription(settings);
    const clients = api ? { restorable: api, backup } : sdkClients(subscription);
    return new AzureInventory(clients.restorable, { subscription, now }, clients.backup);
}
