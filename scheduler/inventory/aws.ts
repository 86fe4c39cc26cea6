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
 * found by its exact name (`<store>-<suffix>`, components' `finalSnapshotName`, with a suffix the scheduler
 * arms for this stack or the stack file's own), only in the service that keeps that store (DocumentDB the
 * user database, ElastiCache the cache), and listed as not owned with its lineage unknown: it is restored
 * only when the record names it. A snapshot tagged with another stack, or another store, is never listed as this
 * stack's; one tagged for another owner of this project's stack of this name is listed apart (`listOtherOwners`).
 * A snapshot still being created is listed, with no time when the service gives none yet, as not ready.
 */
import { CONFIG_NAMESPACE, InventoryError, InventorySettings, KeptSnapshot, SnapshotInventory, SnapshotWait, requireInventorySdk } from "./index";
import { Problems } from "../../components/common/validation";
import { ConfigObject } from "../../stacks/config/reader";
import { parseSnapshots } from "../../stacks/config/snapshots";
import { encryptionKeyConfig } from "../lineage";
import { UNKNOWN_LINEAGE } from "../record";
import { LEGACY_PROJECT, isRunSuffixOf, isRunSuffixOfAnyOwner } from "../snapshots";
import { StoreSection, declaredStores } from "../stackSchedule";
import { shortStackName } from "../stackName";

/** Why an untagged snapshot found by its name is not proven this stack's: another stack in the account and region may take that name too. */
const UNPROVEN = "it carries no intergalactic:stack tag (a person's destroy took it, or its tagging failed), and another stack in this account and region may take the same name";
/** Why a snapshot an earlier version tagged is not proven this stack's: those tagged every project's stack of this name alike. */
const LEGACY_UNPROVEN = "its intergalactic:stack tag is the form earlier versions wrote (<project>/<stack> with the project always intergalactic), which every project's stack of this name wrote alike";
/** The longest tag value both services take (DocumentDB Tag.Value and ElastiCache Tag.Value: 256 Unicode characters, SDK models). */
const TAG_VALUE_MAX = 256;

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

/** The status in which a snapshot can be restored (DBClusterSnapshot `Status`, ElastiCache `SnapshotStatus`). */
const AVAILABLE = "available";

/**
 * Statuses a snapshot leaves for `available` by itself, so a spin-up waits through them: `creating` (the deletion
 * is still taking it), `copying`, and ElastiCache's `restoring` (a restore from it is under way). ElastiCache
 * documents `creating | available | restoring | copying | deleting` (Snapshot data type, SnapshotStatus);
 * DocumentDB's DBClusterSnapshot `Status` lists none (the SDK's models say only "the status of this cluster
 * snapshot"), so any status but these and `available` (`failed`, `deleting`, one not known here) ends the wait.
 */
const SETTLING = new Set(["creating", "copying", "restoring"]);

/** How often a spin-up reads a snapshot's status while it waits for it (a DocumentDB snapshot takes minutes). */
export const SNAPSHOT_POLL_MS = 30_000;

/** The service that keeps a store's snapshots. */
export const AwsService = { DocumentDB: "DocumentDB", ElastiCache: "ElastiCache" } as const;
export type AwsService = (typeof AwsService)[keyof typeof AwsService];

/** Per store section, the service holding its snapshots: DocumentDB the user database, ElastiCache the cache; MSK keeps none. */
const SERVICE_OF: Readonly<Record<StoreSection, AwsService | undefined>> = { mongo: AwsService.DocumentDB, redis: AwsService.ElastiCache, kafka: undefined };

/**
 * Per data resource type a store's state holds (state.ts DATA_RESOURCE_TYPES), the service keeping the snapshot its
 * deletion takes: what the deleted store was, whatever the working copy's config says of it now (turned off, renamed).
 */
const SERVICE_OF_TYPE: Readonly<Record<string, AwsService | undefined>> = {
    "aws:docdb/cluster:Cluster": AwsService.DocumentDB, "aws:elasticache/replicationGroup:ReplicationGroup": AwsService.ElastiCache, "aws:msk/cluster:Cluster": undefined,
};

/** What the stack config says of its stores, as the inventory needs it. */
export interface AwsStores {
    /** Per declared data store, the service that keeps its snapshots (undefined: none, the event bus). */
    readonly services: Readonly<Record<string, AwsService | undefined>>;
    /** `intergalactic:snapshots.finalSnapshotSuffix` of the stack file: the suffix a person's own `up` arms. */
    readonly configuredSuffix: string;
}

