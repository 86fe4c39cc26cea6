/**
 * The prod data-loss guard. A prod stack (by its `environment`, or by its name: `prod`,
 * `prod-azure`, ...) may not, by config alone, remove, rename or re-network a data store, turn
 * off its deletion protection or final snapshot, or stop being prod, unless the stack config
 * names the store in `intergalactic:dataLossOverride` (a list of store names: greppable, and
 * visible in review).
 *
 * Removal and renaming are relative to what is deployed: the program compares the stores it is
 * about to build with the inventory the last deployment exported (`dataStores`, read back through
 * a StackReference to the stack itself; the offline plan takes it from `--previous`). Without a
 * previous inventory (the first deployment) only the config-only rules apply.
 *
 * Pure: the policy pack shares {@link compareInventories} (see policies/pack/dataLoss.ts).
 */

/** The override key: the names of the stores whose loss this config accepts. */
export const DATA_LOSS_OVERRIDE_KEY = "intergalactic:dataLossOverride";

/**
 * A stack is prod by kind or by name (`prod`, `prod-azure`, `eu-production`, ...); a prod-named stack
 * that says `environment: dev` is still prod here.
 */
export const PROD_STACK_NAME = /(^|[-_.])prod(uction)?([-_.]|$)/i;

/** One data store as a deployment records it. */
export interface StoreRecord {
    /** The component type, e.g. `HaMongo`. */
    readonly component: string;
    /** The config section that builds it, e.g. `mongo`. */
    readonly section: string;
    /** The network range it lives in. */
    readonly networkCidr: string;
    readonly deletionProtection: boolean;
    /** Undefined where the cloud takes no final snapshot of this store. */
    readonly finalSnapshot?: boolean;
    readonly environment: string;
    /** The cloud and region it lives in: changing either builds a new store elsewhere (older inventories lack them). */
    readonly cloud?: string;
    readonly region?: string;
}

/** Stores by name, as exported in the stack output `dataStores`. */
export type StoreInventory = Readonly<Record<string, StoreRecord>>;

/** What the guard needs to know about the stack. */
export interface GuardInput {
    readonly stack: string;
    readonly environment: string;
    /** The stores this config builds. */
    readonly current: StoreInventory;
    /** The sections whose store this config leaves out (`enabled: false`), with the name it would have. */
    readonly disabled: readonly { readonly section: string; readonly name: string; readonly component: string }[];
    /** The last deployment's inventory; undefined when there is none. */
    readonly previous?: StoreInventory;
    readonly overrides: readonly string[];
}

const key = (section: string, field: string) => `intergalactic:${section}.${field}`;
const fix = (name: string) => `to accept losing its data, set ${DATA_LOSS_OVERRIDE_KEY}: ["${name}"]`;

/** True when the guard applies: prod by kind or by name. */
export function isProdStack(stack: string, environment: string): boolean {
    return environment === "prod" || PROD_STACK_NAME.test(stack);
}

/** Every data-loss problem of a prod stack's config, each naming the key, the value, the rule and the override. */
export function compareInventories(input: GuardInput): string[] {
    if (!isProdStack(input.stack, input.environment)) return [];
    const problems: string[] = [];
    const allowed = (name: string) => input.overrides.includes(name);
    if (input.environment !== "prod") {
        const stores = [...new Set([...Object.keys(input.current), ...Object.keys(input.previous ?? {})])].filter((n) => !allowed(n));
        if (stores.length > 0) {
            problems.push(`intergalactic:environment: ${JSON.stringify(input.environment)} in prod stack "${input.stack}" would drop the prod protection of ${stores.map((s) => `"${s}"`).join(", ")}: ` +
                `keep it "prod", or to accept losing their data, set ${DATA_LOSS_OVERRIDE_KEY}: ${JSON.stringify(stores)}`);
        }
    }
    for (const { section, name, component } of input.disabled) {
        if (!allowed(name)) problems.push(`${key(section, "enabled")}: false would delete the prod ${component} "${name}" and its data: ${fix(name)}`);
    }
    for (const [name, store] of Object.entries(input.current)) {
        if (allowed(name)) continue;
        if (!store.deletionProtection) problems.push(`${key(store.section, "deletionProtection")}: false must be true in a prod stack: it keeps "${name}" from being deleted; ${fix(name)}`);
        if (store.finalSnapshot === false) problems.push(`${key(store.section, "finalSnapshot")}: false must be true in a prod stack: it keeps the data of "${name}" after a delete; ${fix(name)}`);
    }
    for (const [name, before] of Object.entries(input.previous ?? {})) {
        if (allowed(name)) continue;
        const now = input.current[name];
        if (!now) {
            if (input.disabled.some((d) => d.name === name)) continue;
            // A rename is a store of the same section that was not deployed before (another stamp's store was).
            const renamed = Object.entries(input.current).find(([n, s]) => s.section === before.section && !(input.previous ?? {})[n]);
            problems.push(renamed
                ? `${key(before.section, "name")}: ${JSON.stringify(renamed[0])} renames the prod ${before.component} "${name}": a new store replaces it and "${name}" is deleted with its data; keep the name "${name}", or ${fix(name)}`
                : `${key(before.section, "enabled")}: the prod ${before.component} "${name}" is no longer built and would be deleted with its data: ${fix(name)}`);
            continue;
        }
        if (before.cloud !== undefined && now.cloud !== undefined && before.cloud !== now.cloud) {
            problems.push(`intergalactic:cloud: ${JSON.stringify(now.cloud)} moves the prod ${before.component} "${name}" off ${before.cloud}: a new, empty store is built and the deployed one is deleted; ${fix(name)}`);
        } else if (before.region !== undefined && now.region !== undefined && before.region !== now.region) {
            problems.push(`${regionKey(now.cloud)}: ${JSON.stringify(now.region)} moves the prod ${before.component} "${name}" out of ${before.region}: a new, empty store is built and the deployed one is deleted; ${fix(name)}`);
        }
        if (now.networkCidr !== before.networkCidr) {
            problems.push(`intergalactic:network.cidrBlock: ${JSON.stringify(now.networkCidr)} re-networks the prod ${before.component} "${name}" (deployed in ${before.networkCidr}): its subnets and the store are replaced; ${fix(name)}`);
        }
    }
    return problems;
}

/**
 * The config key of a stack's region, per cloud. This module imports nothing (the policy pack bundles it), so the
 * table is keyed by the cloud's name; an unknown cloud is named as it is.
 */
const REGION_KEYS: Readonly<Record<string, string>> = { aws: "aws:region", azure: "azure-native:location" };

function regionKey(cloud: string | undefined): string {
    return REGION_KEYS[cloud ?? ""] ?? `the ${cloud ?? "stack's"} region`;
}
