/**
 * Rules across sections of a parsed stack config: what a prod stack must keep, and keys that
 * refer to each other. Each problem names the key the user wrote, the value and the rule.
 */
import { PerCloud, Problems } from "../../components/common";
import type { StackConfig } from "./index";
import { PROD_MIN_LOG_RETENTION_DAYS } from "./limits";


/** The zones a highly available data store spreads over: losing one zone leaves two copies. */
export const DATA_STORE_MIN_ZONES = 3;

/** Azure Bastion's zones for zone redundancy (https://learn.microsoft.com/azure/bastion/configuration-settings#az). */
const AZURE_BASTION_ZONES = ["1", "2", "3"];

const NS = "intergalactic:";

export function checkStackRules(config: StackConfig, problems: Problems): void {
    checkZones(config, problems);
    checkRestoreNames(config, problems);
    checkAzureClusterEgress(config, problems);
    checkDropNames(config, problems);
    checkWriterRegion(config, problems);
    if (config.environment === "prod") checkProd(config, problems);
}

/**
 * `mongo.writerRegion` names a stamp's region: the writer is one of the global cluster's members, and each stamp has
 * exactly one (its own cluster). It tells the services where the primary is; it moves nothing itself.
 */
function checkWriterRegion(config: StackConfig, problems: Problems): void {
    const writer = config.mongo.writerRegion;
    if (writer === undefined) return;
    const regions = config.stamps.map((s) => s.region);
    problems.check(regions.includes(writer), `${NS}mongo.writerRegion`, writer,
        `is not one of the stack's regions (${regions.join(", ")}): the writer is the global cluster's primary, one of the stamps' clusters`);
}

/** The data stores keep a copy per zone in 3 zones: fewer zones fail in the store, far from the key that sets them. */
function checkZones(config: StackConfig, problems: Problems): void {
    const stores = [config.mongo.enabled && "mongo", config.redis.enabled && "redis", config.kafka.enabled && "kafka"].filter(Boolean);
    if (stores.length === 0 && config.environment !== "prod") return;
    const why = stores.length > 0
        ? `must be at least ${DATA_STORE_MIN_ZONES}: the data stores (${stores.map((s) => `${NS}${s}`).join(", ")}) keep a copy in each of ${DATA_STORE_MIN_ZONES} zones`
        : `must be at least ${DATA_STORE_MIN_ZONES} in a prod stack, so that it survives the loss of a zone`;
    problems.check(config.network.zoneCount >= DATA_STORE_MIN_ZONES, `${NS}network.zoneCount`, config.network.zoneCount, why);
}

/**
 * AKS here sends its egress through the NAT gateways of the app subnets (`outboundType:
 * userAssignedNATGateway`), which requires one on each subnet at creation
 * (https://learn.microsoft.com/azure/aks/nat-gateway#create-an-aks-cluster-with-a-user-assigned-nat-gateway):
 * without NAT gateways the cluster is never created.
 */
function checkAzureClusterEgress(config: StackConfig, problems: Problems): void {
    if (!CLUSTER_EGRESS_NEEDS_NAT[config.cloud] || !config.cluster.enabled) return;
    problems.check(config.network.natStrategy !== "None", `${NS}network.natStrategy`, config.network.natStrategy,
        "leaves the app subnets without NAT gateways, but the AKS cluster's outbound type is userAssignedNATGateway: use OnePerAz or Single, or disable intergalactic:cluster");
}

/** Per cloud, whether the cluster's egress needs the app subnets' NAT gateways at creation (AKS here; EKS nodes use them only for egress). */
const CLUSTER_EGRESS_NEEDS_NAT: PerCloud<boolean> = { aws: false, azure: true };

/** Per cloud, whether the cache restores from a snapshot: ElastiCache does; Azure Managed Redis has no snapshots. */
const CACHE_RESTORES: PerCloud<boolean> = { aws: true, azure: false };

