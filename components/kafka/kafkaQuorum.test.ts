import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { REDACTED } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { named, ofType, planFailure, planSnippet, rejection } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { Vpc3Az } from "../network/vpc3az";
import { KafkaQuorum, KafkaQuorumArgs, KafkaTopic } from "./kafkaQuorum";
import { SubnetTier, factsOfPlan, selectSubnets } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TOPICS: KafkaTopic[] = [
    { name: "mix", partitions: 6, retentionHours: 168 },
    { name: "bake", partitions: 6, retentionHours: 168 },
    { name: "pack", partitions: 6, retentionHours: 168 },
    { name: "prepare-cookie.result", partitions: 3, retentionHours: 72 },
];
const VNET = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet";
const AZURE_SUBNET = `${VNET}/subnets/net-data`;
const AWS_NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: AWS_ZONES }), { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
const AZURE_NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure" }), { networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name}` });

const awsArgs = (extra: Partial<KafkaQuorumArgs> = {}): KafkaQuorumArgs => ({
    cloud: "aws", network: AWS_NETWORK,
    aws: { allowedClientCidrs: ["10.0.0.0/20"] }, topics: TOPICS, ...extra,
});
const azureArgs = (extra: Partial<KafkaQuorumArgs> = {}): KafkaQuorumArgs => ({
    cloud: "azure", network: AZURE_NETWORK, topics: TOPICS, ...extra,
});
const outputsOf = (plan: Awaited<ReturnType<typeof planSnippet>>) => named(plan, "intergalactic:index:KafkaQuorum", "kafka").outputs;

describe("KafkaQuorum on AWS", () => {
    it("exports the cluster ARN as resourceId (and as the deprecated clusterId) and the zones, as every data store does", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs()));
        const outputs = outputsOf(plan);
        const cluster = named(plan, "aws:msk/cluster:Cluster", "kafka-msk");
        assert.deepStrictEqual([outputs.resourceId, outputs.clusterId, outputs.zones], [cluster.outputs.arn, cluster.outputs.arn, AWS_ZONES]);
    });

    it("builds an MSK cluster with TLS, KMS at rest, SCRAM, CloudWatch broker logs and the replicated configuration", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs()));
        const cluster = named(plan, "aws:msk/cluster:Cluster", "kafka-msk").inputs as Record<string, any>;
        const key = named(plan, "aws:kms/key:Key", "kafka-kms");
        assert.strictEqual(cluster.numberOfBrokerNodes, 3);
        assert.strictEqual(cluster.kafkaVersion, "3.9.x.kraft");
        assert.deepStrictEqual(cluster.brokerNodeGroupInfo.clientSubnets, ["subnet-net-data-a", "subnet-net-data-b", "subnet-net-data-c"]);
        assert.deepStrictEqual(cluster.encryptionInfo.encryptionInTransit, { clientBroker: "TLS", inCluster: true });
        assert.strictEqual(cluster.encryptionInfo.encryptionAtRestKmsKeyArn, key.outputs.arn);
        assert.deepStrictEqual(cluster.clientAuthentication, { unauthenticated: false, sasl: { scram: true, iam: false } });
        assert.strictEqual(cluster.loggingInfo.brokerLogs.cloudwatchLogs.enabled, true);
        assert.strictEqual(cluster.configurationInfo.revision, 1);
        const config = ofType(plan, "aws:msk/configuration:Configuration")[0].inputs.serverProperties as string;
        for (const line of ["default.replication.factor=3", "min.insync.replicas=2", "auto.create.topics.enable=false", "unclean.leader.election.enable=false"]) {
            assert.ok(config.split("\n").includes(line), line);
        }
        assert.strictEqual(named(plan, "aws:kms/key:Key", "kafka-kms").inputs.enableKeyRotation, true);
    });

    it("admits clients only on 9096 from the allowed ranges and groups, and lets the brokers start nothing", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs({ allowedClientSecurityGroupIds: ["sg-workers"] })));
        const sg = named(plan, "aws:ec2/securityGroup:SecurityGroup", "kafka-sg").inputs as Record<string, any>;
        assert.deepStrictEqual(sg.ingress.map((r: any) => [r.fromPort, r.toPort, r.cidrBlocks ?? r.securityGroups]), [[9096, 9096, ["10.0.0.0/20"]], [9096, 9096, ["sg-workers"]]]);
        assert.deepStrictEqual(sg.egress, []);
        assert.ok(!JSON.stringify(sg).includes("0.0.0.0/0"));
    });

    it("refuses iam authentication on AWS before registering anything: its clients would get no IAM role and empty SCRAM fields", async () => {
        const { error, registered } = await planFailure(() => new KafkaQuorum("kafka", awsArgs({ authentication: "iam" })));
        assert.match(error.message, /authentication: "iam" is not built on AWS: MSK IAM access control needs each client's own IAM role/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("stores each SCRAM user's secret as AmazonMSK_* under the customer-managed key and associates both with the cluster", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs()));
        const secrets = ["a", "b"].map((slot) => named(plan, "aws:secretsmanager/secret:Secret", `kafka-scram-${slot}`));
        for (const secret of secrets) {
            assert.match(String(secret.inputs.namePrefix), /^AmazonMSK_/);
            assert.strictEqual(secret.inputs.kmsKeyId, named(plan, "aws:kms/key:Key", "kafka-kms").outputs.arn);
            assert.strictEqual(named(plan, "aws:secretsmanager/secretVersion:SecretVersion", secret.name).inputs.secretString, REDACTED);
            assert.match(String(named(plan, "aws:secretsmanager/secretPolicy:SecretPolicy", secret.name).inputs.policy), /kafka\.amazonaws\.com/);
        }
        const association = named(plan, "aws:msk/scramSecretAssociation:ScramSecretAssociation", "kafka-scram");
        assert.deepStrictEqual(association.inputs.secretArnLists, secrets.map((s) => s.outputs.arn));
        assert.strictEqual(association.inputs.clusterArn, named(plan, "aws:msk/cluster:Cluster", "kafka-msk").outputs.arn);
        assert.ok(ofType(plan, "random:index/randomPassword:RandomPassword").length === 2);
    });

    it("scales broker storage with a target-tracking policy that never scales in, and leaves the grown volume alone", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs({ storageGiB: 200 })));
        const target = named(plan, "aws:appautoscaling/target:Target", "kafka-storage-scaling").inputs as Record<string, any>;
        assert.deepStrictEqual([target.serviceNamespace, target.scalableDimension, target.maxCapacity], ["kafka", "kafka:broker-storage:VolumeSize", 800]);
        const policy = named(plan, "aws:appautoscaling/policy:Policy", "kafka-storage-scaling").inputs as Record<string, any>;
        assert.strictEqual(policy.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType, "KafkaBrokerStorageUtilization");
        assert.strictEqual(policy.targetTrackingScalingPolicyConfiguration.disableScaleIn, true);
        assert.deepStrictEqual(named(plan, "aws:msk/cluster:Cluster", "kafka-msk").options.ignoreChanges, ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"]);
    });

    it("creates no scaling target and ignores no volume change when storage auto-scaling is off", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs({ storageAutoScaling: false })));
        assert.strictEqual(ofType(plan, "aws:appautoscaling/target:Target").length, 0);
        assert.deepStrictEqual(named(plan, "aws:msk/cluster:Cluster", "kafka-msk").options.ignoreChanges, []);
    });

    it("creates each declared topic with its partitions, the replication factor and its retention", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs()));
        const topics = ofType(plan, "aws:msk/topic:Topic").map((t) => [t.name, t.inputs.name, t.inputs.partitionCount, t.inputs.replicationFactor, JSON.parse(String(t.inputs.configs))["retention.ms"]]);
        assert.deepStrictEqual(topics, [
            ["kafka-topic-mix", "mix", 6, 3, "604800000"], ["kafka-topic-bake", "bake", 6, 3, "604800000"],
            ["kafka-topic-pack", "pack", 6, 3, "604800000"], ["kafka-topic-prepare-cookie.result", "prepare-cookie.result", 3, 3, "259200000"],
        ]);
    });

    it("exports the bootstrap brokers on 9096 over TLS and keeps the credentials secret", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs()));
        const outputs = outputsOf(plan);
        const connection = outputs.connection as { endpoints: string[]; port: number; tls: boolean; authMechanism: string; host: string };
        assert.strictEqual(connection.endpoints.length, 3);
        assert.ok(connection.endpoints.every((e) => e.endsWith(":9096")));
        assert.deepStrictEqual([connection.port, connection.tls, connection.authMechanism], [9096, true, "SCRAM-SHA-512"]);
        assert.strictEqual(outputs.credentials, REDACTED);
        assert.deepStrictEqual(outputs.topicNames, ["mix", "bake", "pack", "prepare-cookie.result"]);
    });

    it("puts one broker subnet in each of three zones when built on a Vpc3Az", async () => {
        const plan = await planSnippet(() => {
            const net = new Vpc3Az("net", { cloud: "aws", availabilityZones: AWS_ZONES });
            return new KafkaQuorum("kafka", awsArgs({ network: net.facts() }));
        });
        const graph = new PlanGraph(plan);
        assert.deepStrictEqual(graph.zonesOf(named(plan, "aws:msk/cluster:Cluster", "kafka-msk")).sort(), AWS_ZONES);
    });
});

