import * as assert from "assert";
import { parseStackConfig } from "./index";
import { configProblems } from "./testing";

const aws = { "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1" };
const azure = { "intergalactic:cloud": "azure", "intergalactic:environment": "dev", "azure-native:location": "westeurope" };
const withMongo = (base: Record<string, string>, mongo: Record<string, unknown>) => ({ ...base, "intergalactic:mongo": JSON.stringify(mongo) });

describe("intergalactic:mongo.collections", () => {
    it("defaults on azure to the collections the cookie pipeline uses, and is absent on aws", () => {
        assert.deepStrictEqual(parseStackConfig(azure).mongo.collections, [{ name: "users", shardKey: "_id" }]);
        assert.strictEqual(parseStackConfig(aws).mongo.collections, undefined);
    });

    it("reads collections with their shard keys and indexes on azure", () => {
        const { mongo } = parseStackConfig(withMongo(azure, {
            collections: [{ name: "orders", shardKey: "customerId", indexes: [{ keys: ["customerId", "number"], unique: true }, { keys: ["placedAt"], expireAfterSeconds: 3600 }] }],
        }));
        assert.deepStrictEqual(mongo.collections, [{
            name: "orders", shardKey: "customerId",
            indexes: [{ keys: ["customerId", "number"], unique: true }, { keys: ["placedAt"], unique: false, expireAfterSeconds: 3600 }],
        }]);
    });

    it("is refused on aws, naming the key", () => {
        assert.match(configProblems(withMongo(aws, { collections: [{ name: "users" }] })), /intergalactic:mongo\.collections: is only for azure/);
    });

    it("names an unknown key of a collection and a collection without a name", () => {
        const message = configProblems(withMongo(azure, { collections: [{ shardKey: "_id", ttl: 5 }] }));
        assert.match(message, /intergalactic:mongo\.collections\[0\]\.name: missing/);
        assert.match(message, /intergalactic:mongo\.collections\[0\]\.ttl/);
    });
});
