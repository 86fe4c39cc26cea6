/**
 * Enumerations, defaults, documented service limits and the size tables of
 * HaRedis, shared by the planner and both cloud implementations.
 */
import type { PerCloud } from "../common/cloud";
import { Size } from "../common/size";

/** The engine of an ElastiCache replication group. Azure Managed Redis always runs Redis. */
export const RedisEngine = {
    /** Valkey, the open-source fork of Redis OSS 7.2; protocol-compatible with Redis clients. */
    Valkey: "valkey",
    /** Redis OSS. */
    Redis: "redis",
} as const;
export type RedisEngine = (typeof RedisEngine)[keyof typeof RedisEngine];

/** Every engine, in a stable order. */
export const REDIS_ENGINES: readonly RedisEngine[] = [RedisEngine.Valkey, RedisEngine.Redis];

/** Defaults applied when an arg is omitted. */
export const RedisDefaults = {
    engine: RedisEngine.Valkey as RedisEngine,
    engineVersion: "8.0",
    shards: 1,
    size: Size.Medium as Size,
} as const;

/** The lowest major version accepted per engine: ElastiCache offers Valkey from 7.2 and Redis OSS from 6. */
export const MIN_ENGINE_MAJOR: Readonly<Record<RedisEngine, number>> = { valkey: 7, redis: 6 };

/** Limits ElastiCache documents for replication groups (CreateReplicationGroup). */
export const ElastiCacheLimits = {
    /** A shard has a primary and at most 5 replicas (NumCacheClusters <= 6). */
    maxReplicasPerShard: 5,
    /** Up to 500 nodes per cluster with Valkey 7.2+ / Redis OSS 5.0.6+. */
    maxNodes: 500,
    /** Automatic snapshots are kept 0-35 days; 0 turns backups off, which a data store here never does. */
    snapshotRetentionDays: { min: 1, max: 35 },
    /** A replication group id is 1-40 characters. */
    replicationGroupIdMaxLength: 40,
    /** Pulumi autonames the id as `<name>-<7 random characters>`, lowercased. */
    autonameSuffixLength: 8,
} as const;

/**
 * AUTH tokens: 16-128 printable ASCII characters whose only allowed non-alphanumerics are
 * `! & # $ ^ < > -` (ElastiCache AUTH documentation). 64 characters keeps well inside the range.
 */
export const AuthToken = {
    length: 64,
    specialCharacters: "!&#$^<>-",
    minLength: 16,
    maxLength: 128,
} as const;

/** Redis' port on ElastiCache and Azure Managed Redis' database port (TLS on both). */
export const RedisPorts: PerCloud<number> = { aws: 6379, azure: 10000 };

/**
 * Azure Managed Redis with the OSS cluster policy: cluster-aware clients reach each shard's node
 * directly on a port of 8500-8599, besides the database port 10000; the Enterprise policy needs only
 * 10000 (https://learn.microsoft.com/azure/redis/architecture#cluster-policies; learn.microsoft.com/answers/a/1513841).
 */
export const AZURE_OSS_CLUSTER_NODE_PORTS = "8500-8599";

/**
 * ElastiCache node types per size. Graviton nodes; `t4g` supports Multi-AZ with automatic
 * failover (only T1 nodes do not) and keeps dev cheap; `r7g` is memory-optimised for production.
 */
export const AWS_NODE_TYPES: Readonly<Record<Size, string>> = {
    small: "cache.t4g.small",
    medium: "cache.r7g.large",
    large: "cache.r7g.xlarge",
};

/** Azure Managed Redis SKUs per size (the `redisenterprise` SkuName enum of the installed SDK). */
export const AZURE_SKUS: Readonly<Record<Size, string>> = {
    small: "Balanced_B3",
    medium: "Balanced_B10",
    large: "MemoryOptimized_M50",
};

/** Azure Managed Redis' single database must be called `default`. */
export const AZURE_DATABASE_NAME = "default";
/** The private DNS zone of Azure Managed Redis private endpoints. */
export const AZURE_REDIS_PRIVATE_DNS_ZONE = "privatelink.redis.azure.net";
/** The private-link sub-resource (group id) of an Azure Managed Redis cluster. */
export const AZURE_REDIS_PRIVATE_LINK_GROUP = "redisEnterprise";
