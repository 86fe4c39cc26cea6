/**
 * The HaRedis planner: validates the args and turns them into plain data
 * (shards with their primary and replica zones, names, protection settings)
 * that both cloud implementations build from.
 *
 * Placement: shard s puts its primary in zone s mod n and each of its replicas
 * in the following zones, so every zone holds a copy of every shard and the
 * primaries are spread over the zones.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { CloudArgRules, argKeys } from "../common/cloudArgs";
import type { HaRedisArgs, HaRedisAwsArgs } from "./haRedis";
import { DATA_STORE_AWS_ALIASES, DATA_STORE_AWS_ELSEWHERE, DataProtectionDefaults } from "../common/dataStore";
import { KMS_KEY_ID } from "../common/keyPolicy";
import { SIZES, Size } from "../common/size";
import { Problems } from "../common/validation";
import { childName } from "../common/naming";
import { Tags } from "../common/tags";
import { isPrivate, parseCidr } from "../network/cidr";
import { ElastiCacheLimits, MIN_ENGINE_MAJOR, REDIS_ENGINES, RedisDefaults, RedisEngine, RedisPorts } from "./layout";

/** Azure's zones are the logical numbers 1-3. */
const AZURE_ZONES: readonly string[] = ["1", "2", "3"];
/** Azure Managed Redis cluster names are at most 60 characters. */
const AZURE_CLUSTER_NAME_MAX = 60;
/**
 * Whether the service takes a snapshot when the cache is deleted: ElastiCache does (`FinalSnapshotIdentifier`);
 * Azure Managed Redis does not, see the `finalSnapshot` check below.
 */
const TAKES_FINAL_SNAPSHOT: PerCloud<boolean> = { aws: true, azure: false };
/**
 * Whether the service keeps backups for `backupRetentionDays`: ElastiCache does (`SnapshotRetentionLimit`);
 * Azure Managed Redis has RDB persistence, which "is not a data backup" (https://learn.microsoft.com/azure/redis/how-to-persistence).
 */
const KEEPS_BACKUPS: PerCloud<boolean> = { aws: true, azure: false };
/** Whether the cache encrypts with a customer key the planner checks: ElastiCache a KMS key; Azure Managed Redis a service-managed key. */
const CUSTOMER_KEYS: PerCloud<boolean> = { aws: true, azure: false };
/** Whether cluster mode needs a named parameter group: ElastiCache's `cluster.on` defaults; Azure Managed Redis has none. */
const NAMES_CLUSTER_PARAMETER_GROUP: PerCloud<boolean> = { aws: true, azure: false };

/**
 * The cloud groups of HaRedis' args: everything in `aws` configures ElastiCache alone, and the keys that were
 * top-level args before stay accepted there for one release. Azure Managed Redis has no group.
 */
export const REDIS_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<HaRedisArgs>({
        cloud: true, network: true, subnets: true, allowedClientCidrs: true, allowedClientSecurityGroupIds: true, size: true, tags: true, backupRetentionDays: true, deletionProtection: true, finalSnapshot: true, finalSnapshotSuffix: true, restoreFromSnapshot: true, shards: true, aws: true,
        engine: true, engineVersion: true, replicasPerShard: true, encryptionKeyId: true,
    }),
    keys: {
        aws: argKeys<HaRedisAwsArgs>({ allowedClientCidrs: true, allowedClientSecurityGroupIds: true, engine: true, engineVersion: true, replicasPerShard: true, encryptionKeyId: true }), azure: [],
    },
    aliases: { aws: [...DATA_STORE_AWS_ALIASES, "engine", "engineVersion", "replicasPerShard", "encryptionKeyId"], azure: [] },
    elsewhere: {
        aws: {
            ...DATA_STORE_AWS_ELSEWHERE,
            engine: "Azure Managed Redis runs one engine; remove it",
            engineVersion: "Azure Managed Redis picks its version; remove it",
            replicasPerShard: "Azure Managed Redis keeps one replica per shard with high availability on; set shards",
            encryptionKeyId: "Azure Managed Redis encrypts with a service-managed key; remove it",
        },
        azure: {},
    },
};