/** The stores of a stack's flattened config (`Pulumi.<stack>.yaml`), read as the scheduler reads them (stackSchedule.ts). */
export function awsStores(config: Readonly<Record<string, string>>): AwsStores {
    const problems = new Problems("stack config");
    const namespace = ConfigObject.namespace(CONFIG_NAMESPACE, config, problems);
    const services = Object.fromEntries(declaredStores(namespace).map(({ name, section }) => [name, SERVICE_OF[section]]));
    const { finalSnapshotSuffix } = parseSnapshots(namespace.object("snapshots"));
    problems.throwIfAny();
    return { services, configuredSuffix: finalSnapshotSuffix };
}

/** The snapshot of one service, as both are read alike. */
interface Found {
    readonly service: AwsService;
    readonly id: string;
    /** Undefined: the service does not say (yet). */
    readonly takenAt: Date | undefined;
    readonly status: string;
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

/** When an ElastiCache snapshot was taken: its newest shard's; unknown while any shard's time is missing. */
const cacheTakenAt = (nodes: readonly { readonly SnapshotCreateTime?: Date }[] | undefined): Date | undefined => {
    const times = (nodes ?? []).map((n) => n.SnapshotCreateTime);
    if (times.length === 0 || times.some((t) => t === undefined)) return undefined;
    return (times as Date[]).reduce((a, t) => (t > a ? t : a));
};

/**
 * Whether `id` is a name a deletion of `store` of `stack` takes: `<store>-<suffix>` with the suffix a scheduler
 * run armed for this stack (or, from earlier versions, for no stack in particular; snapshots.ts), or the stack
 * file's own, which a person's `up` arms. Compared as AWS keeps identifiers, in lower case.
 */
function armedFor(id: string, store: string, stack: string, configuredSuffix: string, owner: string | undefined): boolean {
    const prefix = `${store.toLowerCase()}-`;
    const name = id.toLowerCase();
    if (!name.startsWith(prefix)) return false;
    const suffix = name.slice(prefix.length);
    return suffix === configuredSuffix.toLowerCase() || (owner === undefined ? isRunSuffixOfAnyOwner(suffix, stack) : isRunSuffixOf(suffix, stack, owner));
}

const tagMap = (tags: readonly AwsTag[] | undefined): Record<string, string> =>
    Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""]));

/** A listed snapshot as a kept one; `unproven` says why its tags do not prove it this stack's ("" they do). */
function keptOf(f: Found, store: string, tags: Record<string, string>, unproven: string): KeptSnapshot {
    const from = tags[STACK_TAG] === undefined || tags[RESTORED_FROM_TAG] === undefined ? UNKNOWN_LINEAGE : tags[RESTORED_FROM_TAG] === CREATED_EMPTY ? "" : tags[RESTORED_FROM_TAG];
    return {
        id: f.id, from, until: "", ...(f.takenAt ? { takenAt: f.takenAt } : {}), ...(unproven ? { ownerUnproven: unproven } : {}),
        ...(f.status === AVAILABLE ? {} : { notReady: `is not available yet (${f.service} status ${f.status || "not given"})` }),
        // The retained key it is encrypted with: its restore adopts that key (components' encryptionKeyId).
        config: f.keyId ? { [encryptionKeyConfig(store)]: f.keyId } : {},
    };
}

/** Whose an owner tag says a snapshot is: this stack's, an earlier version's form of its name (not proven), or another's. */
type Ownership = "ours" | "legacy" | "other";

/**
 * The inventory over `api` in `region`, with the stores of its config, for the stack whose fully qualified name is
 * `qualified` (`forOwner`; `<organization>/<project>/<stack>`, stackOps.ts qualifiedName). `project` is the
 * project earlier versions tagged every stack with (`intergalactic`). Without a qualified name it tags and proves
 * by that earlier form, `<project>/<stack>`, as earlier versions did.
 */
export class AwsInventory implements SnapshotInventory {
    constructor(private readonly api: AwsSnapshotApi, private readonly project: string, private readonly region: string,
        private readonly stores: AwsStores = awsStores({}), private readonly qualified = "") {}

    forOwner(owner: string): AwsInventory {
        return new AwsInventory(this.api, this.project, this.region, this.stores, owner);
    }

    /** The owner tag a teardown writes: the stack's fully qualified name, or (unresolved) the earlier form. */
    private owner(stack: string): string {
        return this.qualified || `${this.project}/${shortStackName(stack)}`;
    }

