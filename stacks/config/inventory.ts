/** The data stores a stack config builds, as the prod data-loss guard (`dataLoss.ts`) compares them. */
import { PerCloud } from "../../components/common";
import { GuardInput, StoreInventory, StoreRecord } from "./dataLoss";
import type { StackConfig } from "./index";
import { stampConfig } from "./stamps";

/** The stores a config builds in all its regions' stamps, by name. */
export function storeInventory(config: StackConfig): StoreInventory {
    const others = config.stamps.filter((s) => !s.primary).map((s) => stampInventory(stampConfig(config, s)));
    return Object.assign(stampInventory(config), ...others);
}

/** The stores of one stamp (the primary's when given the stack's config). */
function stampInventory(config: StackConfig): StoreInventory {
    const snapshots = FINAL_SNAPSHOT_KEYS[config.cloud];
    const record = (section: string, component: string, deletionProtection: boolean, finalSnapshot: boolean | undefined): StoreRecord =>
        ({ component, section, networkCidr: config.network.cidrBlock, deletionProtection, ...(finalSnapshot === undefined ? {} : { finalSnapshot }), environment: config.environment, cloud: config.cloud, region: config.region });
    const stores: Record<string, StoreRecord> = {};
    if (config.mongo.enabled) stores[config.mongo.name] = record("mongo", "HaMongo", config.mongo.deletionProtection, snapshots ? config.mongo.finalSnapshot : undefined);
    if (config.redis.enabled) stores[config.redis.name] = record("redis", "HaRedis", config.redis.deletionProtection, snapshots ? config.redis.finalSnapshot : undefined);
    if (config.kafka.enabled) stores[config.kafka.name] = record("kafka", "KafkaQuorum", config.kafka.deletionProtection, undefined);
    return stores;
}

/**
 * Per cloud, whether the stores' `finalSnapshot` keys are recorded: DocumentDB and ElastiCache take a final
 * snapshot on AWS; on Azure the keys are refused (Cosmos DB keeps continuous backups, Azure Managed Redis none).
 */
const FINAL_SNAPSHOT_KEYS: PerCloud<boolean> = { aws: true, azure: false };

/** The sections a config turns off, with the name their store has in each region's stamp. */
export function disabledStores(config: StackConfig): GuardInput["disabled"] {
    const stamps = config.stamps.length > 0 ? config.stamps : [undefined];
    // The other stamps' user database is a copy of the first's (see stampConfig), or none on Azure: only the first has one to lose.
    return stamps.flatMap((stamp) => stampDisabled(stamp === undefined ? config : stampConfig(config, stamp))
        .filter((s) => stamp === undefined || stamp.primary || s.section !== "mongo"));
}

function stampDisabled(config: StackConfig): GuardInput["disabled"] {
    return [
        { section: "mongo", name: config.mongo.name, component: "HaMongo", enabled: config.mongo.enabled },
        { section: "redis", name: config.redis.name, component: "HaRedis", enabled: config.redis.enabled },
        { section: "kafka", name: config.kafka.name, component: "KafkaQuorum", enabled: config.kafka.enabled },
    ].filter((s) => !s.enabled).map(({ section, name, component }) => ({ section, name, component }));
}

/** The guard's input for a config (without a previous inventory). */
export function guardInput(stack: string, config: StackConfig, previous?: StoreInventory): GuardInput {
    return { stack, environment: config.environment, current: storeInventory(config), disabled: disabledStores(config), previous, overrides: config.dataLossOverride };
}

