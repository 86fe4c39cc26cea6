/**
 * What outlives a teardown, followed through the real stack plans: the final
 * snapshot a teardown records, the key it is encrypted with, and the restore
 * plan of the next spin-up fed from the first plan's outputs.
 */
import * as assert from "assert";
import * as path from "path";
import { Plan, PlannedResource } from "../engine/format";
import { runPlan } from "../engine/runPlan";
import { loadStackFiles } from "../engine/stackFiles";
import { named, ofType, rejection, stackPlan } from "../engine/testing/plan";
import { parseStackConfig } from "./config";
import { longestScheduledDowntimeHours } from "./config/dataLifetime";
import { program } from "./program";
import type { RestoreSourceOutput } from "./program";

const ROOT = path.resolve(__dirname, "..");
const KEY = "aws:kms/key:Key";
const CLUSTER = "aws:docdb/cluster:Cluster";
const ACCOUNT = "azure-native:cosmosdb:DatabaseAccount";

/** Plans a stack with its file's config plus `overrides` (structured sections merged key by key). */
async function planWith(stack: string, overrides: Record<string, Record<string, unknown>>): Promise<Plan> {
    const files = loadStackFiles(ROOT, stack);
    const config = { ...files.config };
    for (const [key, value] of Object.entries(overrides)) {
        const current = config[key] === undefined ? {} : JSON.parse(config[key]) as Record<string, unknown>;
        config[key] = JSON.stringify({ ...current, ...value });
    }
    return runPlan({ ...files, config, program });
}

/** The config a restore spin-up gets from a teardown's `restoreSources`, as the scheduler sets it. */
function restoreConfig(sources: Record<string, RestoreSourceOutput>, pointInTime: string): Record<string, Record<string, unknown>> {
    const overrides: Record<string, Record<string, Record<string, string> | string>> = {};
    for (const source of Object.values(sources)) {
        const entries = Object.entries(source.config);
        if (source.needsPointInTime) entries.push([source.pointInTimeConfigKey, pointInTime]);
        for (const [key, value] of entries) {
            const [section, field, name] = key.split(".");
            overrides[section] ??= {};
            if (name === undefined) overrides[section][field] = value;
            else overrides[section][field] = { ...(overrides[section][field] as Record<string, string> | undefined), [name]: value };
        }
    }
    return overrides;
}

const sourcesOf = (plan: Plan) => plan.stackOutputs.restoreSources as Record<string, RestoreSourceOutput>;

