/**
 * KafkaQuorum on AWS: an Amazon MSK cluster with its brokers spread evenly over
 * the data subnets (one per AZ), TLS everywhere, encryption at rest with a
 * customer-managed KMS key, SASL/SCRAM or IAM client authentication, storage
 * auto-scaling, broker logs in CloudWatch and the declared topics.
 */
import * as appautoscaling from "@pulumi/aws/appautoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as kms from "@pulumi/aws/kms";
import * as msk from "@pulumi/aws/msk";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ConnectionInfo, Credentials } from "../common/dataStore";
import { keyScope, projectKey } from "../common/kms.aws";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { Tier } from "../network/layout";
import { kafkaUri, mskConnection } from "./credentials";
import { KafkaPlan, brokerLogGroupPrefix } from "./kafkaPlan";
import { KafkaQuorumImplementation, KafkaQuorumInputs, KafkaQuorumResources } from "./kafkaQuorum";
import { KafkaAuthentication, MSK_STORAGE_TARGET_UTILIZATION } from "./layout";
import { ScramSlot, scramSlots } from "./scramRotation";

type TagsFor = (name: string) => Tags;

export class AwsKafkaQuorum implements KafkaQuorumImplementation {
    build(parent: pulumi.Resource, plan: KafkaPlan, inputs: KafkaQuorumInputs): KafkaQuorumResources {
        const opts = { parent };
        const tags: TagsFor = (name) => mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: Tier.Data });

        const logsName = childName(plan.name, "broker-logs");
        const logsPrefix = brokerLogGroupPrefix(pulumi.getStack(), plan.name);
        // Used by MSK (broker volumes), Secrets Manager (the SCRAM secret, which MSK requires under a customer
        // managed key) and CloudWatch Logs (the broker log group, whose generated name starts with its prefix).
        const key = projectKey(childName(plan.name, "kms"), {
            description: `Encrypts the ${plan.name} Kafka brokers' volumes, client secret and broker logs`,
            scope: keyScope(opts),
            use: { viaServices: ["kafka", "secretsmanager"], logGroups: [`${logsPrefix}*`] },
            tags: tags(childName(plan.name, "kms")),
        }, opts);
        const securityGroup = this.securityGroup(plan, inputs, tags, opts);
        // Renaming a group replaces it (its old logs go with it); MSK switches to the new one in place (UpdateMonitoring).
        const logGroup = new cloudwatch.LogGroup(logsName, {
            namePrefix: logsPrefix, retentionInDays: plan.msk.logRetentionDays, kmsKeyId: key.arn, tags: tags(logsName),
        }, opts);
        const configuration = new msk.Configuration(childName(plan.name, "config"), {
            description: `Broker configuration of ${plan.name}: replicated, declared topics only, no unclean leader election`,
            serverProperties: plan.msk.serverProperties,
        }, opts);
        const cluster = this.cluster(plan, inputs, { key, securityGroup, logGroup, configuration }, tags, opts);
        if (plan.msk.storageAutoScaling) this.storageAutoScaling(plan, cluster, opts);
        for (const topic of plan.topics) {
            new msk.Topic(topic.resourceName, {
                clusterArn: cluster.arn,
                name: topic.name,
                partitionCount: topic.partitions,
                replicationFactor: plan.msk.replicationFactor,
                configs: JSON.stringify({
                    "retention.ms": String(topic.retentionHours * 3_600_000),
                    "min.insync.replicas": String(plan.msk.minInSyncReplicas),
                }),
            }, opts);
        }

        const bootstrap = plan.authentication === KafkaAuthentication.Iam ? cluster.bootstrapBrokersSaslIam : cluster.bootstrapBrokersSaslScram;
        const connection = bootstrap.apply((text) => mskConnection(text, plan.port, plan.mechanism));
        const credentials = plan.authentication === KafkaAuthentication.Iam
            ? connection.apply((c) => ({ username: "", password: "", connectionString: kafkaUri(c, plan.mechanism) }))
            : this.scramCredentials(plan, cluster, key, connection, tags, opts);
        return { connection, credentials, resourceId: cluster.arn, securityGroupId: securityGroup.id };
    }

    /** Clients reach the brokers only on the SASL port, only from the allowed ranges and groups; the brokers start nothing. */
    private securityGroup(plan: KafkaPlan, inputs: KafkaQuorumInputs, tags: TagsFor, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
        const name = childName(plan.name, "sg");
        const fromGroups = [...inputs.allowedClientSecurityGroupIds];
        const rule = { protocol: "tcp", fromPort: plan.port, toPort: plan.port };
        return new ec2.SecurityGroup(name, {
            vpcId: inputs.networkId,
            description: `Kafka clients of ${plan.name} (${plan.mechanism} on ${plan.port})`,
            ingress: [
                ...(plan.allowedClientCidrs.length > 0 ? [{ ...rule, cidrBlocks: [...plan.allowedClientCidrs], description: "Kafka clients by address range" }] : []),
                ...(fromGroups.length > 0 ? [{ ...rule, securityGroups: fromGroups, description: "Kafka clients by security group" }] : []),
            ],
            egress: [],
            tags: tags(name),
        }, opts);
    }

    private cluster(
        plan: KafkaPlan, inputs: KafkaQuorumInputs,
        deps: { key: kms.Key; securityGroup: ec2.SecurityGroup; logGroup: cloudwatch.LogGroup; configuration: msk.Configuration },
        tags: TagsFor, opts: pulumi.CustomResourceOptions,
    ): msk.Cluster {
        const iam = plan.authentication === KafkaAuthentication.Iam;
        return new msk.Cluster(childName(plan.name, "msk"), {
            kafkaVersion: plan.msk.kafkaVersion,
            numberOfBrokerNodes: plan.msk.brokerCount,
            brokerNodeGroupInfo: {
                clientSubnets: [...inputs.subnetIds],
                instanceType: plan.msk.instanceType,
                securityGroups: [deps.securityGroup.id],
                storageInfo: { ebsStorageInfo: { volumeSize: plan.msk.storageGiB } },
            },
            clientAuthentication: { unauthenticated: false, sasl: { scram: !iam, iam } },
            encryptionInfo: {
                encryptionAtRestKmsKeyArn: deps.key.arn,
                encryptionInTransit: { clientBroker: "TLS", inCluster: true },
            },
            configurationInfo: { arn: deps.configuration.arn, revision: deps.configuration.latestRevision },
            loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: deps.logGroup.name } } },
            tags: tags(childName(plan.name, "msk")),
        }, {
            ...opts,
            // The brokers' volumes hold the topics' data: a prod event bus is a data store like the others.
            protect: plan.deletionProtection,
            // Storage auto-scaling grows the volumes; the program must not shrink them back (MSK cannot anyway).
            ignoreChanges: plan.msk.storageAutoScaling ? ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"] : [],
        });
    }

    /** Target tracking on broker storage utilization; MSK never scales storage in. */
    private storageAutoScaling(plan: KafkaPlan, cluster: msk.Cluster, opts: pulumi.CustomResourceOptions): void {
        const target = new appautoscaling.Target(childName(plan.name, "storage-scaling"), {
            serviceNamespace: "kafka",
            scalableDimension: "kafka:broker-storage:VolumeSize",
            resourceId: cluster.arn,
            minCapacity: 1,
            maxCapacity: plan.msk.maxStorageGiB,
        }, opts);
        new appautoscaling.Policy(childName(plan.name, "storage-scaling"), {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
                targetValue: MSK_STORAGE_TARGET_UTILIZATION,
                disableScaleIn: true,
            },
        }, opts);
    }

    /**
     * SASL/SCRAM: two alternating users (see `scramRotation.ts`), each with a generated password in a Secrets
     * Manager secret named `AmazonMSK_*` and encrypted with the customer-managed key (MSK rejects secrets under
     * the default key), both associated with the cluster. The clients get the active user.
     */
    private scramCredentials(
        plan: KafkaPlan, cluster: msk.Cluster, key: kms.Key, connection: pulumi.Output<ConnectionInfo>,
        tags: TagsFor, opts: pulumi.CustomResourceOptions,
    ): pulumi.Output<Credentials> {
        const users = scramSlots(Date.now()).map((slot) => ({ slot, ...this.scramUser(plan, slot, key, tags, opts) }));
        const association = new msk.ScramSecretAssociation(childName(plan.name, "scram"), {
            clusterArn: cluster.arn, secretArnLists: users.map((u) => u.secret.arn),
        }, { ...opts, dependsOn: users.flatMap((u) => u.ready) });
        const active = users.find((u) => u.slot.active)!;
        // The credentials depend on the association and the active user's secret value, so whatever reads them
        // (the services' Kubernetes Secret, hence the pods) comes after MSK has been told the user; MSK can
        // still take up to 10 minutes to apply it (https://docs.aws.amazon.com/msk/latest/developerguide/msk-password-users.html).
        const known = pulumi.all([association.id, active.version.versionId]);
        return pulumi.secret(pulumi.all([connection, active.password.result, known]).apply(([c, pw]) => ({
            username: active.username, password: pw, connectionString: kafkaUri(c, plan.mechanism, active.username, pw),
        })));
    }

    /** One SCRAM user: its password (regenerated with its generation), secret, secret value and the policy MSK attaches. */
    private scramUser(plan: KafkaPlan, slot: ScramSlot, key: kms.Key, tags: TagsFor, opts: pulumi.CustomResourceOptions) {
        const name = childName(plan.name, "scram", slot.label);
        // User `a` was the only user before rotation; it keeps that user's resources.
        const was = (old: string): pulumi.CustomResourceOptions => ({ ...opts, aliases: slot.label === "a" ? [{ name: old }] : [] });
        const username = `${plan.name}-client-${slot.label}`;
        const password = new random.RandomPassword(childName(name, "password"), {
            length: 32, special: false, keepers: { generation: String(slot.generation) },
        }, was(childName(plan.name, "scram-password")));
        const secret = new secretsmanager.Secret(name, {
            namePrefix: plan.msk.scramSecretNamePrefix,
            description: `SASL/SCRAM credentials of the ${plan.name} Kafka clients (user ${slot.label})`,
            kmsKeyId: key.arn,
            tags: tags(name),
        }, was(childName(plan.name, "scram")));
        const version = new secretsmanager.SecretVersion(name, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify({ username, password: password.result })),
        }, was(childName(plan.name, "scram")));
        // The association attaches this policy itself; declaring it keeps the stack free of drift. MSK's docs ask
        // that it is not changed, so it carries no extra conditions.
        const policy = new secretsmanager.SecretPolicy(name, {
            secretArn: secret.arn,
            policy: secret.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "AWSKafkaResourcePolicy", Effect: "Allow", Principal: { Service: "kafka.amazonaws.com" },
                    Action: "secretsmanager:getSecretValue", Resource: arn,
                }],
            })),
        }, was(childName(plan.name, "scram")));
        return { username, password, secret, version, ready: [version, policy] as pulumi.Resource[] };
    }
}
