import * as assert from "assert";
import { parseStackConfig } from "./index";
import { BASE_CONFIG, configProblems } from "./testing";

const base = BASE_CONFIG;
const withKafka = (kafka: unknown) => ({ ...base, "intergalactic:kafka": JSON.stringify(kafka) });

describe("intergalactic:kafka", () => {
    it("defaults to an enabled quorum named kafka with the component's defaults and no topics", () => {
        assert.deepStrictEqual(parseStackConfig(base).kafka, {
            enabled: true, name: "kafka", size: "medium", authentication: "password", brokerCount: 3, storageGiB: 100,
            maxStorageGiB: undefined, storageAutoScaling: true, kafkaVersion: "3.9.x.kraft", replicationFactor: 3, minInSyncReplicas: 2, logRetentionDays: 30, topics: [], deletionProtection: false,
        });
    });

    it("reads the topics as data, with default partitions and retention", () => {
        const config = parseStackConfig(withKafka({ size: "small", topics: [{ name: "mix", partitions: 6, retentionHours: 48 }, { name: "bake" }] }));
        assert.deepStrictEqual(config.kafka.topics, [{ name: "mix", partitions: 6, retentionHours: 48 }, { name: "bake", partitions: 3, retentionHours: 168 }]);
        assert.strictEqual(config.kafka.size, "small");
    });

    const cases: [string, Record<string, string>, RegExp][] = [
        ["an unknown key", withKafka({ brokers: 3 }), /intergalactic:kafka.brokers: unknown key: allowed keys are .*brokerCount/],
        ["an unknown size", withKafka({ size: "xl" }), /intergalactic:kafka.size: "xl" is not allowed: use one of small, medium, large/],
        ["an unknown authentication", withKafka({ authentication: "mtls" }), /intergalactic:kafka.authentication: "mtls" is not allowed: use one of password($|[^,])/],
        ["a broker count that is not a number", withKafka({ brokerCount: "three" }), /intergalactic:kafka.brokerCount: "three" must be a number/],
        ["topics that are not a list", withKafka({ topics: "mix" }), /intergalactic:kafka.topics: "mix" must be a list of objects/],
        ["a topic without a name", withKafka({ topics: [{ partitions: 3 }] }), /intergalactic:kafka.topics\[0\].name: missing: every topic needs a name/],
        ["an unknown topic key", withKafka({ topics: [{ name: "mix", replicas: 3 }] }), /intergalactic:kafka.topics\[0\].replicas: unknown key/],
        ["zero partitions", withKafka({ topics: [{ name: "mix", partitions: 0 }] }), /intergalactic:kafka.topics\[0\].partitions: 0 must be an integer from 1 to 10000/],
    ];
    for (const [what, raw, expected] of cases) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => assert.match(configProblems(raw), expected));
    }
});
