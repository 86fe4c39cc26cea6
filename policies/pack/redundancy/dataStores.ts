/**
 * Data-tier redundancy: Kafka keeps a quorum and in-sync replicas through a
 * zone loss, Redis fails over to a replica in another zone, Mongo keeps a
 * majority of members across zones, and backups are kept long enough.
 */
import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Types, at, configOf, dependenciesOf, label, list, ofTypes } from "../common";
import { Topology, unique } from "../topology";
import { acceptHibernatedSchema, judgedAsHibernated } from "../hibernation";

const kafkaSchema: PolicyConfigSchema = {
    properties: {
        minBrokers: { type: "integer", minimum: 1, default: 3, description: "The fewest Kafka brokers." },
        minReplicationFactor: { type: "integer", minimum: 1, default: 3, description: "The lowest default.replication.factor." },
        minInSyncReplicas: { type: "integer", minimum: 1, default: 2, description: "The lowest min.insync.replicas." },
    },
};
interface KafkaConfig { minBrokers: number; minReplicationFactor: number; minInSyncReplicas: number }

/** `key=value` lines of a Kafka server.properties text. */
export function parseServerProperties(text: string): Map<string, string> {
    const map = new Map<string, string>();
    for (const line of text.split(/\r?\n/)) {
        const match = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
        if (match) map.set(match[1], match[2]);
    }
    return map;
}

/** An MSK topic's `configs`: a JSON object of strings. */
export function topicConfigs(configs: unknown): Record<string, string> {
    if (typeof configs !== "string" || configs === "") return {};
    try {
        return JSON.parse(configs) as Record<string, string>;
    } catch {
        return {};
    }
}

export const kafkaQuorum: ResourceValidationPolicy = {
    name: "kafka-quorum",
    description: "Kafka has at least 3 brokers spread evenly over the zones (or a zone-redundant Event Hubs tier), and the cluster and every topic replication factor 3 and min.insync.replicas 2.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: kafkaSchema,
    validateResource: (args, report) => {
        const config = configOf<KafkaConfig>(args, kafkaSchema);
        const p = args.props;
        if (args.type === Types.AwsKafka) {
            const brokers = Number(p.numberOfBrokerNodes);
            const subnets = list(at(p, "brokerNodeGroupInfo.clientSubnets")).length;
            if (brokers < config.minBrokers) report(`numberOfBrokerNodes is ${brokers}; at least ${config.minBrokers} are required`);
            if (subnets < 3) report(`brokerNodeGroupInfo.clientSubnets has ${subnets} subnet(s); use one per zone in 3 zones`);
            // MSK places brokers evenly over the client subnets and rejects a count that is not a multiple of them.
            if (subnets > 0 && brokers % subnets !== 0) report(`numberOfBrokerNodes ${brokers} is not a multiple of the ${subnets} client subnets`);
        } else if (args.type === Types.AwsKafkaConfiguration) {
            // Absent keys keep MSK's defaults for a 3-AZ cluster (replication factor 3, min.insync.replicas 2).
            const props = parseServerProperties(String(p.serverProperties ?? ""));
            const rf = Number(props.get("default.replication.factor") ?? 3);
            const isr = Number(props.get("min.insync.replicas") ?? 2);
            if (rf < config.minReplicationFactor) report(`default.replication.factor is ${rf}; at least ${config.minReplicationFactor} is required`);
            if (isr < config.minInSyncReplicas) report(`min.insync.replicas is ${isr}; at least ${config.minInSyncReplicas} is required`);
            if (isr >= rf) report(`min.insync.replicas ${isr} must be below default.replication.factor ${rf}, or one lost replica blocks every write`);
        } else if (args.type === Types.AwsKafkaTopic) {
            // A topic's own min.insync.replicas overrides the cluster's.
            const rf = Number(p.replicationFactor);
            const isr = Number(topicConfigs(p.configs)["min.insync.replicas"] ?? config.minInSyncReplicas);
            if (rf < config.minReplicationFactor) report(`replicationFactor is ${rf}; at least ${config.minReplicationFactor} is required`);
            if (isr < config.minInSyncReplicas) report(`configs min.insync.replicas is ${isr}; at least ${config.minInSyncReplicas} is required`);
            if (isr >= rf) report(`min.insync.replicas ${isr} must be below replicationFactor ${rf}, or one lost replica blocks every write`);
        } else if (args.type === Types.AzureEventHubNamespace) {
            // Event Hubs keeps three replicas across zones itself when the namespace is zone-redundant.
            const sku = String(at(p, "sku.name") ?? "");
            if (p.zoneRedundant !== true) report("zoneRedundant must be true so the namespace's replicas span the zones");
            if (!["Standard", "Premium", "Dedicated"].includes(sku)) report(`sku.name ${JSON.stringify(sku)} has no Kafka endpoint: use Standard, Premium or Dedicated`);
        } else {
            args.notApplicable("not a Kafka resource");
        }
    },
};

