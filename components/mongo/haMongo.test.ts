import * as assert from "assert";
import { REDACTED, Plan } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, ofType, planFailure, planSnippet, rejection } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { HaMongo, HaMongoArgs } from "./haMongo";
import { documentDbCredentials, primaryConnectionString, restorableAccountId } from "./credentials";
import { SubnetTier, factsOfPlan, selectSubnets } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const AWS_NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: [...AWS_ZONES, "us-east-1d"], zoneCount: 3 }),
    { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
const AWS_ARGS: HaMongoArgs = {
    cloud: "aws", network: AWS_NETWORK,
    allowedClientCidrs: ["10.0.0.0/20", "10.0.32.0/20"], allowedClientSecurityGroupIds: ["sg-workers"], tags: { team: "cookies" },
};
const SUBSCRIPTION = "/subscriptions/00000000-0000-4000-8000-000000000001";
const VNET = `${SUBSCRIPTION}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/net-vnet`;
const AZURE_NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure" }), { networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name}` });
const AZURE_DATA_SUBNET = `${VNET}/subnets/net-data`;
const AZURE_ARGS: HaMongoArgs = {
    cloud: "azure", network: AZURE_NETWORK, azure: { location: "westeurope" },
};
const CLUSTER = "aws:docdb/cluster:Cluster";
const INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";
const ACCOUNT = "azure-native:cosmosdb:DatabaseAccount";
const planMongoStore = (args: HaMongoArgs, name = "users") => planSnippet(() => new HaMongo(name, args));

describe("HaMongo on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planMongoStore(AWS_ARGS);
    });

    it("registers as intergalactic:index:HaMongo and parents every child to itself", () => {
        const component = named(plan, "intergalactic:index:HaMongo", "users");
        const children = plan.resources.filter((r) => r.custom);
        assert.ok(children.length >= 9);
        for (const child of children) assert.strictEqual(child.parent, component.urn, child.name);
    });

    it("puts one DocumentDB instance in each of three distinct zones, all in the cluster", () => {
        const graph = new PlanGraph(plan);
        const cluster = named(plan, CLUSTER, "users-cluster");
        const instances = ofType(plan, INSTANCE);
        assert.deepStrictEqual(instances.map((i) => graph.zonesOf(i)[0]).sort(), AWS_ZONES);
        assert.ok(instances.every((i) => i.inputs.clusterIdentifier === cluster.id && i.inputs.instanceClass === "db.r6g.large"));
        assert.deepStrictEqual(cluster.inputs.availabilityZones, AWS_ZONES);
    });

    it("encrypts storage with its own rotating KMS key", () => {
        const cluster = named(plan, CLUSTER, "users-cluster");
        const key = named(plan, "aws:kms/key:Key", "users-key");
        assert.deepStrictEqual([cluster.inputs.storageEncrypted, cluster.inputs.kmsKeyId], [true, key.outputs.arn]);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
    });

    it("enforces TLS and turns on audit and profiler logs through a docdb5.0 cluster parameter group", () => {
        const group = named(plan, "aws:docdb/clusterParameterGroup:ClusterParameterGroup", "users-params");
        const parameters = Object.fromEntries((group.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
        assert.strictEqual(group.inputs.family, "docdb5.0");
        assert.deepStrictEqual([parameters.tls, parameters.audit_logs, parameters.profiler], ["enabled", "enabled", "enabled"]);
        const cluster = named(plan, CLUSTER, "users-cluster");
        assert.strictEqual(cluster.inputs.dbClusterParameterGroupName, group.outputs.name);
        assert.deepStrictEqual(cluster.inputs.enabledCloudwatchLogsExports, ["audit", "profiler"]);
        assert.strictEqual(cluster.inputs.engineVersion, "5.0.0");
    });

    it("keeps backups, protects the cluster from deletion and names its final snapshot", () => {
        const cluster = named(plan, CLUSTER, "users-cluster");
        assert.deepStrictEqual(
            [cluster.inputs.backupRetentionPeriod, cluster.inputs.deletionProtection, cluster.inputs.skipFinalSnapshot, cluster.inputs.finalSnapshotIdentifier],
            [7, true, false, "users-final"]);
        assert.strictEqual(cluster.options.protect, true);
        assert.ok(cluster.options.ignoreChanges.includes("snapshotIdentifier"));
    });

    it("places the cluster in a subnet group over the data subnets", () => {
        const group = named(plan, "aws:docdb/subnetGroup:SubnetGroup", "users-subnets");
        assert.deepStrictEqual(group.inputs.subnetIds, selectSubnets(AWS_NETWORK, { tier: SubnetTier.Data }).map((s) => s.id));
        assert.strictEqual(named(plan, CLUSTER, "users-cluster").inputs.dbSubnetGroupName, group.outputs.name);
    });

    it("opens only port 27017, only to the allowed CIDRs and security groups, and allows no egress", () => {
        const sg = named(plan, "aws:ec2/securityGroup:SecurityGroup", "users-sg");
        const ingress = sg.inputs.ingress as { fromPort: number; toPort: number; protocol: string; cidrBlocks: string[]; securityGroups: string[] }[];
        assert.deepStrictEqual(ingress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks, r.securityGroups]),
            [["tcp", 27017, 27017, ["10.0.0.0/20", "10.0.32.0/20"], ["sg-workers"]]]);
        assert.deepStrictEqual(sg.inputs.egress, []);
        assert.strictEqual(sg.inputs.vpcId, "vpc-0123");
        assert.deepStrictEqual(named(plan, CLUSTER, "users-cluster").inputs.vpcSecurityGroupIds, [sg.id]);
    });

    it("generates the master password with @pulumi/random, without the characters DocumentDB forbids", () => {
        const password = named(plan, "random:index/randomPassword:RandomPassword", "users-master-password");
        assert.strictEqual(password.inputs.length, 32);
        assert.ok(!/[/"@ ]/.test(password.inputs.overrideSpecial as string));
        assert.strictEqual(named(plan, CLUSTER, "users-cluster").inputs.masterPassword, REDACTED);
        assert.strictEqual(password.outputs.result, REDACTED);
        assert.ok(!JSON.stringify(plan).includes("mongodb://"), "no connection string anywhere in the plan");
    });

    it("exports the writer and reader endpoints with TLS, and the credentials as a secret", () => {
        const component = named(plan, "intergalactic:index:HaMongo", "users");
        const connection = component.outputs.connection as { host: string; endpoints: string[]; port: number; tls: boolean };
        assert.match(connection.host, /^users-cluster-[0-9a-f]{7}\.cluster-[0-9a-f]{12}\.us-east-1\.docdb\.amazonaws\.com$/);
        assert.strictEqual(connection.endpoints.length, 2);
        assert.deepStrictEqual([connection.port, connection.tls], [27017, true]);
        assert.strictEqual(component.outputs.credentials, REDACTED);
        assert.deepStrictEqual(component.outputs.zones, AWS_ZONES);
    });

    it("merges user tags under the component's own tags and tags each instance with its zone", () => {
        const instance = named(plan, INSTANCE, "users-db-b1");
        assert.deepStrictEqual(instance.inputs.tags, {
            Name: "users-db-b1", team: "cookies", "intergalactic:component": "users", "intergalactic:tier": "data", "intergalactic:zone": "us-east-1b",
        });
    });

    it("skips the final snapshot and the protection when both are turned off, and restores from a snapshot", async () => {
        const dev = await planMongoStore({ ...AWS_ARGS, deletionProtection: false, finalSnapshot: false, restoreFromSnapshot: "users-20261123t0900", size: "small" });
        const cluster = named(dev, CLUSTER, "users-cluster");
        assert.deepStrictEqual([cluster.inputs.skipFinalSnapshot, cluster.inputs.finalSnapshotIdentifier, cluster.inputs.deletionProtection], [true, undefined, false]);
        assert.strictEqual(cluster.options.protect, false);
        assert.strictEqual(cluster.inputs.snapshotIdentifier, "users-20261123t0900");
        assert.ok(ofType(dev, INSTANCE).every((i) => i.inputs.instanceClass === "db.t4g.medium"));
    });

    it("spreads extra instances round-robin without renaming the first three", async () => {
        const five = await planMongoStore({ ...AWS_ARGS, instanceCount: 5 });
        assert.deepStrictEqual(ofType(five, INSTANCE).map((i) => i.name).sort(), ["users-db-a1", "users-db-a2", "users-db-b1", "users-db-b2", "users-db-c1"]);
    });

    it("names only three zones for the cluster volume when the store spans four", async () => {
        const zones = [...AWS_ZONES, "us-east-1d"];
        const network = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: zones, zoneCount: 4 }), { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
        const four = await planMongoStore({ ...AWS_ARGS, network });
        assert.deepStrictEqual(named(four, CLUSTER, "users-cluster").inputs.availabilityZones, AWS_ZONES);
        assert.deepStrictEqual(ofType(four, INSTANCE).map((i) => i.inputs.availabilityZone).sort(), zones);
    });

    it("builds a connection string for the admin user with TLS and without retryable writes", () => {
        const credentials = documentDbCredentials("cookieadmin", "cookies", "h.docdb.amazonaws.com", "p%w:d");
        assert.strictEqual(credentials.connectionString,
            "mongodb://cookieadmin:p%25w%3Ad@h.docdb.amazonaws.com:27017/cookies?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authSource=admin");
    });
});

