/**
 * The stack program: one environment, composed tier by tier from the
 * components, driven only by the stack's config. `pulumi up` runs it through
 * `stacks/index.ts`; the offline plan runs it under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, RestoreSource, RestoreSourceKind } from "../components/common";
import { SubnetTier, availabilityZoneNames, selectSubnets } from "../components/network";
import { StackConfig, parseStackConfig } from "./config";
import { currentRunMode, refusePlaceholders } from "./config/placeholders";
import { checkDeployerReach } from "./config/cluster";
import { bastionTier } from "./tiers/bastion";
import { clusterTier } from "./tiers/cluster";
import { storeInventory } from "./config/inventory";
import { guardDataLoss } from "./dataGuard";
import { NODE_GROUPS_AT_ZERO_OUTPUT, hibernationSettings, scheduleOutput, tracksNodeGroupsAtZero, wakeFromZero } from "./hibernation";
import { requirePolicyPack } from "./policyGate";
import { inSection } from "./tiers/configKeys";
import { kafkaTier } from "./tiers/kafka";
import { appCidrs, mongoTier } from "./tiers/mongo";
import { networkTier } from "./tiers/network";
import { peeringTier } from "./tiers/peering";
import { redisTier } from "./tiers/redis";
import { DataStoreOutputs, servicesTier } from "./tiers/services";
import { certificatesTier } from "./tiers/certificates";
import { HaMongo, credentialsAtHost, writerCredentials } from "../components/mongo";
import { StampScope, stampScope } from "./tiers/stamp";
import { writerMismatch } from "./tiers/writerCheck";
import { Vpc3Az } from "../components/network";
import { CookieServices, DataStoreWriterArgs } from "../components/services";
import { EntryOrigin, entryTier } from "./tiers/entry";
import { Stamp, stampConfig } from "./config/stamps";

/** Builds the environment and returns the stack outputs. */
export async function program(): Promise<Record<string, unknown>> {
    const parsed: StackConfig = parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    // Placeholders plan offline and warn in a preview; a real update refuses them before registering anything.
    refusePlaceholders(parsed, currentRunMode());
    // A prod up runs with the policy pack, and compares its stores with the deployed ones, before registering anything.
    requirePolicyPack(pulumi.getStack(), parsed.environment);
    await guardDataLoss(pulumi.getStack(), parsed);
    const zones = await availabilityZoneNames(parsed.cloud);
    // Before anything is registered: a stack whose Kubernetes objects its deployer cannot reach is refused.
    checkDeployerReach(parsed.cloud, parsed.cluster, parsed.services.enabled);
    // A running up over live node groups at zero (or below their minimum) writes their counts back (waking).
    const config = await wakeFromZero(parsed);
    // Each tier's component errors name the config keys they come from, not the component's args.
    const network = inSection("network", config, () => networkTier(config, zones));
    const compute = inSection("cluster", config, () => clusterTier(config, network.facts()));
    // Hibernated (intergalactic:schedule.mode): the bastion is left out; nothing serves through it.
    const bastion = hibernationSettings(config).bastion === false ? undefined : inSection("bastion", config, () => bastionTier(config, network));
    // The other stamps' networks come first: the user database's primary reaches into them on Azure.
    const others: StampNetwork[] = [];
    for (const stamp of config.stamps.filter((s) => !s.primary)) others.push(await stampNetwork(config, stamp));
    // AWS: the stamps' networks joined, so every stamp reaches the user database's writer wherever it is.
    peeringTier(config, [
        { stamp: config.stamps[0], network }, ...others.map((o) => ({ stamp: o.stamp, network: o.network, provider: o.scope.invokeOpts.provider })),
    ]);
    const mongo = inSection("mongo", config, () => mongoTier(config, network.facts(), config.snapshots, {
        replicaRegions: others.map((o) => o.stamp.region),
        replicaNetworks: others.map((o) => ({ region: o.stamp.region, network: o.network.facts() })),
        peerClientCidrs: others.flatMap((o) => appCidrs(o.network.facts())),
    }));
    // AWS: each other stamp's copy of the user database (a secondary), before any services: every stamp's services get
    // the writer's string, wherever the writer is (intergalactic:mongo.writerRegion).
    const copies = new Map(others.map((o) => [o.stamp.region, stampMongo(o, mongo, [network, ...others.filter((x) => x !== o).map((x) => x.network)])]));
    const writer = userDatabaseWriter(config, { region: config.region, store: mongo, network }, others.map((o) => ({ region: o.stamp.region, store: copies.get(o.stamp.region), network: o.network })));
    const redis = inSection("redis", config, () => redisTier(config, network.facts(), config.snapshots));
    const kafka = inSection("kafka", config, () => kafkaTier(config, network.facts()));
    // Managed certificates (intergalactic:globalEntry.managedCertificates): one per stamp, issued before any Ingress uses it.
    const certificates = inSection("globalEntry", config, () => certificatesTier(config, [
        { region: config.region }, ...others.map((o) => ({ region: o.stamp.region, provider: o.scope.invokeOpts.provider })),
    ]));
    const services = inSection("services", config, () => servicesTier(config, network.facts(), { cluster: compute, redis, mongo, mongoWriter: writer, kafka, certificateArn: certificates?.[config.region] }));
    // The stamps in the stack's other regions, after the primary's, each with its region's provider.
    const otherStamps: Record<string, Record<string, unknown>> = {};
    const origins: EntryOrigin[] = services ? [{ region: config.region, address: services.loadBalancerAddress }] : [];
    for (const other of others) {
        const built = buildStamp(other, mongo, copies.get(other.stamp.region), writer, certificates?.[other.stamp.region]);
        otherStamps[other.stamp.region] = built.outputs;
        if (built.services) origins.push({ region: other.stamp.region, address: built.services.loadBalancerAddress });
    }
    // In front of every stamp's services: the one public host, failing over on health.
    const entry = inSection("globalEntry", config, () => entryTier(config, network.facts(), origins));

    return {
        cloud: config.cloud,
        environment: config.environment,
        networkId: network.networkId,
        zones: network.zones,
        subnets: network.subnets,
        ...(compute ? { clusterName: compute.cluster.clusterName } : {}),
        // Informational (may be stale after a failed update): wakeFromZero reads the live node groups instead.
        ...(compute && tracksNodeGroupsAtZero(config) ? { [NODE_GROUPS_AT_ZERO_OUTPUT]: compute.cluster.nodeGroupsAtZero } : {}),
        // Which plan this is (hibernated, waking), for the policy pack; nothing on a running plan.
        ...scheduleOutput(config),
        ...(bastion ? { bastionHostId: bastion.hostId, bastionConnection: bastion.connectionHint } : {}),
        ...(redis ? { redisConnection: redis.connection } : {}),
        ...(mongo ? { mongoConnection: mongo.connection } : {}),
        ...(kafka ? { kafkaConnection: kafka.connection, kafkaTopics: kafka.topicNames } : {}),
        // The data-loss guard of the next deployment compares its stores with these.
        dataStores: storeInventory(config),
        // The stores whose loss this config accepts, for the prod-data-loss policy to read.
        dataLossOverride: [...config.dataLossOverride],
        // The scheduler records these before a teardown and restores from them at the next spin-up. Only what
        // really outlives the teardown is listed; `restoreSources` says what each restore needs besides the snapshot.
        ...dataLifetimeOutputs({ [config.redis.name]: redis?.restoreSource, [config.mongo.name]: mongo?.restoreSource }),
        ...(config.stamps.length > 1 ? { stamps: otherStamps } : {}),
        // Where every stamp's services write the user database (AWS, several stamps): follows intergalactic:mongo.writerRegion.
        ...(writer ? { mongoWriter: { region: writer.region, host: pulumi.output(writer.connection).apply((c) => c.host) } } : {}),
        ...(entry ? { globalEntry: { host: entry.host, entryHost: entry.entryHost, dnsRecords: entry.dnsRecords } } : {}),
        ...(services ? { publicHost: services.publicHost, loadBalancerAddress: services.loadBalancerAddress, forwardCacheHost: services.forwardCacheHost, forwardCacheDnsRecords: services.forwardCacheDnsRecords } : {}),
    };
}