/** HA needs a copy in at least three zones so one zone's loss leaves a majority of copies. */
export const MIN_ZONES = 3;
/** Snapshot suffixes: what `intergalactic:snapshots.finalSnapshotSuffix` accepts. */
const SUFFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** ElastiCache ids: letters, digits and single hyphens, starting with a letter, no trailing hyphen. */
const ID_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** The plain values the planner needs: the structural part of HaRedisArgs. */
export interface RedisPlanInput {
    /** Per key of the built cloud's group, the path the user wrote it at (`ResolvedCloudArgs.paths`), so each problem names that key (`azure.zones`). */
    argPaths?: Readonly<Record<string, string>>;
    /** Problems of the network wiring found before planning (`placeDataStore`), reported with the planner's own. */
    wiringProblems?: readonly string[];
    cloud: string;
    subnetCount: number;
    zones: readonly string[];
    allowedClientCidrs?: readonly string[];
    allowedClientSecurityGroupCount?: number;
    size?: string;
    engine?: string;
    engineVersion?: string;
    shards?: number;
    replicasPerShard?: number;
    backupRetentionDays?: number;
    deletionProtection?: boolean;
    finalSnapshot?: boolean;
    finalSnapshotSuffix?: string;
    restoreFromSnapshot?: string;
    encryptionKeyId?: string;
    tags?: Readonly<Record<string, string>>;
}

/** One shard (node group) and where its nodes live. */
export interface ShardSpec {
    /** ElastiCache node group id: `0001`, `0002`, ... */
    readonly id: string;
    readonly primaryZone: string;
    readonly replicaZones: readonly string[];
}

/** Everything a cloud implementation needs to build the cache. */
export interface RedisPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly size: Size;
    readonly engine: RedisEngine;
    readonly engineVersion: string;
    /** The zones the copies are spread over, in order. */
    readonly zones: readonly string[];
    readonly shards: readonly ShardSpec[];
    readonly replicasPerShard: number;
    /** True when the data is sharded: clients must speak the Redis Cluster protocol. */
    readonly clustered: boolean;
    /** AWS, cluster mode only: the engine's default `cluster.on` parameter group, which cluster mode requires. */
    readonly clusterParameterGroupName?: string;
    readonly port: number;
    readonly allowedClientCidrs: readonly string[];
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    /** The final snapshot's name on delete; undefined when no final snapshot is taken. */
    readonly finalSnapshotName?: string;
    readonly restoreFromSnapshot?: string;
    /** AWS: the id of an existing (retained) KMS key to adopt instead of creating one. */
    readonly encryptionKeyId?: string;
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
}

/** Validates the args and plans the cache; throws one error listing every problem. */
export function planRedis(name: string, input: RedisPlanInput): RedisPlan {
    const problems = new Problems(`HaRedis "${name}"`, input.argPaths);
    (input.wiringProblems ?? []).forEach((p) => problems.add(p));
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const size = (input.size ?? RedisDefaults.size) as Size;
    const engine = (input.engine ?? RedisDefaults.engine) as RedisEngine;
    const engineVersion = input.engineVersion ?? RedisDefaults.engineVersion;
    const shardCount = input.shards ?? RedisDefaults.shards;
    const replicas = input.replicasPerShard ?? Math.max(1, input.zones.length - 1);
    const retention = input.backupRetentionDays ?? DataProtectionDefaults.backupRetentionDays;
    const suffix = input.finalSnapshotSuffix ?? DataProtectionDefaults.finalSnapshotSuffix;

    problems.oneOf("size", size, SIZES);
    if (problems.oneOf("engine", engine, REDIS_ENGINES)) checkEngineVersion(problems, engine, engineVersion);
    const checks = cloudOk ? CHECKS[cloud] : undefined;
    const zonesOk = checks !== undefined && checks.zones(problems, input.zones);
    checks?.subnets(problems, input.subnetCount, input.zones.length);
    checks?.replication(problems, replicas, shardCount, input.zones.length);
    checkClients(problems, input.allowedClientCidrs ?? []);
    checks?.clients(problems, input.allowedClientCidrs ?? [], input.allowedClientSecurityGroupCount ?? 0);
    if (cloudOk) {
        problems.check(KEEPS_BACKUPS[cloud] || input.backupRetentionDays === undefined, "backupRetentionDays", input.backupRetentionDays,
            `does nothing on ${cloud}: Azure Managed Redis keeps no backups (its RDB persistence is not a backup); remove it`);
    }
    problems.integer("backupRetentionDays", retention, ElastiCacheLimits.snapshotRetentionDays.min, ElastiCacheLimits.snapshotRetentionDays.max);
    problems.check(SUFFIX_PATTERN.test(suffix), "finalSnapshotSuffix", suffix,
        "must be 1-40 lowercase letters, digits or hyphens, starting with a letter or digit");
    checks?.name(problems, name);
    if (input.restoreFromSnapshot !== undefined) checks?.restore(problems, input.restoreFromSnapshot);
    // Azure Managed Redis has no managed snapshots: deleting the cluster deletes its data and its RDB persistence.
    // "Data persistence ... is not a data backup or point in time recovery (PITR) feature" (https://learn.microsoft.com/azure/redis/how-to-persistence);
    // the cluster's disks go with it. Export to storage is a data-plane action Pulumi does not run at delete.
    problems.check(!(cloudOk && !TAKES_FINAL_SNAPSHOT[cloud] && input.finalSnapshot === true), "finalSnapshot", input.finalSnapshot,
        `is not supported on ${cloud}: Azure Managed Redis takes no snapshot when it is deleted, so the cache starts empty after a teardown; set it to false`);
    if (input.encryptionKeyId !== undefined) {
        if (problems.check(!cloudOk || CUSTOMER_KEYS[cloud], "encryptionKeyId", input.encryptionKeyId, "is only for aws: Azure Managed Redis encrypts with a service-managed key")) {
            problems.check(KMS_KEY_ID.test(input.encryptionKeyId), "encryptionKeyId", input.encryptionKeyId,
                "must be a KMS key id or key ARN (arn:aws:kms:<region>:<account>:key/<id>): the retained key the snapshot is encrypted with");
        }
    }
    problems.throwIfAny();

    const zones = zonesOk ? [...input.zones] : [];
    const finalSnapshot = TAKES_FINAL_SNAPSHOT[cloud] && (input.finalSnapshot ?? DataProtectionDefaults.finalSnapshot);
    return {
        name, cloud, size, engine, engineVersion, zones,
        shards: placeShards(shardCount, replicas, zones),
        replicasPerShard: replicas,
        clustered: shardCount > 1,
        clusterParameterGroupName: NAMES_CLUSTER_PARAMETER_GROUP[cloud] && shardCount > 1 ? clusterParameterGroupName(engine, engineVersion) : undefined,
        port: RedisPorts[cloud],
        allowedClientCidrs: [...(input.allowedClientCidrs ?? [])],
        backupRetentionDays: retention,
        deletionProtection: input.deletionProtection ?? DataProtectionDefaults.deletionProtection,
        // Azure Managed Redis takes no final snapshot: naming one there would promise a restore that cannot happen.
        finalSnapshotName: finalSnapshot ? childName(name.toLowerCase(), suffix) : undefined,
        restoreFromSnapshot: input.restoreFromSnapshot,
        encryptionKeyId: input.encryptionKeyId === undefined ? undefined : KMS_KEY_ID.exec(input.encryptionKeyId)?.[1],
        tags: { ...(input.tags ?? {}) },
    };
}

