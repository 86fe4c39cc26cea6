/**
 * Test helper: the AWS snapshot APIs the inventory calls (inventory/aws.ts), served from the fake cloud's
 * kept snapshots (fakeBackend.ts) in the shapes the SDK returns, paged. It shows only what AWS shows: a
 * snapshot's name, time, status, key and ARN, and the tags someone wrote onto it (AddTagsToResource, or
 * `tag` here); never the stack or lineage the fake cloud itself keeps, since the services do not copy the
 * store's tags onto a final snapshot.
 */
import { AwsSnapshotApi, AwsTag, CacheSnapshot, DBClusterSnapshot } from "../inventory/aws";
import { FakeBackend, FakeState } from "./fakeBackend";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const ELASTICACHE = "aws:elasticache/replicationGroup:ReplicationGroup";

export interface FakeAwsOptions {
    /** Snapshots per page (the services' MaxRecords): small, so that every listing pages. @default 1 */
    readonly pageSize?: number;
    /** A snapshot's status other than `available`, by name. */
    readonly status?: Readonly<Record<string, string>>;
}

export class FakeAwsApi implements AwsSnapshotApi {
    /** Tags by snapshot ARN. */
    readonly tags = new Map<string, Record<string, string>>();
    /** Every call, as `<API> <input JSON>`. */
    readonly calls: string[] = [];
    /** A snapshot's status other than `available`, by name (from the options; a test may change it between runs). */
    readonly status: Record<string, string>;
    /** Makes the next calls of `api` (e.g. `describeDBClusterSnapshots`) fail with this error. */
    failing: { api: keyof AwsSnapshotApi; error: Error } | undefined;

    /**
     * `backend`: the backend whose cloud keeps the snapshots, or several (users' own backends, each a project
     * with its own stacks) whose stacks share this one account and region.
     */
    constructor(private readonly backend: () => FakeBackend | readonly FakeBackend[], private readonly options: FakeAwsOptions = {}) {
        this.status = { ...(options.status ?? {}) };
    }

    /** Tags written onto snapshot `id` by someone else (another stack's scheduler, a person). */
    tag(id: string, tags: Record<string, string>): void {
        const arn = this.arnOf(id);
        this.tags.set(arn, { ...(this.tags.get(arn) ?? {}), ...tags });
    }

    private states(): FakeState[] {
        const b = this.backend();
        return (Array.isArray(b) ? (b as readonly FakeBackend[]) : [b as FakeBackend]).map((x) => x.read());
    }

    private isCache(id: string): boolean {
        const state = this.states().find((st) => st.cloud.snapshots[id]) ?? this.states()[0];
        const store = state.cloud.snapshots[id]?.store;
        return state.program.dataStores.find((d) => d.name === store)?.dataType === ELASTICACHE;
    }

    private arnOf(id: string): string {
        return this.isCache(id) ? `arn:aws:elasticache:${REGION}:${ACCOUNT}:snapshot:${id}` : `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${id}`;
    }

    private record(api: keyof AwsSnapshotApi, input: object): void {
        this.calls.push(`${api} ${JSON.stringify(input)}`);
        if (this.failing?.api === api) throw this.failing.error;
    }

    private page<T>(items: T[], marker: string | undefined): { Marker?: string; items: T[] } {
        const size = this.options.pageSize ?? 1;
        const start = marker ? Number(marker) : 0;
        const next = start + size;
        return { items: items.slice(start, next), ...(next < items.length ? { Marker: String(next) } : {}) };
    }

    private kept(cache: boolean): [string, { deletedAt?: string }][] {
        const all = this.states().flatMap((st) => Object.entries(st.cloud.snapshots));
        // Names are unique per account and region: a second deletion naming a kept snapshot fails (DBClusterSnapshotAlreadyExistsFault).
        const seen = new Set<string>();
        for (const [id] of all) {
            if (seen.has(id.toLowerCase())) throw new Error(`two stacks' deletions took the snapshot name ${id} in one account and region: the second would have failed`);
            seen.add(id.toLowerCase());
        }
        return all.filter(([id]) => this.isCache(id) === cache);
    }

    async describeDBClusterSnapshots(input: { SnapshotType: "manual"; Marker?: string }): Promise<{ Marker?: string; DBClusterSnapshots?: readonly DBClusterSnapshot[] }> {
        this.record("describeDBClusterSnapshots", input);
        const all = this.kept(false).map(([id, s]) => clusterSnapshot(id, s.deletedAt, this.status[id] ?? "available", this.arnOf(id)));
        const { items, Marker } = this.page(all, input.Marker);
        return { DBClusterSnapshots: items, ...(Marker ? { Marker } : {}) };
    }