/**
 * A stamp in another region than the stack's: the same tiers as the primary's but the user database
 * and the services (see `stampConfig`), named after its region, through its region's provider.
 * Returns its outputs.
 */
/** A stamp's config, scope and network: built before the primary's user database, which its network may reach. */
interface StampNetwork {
    readonly stamp: Stamp;
    readonly config: StackConfig;
    readonly scope: StampScope;
    readonly network: Vpc3Az;
}

async function stampNetwork(stack: StackConfig, stamp: Stamp): Promise<StampNetwork> {
    const config = stampConfig(stack, stamp);
    const scope = stampScope(stack, stamp);
    const zones = await availabilityZoneNames(config.cloud, scope.invokeOpts);
    return { stamp, config, scope, network: inSection("network", config, () => networkTier(config, zones, scope)) };
}

/**
 * AWS: the user database's copy in a stamp's region (a secondary of the global cluster), read there; it admits the other
 * stamps' app subnets too, for when a failover makes it the writer. Azure: none (the primary's account has a location
 * here and an endpoint in this network).
 */
function stampMongo({ config, scope, network }: StampNetwork, primaryMongo: HaMongo | undefined, otherNetworks: readonly Vpc3Az[]): HaMongo | undefined {
    if (!primaryMongo || !config.mongo.enabled) return undefined;
    return inSection("mongo", config, () => mongoTier(config, network.facts(), config.snapshots, {
        replicaOf: primaryMongo.replicationSource, peerClientCidrs: otherNetworks.flatMap((n) => appCidrs(n.facts())),
    }, scope));
}