/**
 * The default ElastiCache parameter group for cluster mode: `default.<family>.cluster.on`, where the family is
 * `<engine><major>` except Redis OSS 6, whose family is `redis6.x`
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html).
 */
export function clusterParameterGroupName(engine: RedisEngine, engineVersion: string): string {
    const major = engineVersion.split(".")[0];
    const family = engine === RedisEngine.Redis && major === "6" ? "redis6.x" : `${engine}${major}`;
    return `default.${family}.cluster.on`;
}

/** Shard s: primary in zone s mod n, replicas in the zones after it. */
export function placeShards(shardCount: number, replicas: number, zones: readonly string[]): ShardSpec[] {
    return Array.from({ length: shardCount }, (_, s) => ({
        id: String(s + 1).padStart(4, "0"),
        primaryZone: zones[s % zones.length],
        replicaZones: Array.from({ length: replicas }, (_, r) => zones[(s + r + 1) % zones.length]),
    }));
}

function checkEngineVersion(problems: Problems, engine: RedisEngine, version: string): void {
    const match = /^(\d+)\.(\d+)$/.exec(version);
    // ElastiCache wants major.minor for 7 and later; the planner also needs the major for the parameter group family.
    if (!problems.check(match !== null, "engineVersion", version, "must be major.minor, e.g. 8.0 (ElastiCache requires the minor version from 7 on)")) return;
    problems.check(Number(match![1]) >= MIN_ENGINE_MAJOR[engine], "engineVersion", version,
        `is older than ElastiCache offers for ${engine}: use ${MIN_ENGINE_MAJOR[engine]}.x or later`);
}

function checkReplicas(problems: Problems, replicas: number, shards: number, zoneCount: number): void {
    // Automatic failover needs at least one replica (NumCacheClusters >= 2); a shard has at most 5.
    if (!problems.integer("replicasPerShard", replicas, 1, ElastiCacheLimits.maxReplicasPerShard)) return;
    problems.check(replicas >= zoneCount - 1, "replicasPerShard", replicas,
        `must be at least ${zoneCount - 1} so that each of the ${zoneCount} zones holds a copy of every shard`);
    if (!problems.integer("shards", shards, 1, ElastiCacheLimits.maxNodes)) return;
    const nodes = shards * (replicas + 1);
    problems.check(nodes <= ElastiCacheLimits.maxNodes, "shards", shards,
        `times ${replicas + 1} nodes per shard is ${nodes} nodes; ElastiCache allows at most ${ElastiCacheLimits.maxNodes}`);
}

