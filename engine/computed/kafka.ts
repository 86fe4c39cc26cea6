/**
 * Mocked computed attributes of the KafkaQuorum resources, in the formats the
 * clouds return: MSK ARNs and bootstrap broker lists (one `b-N` host per
 * broker), Secrets Manager ARNs with their random suffix, and Event Hubs
 * endpoints and shared access keys.
 */
import { registerInvoke } from "../invokes";
import { ComputedTable, MockContext } from "./types";

const uuid = (hash: string) => `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}-2`;
const kafkaArn = (ctx: MockContext, kind: string, name: string) =>
    `arn:aws:kafka:${ctx.aws.region}:${ctx.aws.accountId}:${kind}/${name}/${uuid(ctx.hash)}`;

/** `b-1.<cluster>.<id>.c2.kafka.<region>.amazonaws.com:<port>,...`, one per broker, as MSK lists them. */
function bootstrapBrokers(ctx: MockContext, port: number): string {
    const count = Number(ctx.inputs.numberOfBrokerNodes) || 3;
    const cluster = String(ctx.inputs.clusterName ?? ctx.physicalName).toLowerCase();
    return Array.from({ length: count }, (_, i) =>
        `b-${i + 1}.${cluster}.${ctx.hash.slice(0, 6)}.c2.kafka.${ctx.aws.region}.amazonaws.com:${port}`).join(",");
}

export const kafkaComputed: ComputedTable = {
    "aws:msk/cluster:Cluster": (ctx) => {
        const clusterName = ctx.inputs.clusterName ?? ctx.physicalName;
        const scram = ctx.inputs.clientAuthentication?.sasl?.scram === true;
        const iam = ctx.inputs.clientAuthentication?.sasl?.iam === true;
        return {
            clusterName,
            arn: kafkaArn(ctx, "cluster", clusterName),
            clusterUuid: uuid(ctx.hash),
            currentVersion: `K${ctx.hash.slice(0, 12).toUpperCase()}`,
            bootstrapBrokersSaslScram: scram ? bootstrapBrokers(ctx, 9096) : "",
            bootstrapBrokersSaslIam: iam ? bootstrapBrokers(ctx, 9098) : "",
            bootstrapBrokersTls: "",
            bootstrapBrokers: "",
            // KRaft versions have no ZooKeeper.
            zookeeperConnectString: String(ctx.inputs.kafkaVersion ?? "").endsWith(".kraft") ? "" : `z-1.${clusterName}.kafka.${ctx.aws.region}.amazonaws.com:2181`,
        };
    },
    "aws:msk/configuration:Configuration": (ctx) => ({
        arn: kafkaArn(ctx, "configuration", ctx.inputs.name ?? ctx.physicalName),
        latestRevision: 1,
    }),
    "aws:msk/topic:Topic": (ctx) => ({
        arn: `arn:aws:kafka:${ctx.aws.region}:${ctx.aws.accountId}:topic/${ctx.inputs.name}/${uuid(ctx.hash)}`,
    }),
    "aws:secretsmanager/secret:Secret": (ctx) => {
        const name = ctx.inputs.name ?? (ctx.inputs.namePrefix ? `${ctx.inputs.namePrefix}${ctx.hash.slice(0, 26)}` : ctx.physicalName);
        return { name, arn: `arn:aws:secretsmanager:${ctx.aws.region}:${ctx.aws.accountId}:secret:${name}-${ctx.hash.slice(26, 32)}` };
    },
    "aws:secretsmanager/secretVersion:SecretVersion": (ctx) => ({ versionId: uuid(ctx.hash) }),
    "azure-native:eventhub:Namespace": (ctx) => ({
        serviceBusEndpoint: `https://${ctx.physicalName}.servicebus.windows.net:443/`,
        metricId: `${ctx.azure.subscriptionId}:${ctx.physicalName}`,
        status: "Active",
    }),
};

registerInvoke("azure-native:eventhub:listNamespaceKeys", (inputs) => {
    const key = Buffer.from(`${inputs.namespaceName}/${inputs.authorizationRuleName}`).toString("base64");
    const connectionString = (k: string) =>
        `Endpoint=sb://${inputs.namespaceName}.servicebus.windows.net/;SharedAccessKeyName=${inputs.authorizationRuleName};SharedAccessKey=${k}`;
    return {
        keyName: inputs.authorizationRuleName, primaryKey: key, secondaryKey: `${key}2`,
        primaryConnectionString: connectionString(key), secondaryConnectionString: connectionString(`${key}2`),
        aliasPrimaryConnectionString: "", aliasSecondaryConnectionString: "",
    };
});