function buildStamp(
    { stamp, config, scope, network }: StampNetwork, primaryMongo: HaMongo | undefined, mongo: HaMongo | undefined,
    writer: DataStoreWriterArgs | undefined, certificateArn: pulumi.Output<string> | undefined,
): { outputs: Record<string, unknown>; services?: CookieServices } {
    const compute = inSection("cluster", config, () => clusterTier(config, network.facts(), scope));
    const bastion = inSection("bastion", config, () => bastionTier(config, network, scope));
    const redis = inSection("redis", config, () => redisTier(config, network.facts(), config.snapshots, scope));
    const kafka = inSection("kafka", config, () => kafkaTier(config, network.facts(), scope));
    const services = inSection("services", config, () => servicesTier(config, network.facts(), {
        cluster: compute, redis, kafka, mongo: primaryMongo && regionalMongo(mongo, primaryMongo), mongoWriter: writer,
        certificateArn,
    }));
    const outputs = {
        region: stamp.region,
        networkId: network.networkId,
        networkCidr: stamp.cidrBlock,
        zones: network.zones,
        ...(compute ? { clusterName: compute.cluster.clusterName } : {}),
        bastionHostId: bastion.hostId,
        ...(redis ? { redisConnection: redis.connection } : {}),
        ...(kafka ? { kafkaConnection: kafka.connection, kafkaTopics: kafka.topicNames } : {}),
        ...(mongo ? { mongoConnection: mongo.connection } : {}),
        ...(services ? { publicHost: services.publicHost, loadBalancerAddress: services.loadBalancerAddress } : {}),
    };
    return { outputs, services };
}

/**
 * What a stamp's services read of the user database. Azure: the copy's own (the account's keys through this
 * network's endpoint). AWS: the local secondary, signed in with the primary's users, its connection string naming
 * the secondary's host too, so reads stay in the region; DocumentDB takes writes at the primary only
 * (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters.html): those go to the writer's string
 * (`userDatabaseWriter`), across the peering.
 */
function regionalMongo(copy: HaMongo | undefined, primary: HaMongo): DataStoreOutputs {
    if (!copy) return primary;
    const credentials = pulumi.all([primary.credentials, copy.connection]).apply(([c, at]) => credentialsAtHost(c, at.host));
    return { connection: copy.connection, credentials: pulumi.secret(credentials) };
}

/** A stamp's user database member and network, as the writer is chosen among them. */
interface UserDatabaseMember {
    readonly region: string;
    readonly store: HaMongo | undefined;
    readonly network: Vpc3Az;
}

/**
 * Per cloud, whether the services of a multi-region stack are told a writer of the user database besides what they
 * read. AWS: yes, a DocumentDB global cluster writes at its primary cluster's endpoint only, which "might be in a
 * different AWS Region than your application" (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters-connect.html),
 * and it has no global writer endpoint that follows a failover (the provider's docdb.GlobalCluster has no endpoint
 * output, unlike rds.GlobalCluster's: @pulumi/aws docdb/globalCluster.d.ts). Azure: no, the MongoDB driver writes to
 * the account's write region through the stamp's own endpoint.
 */
