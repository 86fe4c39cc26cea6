/**
 * The snapshot inventory of an AWS stack: the DocumentDB cluster snapshots and ElastiCache snapshots its
 * stores' deletions kept, in the stack's region.
 *
 * Neither service copies the store's tags onto the final snapshot its deletion takes: DocumentDB's
 * CreateDBCluster has no CopyTagsToSnapshot (only instances do, and their setting does not reach cluster
 * snapshots: hashicorp/terraform-provider-aws#39221), and DeleteReplicationGroup takes no tags (only
 * CreateSnapshot does). So the snapshot says whose it is only once the scheduler wrote that onto it after
 * the teardown that took it (`label`, AddTagsToResource, which both services document for snapshots):
 * `intergalactic:stack` (`<project>/<stack>`), `intergalactic:store` and `intergalactic:restored-from`.
 * A snapshot a deletion outside the scheduler took (a person's `pulumi destroy`) carries none; it is
 * found by its name, which starts with the store's (`<store>-<suffix>`, components' `finalSnapshotName`),
 * and listed as not owned with its lineage unknown: it is restored only when the record names it.
 * A snapshot tagged with another stack, or another store, is never listed.
 */
import { InventoryError, InventorySettings, KeptSnapshot, PROJECT, SnapshotInventory, requireInventorySdk } from "./index";

/** Why an untagged snapshot found by its name is not proven this stack's: another stack in the account and region may take that name too. */
const UNPROVEN = "it carries no intergalactic:stack tag (a person's destroy took it, or its tagging failed), and another stack in this account and region may take the same name";
import { encryptionKeyConfig } from "../lineage";
import { UNKNOWN_LINEAGE } from "../record";

/** A tag as both APIs spell it. */
export interface AwsTag {
    readonly Key?: string;
    readonly Value?: string;
}

/** A DocumentDB `DBClusterSnapshot` (the fields read; API reference, DBClusterSnapshot data type). */
export interface DBClusterSnapshot {
    readonly DBClusterSnapshotIdentifier?: string;
    readonly DBClusterIdentifier?: string;
    readonly SnapshotCreateTime?: Date;
    readonly Engine?: string;
    /** `available`, `creating`, ... */
    readonly Status?: string;
    readonly SnapshotType?: string;
    readonly KmsKeyId?: string;
    readonly DBClusterSnapshotArn?: string;
}

/** An ElastiCache `Snapshot` (the fields read; API reference, Snapshot data type). */
export interface CacheSnapshot {
    readonly SnapshotName?: string;
    readonly ReplicationGroupId?: string;
    /** `creating`, `available`, `restoring`, `copying`, `deleting`. */
    readonly SnapshotStatus?: string;
    readonly SnapshotSource?: string;
    /** One per node group (shard), each with its own `SnapshotCreateTime`. */
    readonly NodeSnapshots?: readonly { readonly SnapshotCreateTime?: Date }[];
    readonly KmsKeyId?: string;
    readonly ARN?: string;
}

/**
 * The calls the inventory makes, with requests and responses as the SDK for JavaScript v3 sends and returns
 * them (the API reference's shapes; timestamps as `Date`). Tests pass a fake; `sdkApi` the real clients.
 */
export interface AwsSnapshotApi {
    /** DocumentDB DescribeDBClusterSnapshots: one page; `Marker` in the response when there is another. */
    describeDBClusterSnapshots(input: { SnapshotType: "manual"; Marker?: string }): Promise<{ Marker?: string; DBClusterSnapshots?: readonly DBClusterSnapshot[] }>;
    /** DocumentDB ListTagsForResource of a snapshot ARN. */
    listDocDbTags(input: { ResourceName: string }): Promise<{ TagList?: readonly AwsTag[] }>;
    /** DocumentDB AddTagsToResource. */
    addDocDbTags(input: { ResourceName: string; Tags: AwsTag[] }): Promise<unknown>;
    /** ElastiCache DescribeSnapshots: one page; `Marker` in the response when there is another. */
    describeCacheSnapshots(input: { Marker?: string }): Promise<{ Marker?: string; Snapshots?: readonly CacheSnapshot[] }>;
    /** ElastiCache ListTagsForResource of a snapshot ARN. */
    listCacheTags(input: { ResourceName: string }): Promise<{ TagList?: readonly AwsTag[] }>;
    /** ElastiCache AddTagsToResource. */
    addCacheTags(input: { ResourceName: string; Tags: AwsTag[] }): Promise<unknown>;
}

export const STACK_TAG = "intergalactic:stack";
export const STORE_TAG = "intergalactic:store";
export const RESTORED_FROM_TAG = "intergalactic:restored-from";
/**
 * `restored-from` of a store created empty. Not a snapshot id (those have no spaces), and a tag value may
 * not be empty everywhere; `?` (not known) is not a character tags allow, so an unknown lineage writes none.
 */
export const CREATED_EMPTY = "created empty";