    /**
     * Whose `tag` says a snapshot is. The earlier form (`<project>/<stack>`, and the qualified `<project>/myorg/dev`
     * of a `--stack myorg/dev`) names this stack's name alone: with the stack's qualified name known, it is not proven.
     */
    private ownership(tag: string, stack: string): Ownership {
        if (tag === this.owner(stack)) return "ours";
        const legacy = tag === `${this.project}/${shortStackName(stack)}` || tag === `${this.project}/${stack}`;
        if (!legacy) return "other";
        return this.qualified ? "legacy" : "ours";
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

    /**
     * The service keeping `store`'s snapshots: the one its state's data resources (`dataTypes`) say, else the stack
     * config's; a store neither names is an error, not a guess.
     */
    private serviceOf(store: string, dataTypes: readonly string[] = []): AwsService | undefined {
        const held = dataTypes.find((t) => Object.prototype.hasOwnProperty.call(SERVICE_OF_TYPE, t));
        if (held !== undefined) return SERVICE_OF_TYPE[held];
        if (!Object.prototype.hasOwnProperty.call(this.stores.services, store)) {
            throw new InventoryError(`${store} is not a data store of the stack config (intergalactic:mongo.name, intergalactic:redis.name or intergalactic:kafka.name), nor did a state name its data resources, so which service keeps its snapshots is not known`);
        }
        return this.stores.services[store];
    }

    /**
     * Every snapshot, in the one service that keeps `store`'s, whose name is one a deletion of it takes; `withGone`: also
     * one gone or going; `anyOwner`: the names any owner of a stack of this name arms, not only this owner's.
     */
    private async named(stack: string, store: string, withGone = false, dataTypes: readonly string[] = [], anyOwner = false): Promise<Found[]> {
        const kept = (status: string | undefined) => withGone || !GONE.has(status ?? "");
        const service = this.serviceOf(store, dataTypes);
        const armed = (id: string) => armedFor(id, store, stack, this.stores.configuredSuffix, anyOwner ? undefined : this.qualified);
        if (service === AwsService.DocumentDB) {
            const clusters = await allPages("DocumentDB DescribeDBClusterSnapshots", (Marker) => this.call("DocumentDB DescribeDBClusterSnapshots",
                async () => {
                    const r = await this.api.describeDBClusterSnapshots({ SnapshotType: "manual", ...(Marker ? { Marker } : {}) });
                    return { Marker: r.Marker, items: r.DBClusterSnapshots };
                }));
            // The DocumentDB API shares RDS's: an Aurora or Neptune snapshot may be listed too.
            return clusters.filter((s) => armed(s.DBClusterSnapshotIdentifier ?? "") && (s.Engine === undefined || s.Engine === "docdb") && kept(s.Status) && s.DBClusterSnapshotArn)
                .map((s) => {
                    const ResourceName = s.DBClusterSnapshotArn!;
                    return {
                        service, id: s.DBClusterSnapshotIdentifier!, takenAt: s.SnapshotCreateTime, status: s.Status ?? "", keyId: s.KmsKeyId ?? "",
                        listTags: () => this.api.listDocDbTags({ ResourceName }), addTags: (Tags: AwsTag[]) => this.api.addDocDbTags({ ResourceName, Tags }),
                    };
                });
        }
        if (service === AwsService.ElastiCache) {
            const caches = await allPages("ElastiCache DescribeSnapshots", (Marker) => this.call("ElastiCache DescribeSnapshots",
                async () => {
                    const r = await this.api.describeCacheSnapshots(Marker ? { Marker } : {});
                    return { Marker: r.Marker, items: r.Snapshots };
                }));
            return caches.filter((s) => armed(s.SnapshotName ?? "") && kept(s.SnapshotStatus) && s.ARN)
                .map((s) => {
                    const ResourceName = s.ARN!;
                    return {
                        service, id: s.SnapshotName!, takenAt: cacheTakenAt(s.NodeSnapshots), status: s.SnapshotStatus ?? "", keyId: s.KmsKeyId ?? "",
                        listTags: () => this.api.listCacheTags({ ResourceName }), addTags: (Tags: AwsTag[]) => this.api.addCacheTags({ ResourceName, Tags }),
                    };
                });
        }
        return [];
    }

    private tags(f: Found): Promise<Record<string, string>> {
        return this.call(`${f.service} ListTagsForResource of ${f.id}`, async () => tagMap((await f.listTags()).TagList));
    }

    async list(stack: string, store: string, dataTypes: readonly string[] = []): Promise<readonly KeptSnapshot[]> {
        const out: KeptSnapshot[] = [];
        for (const f of await this.named(stack, store, false, dataTypes)) {
            const tags = await this.tags(f);
            const owner = tags[STACK_TAG];
            const whose = owner === undefined ? undefined : this.ownership(owner, stack);
            // Tagged with another stack (another project's or organisation's too) or store: never this store's, whatever its name.
            if (whose === "other" || (owner !== undefined && tags[STORE_TAG] !== store)) continue;
            out.push(keptOf(f, store, tags, whose === undefined ? UNPROVEN : whose === "legacy" ? LEGACY_UNPROVEN : ""));
        }
        return out;
    }

    /**
     * The snapshots of `store` tagged for another owner of this project's stack of this name: `<other organisation>/<project>/<stack>`,
     * `organization/<project>/<stack>` of a self-managed backend, or the reverse. That is what the stack left under its earlier
     * qualified name if it was moved between backends or organisations while down (a move keeps neither tags nor history,
     * pulumi/pulumi#10339), and equally what another organisation's stack of the same project and name in this account and
     * region keeps: nothing here tells the two apart, so each is listed with the owner it is tagged for as not proven.
     */
    async listOtherOwners(stack: string, store: string): Promise<readonly KeptSnapshot[]> {
        const [project, name] = this.qualified ? this.qualified.split("/").slice(-2) : [this.project, shortStackName(stack)];
        const out: KeptSnapshot[] = [];
        for (const f of await this.named(stack, store, false, [], true)) {
            const tags = await this.tags(f);
            const owner = tags[STACK_TAG];
            if (owner === undefined || tags[STORE_TAG] !== store || this.ownership(owner, stack) !== "other") continue;
            const parts = owner.split("/");
            if (parts.length !== 3 || parts[1] !== project || parts[2] !== name) continue;
            out.push({ ...keptOf(f, store, tags, `it is tagged ${STACK_TAG}=${owner}, not ${this.owner(stack)}: this stack under its name before a move to another backend or organisation, or another organisation's stack ${project}/${name} in this account and region`), taggedFor: owner });
        }
        return out;
    }

    async awaitReady(wait: SnapshotWait): Promise<void> {
        const service = this.serviceOf(wait.store) ?? "DocumentDB or ElastiCache";
        while (!wait.signal.aborted) {
            const f = (await this.named(wait.stack, wait.store, true)).find((x) => x.id.toLowerCase() === wait.id.toLowerCase());
            if (!f) throw new InventoryError(`is no longer listed by ${service} in ${this.region}`);
            wait.seen(`${f.service} status ${f.status || "not given"}`);
            if (f.status === AVAILABLE) return;
            if (!SETTLING.has(f.status)) throw new InventoryError(`turned ${f.service} status ${f.status || "not given"}, from which it does not become available`);
            await wait.sleep(SNAPSHOT_POLL_MS);
        }
    }

    async label(stack: string, store: string, id: string, from: string, dataTypes: readonly string[] = []): Promise<void> {
        const f = (await this.named(stack, store, false, dataTypes)).find((x) => x.id.toLowerCase() === id.toLowerCase());
        if (!f) throw new InventoryError(`no ${this.serviceOf(store, dataTypes) ?? "DocumentDB or ElastiCache"} snapshot named ${id} in ${this.region} to tag`);
        const owner = this.owner(stack);
        if (owner.length > TAG_VALUE_MAX) throw new InventoryError(`the stack's qualified name ${owner} is longer than the ${TAG_VALUE_MAX} characters a tag value takes, so ${f.id} cannot be tagged for it`);
        // Never over another stack's tags: a snapshot tagged for another owner (or the earlier form) is not this deletion's to claim.
        const tagged = (await this.tags(f))[STACK_TAG];
        if (tagged !== undefined && this.ownership(tagged, stack) !== "ours") throw new InventoryError(`${f.service} snapshot ${f.id} in ${this.region} is tagged ${STACK_TAG}=${tagged}, not ${owner}: it is not tagged over`);
        const Tags: AwsTag[] = [{ Key: STACK_TAG, Value: owner }, { Key: STORE_TAG, Value: store }];
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
    return new AwsInventory(sdkApi(region), LEGACY_PROJECT, region, awsStores(scope.config));
}