function checkClients(problems: Problems, cidrs: readonly string[]): void {
    cidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `allowedClientCidrs[${i}]`, text, parsed);
        else problems.check(isPrivate(parsed), `allowedClientCidrs[${i}]`, text, "is not private address space: a data store admits only clients inside the network");
    });
}

/** Each cloud's own checks of the cache: its zones, subnets, replication, clients, name and restore. */
interface CacheChecks {
    zones(problems: Problems, zones: readonly string[]): boolean;
    subnets(problems: Problems, subnetCount: number, zoneCount: number): void;
    replication(problems: Problems, replicas: number, shards: number, zoneCount: number): void;
    clients(problems: Problems, cidrs: readonly string[], securityGroups: number): void;
    name(problems: Problems, name: string): void;
    restore(problems: Problems, snapshot: string): void;
}

function checkZoneNames(problems: Problems, zones: readonly string[]): boolean {
    const distinct = new Set(zones).size === zones.length && zones.every((z) => z.length > 0);
    if (!problems.check(distinct, "network.zones", zones, "must be distinct, non-empty zone names")) return false;
    return problems.check(zones.length >= MIN_ZONES, "network.zones", zones, `must list at least ${MIN_ZONES} zones so that losing one leaves copies in the others`);
}

const CHECKS: PerCloud<CacheChecks> = {
    aws: {
        zones: checkZoneNames,
        // A cache subnet group needs a subnet in every AZ a node is placed in.
        subnets: (problems, subnetCount, zoneCount) => problems.check(subnetCount >= zoneCount, "subnets", `${subnetCount} subnets`,
            `must include a data subnet in each of the ${zoneCount} zones (the network's data subnets)`),
        replication: checkReplicas,
        clients: (problems, cidrs, securityGroups) => problems.check(cidrs.length + securityGroups > 0, "allowedClientCidrs", cidrs,
            "and allowedClientSecurityGroupIds are both empty: no client could connect; keep the default (the network's app tier) or pass the workers' security group"),
        name: (problems, name) => {
            // The replication group is autonamed `<name>-rg-<7 characters>`, lowercased, and ids are capped at 40.
            const base = childName(name.toLowerCase(), "rg");
            const max = ElastiCacheLimits.replicationGroupIdMaxLength - ElastiCacheLimits.autonameSuffixLength;
            problems.check(ID_PATTERN.test(base) && base.length <= max, "name", name,
                `must make a valid ElastiCache replication group id: start with a letter, use only letters, digits and single hyphens, and be at most ${max - 3} characters`);
        },
        restore: (problems, snapshot) => problems.check(/^[A-Za-z0-9][A-Za-z0-9-]{0,254}$/.test(snapshot), "restoreFromSnapshot", snapshot,
            "must be an ElastiCache snapshot name: letters, digits and hyphens"),
    },
    azure: {
        zones: (problems, zones) => checkZoneNames(problems, zones)
            && problems.check(zones.every((z) => AZURE_ZONES.includes(z)), "network.zones", zones, `are not Azure zones: use a subset of ${AZURE_ZONES.join(", ")}`),
        subnets: (problems, subnetCount) => problems.check(subnetCount >= 1, "subnets", `${subnetCount} subnets`, "must include the regional data subnet (the network's data subnets)"),
        // Azure Managed Redis keeps one replica per shard and sizes shards itself: only the count's sign matters there.
        replication: (problems, _replicas, shards) => problems.integer("shards", shards, 1),
        // The data subnet's NSG (Vpc3Az) decides who reaches the private endpoint.
        clients: () => undefined,
        name: (problems, name) => {
            // The cluster is autonamed `<name>-cluster<8 characters>`; cluster names are 1-60 letters, digits and single hyphens.
            const max = AZURE_CLUSTER_NAME_MAX - "-cluster".length - 8;
            problems.check(/^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/.test(name) && name.length <= max, "name", name,
                `must make a valid Azure Managed Redis cluster name: letters, digits and single hyphens, at most ${max} characters`);
        },
        restore: (problems, snapshot) => problems.check(false, "restoreFromSnapshot", snapshot,
            "is not supported on azure: Azure Managed Redis restores by importing an RDB file from blob storage (az redisenterprise database import)"),
    },
};
