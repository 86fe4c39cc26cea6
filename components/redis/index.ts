/** The cache module (`intergalactic-infra/redis`): HaRedis and its engine enum. Loads no cloud SDK until an HaRedis is built. */
export { HaRedis } from "./haRedis";
export type { HaRedisArgs } from "./haRedis";
export { RedisEngine } from "./layout";