    async describeCacheSnapshots(input: { Marker?: string }): Promise<{ Marker?: string; Snapshots?: readonly CacheSnapshot[] }> {
        this.record("describeCacheSnapshots", input);
        const all = this.kept(true).map(([id, s]) => cacheSnapshot(id, s.deletedAt, this.status[id] ?? "available", this.arnOf(id)));
        const { items, Marker } = this.page(all, input.Marker);
        return { Snapshots: items, ...(Marker ? { Marker } : {}) };
    }

    private async listTags(api: keyof AwsSnapshotApi, input: { ResourceName: string }): Promise<{ TagList?: readonly AwsTag[] }> {
        this.record(api, input);
        return { TagList: Object.entries(this.tags.get(input.ResourceName) ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    }

    private async addTags(api: keyof AwsSnapshotApi, input: { ResourceName: string; Tags: AwsTag[] }): Promise<unknown> {
        this.record(api, input);
        const tags = { ...(this.tags.get(input.ResourceName) ?? {}) };
        for (const t of input.Tags) tags[t.Key ?? ""] = t.Value ?? "";
        this.tags.set(input.ResourceName, tags);
        return {};
    }

    listDocDbTags(input: { ResourceName: string }) { return this.listTags("listDocDbTags", input); }
    listCacheTags(input: { ResourceName: string }) { return this.listTags("listCacheTags", input); }
    addDocDbTags(input: { ResourceName: string; Tags: AwsTag[] }) { return this.addTags("addDocDbTags", input); }
    addCacheTags(input: { ResourceName: string; Tags: AwsTag[] }) { return this.addTags("addCacheTags", input); }
}

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A DBClusterSnapshot with every field the API reference lists for a manual snapshot of an encrypted cluster. */
export function clusterSnapshot(id: string, takenAt: string | undefined, status: string, arn: string): DBClusterSnapshot {
    const at = takenAt ? new Date(takenAt) : undefined;
    const snapshot = {
        AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], DBClusterSnapshotIdentifier: id, DBClusterIdentifier: `${id.split("-")[0]}-cluster-4f2a9c1`,
        ...(at ? { SnapshotCreateTime: at } : {}), Engine: "docdb", Status: status, Port: 27017, VpcId: "vpc-0a1b2c3d4e5f67890",
        ClusterCreateTime: new Date("2026-11-01T08:00:00Z"), MasterUsername: "intergalactic", EngineVersion: "5.0.0", SnapshotType: "manual",
        PercentProgress: status === "available" ? 100 : 40, StorageEncrypted: true, KmsKeyId: KEY, DBClusterSnapshotArn: arn, StorageType: "standard",
    };
    return snapshot;
}

/** An ElastiCache Snapshot as DescribeSnapshots returns one of a two-node, cluster-mode-off replication group. */
export function cacheSnapshot(id: string, takenAt: string | undefined, status: string, arn: string): CacheSnapshot {
    const at = takenAt ? new Date(takenAt) : undefined;
    const node = (n: number) => ({ CacheClusterId: `cache-rg-7d3e1f0-00${n}`, NodeGroupId: "0001", CacheNodeId: "0001", CacheSize: "6 MB", CacheNodeCreateTime: new Date("2026-11-01T08:00:00Z"), ...(at ? { SnapshotCreateTime: at } : {}) });
    const snapshot = {
        SnapshotName: id, ReplicationGroupId: "cache-rg-7d3e1f0", ReplicationGroupDescription: "HaRedis cache", SnapshotStatus: status, SnapshotSource: "manual",
        CacheNodeType: "cache.t4g.small", Engine: "valkey", EngineVersion: "8.0", NumCacheNodes: 1, CacheSubnetGroupName: "cache-subnets-1a2b3c4", VpcId: "vpc-0a1b2c3d4e5f67890",
        AutoMinorVersionUpgrade: true, SnapshotRetentionLimit: 1, SnapshotWindow: "03:00-04:00", NumNodeGroups: 1, AutomaticFailover: "enabled",
        NodeSnapshots: [node(1)], KmsKeyId: KEY, ARN: arn, DataTiering: "disabled",
    };
    return snapshot;
}