describe("HaMongo on Azure", () => {
    let plan: Plan;
    before(async () => {
        plan = await planMongoStore(AZURE_ARGS);
    });

    it("creates a zone-redundant MongoDB account with automatic failover in the network's resource group", () => {
        const account = named(plan, ACCOUNT, "users-db");
        assert.deepStrictEqual([account.inputs.kind, account.inputs.resourceGroupName, account.inputs.enableAutomaticFailover], ["MongoDB", "net-rg", true]);
        assert.deepStrictEqual(account.inputs.locations, [{ locationName: "westeurope", failoverPriority: 0, isZoneRedundant: true }]);
        assert.deepStrictEqual(account.inputs.apiProperties, { serverVersion: "5.0" });
        assert.deepStrictEqual(account.inputs.capabilities, [{ name: "EnableMongo" }]);
    });

    it("closes the public network, requires TLS 1.2 and keeps continuous backups", () => {
        const account = named(plan, ACCOUNT, "users-db");
        assert.deepStrictEqual([account.inputs.publicNetworkAccess, account.inputs.minimalTlsVersion], ["Disabled", "Tls12"]);
        assert.deepStrictEqual(account.inputs.backupPolicy, { type: "Continuous", continuousModeProperties: { tier: "Continuous7Days" } });
    });

    it("reaches the account only through a MongoDB private endpoint in the data subnet, resolved by the linked private DNS zone", () => {
        const account = named(plan, ACCOUNT, "users-db");
        const endpoint = named(plan, "azure-native:network:PrivateEndpoint", "users-endpoint");
        assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, AZURE_DATA_SUBNET);
        const [connection] = endpoint.inputs.privateLinkServiceConnections as { privateLinkServiceId: string; groupIds: string[] }[];
        assert.deepStrictEqual([connection.privateLinkServiceId, connection.groupIds], [account.id, ["MongoDB"]]);
        const zone = named(plan, "azure-native:privatedns:PrivateZone", "users-dns");
        assert.strictEqual(zone.inputs.privateZoneName, "privatelink.mongo.cosmos.azure.com");
        const link = named(plan, "azure-native:privatedns:VirtualNetworkLink", "users-dns-link");
        assert.deepStrictEqual([link.inputs.virtualNetwork, link.inputs.registrationEnabled], [{ id: VNET }, false]);
        const group = named(plan, "azure-native:network:PrivateDnsZoneGroup", "users-dns-group");
        assert.deepStrictEqual(group.inputs.privateDnsZoneConfigs, [{ name: "mongo", privateDnsZoneId: zone.id }]);
    });

    it("creates the database with autoscale throughput for the size", () => {
        const database = named(plan, "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase", "users-database");
        assert.deepStrictEqual(database.inputs.resource, { id: "cookies" });
        assert.deepStrictEqual(database.inputs.options, { autoscaleSettings: { maxThroughput: 4000 } });
    });

    it("protects the account with Pulumi protect and a CanNotDelete lock", () => {
        const account = named(plan, ACCOUNT, "users-db");
        assert.strictEqual(account.options.protect, true);
        const lock = named(plan, "azure-native:authorization:ManagementLockByScope", "users-lock");
        assert.deepStrictEqual([lock.inputs.scope, lock.inputs.level], [account.id, "CanNotDelete"]);
    });

    it("exports the account's MongoDB host on port 10255 and the listed credentials as a secret", () => {
        const component = named(plan, "intergalactic:index:HaMongo", "users");
        const connection = component.outputs.connection as { host: string; port: number; tls: boolean };
        assert.match(connection.host, /^users-db[0-9a-f]{8}\.mongo\.cosmos\.azure\.com$/);
        assert.deepStrictEqual([connection.port, connection.tls], [10255, true]);
        assert.strictEqual(component.outputs.credentials, REDACTED);
        assert.ok(!JSON.stringify(plan).includes("mongodb://"), "no connection string anywhere in the plan");
    });

    it("restores a deleted account to a point in time, without creating the restored database again, and unprotected in dev", async () => {
        const restore = `${SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/11111111-2222-4333-8444-555555555555`;
        const dev = await planMongoStore({ ...AZURE_ARGS, restoreFromSnapshot: restore, restoreTimestampUtc: "2026-11-23T09:00:00Z", deletionProtection: false, backupRetentionDays: 30 });
        const account = named(dev, ACCOUNT, "users-db");
        assert.strictEqual(account.inputs.createMode, "Restore");
        assert.deepStrictEqual(account.inputs.restoreParameters, { restoreMode: "PointInTime", restoreSource: restore, restoreTimestampInUtc: "2026-11-23T09:00:00Z" });
        assert.strictEqual((account.inputs.backupPolicy as { continuousModeProperties: { tier: string } }).continuousModeProperties.tier, "Continuous30Days");
        assert.deepStrictEqual(ofType(dev, "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase"), []);
        assert.deepStrictEqual(ofType(dev, "azure-native:authorization:ManagementLockByScope"), []);
        assert.strictEqual(account.options.protect, false);
    });

    it("picks the primary read-write connection string from the listed ones", () => {
        const list = [
            { connectionString: "mongodb://ro", description: "Primary Read-Only MongoDB Connection String" },
            { connectionString: "mongodb://rw", description: "Primary MongoDB Connection String" },
        ];
        assert.strictEqual(primaryConnectionString(list), "mongodb://rw");
        assert.throws(() => primaryConnectionString(list.slice(0, 1)), /listed no "Primary MongoDB Connection String"/);
    });

    it("names a deleted account's restorable copy by subscription, location and instance id", () => {
        assert.strictEqual(restorableAccountId("sub", "westeurope", "inst"),
            "/subscriptions/sub/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/inst");
    });
});