/** Statuses of a snapshot that is gone or going, so not kept; any other (`creating` too: the deletion took it) counts. */
const GONE = new Set(["deleting", "deleted", "failed"]);

/** The snapshot of one service, as both are read alike. */
interface Found {
    readonly service: "DocumentDB" | "ElastiCache";
    readonly id: string;
    readonly takenAt: Date;
    readonly keyId: string;
    /** Its service's ListTagsForResource and AddTagsToResource of its ARN. */
    readonly listTags: () => Promise<{ TagList?: readonly AwsTag[] }>;
    readonly addTags: (tags: AwsTag[]) => Promise<unknown>;
}

/** The most pages a listing reads: a marker that never ends is an error, not a hang. */
const MAX_PAGES = 100;

async function allPages<T>(what: string, page: (marker: string | undefined) => Promise<{ Marker?: string; items?: readonly T[] }>): Promise<T[]> {
    const out: T[] = [];
    let marker: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
        const r = await page(marker);
        out.push(...(r.items ?? []));
        if (!r.Marker) return out;
        marker = r.Marker;
    }
    throw new InventoryError(`${what} returned more than ${MAX_PAGES} pages`);
}

const newest = (times: readonly (Date | undefined)[], fallback: Date): Date =>
    times.reduce<Date | undefined>((a, t) => (t && (!a || t > a) ? t : a), undefined) ?? fallback;

/** Whether `id` is a name `store`'s deletions take (`<store>-<suffix>`; AWS keeps identifiers in lower case). */
const namedFor = (id: string, store: string): boolean => id.toLowerCase().startsWith(`${store.toLowerCase()}-`);

const tagMap = (tags: readonly AwsTag[] | undefined): Record<string, string> =>
    Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""]));

/** The inventory over `api`, for the stack `<project>/<stack>` in `region`. */
export class AwsInventory implements SnapshotInventory {
    constructor(private readonly api: AwsSnapshotApi, private readonly project: string, private readonly region: string, private readonly clock: () => Date = () => new Date()) {}

    private owner(stack: string): string {
        return `${this.project}/${stack}`;
    }

    private async call<T>(api: string, run: () => Promise<T>): Promise<T> {
        try {
            return await run();
        } catch (err) {
            if (err instanceof InventoryError) throw err;
            const e = err as { name?: string; message?: string };
            throw new InventoryError(`${api} in ${this.region} failed: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${(e.message ?? String(err)).split("\n")[0]}`);
        }
    }

    /** Every snapshot of either service whose name is one `store`'s deletions take. */
    private async named(store: string): Promise<Found[]> {
        const now = this.clock();
        const clusters = await allPages("DocumentDB DescribeDBClusterSnapshots", (Marker) => this.call("DocumentDB DescribeDBClusterSnapshots",
            async () => {
                const r = await this.api.describeDBClusterSnapshots({ SnapshotType: "manual", ...(Marker ? { Marker } : {}) });
                return { Marker: r.Marker, items: r.DBClusterSnapshots };
            }));
        const caches = await allPages("ElastiCache DescribeSnapshots", (Marker) => this.call("ElastiCache DescribeSnapshots",
            async () => {
                const r = await this.api.describeCacheSnapshots(Marker ? { Marker } : {});
                return { Marker: r.Marker, items: r.Snapshots };
            }));
        const found: Found[] = [];
        for (const s of clusters) {
            const id = s.DBClusterSnapshotIdentifier ?? "";
            // The DocumentDB API shares RDS's: an Aurora or Neptune snapshot may be listed too.
            if (!namedFor(id, store) || (s.Engine !== undefined && s.Engine !== "docdb") || GONE.has(s.Status ?? "") || !s.DBClusterSnapshotArn) continue;
            const ResourceName = s.DBClusterSnapshotArn;
            found.push({
                service: "DocumentDB", id, takenAt: s.SnapshotCreateTime ?? now, keyId: s.KmsKeyId ?? "",
                listTags: () => this.api.listDocDbTags({ ResourceName }), addTags: (Tags) => this.api.addDocDbTags({ ResourceName, Tags }),
            });
        }
        for (const s of caches) {
            const id = s.SnapshotName ?? "";
            if (!namedFor(id, store) || GONE.has(s.SnapshotStatus ?? "") || !s.ARN) continue;
            const ResourceName = s.ARN;
            found.push({
                service: "ElastiCache", id, takenAt: newest((s.NodeSnapshots ?? []).map((n) => n.SnapshotCreateTime), now), keyId: s.KmsKeyId ?? "",
                listTags: () => this.api.listCacheTags({ ResourceName }), addTags: (Tags) => this.api.addCacheTags({ ResourceName, Tags }),
            });
        }
        return found;
    }

    private tags(f: Found): Promise<Record<string, string>> {
        return this.call(`${f.service} ListTagsForResource of ${f.id}`, async () => tagMap((await f.listTags()).TagList));
    }