const redisSchema: PolicyConfigSchema = {
    properties: { minReplicas: { type: "integer", minimum: 1, default: 1, description: "The fewest replicas per shard." } },
};

export const redisFailover: ResourceValidationPolicy = {
    name: "redis-failover",
    description: "Redis fails over automatically to a replica in another zone: automatic failover, Multi-AZ and at least one replica (AWS), high availability and zone redundancy (Azure).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: redisSchema,
    validateResource: (args, report) => {
        const { minReplicas } = configOf<{ minReplicas: number }>(args, redisSchema);
        const p = args.props;
        if (args.type === Types.AwsRedis) {
            if (p.automaticFailoverEnabled !== true) report("automaticFailoverEnabled must be true");
            if (p.multiAzEnabled !== true) report("multiAzEnabled must be true so the replica is in another zone");
            const replicas = p.replicasPerNodeGroup !== undefined ? Number(p.replicasPerNodeGroup) : Number(p.numCacheClusters ?? 1) - 1;
            if (replicas < minReplicas) report(`has ${replicas} replica(s) per shard; at least ${minReplicas} are required`);
        } else if (args.type === Types.AzureRedis) {
            if (p.highAvailability === "Disabled") report("highAvailability must not be Disabled: without it the data set is not replicated");
            const zones = list<string>(p.zones);
            // Enterprise SKUs are zone-redundant only with explicit zones; Azure Managed Redis SKUs with HA are by default.
            const enterprise = String(at(p, "sku.name") ?? "").startsWith("Enterprise");
            if ((enterprise || zones.length > 0) && zones.length < 2) report(`zones is ${JSON.stringify(zones)}; list at least 2 zones (e.g. ["1","2","3"]) for zone redundancy`);
        } else {
            args.notApplicable("not a Redis resource");
        }
    },
};

const mongoSchema: PolicyConfigSchema = {
    properties: {
        minMembers: { type: "integer", minimum: 1, default: 3, description: "The fewest replica-set members, each in its own zone." },
        acceptHibernated: acceptHibernatedSchema,
    },
};

export const mongoReplicaSet: StackValidationPolicy = {
    name: "mongo-replica-set",
    description: "Mongo has at least 3 members across 3 zones (DocumentDB instances) or is zone-redundant in every region (Cosmos DB).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy"],
    configSchema: mongoSchema,
    validateStack: (args, report) => {
        const config = configOf<{ minMembers: number; acceptHibernated: boolean }>(args, mongoSchema);
        // Hibernated: DocumentDB keeps its first instance only; the cluster volume, replicated over three zones by
        // the service (https://docs.aws.amazon.com/documentdb/latest/developerguide/how-it-works.html), keeps the data.
        const hibernated = judgedAsHibernated(config, args.resources);
        const minMembers = hibernated ? 1 : config.minMembers;
        const why = hibernated ? "a hibernated cluster keeps its first instance, so the services serve on a wake-up" : "for a majority after a zone loss";
        const clusters = ofTypes(args, Types.AwsDocDbCluster, Types.AzureCosmos);
        if (clusters.length === 0) args.notApplicable("the stack has no Mongo-compatible database");
        const topology = new Topology(args.resources);
        for (const cluster of clusters) {
            if (cluster.type === Types.AzureCosmos) {
                const locations = list<Record<string, unknown>>(cluster.props.locations);
                const notRedundant = locations.filter((l) => l.isZoneRedundant !== true).map((l) => String(l.locationName ?? "?"));
                if (locations.length === 0 || notRedundant.length > 0) report(`${label(cluster)}: locations ${notRedundant.join(", ") || "(none)"} must set isZoneRedundant: true`, cluster.urn);
                continue;
            }
            const members = ofTypes(args, Types.AwsDocDbInstance).filter((i) => isMemberOf(i, cluster));
            const zones = memberZones(members, cluster, topology);
            if (members.length < minMembers) report(`${label(cluster)}: has ${members.length} instance(s); at least ${minMembers} are required ${why}`, cluster.urn);
            if (zones.length < Math.min(minMembers, 3)) report(`${label(cluster)}: instances span ${zones.length} zone(s) (${zones.join(", ") || "unknown"}); spread them over 3`, cluster.urn);
        }
    },
};

