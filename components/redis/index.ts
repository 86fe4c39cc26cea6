/** The cache module (`intergalactic-infra/redis`): HaRedis and its engine enum. Loads no cloud SDK until an HaRedis is built. */
export { HaRedis } from "./haRedis";
export type { HaRedisArgs } from "./haRedis";
export { AZURE_OSS_CLUSTER_NODE_PORTS, ElastiCacheLimits, REDIS_ENGINES, RedisDefaults, RedisEngine } from "./layout";