    async list(stack: string, store: string): Promise<readonly KeptSnapshot[]> {
        const out: KeptSnapshot[] = [];
        for (const f of await this.named(store)) {
            const tags = await this.tags(f);
            const owner = tags[STACK_TAG];
            // Tagged with another stack or store: never this store's, whatever its name.
            if (owner !== undefined && (owner !== this.owner(stack) || tags[STORE_TAG] !== store)) continue;
            const from = owner === undefined || tags[RESTORED_FROM_TAG] === undefined ? UNKNOWN_LINEAGE : tags[RESTORED_FROM_TAG] === CREATED_EMPTY ? "" : tags[RESTORED_FROM_TAG];
            out.push({
                id: f.id, takenAt: f.takenAt, from, until: "", ...(owner === undefined ? { ownerUnproven: UNPROVEN } : {}),
                // The retained key it is encrypted with: its restore adopts that key (components' encryptionKeyId).
                config: f.keyId ? { [encryptionKeyConfig(store)]: f.keyId } : {},
            });
        }
        return out;
    }

    async label(stack: string, store: string, id: string, from: string): Promise<void> {
        const f = (await this.named(store)).find((x) => x.id.toLowerCase() === id.toLowerCase());
        if (!f) throw new InventoryError(`no DocumentDB or ElastiCache snapshot named ${id} in ${this.region} to tag`);
        const Tags: AwsTag[] = [{ Key: STACK_TAG, Value: this.owner(stack) }, { Key: STORE_TAG, Value: store }];
        if (from !== UNKNOWN_LINEAGE) Tags.push({ Key: RESTORED_FROM_TAG, Value: from === "" ? CREATED_EMPTY : from });
        await this.call(`${f.service} AddTagsToResource of ${f.id}`, () => f.addTags(Tags));
    }
}

/** The SDK packages the inventory loads, with the range a project installs (package.json's optional peers). */
export const AWS_INVENTORY_SDKS = {
    docdb: { packageName: "@aws-sdk/client-docdb", versionRange: "^3.1127.0" },
    elastiCache: { packageName: "@aws-sdk/client-elasticache", versionRange: "^3.1127.0" },
} as const;

/** What the inventory uses of an SDK client package: a client class and command classes, by name. */
interface SdkModule {
    readonly [name: string]: new (input: object) => { send?(command: unknown): Promise<unknown> };
}

/** Loads an SDK package; a missing one is one sentence naming the install command. */
export function loadSdk(sdk: { readonly packageName: string; readonly versionRange: string }, load: (name: string) => unknown = require): SdkModule {
    return requireInventorySdk(sdk.packageName, "AWS", [`${sdk.packageName}@${sdk.versionRange}`], load) as SdkModule;
}

/** The API over the SDK's clients for `region`, each loaded on its first call (credentials: the SDK's default chain). */
export function sdkApi(region: string, load: (name: string) => unknown = require): AwsSnapshotApi {
    const clients = new Map<string, { send(command: unknown): Promise<unknown> }>();
    const send = async <T>(sdk: { readonly packageName: string; readonly versionRange: string }, clientName: string, command: string, input: object): Promise<T> => {
        const mod = loadSdk(sdk, load);
        let client = clients.get(clientName);
        if (!client) {
            client = new mod[clientName]({ region }) as { send(command: unknown): Promise<unknown> };
            clients.set(clientName, client);
        }
        return (await client.send(new mod[command](input))) as T;
    };
    const docdb = AWS_INVENTORY_SDKS.docdb;
    const cache = AWS_INVENTORY_SDKS.elastiCache;
    return {
        describeDBClusterSnapshots: (input) => send(docdb, "DocDBClient", "DescribeDBClusterSnapshotsCommand", input),
        listDocDbTags: (input) => send(docdb, "DocDBClient", "ListTagsForResourceCommand", input),
        addDocDbTags: (input) => send(docdb, "DocDBClient", "AddTagsToResourceCommand", input),
        describeCacheSnapshots: (input) => send(cache, "ElastiCacheClient", "DescribeSnapshotsCommand", input),
        listCacheTags: (input) => send(cache, "ElastiCacheClient", "ListTagsForResourceCommand", input),
        addCacheTags: (input) => send(cache, "ElastiCacheClient", "AddTagsToResourceCommand", input),
    };
}

/** The stack's region: its `aws:region`, else the environment's (as the provider reads it). */
export function awsRegion(scope: InventorySettings): string {
    return scope.config["aws:region"] ?? scope.env.AWS_REGION ?? scope.env.AWS_DEFAULT_REGION ?? "";
}

/** The inventory `inventoryFor` gives an AWS stack. */
export function awsInventory(scope: InventorySettings): SnapshotInventory {
    const region = awsRegion(scope);
    if (!region) throw new InventoryError(`stack ${scope.stack}: aws:region is not set in Pulumi.${scope.stack}.yaml, nor AWS_REGION in the environment; the snapshot inventory lists one region`);
    return new AwsInventory(sdkApi(region), PROJECT, region);
}