describe("KafkaQuorum on Azure", () => {
    it("builds a zone-redundant Event Hubs Premium namespace with TLS 1.2, no public access and units from the size", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", azureArgs({ size: "large" })));
        const ns = named(plan, "azure-native:eventhub:Namespace", "kafka-eventhubs").inputs as Record<string, any>;
        assert.deepStrictEqual(ns.sku, { name: "Premium", tier: "Premium", capacity: 4 });
        assert.deepStrictEqual([ns.zoneRedundant, ns.kafkaEnabled, ns.minimumTlsVersion, ns.publicNetworkAccess], [true, true, "1.2", "Disabled"]);
        assert.strictEqual(ns.resourceGroupName, "rg-net");
        assert.strictEqual(ns.disableLocalAuth, false);
    });

    it("creates one event hub per topic, named as the topic, with its partitions and retention", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", azureArgs()));
        const hubs = ofType(plan, "azure-native:eventhub:EventHub").map((h) => [h.inputs.eventHubName, h.inputs.partitionCount, (h.inputs.retentionDescription as any).retentionTimeInHours]);
        assert.deepStrictEqual(hubs, [["mix", 6, 168], ["bake", 6, 168], ["pack", 6, 168], ["prepare-cookie.result", 3, 72]]);
    });

    it("reaches the namespace only through a private endpoint in the data subnet with the servicebus privatelink zone", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", azureArgs()));
        const endpoint = named(plan, "azure-native:network:PrivateEndpoint", "kafka-pe").inputs as Record<string, any>;
        const ns = named(plan, "azure-native:eventhub:Namespace", "kafka-eventhubs");
        assert.strictEqual(endpoint.subnet.id, AZURE_SUBNET);
        assert.deepStrictEqual(endpoint.privateLinkServiceConnections[0].groupIds, ["namespace"]);
        assert.strictEqual(endpoint.privateLinkServiceConnections[0].privateLinkServiceId, ns.id);
        assert.strictEqual(named(plan, "azure-native:privatedns:PrivateZone", "kafka-dns").inputs.privateZoneName, "privatelink.servicebus.windows.net");
        assert.strictEqual(named(plan, "azure-native:privatedns:VirtualNetworkLink", "kafka-dns-link").inputs.registrationEnabled, false);
        assert.strictEqual(ofType(plan, "azure-native:network:PrivateDnsZoneGroup").length, 1);
    });

    it("gives clients a send-and-listen key over SASL/PLAIN on 9093, exported only as a secret", async () => {
        const plan = await planSnippet(() => new KafkaQuorum("kafka", azureArgs()));
        assert.deepStrictEqual(named(plan, "azure-native:eventhub:NamespaceAuthorizationRule", "kafka-clients").inputs.rights, ["Listen", "Send"]);
        const outputs = outputsOf(plan);
        const connection = outputs.connection as { host: string; endpoints: string[]; port: number; tls: boolean; authMechanism: string };
        assert.match(connection.host, /\.servicebus\.windows\.net$/);
        assert.deepStrictEqual([connection.endpoints, connection.port, connection.tls, connection.authMechanism], [[`${connection.host}:9093`], 9093, true, "PLAIN"]);
        assert.strictEqual(outputs.credentials, REDACTED);
    });

    it("refuses iam authentication on Azure before registering anything: local authentication would be off and no client has an identity", async () => {
        const { error, registered } = await planFailure(() => new KafkaQuorum("kafka", azureArgs({ authentication: "iam" })));
        assert.match(error.message, /authentication: "iam" is not built on Azure: .*no client identity or role assignment is made/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
});

describe("KafkaQuorum with bad input", () => {
    it("registers nothing but the stack and names the arg, the value and the rule", async () => {
        const plan = await planSnippet(async () => {
            const err = await rejection(Promise.resolve().then(() => new KafkaQuorum("kafka", awsArgs({ brokerCount: 4, topics: [{ name: "bake!", partitions: 1, retentionHours: 1 }] }))));
            assert.ok(err instanceof InvalidArgumentsError);
            assert.match(err.message, /brokerCount: 4 must be a multiple of the 3 client subnets/);
            assert.match(err.message, /topics\[0\].name: "bake!" must be 1-249/);
        });
        assert.deepStrictEqual(plan.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("refuses brokers in one zone, naming the subnets and the rule", async () => {
        const one = selectSubnets(AWS_NETWORK, { tier: SubnetTier.Data, zones: ["us-east-1a"] }).map((s) => ({ ...s, id: pulumi.output(s.id) }));
        const err = await rejection(Promise.resolve().then(() => new KafkaQuorum("kafka", awsArgs({ subnets: one }))));
        assert.match(err.message, /subnets: 1 subnet\(s\) in zones \["us-east-1a"\] must span at least 2 zones: brokers in at least two zones/);
        assert.match(err.message, /subnets: "1 subnets" must be 2 or 3 data subnets/);
    });

    it("takes the data subnets of the first three zones of a four-zone network by default, MSK's most", async () => {
        const zones = [...AWS_ZONES, "us-east-1d"];
        const network = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: zones, zoneCount: 4 }), { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
        const plan = await planSnippet(() => new KafkaQuorum("kafka", awsArgs({ network })));
        const cluster = named(plan, "aws:msk/cluster:Cluster", "kafka-msk");
        assert.deepStrictEqual((cluster.inputs.brokerNodeGroupInfo as { clientSubnets: string[] }).clientSubnets, ["subnet-net-data-a", "subnet-net-data-b", "subnet-net-data-c"]);
    });
});
