/**
 * `intergalactic:redis`: the HaRedis of the stack. Absent keys take the
 * component's safe defaults (deletion protection and a final snapshot on,
 * 7 days of backups); range checks happen in HaRedis itself.
 */
import { DataProtectionDefaults, Size, SIZES } from "../../components/common";
import { ElastiCacheLimits, REDIS_ENGINES, RedisDefaults, RedisEngine } from "../../components/redis";
import { ConfigObject } from "./reader";

export interface RedisConfig {
    /** False leaves the cache out of the stack. */
    readonly enabled: boolean;
    /** The component's name; also the key of its restore snapshot in `intergalactic:snapshots.restore`. */
    readonly name: string;
    readonly size: Size;
    readonly engine: RedisEngine;
    readonly engineVersion: string;
    readonly shards: number;
    /** Undefined: one replica per other zone. */
    readonly replicasPerShard?: number;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    /** Undefined: the component's default (a final snapshot on AWS; none on Azure, which has no snapshots). */
    readonly finalSnapshot?: boolean;
}

/** Stands for "not set" where a number has no fixed default. */
const UNSET = -1;

export function parseRedis(obj: ConfigObject): RedisConfig {
    const replicas = obj.integer("replicasPerShard", UNSET, 0, ElastiCacheLimits.maxReplicasPerShard);
    const config: RedisConfig = {
        enabled: obj.boolean("enabled", true),
        name: obj.string("name", "cache"),
        size: obj.string("size", RedisDefaults.size, SIZES),
        engine: obj.string("engine", RedisDefaults.engine, REDIS_ENGINES),
        engineVersion: obj.string("engineVersion", RedisDefaults.engineVersion),
        shards: obj.integer("shards", RedisDefaults.shards, 1, ElastiCacheLimits.maxNodes),
        replicasPerShard: replicas === UNSET ? undefined : replicas,
        backupRetentionDays: obj.integer("backupRetentionDays", DataProtectionDefaults.backupRetentionDays, 0, ElastiCacheLimits.snapshotRetentionDays.max),
        deletionProtection: obj.boolean("deletionProtection", DataProtectionDefaults.deletionProtection),
        finalSnapshot: obj.has("finalSnapshot") ? obj.boolean("finalSnapshot", DataProtectionDefaults.finalSnapshot) : undefined,
    };
    obj.rejectUnknownKeys();
    return config;
}
