/**
 * Mocked computed attributes of the HaMongo types (DocumentDB, Cosmos DB for
 * MongoDB) and the Cosmos DB key invokes, in the shapes the clouds return
 * them. The generated master password's mock is shared (computed/redis.ts).
 */
import { registerInvoke } from "../invokes";
import { ComputedTable, MockContext } from "./types";

/** DocumentDB ARNs use the `rds` service namespace. */
const rdsArn = (ctx: MockContext, resource: string) => `arn:aws:rds:${ctx.aws.region}:${ctx.aws.accountId}:${resource}`;
/** DocumentDB endpoints carry a per-account, per-region cluster hash. */
const docdbHost = (ctx: MockContext, id: string, kind: string) => `${id}.${kind}-${ctx.hash.slice(0, 12)}.${ctx.aws.region}.docdb.amazonaws.com`;

/** A base64 key as Cosmos DB issues them (64 bytes), derived from the account so plans are reproducible. */
function cosmosKey(account: string, kind: string): string {
    return Buffer.from(`${account}:${kind}`.padEnd(64, "#")).toString("base64");
}

export const mongoComputed: ComputedTable = {
    "aws:docdb/cluster:Cluster": (ctx) => ({
        clusterIdentifier: ctx.id,
        arn: rdsArn(ctx, `cluster:${ctx.id}`),
        endpoint: docdbHost(ctx, ctx.id, "cluster"),
        readerEndpoint: docdbHost(ctx, ctx.id, "cluster-ro"),
        clusterResourceId: `cluster-${ctx.hash.slice(0, 26).toUpperCase()}`,
        hostedZoneId: "ZNKXH85TT8WVW",
        port: ctx.inputs.port ?? 27017,
    }),
    "aws:docdb/clusterInstance:ClusterInstance": (ctx) => ({
        identifier: ctx.id,
        arn: rdsArn(ctx, `db:${ctx.id}`),
        endpoint: docdbHost(ctx, ctx.id, "instance"),
        port: 27017,
        dbiResourceId: `db-${ctx.hash.slice(0, 26).toUpperCase()}`,
        storageEncrypted: true,
    }),
    // Read back after the create, before any secondary joins: the source cluster is the one member and the writer.
    "aws:docdb/globalCluster:GlobalCluster": (ctx) => ({
        globalClusterMembers: typeof ctx.inputs.sourceDbClusterIdentifier === "string" ? [{ dbClusterArn: ctx.inputs.sourceDbClusterIdentifier, isWriter: true }] : [],
    }),
    "aws:docdb/subnetGroup:SubnetGroup": (ctx) => ({ arn: rdsArn(ctx, `subgrp:${ctx.inputs.name ?? ctx.physicalName}`) }),
    "aws:docdb/clusterParameterGroup:ClusterParameterGroup": (ctx) => ({ arn: rdsArn(ctx, `cluster-pg:${ctx.inputs.name ?? ctx.physicalName}`) }),
    "azure-native:cosmosdb:DatabaseAccount": (ctx) => ({
        documentEndpoint: `https://${ctx.physicalName}.documents.azure.com:443/`,
        instanceId: `${ctx.hash.slice(0, 8)}-${ctx.hash.slice(8, 12)}-4${ctx.hash.slice(13, 16)}-8${ctx.hash.slice(17, 20)}-${ctx.hash.slice(20, 32)}`,
    }),
    "azure-native:network:PrivateEndpoint": (ctx) => ({
        customDnsConfigs: [{ fqdn: "mongo.privatelink.mongo.cosmos.azure.com", ipAddresses: ["10.0.232.4"] }],
        networkInterfaces: [{ id: `${ctx.id.replace(/privateEndpoints\/.*$/, "networkInterfaces/")}${ctx.physicalName}.nic` }],
    }),
};

registerInvoke("azure-native:cosmosdb:listDatabaseAccountKeys", (inputs) => ({
    primaryMasterKey: cosmosKey(inputs.accountName, "primary"),
    secondaryMasterKey: cosmosKey(inputs.accountName, "secondary"),
    primaryReadonlyMasterKey: cosmosKey(inputs.accountName, "primary-readonly"),
    secondaryReadonlyMasterKey: cosmosKey(inputs.accountName, "secondary-readonly"),
}));

registerInvoke("azure-native:cosmosdb:listDatabaseAccountConnectionStrings", (inputs) => {
    const account = String(inputs.accountName);
    const uri = (kind: string) => `mongodb://${account}:${encodeURIComponent(cosmosKey(account, kind))}@${account}.mongo.cosmos.azure.com:10255/` +
        `?ssl=true&replicaSet=globaldb&retrywrites=false&maxIdleTimeMS=120000&appName=@${account}@`;
    const entry = (kind: string, description: string, keyKind: string) => ({ connectionString: uri(kind), description, keyKind, type: "MongoDB" });
    return {
        connectionStrings: [
            entry("primary", "Primary MongoDB Connection String", "Primary"),
            entry("secondary", "Secondary MongoDB Connection String", "Secondary"),
            entry("primary-readonly", "Primary Read-Only MongoDB Connection String", "PrimaryReadonly"),
            entry("secondary-readonly", "Secondary Read-Only MongoDB Connection String", "SecondaryReadonly"),
        ],
    };
});