describe("data that outlives a teardown", () => {
    describe("on AWS (dev)", () => {
        let plan: Plan;
        let key: PlannedResource;
        before(async () => {
            plan = await stackPlan("dev");
            key = named(plan, KEY, "users-key");
        });

        it("retains the DocumentDB key on delete, because the final snapshot is encrypted with it", () => {
            assert.strictEqual(named(plan, CLUSTER, "users-cluster").inputs.kmsKeyId, key.outputs.arn);
            assert.deepStrictEqual([key.options.retainOnDelete, key.options.protect, key.options.importId], [true, false, ""]);
        });

        it("reports the final snapshots and, for Mongo, the key the restore must adopt", () => {
            assert.deepStrictEqual(plan.stackOutputs.finalSnapshots, { cache: "cache-final", users: "users-final" });
            const users = sourcesOf(plan).users;
            assert.deepStrictEqual([users.kind, users.snapshot, users.encryptionKeyArn, users.needsPointInTime], ["docdb-cluster-snapshot", "users-final", key.outputs.arn, false]);
            assert.deepStrictEqual(users.config, {
                "intergalactic:snapshots.restore.users": "users-final",
                "intergalactic:snapshots.encryptionKeys.users": key.outputs.arn,
            });
        });

        it("restores the next spin-up from that snapshot with that same key, adopted instead of created", async () => {
            const restored = await planWith("dev", restoreConfig(sourcesOf(plan), ""));
            const adopted = named(restored, KEY, "users-key");
            const cluster = named(restored, CLUSTER, "users-cluster");
            assert.strictEqual(adopted.options.importId, key.outputs.keyId);
            assert.deepStrictEqual([cluster.inputs.snapshotIdentifier, cluster.inputs.kmsKeyId], ["users-final", key.outputs.arn]);
            assert.deepStrictEqual([adopted.options.retainOnDelete, ofType(restored, KEY).filter((k) => k.name.startsWith("users")).length], [true, 1]);
            // A later change of the restore source or key must never replace the live cluster.
            assert.ok(["snapshotIdentifier", "kmsKeyId"].every((f) => cluster.options.ignoreChanges.includes(f)), cluster.options.ignoreChanges.join(", "));
            assert.strictEqual(named(restored, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg").inputs.snapshotName, "cache-final");
        });

        it("restores the cache from its final snapshot with the cache's own retained key, adopted instead of created", async () => {
            const cacheKey = named(plan, KEY, "cache-key");
            assert.deepStrictEqual(sourcesOf(plan).cache.config, {
                "intergalactic:snapshots.restore.cache": "cache-final",
                "intergalactic:snapshots.encryptionKeys.cache": cacheKey.outputs.arn,
            });
            const restored = await planWith("dev", restoreConfig(sourcesOf(plan), ""));
            const adopted = named(restored, KEY, "cache-key");
            const group = named(restored, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg");
            assert.deepStrictEqual([adopted.options.importId, adopted.options.retainOnDelete], [cacheKey.outputs.keyId, true]);
            assert.deepStrictEqual([group.inputs.snapshotName, group.inputs.kmsKeyId], ["cache-final", cacheKey.outputs.arn]);
        });

        it("refuses a key that is not a KMS key id or ARN, naming the config key", async () => {
            const error = await rejection(planWith("dev", { "intergalactic:snapshots": { encryptionKeys: { users: "alias/users" } } }));
            assert.match(error.message, /intergalactic:snapshots.encryptionKeys \(HaMongo "users" aws\.encryptionKeyId\): "alias\/users" must be a KMS key id or key ARN/);
            const unknown = await rejection(planWith("dev", { "intergalactic:snapshots": { encryptionKeys: { orders: "1234abcd-12ab-34cd-56ef-1234567890ab" } } }));
            assert.match(unknown.message, /intergalactic:snapshots.encryptionKeys.orders: "1234abcd-12ab-34cd-56ef-1234567890ab" names no data store of this stack/);
        });
    });

    it("protects and retains the prod DocumentDB key", async () => {
        const key = named(await stackPlan("prod"), KEY, "users-key");
        assert.deepStrictEqual([key.options.retainOnDelete, key.options.protect], [true, true]);
    });

    describe("on Azure (dev-azure)", () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan("dev-azure");
        });

        it("reports the deleted Cosmos DB account as restorable from continuous backup, and nothing for the cache", () => {
            const account = named(plan, ACCOUNT, "users-db");
            const expected = `/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/${account.outputs.instanceId}`;
            assert.deepStrictEqual(plan.stackOutputs.finalSnapshots, { users: expected });
            const users = sourcesOf(plan).users;
            assert.deepStrictEqual([users.kind, users.needsPointInTime, users.pointInTimeConfigKey, users.restorableForDays],
                ["cosmos-restorable-account", true, "intergalactic:mongo.restoreTimestampUtc", 7]);
            assert.deepStrictEqual((account.inputs.backupPolicy as { type: string }).type, "Continuous");
        });

        it("restores the next spin-up into a new account from that restorable account at the teardown's point in time", async () => {
            const restored = await planWith("dev-azure", restoreConfig(sourcesOf(plan), "2026-12-01T18:00:00Z"));
            const account = named(restored, ACCOUNT, "users-db");
            assert.strictEqual(account.inputs.createMode, "Restore");
            assert.deepStrictEqual(account.inputs.restoreParameters, {
                restoreMode: "PointInTime", restoreSource: plan.stackOutputs.finalSnapshots && (plan.stackOutputs.finalSnapshots as Record<string, string>).users,
                restoreTimestampInUtc: "2026-12-01T18:00:00Z",
            });
            // The restore brings the database back; creating it again would conflict.
            assert.deepStrictEqual(ofType(restored, "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase"), []);
        });

        it("refuses a final snapshot or a restore for Azure Managed Redis, which has no snapshots, naming the key", async () => {
            const error = await rejection(planWith("dev-azure", { "intergalactic:redis": { finalSnapshot: true } }));
            assert.match(error.message, /intergalactic:redis.finalSnapshot: .*Azure Managed Redis takes no final snapshot/);
            const restore = await rejection(planWith("dev-azure", { "intergalactic:snapshots": { restore: { cache: "cache-final" } } }));
            assert.match(restore.message, /intergalactic:snapshots.restore.cache: names no data store that restores from a snapshot here/);
        });
    });

    describe("the Cosmos DB restore window against the dev-azure schedule", () => {
        it("measures the longest scheduled downtime: Christmas from Wednesday 19:00 to Monday 07:00", () => {
            const schedule = parseStackConfig(loadStackFiles(ROOT, "dev-azure").config).schedule;
            assert.strictEqual(longestScheduledDowntimeHours(schedule), 108);
            assert.strictEqual(longestScheduledDowntimeHours({ ...schedule, holidays: [] }), 60);
        });

        it("refuses a schedule that keeps the stack down as long as the 7-day window, naming the keys", async () => {
            const holidays = ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29"];
            const error = await rejection(planWith("dev-azure", { "intergalactic:schedule": { holidays } }));
            assert.match(error.message, /intergalactic:mongo.backupRetentionDays: 7 gives a 7-day restore window, but intergalactic:schedule keeps the stack down up to 276 hours/);
            const longer = await planWith("dev-azure", { "intergalactic:schedule": { holidays }, "intergalactic:mongo": { backupRetentionDays: 30 } });
            assert.strictEqual(named(longer, ACCOUNT, "users-db").inputs.backupPolicy && (named(longer, ACCOUNT, "users-db").inputs.backupPolicy as { continuousModeProperties: { tier: string } }).continuousModeProperties.tier, "Continuous30Days");
            assert.strictEqual((sourcesOf(longer).users).restorableForDays, 30);
        });
    });

    it("never reports an Azure Managed Redis snapshot in prod-azure", async () => {
        const plan = await stackPlan("prod-azure");
        assert.deepStrictEqual(Object.keys(plan.stackOutputs.finalSnapshots as object), ["users"]);
        assert.deepStrictEqual(Object.keys(sourcesOf(plan)), ["users"]);
        assert.deepStrictEqual(named(plan, "intergalactic:index:HaRedis", "cache").outputs.finalSnapshotName, "");
    });
});
