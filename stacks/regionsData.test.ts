/**
 * The prod stacks' user database across their stamps: one primary that takes every write, a copy in
 * every other stamp's region, and every stamp's services reading the copy of their own region.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { resourceRegions } from "../engine/regions";
import { stackPlan } from "../engine/testing/plan";

const named = (plan: Plan, name: string): PlannedResource => {
    const found = plan.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
};

describe("the prod stack's user database across regions (DocumentDB global cluster)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod");
    });

    it("makes the existing eu-west-1 cluster the primary of a global cluster, keeping its data and identity", () => {
        const primary = named(plan, "users-cluster");
        const global = named(plan, "users-global");
        // Created from the live cluster (sourceDbClusterIdentifier), not empty with the cluster created into it.
        assert.strictEqual(global.inputs.sourceDbClusterIdentifier, primary.outputs.arn);
        assert.strictEqual(global.inputs.engine, undefined);
        assert.strictEqual(global.inputs.deletionProtection, true);
        assert.strictEqual(global.options.protect, true);
        assert.deepStrictEqual(global.options.ignoreChanges, ["sourceDbClusterIdentifier"]);
        // An account-wide name: the project and stack make it this stack's own.
        assert.strictEqual(global.inputs.globalClusterIdentifier, "intergalactic-prod-users-global");
        // The primary never names the global cluster itself, and ignores the id it reads back.
        assert.strictEqual(primary.inputs.globalClusterIdentifier, undefined);
        assert.ok((primary.options.ignoreChanges as string[]).includes("globalClusterIdentifier"));
        assert.strictEqual(primary.inputs.masterUsername, "cookieadmin");
        // Before the global cluster: the source's instances (it must be available to become a primary).
        for (const instance of plan.resources.filter((r) => r.type === "aws:docdb/clusterInstance:ClusterInstance" && r.name.startsWith("users-db-"))) {
            assert.ok(global.dependencies.includes(instance.urn), instance.name);
        }
    });

    it("puts a read-only secondary in us-east-1 with its own key and no users of its own, protected like the primary", () => {
        const regions = resourceRegions(plan.resources);
        const global = named(plan, "users-global");
        const secondary = named(plan, "users-use1-cluster");
        assert.strictEqual(regions.get(secondary.urn), "us-east-1");
        assert.strictEqual(secondary.inputs.globalClusterIdentifier, global.outputs.id);
        // After a failover detached and promoted it, the next up must not try to add it back (the provider refuses).
        assert.ok((secondary.options.ignoreChanges as string[]).includes("globalClusterIdentifier"));
        // Destroy order: the secondary goes before the global cluster, which goes before the primary.
        assert.ok(secondary.dependencies.includes(global.urn));
        assert.ok(global.dependencies.includes(named(plan, "users-cluster").urn));
        assert.strictEqual(secondary.inputs.masterUsername, undefined);
        assert.strictEqual(secondary.inputs.masterPassword, undefined);
        assert.strictEqual(plan.resources.some((r) => r.name === "users-use1-master-password"), false);
        assert.deepStrictEqual([secondary.inputs.skipFinalSnapshot, secondary.inputs.finalSnapshotIdentifier, secondary.inputs.deletionProtection, secondary.options.protect],
            [false, "users-use1-final", true, true]);
        assert.strictEqual(secondary.inputs.storageEncrypted, true);
        assert.strictEqual(secondary.inputs.kmsKeyId, named(plan, "users-use1-key").outputs.arn);
        assert.strictEqual(regions.get(named(plan, "users-use1-key").urn), "us-east-1");
        assert.strictEqual(secondary.inputs.engineVersion, named(plan, "users-cluster").inputs.engineVersion);
        assert.ok(!/^db\.(t3|t4g|r4)\./.test(String(named(plan, "users-use1-db-a1").inputs.instanceClass)));
    });

    it("runs the services in us-east-1 on the local secondary, signed in with the primary's users", () => {
        const secret = named(plan, "cookies-use1-mongo-secret");
        const deps = new Set(secret.dependencies.map((d) => d.split("::").pop()));
        assert.ok(deps.has("users-use1-cluster"), [...deps].join(", "));
        assert.ok(deps.has("users-master-password"), [...deps].join(", "));
        const stamp = (plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs.stamps as Record<string, { mongoConnection: { endpoints: string[] } }>)["us-east-1"];
        assert.ok(stamp.mongoConnection.endpoints.every((e) => e.includes(".us-east-1.")), stamp.mongoConnection.endpoints.join(", "));
    });
});

describe("the prod-azure stack's user database across regions (Cosmos DB locations)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod-azure");
    });

    it("adds eastus2 as the account's second location, after northeurope, with automatic failover and one write region", () => {
        const account = named(plan, "users-db");
        assert.deepStrictEqual(account.inputs.locations, [
            { locationName: "northeurope", failoverPriority: 0, isZoneRedundant: true },
            { locationName: "eastus2", failoverPriority: 1, isZoneRedundant: true },
        ]);
        assert.strictEqual(account.inputs.enableAutomaticFailover, true);
        // Continuous backup stays: its restore point is what the region-loss report cites.
        assert.strictEqual(account.inputs.enableMultipleWriteLocations, false);
        assert.strictEqual((account.inputs.backupPolicy as { type: string }).type, "Continuous");
    });

    it("reaches the account from eastus2's network through an endpoint and a private DNS zone of its own", () => {
        const regions = resourceRegions(plan.resources);
        const endpoint = named(plan, "users-endpoint-eastus2");
        assert.strictEqual(endpoint.inputs.location, "eastus2");
        assert.strictEqual(regions.get(endpoint.urn), "eastus2");
        const dataSubnet = plan.resources.find((r) => r.type === "azure-native:network:Subnet" && r.name === "net-eastus2-data")!;
        assert.strictEqual((endpoint.inputs.subnet as { id: string }).id, dataSubnet.outputs.id);
        const link = named(plan, "users-dns-link-eastus2");
        const eastNet = plan.resources.find((r) => r.type === "azure-native:network:VirtualNetwork" && r.name.startsWith("net-eastus2"))!;
        assert.strictEqual((link.inputs.virtualNetwork as { id: string }).id, eastNet.outputs.id);
        // Not the first network's zone: one zone per network, or each endpoint's records overwrite the other's.
        assert.notStrictEqual(named(plan, "users-dns-eastus2").urn, named(plan, "users-dns").urn);
        assert.strictEqual((named(plan, "users-dns-link").inputs.virtualNetwork as { id: string }).id !== eastNet.outputs.id, true);
        // The lock comes after every endpoint (so a destroy removes it first), and eastus2's endpoint after the first's.
        assert.ok(named(plan, "users-lock").dependencies.includes(endpoint.urn));
        assert.ok(endpoint.dependencies.includes(named(plan, "users-endpoint").urn));
    });

    it("updates every private endpoint of the account in place when its locations change, after the account", () => {
        // Adding a location marks each existing endpoint "ActionsRequired: Recreate"; only a PUT of the endpoint gives
        // it the new region's address and DNS record (https://learn.microsoft.com/azure/cosmos-db/how-to-configure-private-endpoints,
        // "Update private endpoint when you add or remove a region"). A tag of the sorted locations makes that PUT.
        const account = named(plan, "users-db");
        const endpoints = plan.resources.filter((r) => r.type === "azure-native:network:PrivateEndpoint" && r.name.startsWith("users-endpoint"));
        assert.deepStrictEqual(endpoints.map((e) => e.name).sort(), ["users-endpoint", "users-endpoint-eastus2"]);
        for (const endpoint of endpoints) {
            assert.strictEqual((endpoint.inputs.tags as Record<string, string>)["intergalactic:cosmos-locations"], "eastus2 northeurope", endpoint.name);
            assert.ok(endpoint.dependencies.includes(account.urn), endpoint.name);
        }
        // Only the endpoints carry it: the zones and links need no PUT and keep their tags.
        for (const other of plan.resources.filter((r) => /^users-dns/.test(r.name) && r.inputs.tags !== undefined)) {
            assert.strictEqual((other.inputs.tags as Record<string, string>)["intergalactic:cosmos-locations"], undefined, other.name);
        }
    });

    it("runs the services in eastus2 on the same account", () => {
        const secret = named(plan, "cookies-eastus2-mongo-secret");
        assert.deepStrictEqual(secret.dependencies.filter((d) => /HaMongo/.test(d)).map((d) => d.split("::").pop()).sort(), ["users-db"]);
    });
});
