import * as assert from "assert";
import { InvalidArgumentsError } from "../common/validation";
import { KafkaPlanInput, planKafka, serverProperties } from "./kafkaPlan";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const COOKIE_TOPICS = [
    { name: "mix", partitions: 6, retentionHours: 168 },
    { name: "bake", partitions: 6, retentionHours: 168 },
    { name: "pack", partitions: 6, retentionHours: 168 },
    { name: "prepare-cookie.result", partitions: 6, retentionHours: 168 },
];
const aws = (extra: Partial<KafkaPlanInput> = {}): KafkaPlanInput => ({ cloud: "aws", subnetCount: 3, zones: ZONES, topics: COOKIE_TOPICS, ...extra });
const azure = (extra: Partial<KafkaPlanInput> = {}): KafkaPlanInput => ({ cloud: "azure", subnetCount: 1, zones: ["1", "2", "3"], topics: COOKIE_TOPICS, ...extra });

function problemsOf(input: KafkaPlanInput, name = "kafka"): string {
    try {
        planKafka(name, input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, `expected InvalidArgumentsError, got ${err}`);
        return err.message;
    }
    assert.fail("expected the plan to be rejected");
}

describe("planKafka", () => {
    it("plans three m7g brokers over three subnets with KRaft, RF 3, min ISR 2 and SCRAM on 9096 by default", () => {
        const plan = planKafka("kafka", aws());
        assert.strictEqual(plan.msk.brokerCount, 3);
        assert.strictEqual(plan.msk.instanceType, "kafka.m7g.large");
        assert.strictEqual(plan.msk.kafkaVersion, "3.9.x.kraft");
        assert.deepStrictEqual([plan.msk.replicationFactor, plan.msk.minInSyncReplicas], [3, 2]);
        assert.deepStrictEqual([plan.port, plan.mechanism], [9096, "SCRAM-SHA-512"]);
        assert.deepStrictEqual([plan.msk.storageGiB, plan.msk.maxStorageGiB], [100, 400]);
        assert.ok(plan.msk.scramSecretNamePrefix.startsWith("AmazonMSK_"));
    });

    it("turns storage auto-scaling off when asked, or when the volume cannot grow", () => {
        assert.strictEqual(planKafka("kafka", aws()).msk.storageAutoScaling, true);
        assert.strictEqual(planKafka("kafka", aws({ storageAutoScaling: false })).msk.storageAutoScaling, false);
        assert.strictEqual(planKafka("kafka", aws({ storageGiB: 500, maxStorageGiB: 500 })).msk.storageAutoScaling, false);
        const full = planKafka("kafka", aws({ storageGiB: 16384 }));
        assert.deepStrictEqual([full.msk.maxStorageGiB, full.msk.storageAutoScaling], [16384, false]);
    });

    it("names topic resources after the topic, not its position", () => {
        const plan = planKafka("kafka", aws());
        assert.deepStrictEqual(plan.topics.map((t) => t.resourceName), ["kafka-topic-mix", "kafka-topic-bake", "kafka-topic-pack", "kafka-topic-prepare-cookie.result"]);
    });

    it("uses PLAIN on 9093 on Azure and refuses iam, whose clients would get no identity while local authentication is off", () => {
        assert.deepStrictEqual([planKafka("kafka", azure()).port, planKafka("kafka", azure()).mechanism], [9093, "PLAIN"]);
        assert.throws(() => planKafka("kafka", azure({ authentication: "iam" })),
            /authentication: "iam" is not built on Azure: Event Hubs' Entra ID \(OAUTHBEARER\) access needs each client's own workload identity/);
    });

    it("maps sizes to Event Hubs Premium processing units", () => {
        assert.deepStrictEqual(["small", "medium", "large"].map((size) => planKafka("kafka", azure({ size })).eventHubs.processingUnits), [1, 2, 4]);
    });

    it("writes the broker configuration with replication, no auto-created topics and no unclean elections", () => {
        assert.strictEqual(serverProperties(3, 2), [
            "auto.create.topics.enable=false", "default.replication.factor=3", "min.insync.replicas=2",
            "unclean.leader.election.enable=false", "delete.topic.enable=true", "",
        ].join("\n"));
    });

    it("accepts two subnets with four brokers and RF 2 (a two-AZ region such as us-west-1)", () => {
        const plan = planKafka("kafka", aws({ subnetCount: 2, zones: ["us-west-1a", "us-west-1c"], brokerCount: 4, replicationFactor: 2, minInSyncReplicas: 1 }));
        assert.strictEqual(plan.msk.brokerCount, 4);
    });

    it("ignores the MSK-only args on Azure", () => {
        assert.doesNotThrow(() => planKafka("kafka", azure({ brokerCount: 5, kafkaVersion: "0.9", storageGiB: 0 })));
    });

    it("lists every problem at once", () => {
        const message = problemsOf(aws({ brokerCount: 4, storageGiB: 0, kafkaVersion: "2.8.1" }));
        for (const arg of ["brokerCount", "storageGiB", "kafkaVersion"]) assert.match(message, new RegExp(`- ${arg}:`));
    });

    describe("rejects bad input with the arg, the value and the rule", () => {
        const cases: [string, KafkaPlanInput, RegExp, string?][] = [
            ["an unknown cloud", { cloud: "gcp", subnetCount: 1, zones: ["a"] }, /cloud: "gcp" is not a supported cloud/],
            ["a broker count that is not a multiple of the subnets", aws({ brokerCount: 4 }), /brokerCount: 4 must be a multiple of the 3 client subnets/],
            ["fewer brokers than MSK's minimum", aws({ brokerCount: 1 }), /brokerCount: 1 must be an integer from 2 to 60/],
            ["more brokers than MSK allows per KRaft cluster", aws({ brokerCount: 63 }), /brokerCount: 63 must be an integer from 2 to 60/],
            ["more brokers than MSK allows per ZooKeeper cluster", aws({ brokerCount: 33, kafkaVersion: "3.9.x" }), /brokerCount: 33 must be an integer from 2 to 30/],
            ["one client subnet", aws({ subnetCount: 1, zones: ["us-east-1a"] }), /subnets: "1 subnets" must be 2 or 3 data subnets/],
            ["four client subnets", aws({ subnetCount: 4, zones: [...ZONES, "us-east-1d"], brokerCount: 4 }), /subnets: "4 subnets" must be 2 or 3/],
            ["subnets in the same AZ", aws({ zones: ["us-east-1a", "us-east-1a", "us-east-1b"] }), /network.zones: \["us-east-1a","us-east-1a","us-east-1b"\] must be distinct/],
            ["fewer zones than subnets", aws({ zones: ["us-east-1a", "us-east-1b"] }), /network.zones: \["us-east-1a","us-east-1b"\] must name the zone of each of the 3 subnets/],
            ["a replication factor above the broker count", aws({ replicationFactor: 4 }), /replicationFactor: 4 exceeds brokerCount \(3\)/],
            ["min.insync.replicas equal to the replication factor", aws({ minInSyncReplicas: 3 }), /minInSyncReplicas: 3 must be below replicationFactor \(3\)/],
            ["storage below 1 GiB", aws({ storageGiB: 0 }), /storageGiB: 0 must be an integer from 1 to 16384/],
            ["storage above 16384 GiB", aws({ storageGiB: 16385 }), /storageGiB: 16385 must be an integer from 1 to 16384/],
            ["a maximum storage below the storage", aws({ storageGiB: 500, maxStorageGiB: 400 }), /maxStorageGiB: 400 is below storageGiB \(500\)/],
            ["a maximum storage above 16384 GiB", aws({ maxStorageGiB: 20000 }), /maxStorageGiB: 20000 must be an integer from 1 to 16384/],
            ["an unsupported Kafka version", aws({ kafkaVersion: "2.8.1" }), /kafkaVersion: "2.8.1" is not allowed: use one of 3.6.0/],
            ["a name MSK does not accept", aws(), /name: "kafka_q" must be 1-56 letters, digits or hyphens/, "kafka_q"],
            ["a name too long for MSK with the autoname suffix", aws(), /name: "k{57}" must be 1-56/, "k".repeat(57)],
            ["an unknown size", aws({ size: "huge" }), /size: "huge" is not allowed: use one of small, medium, large/],
            ["an unknown authentication", aws({ authentication: "tls" }), /authentication: "tls" is not allowed: use one of password($|[^,])/],
            ["iam authentication on AWS, whose clients would get no IAM role and empty credentials", aws({ authentication: "iam" }),
                /authentication: "iam" is not built on AWS: MSK IAM access control needs each client's own IAM role .* use "password"/],
            ["a non-CloudWatch log retention", aws({ logRetentionDays: 10 }), /logRetentionDays: 10 is not a CloudWatch Logs retention period/],
            ["a public client range", aws({ allowedClientCidrs: ["0.0.0.0/0"] }), /allowedClientCidrs\[0\]: "0.0.0.0\/0" is not private address space/],
            ["a malformed client range", aws({ allowedClientCidrs: ["10.0.0/8"] }), /allowedClientCidrs\[0\]: "10.0.0\/8" is not an IPv4 CIDR/],
            ["a topic name Kafka rejects", aws({ topics: [{ name: "bake!", partitions: 1, retentionHours: 1 }] }), /topics\[0\].name: "bake!" must be 1-249 letters, digits/],
            ["a topic name ending in a period", aws({ topics: [{ name: "bake.", partitions: 1, retentionHours: 1 }] }), /topics\[0\].name: "bake." must be/],
            ["a topic name longer than 249", aws({ topics: [{ name: "t".repeat(250), partitions: 1, retentionHours: 1 }] }), /topics\[0\].name: "t{250}" must be 1-249/],
            ["topics that collide on '.' versus '_'", aws({ topics: [{ name: "a.b", partitions: 1, retentionHours: 1 }, { name: "a_b", partitions: 1, retentionHours: 1 }] }),
                /topics\[1\].name: "a_b" collides with topic "a.b"/],
            ["a duplicate topic", aws({ topics: [{ name: "mix", partitions: 1, retentionHours: 1 }, { name: "mix", partitions: 2, retentionHours: 1 }] }), /topics\[1\].name: "mix" collides with topic "mix"/],
            ["zero partitions", aws({ topics: [{ name: "mix", partitions: 0, retentionHours: 1 }] }), /topics\[0\].partitions: 0 must be an integer >= 1/],
            ["a fractional retention", aws({ topics: [{ name: "mix", partitions: 1, retentionHours: 0.5 }] }), /topics\[0\].retentionHours: 0.5 must be an integer >= 1/],
            ["more partition replicas per broker than the broker size supports", aws({ size: "small", topics: [{ name: "mix", partitions: 301, retentionHours: 1 }] }),
                /topics: "903 partition replicas" put 301 on each of 3 brokers, above the 300 MSK recommends for kafka.t3.small/],
            ["two Azure subnets", azure({ subnetCount: 2 }), /subnets: "2 subnets" must be exactly the one regional data subnet on azure/],
            ["an AWS zone on Azure", azure({ zones: ["us-east-1a"] }), /network.zones: \["us-east-1a"\] are not Azure zones/],
            ["more partitions than an Event Hubs Premium event hub allows", azure({ topics: [{ name: "mix", partitions: 101, retentionHours: 1 }] }),
                /topics\[0\].partitions: 101 exceeds the 100 partitions an Event Hubs Premium event hub allows/],
            ["retention beyond Event Hubs Premium's 90 days", azure({ topics: [{ name: "mix", partitions: 1, retentionHours: 2161 }] }),
                /topics\[0\].retentionHours: 2161 exceeds the 2160 hours \(90 days\)/],
            ["more partitions than the namespace's processing units allow", azure({ size: "small", topics: [1, 2, 3].map((i) => ({ name: `t${i}`, partitions: 100, retentionHours: 1 })) }),
                /topics: "300 partitions" exceed the 200 a Premium namespace with 1 processing units allows/],
            ["more event hubs than the namespace's processing units allow", azure({ size: "small", topics: Array.from({ length: 101 }, (_, i) => ({ name: `t${i}`, partitions: 1, retentionHours: 1 })) }),
                /topics: "101 topics" exceed the 100 event hubs/],
            ["a name Event Hubs namespaces do not accept", azure(), /name: "1kafka" must start with a letter/, "1kafka"],
        ];
        for (const [what, input, expected, name] of cases) {
            it(`rejects ${what}`, () => assert.match(problemsOf(input, name), expected));
        }
    });
});