function isMemberOf(instance: PolicyResource, cluster: PolicyResource): boolean {
    if (dependenciesOf(instance, "clusterIdentifier").some((d) => d.urn === cluster.urn)) return true;
    return cluster.props.clusterIdentifier !== undefined && instance.props.clusterIdentifier === cluster.props.clusterIdentifier;
}

/** Zones of the members: pinned per instance, else the cluster's list, else its subnet group's zones. */
function memberZones(members: PolicyResource[], cluster: PolicyResource, topology: Topology): string[] {
    const pinned = unique(members.map((m) => String(m.props.availabilityZone ?? "")).filter((z) => z !== ""));
    if (pinned.length > 0) return pinned;
    const listed = list<string>(cluster.props.availabilityZones);
    const zones = listed.length > 0 ? unique(listed) : topology.zonesOf(cluster);
    return zones.slice(0, members.length);
}

const backupSchema: PolicyConfigSchema = {
    properties: {
        minimumDays: { type: "integer", minimum: 0, default: 7, description: "The fewest days automatic backups are kept." },
        requireCachePersistence: { type: "boolean", default: true, description: "Azure Redis databases persist to disk (RDB or AOF)." },
    },
};

export const backupRetention: ResourceValidationPolicy = {
    name: "backup-retention",
    description: "Data stores keep automatic backups for at least `minimumDays` days (per stack).",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["redundancy", "backup"],
    configSchema: backupSchema,
    validateResource: (args, report) => {
        const { minimumDays, requireCachePersistence } = configOf<{ minimumDays: number; requireCachePersistence: boolean }>(args, backupSchema);
        const p = args.props;
        const check = (days: number, what: string) => {
            if (days < minimumDays) report(`${what} keeps backups ${days} day(s); at least ${minimumDays} are required`);
        };
        switch (args.type) {
            case Types.AwsRedis: return check(Number(p.snapshotRetentionLimit ?? 0), "snapshotRetentionLimit");
            // DocumentDB keeps 1 day when backupRetentionPeriod is not set.
            case Types.AwsDocDbCluster: return check(Number(p.backupRetentionPeriod ?? 1), "backupRetentionPeriod");
            case Types.AzureCosmos: return check(cosmosRetentionDays(p), "backupPolicy");
            case Types.AzureRedisDatabase: {
                if (!requireCachePersistence) return args.notApplicable("cache persistence is not required for this stack");
                const persistence = p.persistence as Record<string, unknown> | undefined;
                if (persistence?.aofEnabled !== true && persistence?.rdbEnabled !== true) report("persistence must enable rdbEnabled or aofEnabled so the data survives a restart");
                return;
            }
            default: return args.notApplicable("not a data store with backups");
        }
    },
};

/** Days a Cosmos DB account keeps backups: continuous tiers by name, periodic by hours (default 8 hours). */
function cosmosRetentionDays(p: Record<string, unknown>): number {
    if (at(p, "backupPolicy.type") === "Continuous") return at(p, "backupPolicy.continuousModeProperties.tier") === "Continuous30Days" ? 30 : 7;
    return Number(at(p, "backupPolicy.periodicModeProperties.backupRetentionIntervalInHours") ?? 8) / 24;
}
