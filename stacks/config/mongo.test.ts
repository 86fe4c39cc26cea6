import * as assert from "assert";
import { parseStackConfig } from "./index";
import { configProblems } from "./testing";

const dev = { "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1" };
const prod = { ...dev, "intergalactic:environment": "prod" };
const withMongo = (base: Record<string, string>, mongo: Record<string, unknown>) => ({ ...base, "intergalactic:mongo": JSON.stringify(mongo) });

describe("intergalactic:mongo", () => {
    it("defaults a dev stack to a small, unprotected store with a day of backups and a final snapshot", () => {
        const { mongo } = parseStackConfig(dev);
        assert.deepStrictEqual(
            [mongo.enabled, mongo.name, mongo.size, mongo.backupRetentionDays, mongo.deletionProtection, mongo.finalSnapshot, mongo.instanceCount],
            [true, "users", "small", 1, false, true, undefined]);
    });

    it("defaults a prod stack to a protected store with two weeks of backups", () => {
        const { mongo } = parseStackConfig(prod);
        assert.deepStrictEqual([mongo.size, mongo.backupRetentionDays, mongo.deletionProtection, mongo.finalSnapshot], ["medium", 14, true, true]);
    });

    it("reads every key", () => {
        const { mongo } = parseStackConfig(withMongo(dev, {
            enabled: true, name: "orders", size: "large", version: "4.0", instanceCount: 6, databaseName: "orders",
            masterUsername: "ordersadmin", backupRetentionDays: 3, deletionProtection: true, finalSnapshot: false,
        }));
        assert.deepStrictEqual(mongo, {
            enabled: true, name: "orders", size: "large", version: "4.0", instanceCount: 6, databaseName: "orders",
            masterUsername: "ordersadmin", backupRetentionDays: 3, deletionProtection: true, finalSnapshot: false, restoreTimestampUtc: undefined,
        });
    });

    it("refuses an unprotected prod store, one without a final snapshot, and less than a week of backups", () => {
        const message = configProblems(withMongo(prod, { deletionProtection: false, finalSnapshot: false, backupRetentionDays: 3 }));
        assert.match(message, /intergalactic:mongo.deletionProtection: false must be true in a prod stack/);
        assert.match(message, /intergalactic:mongo.finalSnapshot: false must be true in a prod stack/);
        assert.match(message, /intergalactic:mongo.backupRetentionDays: 3 must be at least 7 in a prod stack/);
    });

    it("names the key, the value and what is allowed for unknown sizes, versions and keys", () => {
        const message = configProblems(withMongo(dev, { size: "huge", version: "3.6", replicas: 2 }));
        assert.match(message, /intergalactic:mongo.size: "huge" is not allowed: use one of small, medium, large/);
        assert.match(message, /intergalactic:mongo.version: "3.6" is not allowed: use one of 4.0, 5.0/);
        assert.match(message, /intergalactic:mongo.replicas: unknown key/);
    });
});