const TOLD_THE_WRITER: PerCloud<boolean> = { [Cloud.Aws]: true, [Cloud.Azure]: false };

/**
 * The user database's writer for every stamp's services: the cluster of `intergalactic:mongo.writerRegion` (by default the
 * first region's, where the global cluster was created), its connection string signed in with the primary's users, and its
 * network's data subnets, which the services' network policy opens. Undefined with one stamp, or where the cloud needs none.
 */
function userDatabaseWriter(config: StackConfig, primary: UserDatabaseMember, others: readonly UserDatabaseMember[]): (DataStoreWriterArgs & { readonly region: string }) | undefined {
    if (others.length === 0 || !TOLD_THE_WRITER[config.cloud] || !primary.store) return undefined;
    const region = config.mongo.writerRegion ?? config.region;
    const member = [primary, ...others].find((m) => m.region === region);
    const store = member?.store;
    if (!member || !store) return undefined;
    // Fails the up before the Secrets take a writer that is not the global cluster's (stacks/tiers/writerCheck.ts).
    const source = primary.store;
    const connection = pulumi.all([store.connection, store.resourceId, source.replicationSource, source.replicationWriter, source.replicationMembers]).apply(([at, clusterArn, globalClusterId, writerArn, memberArns]) => {
        const mismatch = writerMismatch({ writerRegion: region, clusterArn, globalClusterId, writerArn, memberArns, firstRegion: config.region });
        if (mismatch !== undefined) throw new Error(mismatch);
        return at;
    });
    const credentials = pulumi.all([primary.store.credentials, connection]).apply(([c, at]) => writerCredentials(credentialsAtHost(c, at.host)));
    return {
        region,
        connection,
        credentials: pulumi.secret(credentials),
        cidrs: selectSubnets(member.network.facts(), { tier: SubnetTier.Data }).map((s) => s.cidr),
    };
}

/** One entry of the `restoreSources` stack output: a store's restore source and the config its next spin-up needs. */
export interface RestoreSourceOutput extends RestoreSource {
    /** Config to set before the next spin-up (full keys, `intergalactic:snapshots.restore.<name>` among them). */
    readonly config: Readonly<Record<string, string>>;
    /** When `needsPointInTime`: the config key to set to the restore point, an ISO-8601 UTC time at or before the deletion. */
    readonly pointInTimeConfigKey: string;
}

/**
 * `finalSnapshots` (`{ store name: snapshot id }`, the shape the scheduler has always read) and
 * `restoreSources` (`{ store name: RestoreSourceOutput }`), both listing only stores whose data really outlives a teardown.
 */
function dataLifetimeOutputs(sources: Record<string, pulumi.Output<RestoreSource> | undefined>): {
    finalSnapshots: pulumi.Output<Record<string, string>>;
    restoreSources: pulumi.Output<Record<string, RestoreSourceOutput>>;
} {
    const entries = Object.entries(sources)
        .filter((entry): entry is [string, pulumi.Output<RestoreSource>] => entry[1] !== undefined)
        .map(([name, source]) => source.apply((value) => [name, value] as const));
    const kept = pulumi.all(entries).apply((pairs) => pairs.filter(([, s]) => s.kind !== RestoreSourceKind.None && s.snapshot !== ""));
    return {
        finalSnapshots: kept.apply((pairs) => Object.fromEntries(pairs.map(([name, s]) => [name, s.snapshot]))),
        restoreSources: kept.apply((pairs) => Object.fromEntries(pairs.map(([name, s]) => [name, restoreSourceOutput(name, s)]))),
    };
}

function restoreSourceOutput(name: string, source: RestoreSource): RestoreSourceOutput {
    const config: Record<string, string> = { [`intergalactic:snapshots.restore.${name}`]: source.snapshot };
    if (source.encryptionKeyArn !== "") config[`intergalactic:snapshots.encryptionKeys.${name}`] = source.encryptionKeyArn;
    return { ...source, config, pointInTimeConfigKey: source.needsPointInTime ? "intergalactic:mongo.restoreTimestampUtc" : "" };
}
