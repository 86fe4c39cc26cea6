/**
 * Broken and weakened stack configs that were once accepted, silently ignored or reported
 * under the wrong name: each is refused with the key the user wrote, the value and the rule.
 */
import * as assert from "assert";
import { parseStackConfig } from "./index";
import { CLOUD_ONLY_KEYS } from "./keys";
import { BASE_CONFIG, configProblems } from "./testing";

const awsDev = BASE_CONFIG;
const awsProd: Record<string, string> = { ...awsDev, "intergalactic:environment": "prod" };
const azureDev = { "intergalactic:cloud": "azure", "intergalactic:environment": "dev", "azure-native:location": "westeurope" };
const azureProd: Record<string, string> = { ...azureDev, "intergalactic:environment": "prod" };
const section = (base: Record<string, string>, name: string, value: unknown) => ({ ...base, [`intergalactic:${name}`]: JSON.stringify(value) });

describe("stack config against hostile and mistaken input", () => {
    describe("counts have upper bounds", () => {
        for (const count of [300, 30_000, 3_000_000]) {
            it(`refuses brokerCount ${count}, above MSK's 60 brokers per KRaft cluster`, () => {
                assert.match(configProblems(section(awsDev, "kafka", { brokerCount: count })),
                    new RegExp(`intergalactic:kafka.brokerCount: ${count} must be an integer from 1 to 60`));
            });
        }
        const bounded: [string, Record<string, unknown>, RegExp][] = [
            ["redis", { shards: 100000 }, /intergalactic:redis.shards: 100000 must be an integer from 1 to 500/],
            ["redis", { replicasPerShard: 6 }, /intergalactic:redis.replicasPerShard: 6 must be an integer from 0 to 5/],
            ["mongo", { instanceCount: 17 }, /intergalactic:mongo.instanceCount: 17 must be an integer from 1 to 16/],
            ["network", { zoneCount: 1000 }, /intergalactic:network.zoneCount: 1000 must be an integer from 2 to 7/],
            ["cluster", { maxNodesPerZone: 100000 }, /intergalactic:cluster.maxNodesPerZone: 100000 must be an integer from 1 to 1000/],
            ["kafka", { topics: [{ name: "t", partitions: 1e9 }] }, /intergalactic:kafka.topics\[0\].partitions: 1000000000 must be an integer from 1 to 10000/],
            ["kafka", { storageGiB: 1e7 }, /intergalactic:kafka.storageGiB: 10000000 must be an integer from 1 to 16384/],
            ["services", { host: "a.example.com", services: [{ name: "a", image: "r/a", maxReplicas: 1e6 }] }, /intergalactic:services.services\[0\].maxReplicas: 1000000 must be an integer from 0 to 1000/],
        ];
        for (const [name, value, expected] of bounded) {
            it(`refuses ${JSON.stringify(value)} in intergalactic:${name}`, () => assert.match(configProblems(section(awsDev, name, value)), expected));
        }
        it("refuses lists and strings beyond what a config value may hold", () => {
            assert.match(configProblems(section(awsDev, "network", { avoidCidrs: Array(300).fill("10.9.0.0/16") })),
                /intergalactic:network.avoidCidrs: 300 entries are more than the 256 allowed here/);
            assert.match(configProblems(section(awsDev, "tags", { team: "x".repeat(5000) })),
                /intergalactic:tags.team: a string of 5000 characters is longer than the 4096/);
        });
        it("keeps a message short when the value is huge", () => {
            const message = configProblems(section(awsDev, "network", { zoneCount: "x".repeat(100_000) }));
            assert.ok(message.length < 1500, `${message.length} characters`);
        });
    });

    describe("regions", () => {
        it("refuses an AWS region that does not exist, naming the key", () => {
            assert.match(configProblems({ ...awsDev, "aws:region": "eu-west-9" }), /aws:region: "eu-west-9" is not an AWS region: use one of .*eu-west-1/);
        });
    });

    describe("keys outside the project's sections", () => {
        it("refuses a misspelt provider key", () => {
            assert.match(configProblems({ ...awsDev, "aws:regoin": "us-east-1" }), /aws:regoin: unknown key: the aws provider has no "regoin"/);
        });
        it("refuses the other cloud's provider keys", () => {
            assert.match(configProblems({ ...awsDev, "azure-native:location": "westeurope" }),
                /azure-native:location: does nothing on a aws stack \(it configures the azure provider\)/);
            assert.match(configProblems({ ...azureDev, "aws:region": "us-east-1" }), /aws:region: does nothing on a azure stack/);
        });
        it("refuses an unknown namespace", () => {
            assert.match(configProblems({ ...awsDev, "intergalactc:cloud": "aws" }), /intergalactc:cloud: unknown namespace "intergalactc"/);
        });
        it("accepts the providers' real keys", () => {
            assert.strictEqual(parseStackConfig({ ...awsDev, "aws:profile": "ops", "aws:defaultTags": "{}" }).region, "us-east-1");
            assert.strictEqual(parseStackConfig({ ...azureDev, "azure-native:subscriptionId": "x" }).region, "westeurope");
        });
    });

    describe("keys that do nothing on a cloud", () => {
        const azureOnly = Object.entries(CLOUD_ONLY_KEYS).filter(([, v]) => v.cloud === "aws");
        for (const [path, { elsewhere }] of azureOnly) {
            it(`refuses intergalactic:${path} on Azure, naming what to do instead`, () => {
                const [name, ...rest] = path.split(".");
                const value = rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), 1);
                const message = configProblems(section(azureDev, name, value));
                assert.ok(message.includes(`intergalactic:${path}: does nothing on azure (only aws uses it): ${elsewhere}`), message);
            });
        }
        it("refuses the Azure-only keys on AWS", () => {
            assert.match(configProblems(section(awsDev, "bastion", { jumpBox: true })), /intergalactic:bastion.jumpBox: does nothing on aws \(only azure uses it\)/);
            assert.match(configProblems(section(awsDev, "services", { host: "a.example.com", tlsSecretName: "tls" })),
                /intergalactic:services.tlsSecretName: does nothing on aws .*set intergalactic:services.certificateArn/);
        });
        it("covers every AWS-only key named in the report", () => {
            for (const key of ["kafka.brokerCount", "kafka.replicationFactor", "kafka.minInSyncReplicas", "mongo.instanceCount", "redis.replicasPerShard",
                "network.flowLogRetentionDays", "cluster.logRetentionDays", "kafka.logRetentionDays", "services.certificateArn"]) {
                assert.strictEqual(CLOUD_ONLY_KEYS[key]?.cloud, "aws", key);
            }
        });
    });

    describe("snapshots.restore", () => {
        it("refuses a restore entry that names no data store", () => {
            assert.match(configProblems(section(awsDev, "snapshots", { restore: { user: "rds:users-final" } })),
                /intergalactic:snapshots.restore.user: names no data store that restores from a snapshot here; the stores are "users" \(intergalactic:mongo.name\), "cache" \(intergalactic:redis.name\)/);
        });
        it("accepts entries for the enabled stores", () => {
            assert.deepStrictEqual(parseStackConfig(section(awsDev, "snapshots", { restore: { users: "users-final", cache: "cache-final" } })).snapshots.restore,
                { users: "users-final", cache: "cache-final" });
        });
        it("refuses a restore entry for the cache on Azure, which restores no snapshot", () => {
            assert.match(configProblems(section(azureDev, "snapshots", { restore: { cache: "x" } })), /intergalactic:snapshots.restore.cache: names no data store/);
        });
    });

    describe("zones", () => {
        it("names intergalactic:network.zoneCount, not the stores' args, for two zones", () => {
            const message = configProblems(section(awsProd, "network", { zoneCount: 2 }));
            assert.match(message, /intergalactic:network.zoneCount: 2 must be at least 3: the data stores/);
            assert.doesNotMatch(message, /instanceCount|zones:/);
        });
    });

    describe("prod minimums", () => {
        it("refuses a schedulable prod stack", () => {
            assert.match(configProblems(section(awsProd, "schedule", { schedulable: true })), /intergalactic:schedule.schedulable: true must be false in a prod stack/);
        });
        it("refuses one day of flow-log, control-plane and broker-log retention in prod", () => {
            const message = configProblems({ ...section(awsProd, "network", { flowLogRetentionDays: 1 }), "intergalactic:kafka": JSON.stringify({ logRetentionDays: 1 }), "intergalactic:cluster": JSON.stringify({ logRetentionDays: 1 }) });
            assert.match(message, /intergalactic:network.flowLogRetentionDays: 1 must be at least 90 days in a prod stack/);
            assert.match(message, /intergalactic:kafka.logRetentionDays: 1 must be at least 90 days in a prod stack/);
            assert.match(message, /intergalactic:cluster.logRetentionDays: 1 must be at least 90 days in a prod stack/);
        });
        it("keeps prod logs a year when the stack does not say", () => {
            const config = parseStackConfig(awsProd);
            assert.deepStrictEqual([config.network.flowLogRetentionDays, config.kafka.logRetentionDays], [365, 365]);
        });
        it("refuses a regional Azure Bastion in prod", () => {
            assert.match(configProblems(section(azureProd, "bastion", { zones: [] })), /intergalactic:bastion.zones: \[\] must be \["1","2","3"\] in a prod stack/);
        });
        for (const base of [azureProd, awsProd]) {
            it(`refuses min = max = 1 nodes per zone in a ${base["intergalactic:cloud"]} prod stack`, () => {
                assert.match(configProblems(section(base, "cluster", { minNodesPerZone: 1, maxNodesPerZone: 1 })),
                    /intergalactic:cluster.maxNodesPerZone: 1 must exceed minNodesPerZone \(1\) in a prod stack/);
            });
        }
    });
});

describe("stack config bounds added on review", () => {
    it("refuses more tags than a resource can carry", () => {
        const tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "x"]));
        assert.match(configProblems({ ...BASE_CONFIG, "intergalactic:tags": JSON.stringify(tags) }), /intergalactic:tags: 47 entries are more than the 46 allowed here/);
    });
});