describe("HaMongo with bad input", () => {
    it("throws one InvalidArgumentsError listing every problem", async () => {
        const err = await rejection(planMongoStore({ ...AWS_ARGS, instanceCount: 20, backupRetentionDays: 40, allowedClientCidrs: ["0.0.0.0/0"] }));
        assert.ok(err instanceof InvalidArgumentsError);
        assert.match(err.message, /^Invalid arguments for HaMongo "users":/);
        assert.match(err.message, /instanceCount: 20 must be an integer from 1 to 16/);
        assert.match(err.message, /backupRetentionDays: 40 must be an integer from 1 to 35/);
        assert.match(err.message, /allowedClientCidrs\[0\]: "0.0.0.0\/0" is outside the network 10.0.0.0\/16/);
    });

    it("registers nothing but the stack when the args are invalid", async () => {
        const { error, registered } = await planFailure(() => new HaMongo("users", { ...AZURE_ARGS, azure: {}, network: { ...AZURE_NETWORK, zones: ["1", "2"] } }));
        assert.match(error.message, /azure.location: undefined is required on azure when the network's facts carry no location/);
        assert.match(error.message, /network.zones: \["1","2"\] must hold at least 3 zones: the store keeps an instance in each zone/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
});

describe("HaMongo on Azure takes its location from the network's facts", () => {
    const WITH_LOCATION = { ...AZURE_NETWORK, location: "westeurope" };

    it("puts the account in the network's location when azure.location is left out", async () => {
        const plan = await planMongoStore({ cloud: "azure", network: WITH_LOCATION });
        const account = ofType(plan, ACCOUNT)[0];
        assert.strictEqual(account.inputs.location, "westeurope");
        assert.deepStrictEqual(account.inputs.locations, [{ locationName: "westeurope", failoverPriority: 0, isZoneRedundant: true }]);
    });

    it("plans the same account with the network's location given again explicitly", async () => {
        const derived = await planMongoStore({ cloud: "azure", network: WITH_LOCATION });
        const explicit = await planMongoStore({ cloud: "azure", network: WITH_LOCATION, azure: { location: "westeurope" } });
        assert.deepStrictEqual(ofType(explicit, ACCOUNT)[0].inputs, ofType(derived, ACCOUNT)[0].inputs);
    });

    it("refuses an explicit location other than the network's, naming azure.location, before registering anything", async () => {
        const { error, registered } = await planFailure(() => new HaMongo("users", { cloud: "azure", network: WITH_LOCATION, azure: { location: "northeurope" } }));
        assert.ok(error instanceof InvalidArgumentsError);
        assert.match(error.message, /azure.location: "northeurope" is not the network's location \(westeurope\)/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("gets the location from a Vpc3Az on the default provider: its azure-native:location", async () => {
        const { Vpc3Az } = await import("../network/vpc3az");
        const plan = await planSnippet(() => {
            const net = new Vpc3Az("net", { cloud: "azure" });
            new HaMongo("users", { cloud: "azure", network: net.facts() });
        }, { config: { "azure-native:location": "West Europe" } });
        assert.strictEqual(ofType(plan, ACCOUNT)[0].inputs.location, "westeurope");
    });
});

describe("HaMongo on Azure follows where its network really is, not the configured location", () => {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    // After a change of azure-native:location the facts' `location` is the new config value, while the VNet
    // stays in its old location (azure-native keeps an existing resource's old location, provider.go getDefaultLocation).
    const MOVED_CONFIG = () => ({ ...AZURE_NETWORK, location: "northeurope", deployedLocation: pulumi.output("westeurope") });

    it("puts the account, its locations and its endpoint in the network's deployed location", async () => {
        const plan = await planMongoStore({ cloud: "azure", network: MOVED_CONFIG() });
        const account = ofType(plan, ACCOUNT)[0];
        assert.strictEqual(account.inputs.location, "westeurope");
        assert.deepStrictEqual(account.inputs.locations, [{ locationName: "westeurope", failoverPriority: 0, isZoneRedundant: true }]);
        assert.deepStrictEqual(ofType(plan, "azure-native:network:PrivateEndpoint").map((e) => e.inputs.location), ["westeurope"]);
    });

    it("accepts the network's real location given explicitly, though the config now names another", async () => {
        const plan = await planMongoStore({ cloud: "azure", network: MOVED_CONFIG(), azure: { location: "westeurope" } });
        assert.strictEqual(ofType(plan, ACCOUNT)[0].inputs.location, "westeurope");
    });

    it("ends the plan with the refusal of an explicit location other than the network's real one, not a hang", async function () {
        this.timeout(10000);
        const { error } = await planFailure(() => new HaMongo("users", { cloud: "azure", network: MOVED_CONFIG(), azure: { location: "northeurope" } }));
        assert.match(error.message, /users: azure.location: "northeurope" is not the network's location \(westeurope\): .*leave azure.location out/);
    });
});
