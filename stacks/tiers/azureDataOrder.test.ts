/**
 * The order ARM needs among the Azure data stores' control-plane writes, on the real stack plans:
 * one write per Cosmos DB account (and Azure Managed Redis cluster) at a time, and locks that a
 * destroy removes before the private endpoints they would otherwise keep from being deleted.
 * Sources are in README "What the cloud requires" (HaMongo, HaRedis).
 */
import * as assert from "assert";
import { stackNames, stackStampPlan } from "../../engine/testing/plan";
import { Plan, PlannedResource } from "../../engine/format";

const LOCK = "azure-native:authorization:ManagementLockByScope";
const ENDPOINT = "azure-native:network:PrivateEndpoint";
/** The locked data stores and the child resources written through their control plane. */
const TARGETS = {
    "azure-native:cosmosdb:DatabaseAccount": ["azure-native:cosmosdb:MongoDBResourceMongoDBDatabase", "azure-native:cosmosdb:MongoDBResourceMongoDBCollection"],
    "azure-native:redisenterprise:RedisEnterprise": ["azure-native:redisenterprise:Database"],
} as const;

/** Every URN `resource` depends on, directly or through its dependencies. */
function dependsOnTransitively(plan: Plan, resource: PlannedResource): Set<string> {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const stack = [...resource.dependencies];
    while (stack.length > 0) {
        const urn = stack.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        stack.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return seen;
}

const endpointsTo = (plan: Plan, target: PlannedResource) => plan.resources.filter((r) => r.type === ENDPOINT
    && ((r.inputs.privateLinkServiceConnections ?? []) as { privateLinkServiceId?: string }[]).some((c) => c.privateLinkServiceId === target.id));
const children = (plan: Plan, target: PlannedResource, types: readonly string[]) => plan.resources.filter((r) => types.includes(r.type) && r.dependencies.includes(target.urn));

for (const stack of stackNames("azure")) {
    describe(`the ${stack} data stores' control-plane order`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it("writes one thing at a time to each Cosmos DB account and Redis cluster: its databases and collections, then its private endpoint, then its lock", () => {
            let checked = 0;
            for (const [type, childTypes] of Object.entries(TARGETS)) {
                for (const target of plan.resources.filter((r) => r.type === type)) {
                    const writes = [...children(plan, target, childTypes), ...endpointsTo(plan, target), ...plan.resources.filter((r) => r.type === LOCK && r.inputs.scope === target.id)];
                    assert.ok(writes.length >= 2, `${target.name}: a database and an endpoint`);
                    // Any two writes on one target must be ordered one way or the other.
                    for (const a of writes) {
                        for (const b of writes) {
                            if (a === b) continue;
                            const ordered = dependsOnTransitively(plan, a).has(b.urn) || dependsOnTransitively(plan, b).has(a.urn);
                            assert.ok(ordered, `${target.name}: ${a.name} and ${b.name} would be written at the same time`);
                        }
                    }
                    checked++;
                }
            }
            assert.strictEqual(checked, 2, "the Cosmos DB account and the Redis cluster");
        });

        it("creates through ARM every collection a service uses, sharded and with its _id index, since keys may not create one", () => {
            const account = plan.resources.find((r) => r.type === "azure-native:cosmosdb:DatabaseAccount")!;
            assert.strictEqual(account.inputs.disableKeyBasedMetadataWriteAccess, true);
            const services = plan.resources.find((r) => r.type === "intergalactic:index:CookieServices")!;
            const used = services.outputs.mongoCollections as string[];
            assert.ok(used.length > 0, "the pipeline uses a collection");
            const database = plan.resources.find((r) => r.type === "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase")!;
            const collections = plan.resources.filter((r) => r.type === "azure-native:cosmosdb:MongoDBResourceMongoDBCollection");
            for (const name of used) {
                const found = collections.find((c) => c.inputs.collectionName === name);
                assert.ok(found, `no collection ${name} in the plan; have: ${collections.map((c) => c.inputs.collectionName).join(", ") || "none"}`);
                assert.strictEqual(found.inputs.databaseName, database.inputs.databaseName);
                const resource = found.inputs.resource as { id: string; shardKey?: Record<string, string>; indexes?: { key?: { keys?: string[] }; options?: { unique?: boolean } }[] };
                assert.strictEqual(resource.id, name);
                assert.strictEqual(Object.keys(resource.shardKey ?? {}).length, 1, `${name}: one shard key (the database's throughput is shared)`);
                const id = (resource.indexes ?? []).find((i) => JSON.stringify(i.key?.keys) === JSON.stringify(["_id"]));
                assert.ok(id, `${name}: the _id index`);
                assert.strictEqual(id.options?.unique, undefined, `${name}: no unique on the _id index`);
                assert.strictEqual(found.options.protect, stack === "prod-azure", `${name}: protected like its account`);
            }
        });

        it("deletes each CanNotDelete lock before the private endpoints to its target, and protects those endpoints", () => {
            const locks = plan.resources.filter((r) => r.type === LOCK);
            assert.strictEqual(locks.length, stack === "prod-azure" ? 2 : 0, "prod locks the Cosmos DB account and the Redis cluster");
            for (const lock of locks) {
                const target = plan.resources.find((r) => r.custom && r.id === lock.inputs.scope);
                assert.ok(target, `${lock.name}: its scope is a resource of the plan`);
                const endpoints = endpointsTo(plan, target);
                assert.ok(endpoints.length > 0, `${lock.name}: ${target.name} has a private endpoint`);
                const before = dependsOnTransitively(plan, lock);
                for (const endpoint of endpoints) {
                    assert.ok(before.has(endpoint.urn), `${lock.name} must depend on ${endpoint.name}, so that a destroy deletes the lock first`);
                    assert.strictEqual(endpoint.options.protect, true, `${endpoint.name} is protected like ${target.name}`);
                }
            }
        });
    });
}
