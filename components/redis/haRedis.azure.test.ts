import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/dataStore";
import { Plan, REDACTED } from "../../engine/format";
import { named, ofType, planSnippet, rejection } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { HaRedis, HaRedisArgs } from "./haRedis";
import { redisUri } from "./credentials";
import { factsOfPlan } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const GROUP = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/net-rg";
const VNET = `${GROUP}/providers/Microsoft.Network/virtualNetworks/net-vnet`;
const AZURE_NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure" }), { networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name}` });
const AZURE_DATA_SUBNET = `${VNET}/subnets/net-data`;
const BASE: HaRedisArgs = { cloud: "azure", network: AZURE_NETWORK, tags: { team: "cookies" } };
const CLUSTER = "azure-native:redisenterprise:RedisEnterprise";
const DATABASE = "azure-native:redisenterprise:Database";
const planRedis = (args: Partial<HaRedisArgs> = {}) => planSnippet(() => new HaRedis("cache", { ...BASE, ...args }));

describe("HaRedis on Azure", () => {
    let plan: Plan;
    before(async () => {
        plan = await planRedis();
    });

    it("creates an Azure Managed Redis cluster in the data subnet's resource group with high availability and TLS 1.2", () => {
        const cluster = named(plan, CLUSTER, "cache-cluster");
        assert.deepStrictEqual(
            [cluster.inputs.resourceGroupName, cluster.inputs.sku, cluster.inputs.highAvailability, cluster.inputs.minimumTlsVersion],
            ["net-rg", { name: "Balanced_B10" }, "Enabled", "1.2"]);
    });

    it("leaves zone placement to the service, which rejects explicit zones on Azure Managed Redis SKUs", () => {
        assert.strictEqual(named(plan, CLUSTER, "cache-cluster").inputs.zones, undefined);
        assert.deepStrictEqual(named(plan, "intergalactic:index:HaRedis", "cache").outputs.zones, ["1", "2", "3"]);
    });

    it("disables public network access and reaches the cluster through a private endpoint in the data subnet", () => {
        assert.strictEqual(named(plan, CLUSTER, "cache-cluster").inputs.publicNetworkAccess, "Disabled");
        const endpoint = named(plan, "azure-native:network:PrivateEndpoint", "cache-pe");
        assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, AZURE_DATA_SUBNET);
        const connections = endpoint.inputs.privateLinkServiceConnections as { privateLinkServiceId: string; groupIds: string[] }[];
        assert.deepStrictEqual(connections.map((c) => [c.privateLinkServiceId, c.groupIds]), [[named(plan, CLUSTER, "cache-cluster").id, ["redisEnterprise"]]]);
    });

    it("resolves the cluster's name privately through privatelink.redis.azure.net linked to the VNet", () => {
        const zone = named(plan, "azure-native:privatedns:PrivateZone", "cache-dns");
        assert.deepStrictEqual([zone.inputs.privateZoneName, zone.inputs.location], ["privatelink.redis.azure.net", "global"]);
        const link = named(plan, "azure-native:privatedns:VirtualNetworkLink", "cache-dns-link");
        assert.deepStrictEqual([link.inputs.virtualNetwork, link.inputs.registrationEnabled], [{ id: VNET }, false]);
        const group = named(plan, "azure-native:network:PrivateDnsZoneGroup", "cache-pe-dns");
        assert.deepStrictEqual((group.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId), [zone.id]);
    });

    it("creates the default database with TLS only, access-key auth and hourly RDB persistence", () => {
        const database = named(plan, DATABASE, "cache-db");
        assert.deepStrictEqual(
            [database.inputs.databaseName, database.inputs.clientProtocol, database.inputs.port, database.inputs.accessKeysAuthentication, database.inputs.clusteringPolicy],
            ["default", "Encrypted", 10000, "Enabled", "EnterpriseCluster"]);
        assert.deepStrictEqual(database.inputs.persistence, { rdbEnabled: true, rdbFrequency: "1h" });
        assert.strictEqual(database.inputs.clusterName, named(plan, CLUSTER, "cache-cluster").outputs.name);
    });

    it("protects the cluster and database with Pulumi protect and a CanNotDelete lock by default", async () => {
        assert.ok([named(plan, CLUSTER, "cache-cluster"), named(plan, DATABASE, "cache-db")].every((r) => r.options.protect));
        const lock = named(plan, "azure-native:authorization:ManagementLockByScope", "cache-lock");
        assert.deepStrictEqual([lock.inputs.level, lock.inputs.scope], ["CanNotDelete", named(plan, CLUSTER, "cache-cluster").id]);
        const unprotected = await planRedis({ deletionProtection: false });
        assert.strictEqual(ofType(unprotected, "azure-native:authorization:ManagementLockByScope").length, 0);
        assert.ok(ofType(unprotected, CLUSTER).every((r) => !r.options.protect));
    });

    it("uses the OSS cluster policy for cluster-aware clients when sharded", async () => {
        assert.strictEqual(named(await planRedis({ shards: 2 }), DATABASE, "cache-db").inputs.clusteringPolicy, "OSSCluster");
    });

    it("exports a TLS connection on port 10000 and the access key only as a secret", () => {
        const outputs = named(plan, "intergalactic:index:HaRedis", "cache").outputs;
        const connection = outputs.connection as { host: string; endpoints: string[]; port: number; tls: boolean };
        assert.match(connection.host, /^cache-cluster[0-9a-f]{8}\.westeurope\.redis\.azure\.net$/);
        assert.deepStrictEqual([connection.port, connection.tls, connection.endpoints], [10000, true, [`${connection.host}:10000`]]);
        assert.strictEqual(outputs.credentials, REDACTED);
    });

    it("builds the connection string from the database's primary key", async () => {
        let credentials: Credentials | undefined;
        let secret: boolean | undefined;
        await planSnippet(async () => {
            const redis = new HaRedis("cache", BASE);
            redis.credentials.apply((c) => { credentials = c; });
            secret = await pulumi.isSecret(redis.credentials);
        });
        assert.ok(secret);
        assert.match(credentials!.password, /PrimaryKey/);
        assert.match(credentials!.connectionString, /^rediss:\/\/:.*PrimaryKey.*@cache-cluster[0-9a-f]{8}\.westeurope\.redis\.azure\.net:10000$/);
    });

    it("creates no AWS resources", () => {
        assert.ok(plan.resources.every((r) => !r.type.startsWith("aws:")));
    });

    it("rejects a snapshot restore, which Azure Managed Redis does only by import, before registering anything", async () => {
        const err = await rejection(planRedis({ restoreFromSnapshot: "cache-final" }));
        assert.ok(err instanceof InvalidArgumentsError);
        assert.match(err.message, /restoreFromSnapshot: "cache-final" is not supported on azure/);
    });
});

describe("redisUri", () => {
    it("percent-encodes the password so that AUTH token characters cannot break the URI", () => {
        const uri = redisUri("master.example", 6379, "", "a#b&c$d^e<f>g!h-i");
        assert.strictEqual(uri, "rediss://:a%23b%26c%24d%5Ee%3Cf%3Eg!h-i@master.example:6379");
        const parsed = new URL(uri);
        assert.deepStrictEqual([decodeURIComponent(parsed.password), parsed.hostname, parsed.port, parsed.protocol], ["a#b&c$d^e<f>g!h-i", "master.example", "6379", "rediss:"]);
    });
});