/** `snapshots.restore` keys must be the names of enabled stores that restore: a typo would start the store empty. */
function checkRestoreNames(config: StackConfig, problems: Problems): void {
    const restorable = new Map<string, string>();
    if (config.mongo.enabled) restorable.set(config.mongo.name, `${NS}mongo.name`);
    if (config.redis.enabled && CACHE_RESTORES[config.cloud]) restorable.set(config.redis.name, `${NS}redis.name`);
    for (const name of Object.keys(config.snapshots.restore)) {
        if (restorable.has(name)) continue;
        const known = [...restorable].map(([n, key]) => `"${n}" (${key})`).join(", ") || "none";
        problems.add(`${NS}snapshots.restore.${name}: names no data store that restores from a snapshot here; the stores are ${known}`);
    }
}

/**
 * A name in `dropDataOnTeardown` that is no data store's would do nothing: most likely a typo that
 * leaves the teardown refusing. A disabled store keeps its name, so turning it off needs no second edit.
 */
function checkDropNames(config: StackConfig, problems: Problems): void {
    const stores = new Map<string, string>([
        [config.mongo.name, `${NS}mongo.name`], [config.redis.name, `${NS}redis.name`], [config.kafka.name, `${NS}kafka.name`],
    ]);
    for (const name of config.snapshots.dropDataOnTeardown) {
        if (stores.has(name)) continue;
        const known = [...stores].map(([n, key]) => `"${n}" (${key})`).join(", ") || "none";
        problems.add(`${NS}snapshots.dropDataOnTeardown: "${name}" names no data store here; the stores are ${known}`);
    }
}

function checkProd(config: StackConfig, problems: Problems): void {
    const rule = (ok: boolean, key: string, value: unknown, why: string) => problems.check(ok, `${NS}${key}`, value, why);
    rule(!config.schedule.schedulable, "schedule.schedulable", config.schedule.schedulable,
        "must be false in a prod stack: the scheduler tears stacks down, and prod is never torn down on a schedule");
    rule(config.snapshots.dropDataOnTeardown.length === 0, "snapshots.dropDataOnTeardown", config.snapshots.dropDataOnTeardown,
        "must be empty in a prod stack: prod data is never dropped");
    const cluster = config.cluster;
    if (cluster.enabled) {
        rule(cluster.minNodesPerZone >= 1, "cluster.minNodesPerZone", cluster.minNodesPerZone, "must be at least 1 in a prod stack: every zone keeps a node");
        rule(cluster.maxNodesPerZone > cluster.minNodesPerZone, "cluster.maxNodesPerZone", cluster.maxNodesPerZone,
            `must exceed minNodesPerZone (${cluster.minNodesPerZone}) in a prod stack: a zone must be able to grow when another is lost`);
    }
    PROD_RULES[config.cloud](config, rule);
}

type Rule = (ok: boolean, key: string, value: unknown, why: string) => boolean;

/** Each cloud's own prod rules: the logs AWS keeps, the zone-redundant Azure Bastion. */
const PROD_RULES: PerCloud<(config: StackConfig, rule: Rule) => void> = {
    aws: (config, rule) => {
        const retention = (key: string, days: number) => rule(days >= PROD_MIN_LOG_RETENTION_DAYS, key, days,
            `must be at least ${PROD_MIN_LOG_RETENTION_DAYS} days in a prod stack`);
        retention("network.flowLogRetentionDays", config.network.flowLogRetentionDays);
        if (config.cluster.enabled) retention("cluster.logRetentionDays", config.cluster.logRetentionDays);
        if (config.kafka.enabled) retention("kafka.logRetentionDays", config.kafka.logRetentionDays);
    },
    azure: (config, rule) => {
        const zones = [...config.bastion.zones].sort();
        rule(JSON.stringify(zones) === JSON.stringify(AZURE_BASTION_ZONES), "bastion.zones", config.bastion.zones,
            `must be ${JSON.stringify(AZURE_BASTION_ZONES)} in a prod stack: a zone-redundant Bastion survives the loss of a zone (use a region that offers it)`);
    },
};
