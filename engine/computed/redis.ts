/**
 * Mocked computed attributes of the HaRedis resources: ElastiCache endpoints
 * in AWS's host name format, Azure Managed Redis host names, generated
 * passwords that follow the requested character rules, and the database keys
 * invoke.
 */
import * as pulumi from "@pulumi/pulumi";
import { registerInvoke } from "../invokes";
import { awsArn } from "./aws";
import { ComputedTable, MockContext } from "./types";

/** ElastiCache's short region code in endpoint names, e.g. `use1` for us-east-1. */
function regionCode(region: string): string {
    const [area, direction, number] = region.split("-");
    return `${area}${direction.charAt(0)}${number}`;
}

/** A deterministic password of the requested length from the requested alphabet, with every class present. */
function mockPassword(ctx: MockContext): string {
    const length = Number(ctx.inputs.length ?? 32);
    const special = ctx.inputs.special === false ? "" : String(ctx.inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?");
    const classes = ["ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789", special].filter((c) => c.length > 0);
    const alphabet = classes.join("");
    const digits = (ctx.hash + ctx.hash.split("").reverse().join("")).repeat(Math.ceil(length / 64) + 1);
    const chars = Array.from({ length }, (_, i) => alphabet[parseInt(digits.slice(i * 2, i * 2 + 2), 16) % alphabet.length]);
    classes.forEach((c, i) => { chars[i] = c[parseInt(ctx.hash.charAt(i), 16) % c.length]; });
    return chars.join("");
}

function replicationGroup(ctx: MockContext): Record<string, unknown> {
    const id = ctx.physicalName.toLowerCase();
    const host = (role: string) => `${role}.${id}.${ctx.hash.slice(0, 6)}.${regionCode(ctx.aws.region)}.cache.amazonaws.com`;
    const clustered = ctx.inputs.clusterMode === "enabled";
    const nodes = clustered
        ? Number(ctx.inputs.numNodeGroups) * (Number(ctx.inputs.replicasPerNodeGroup) + 1)
        : Number(ctx.inputs.numCacheClusters ?? 1);
    return {
        replicationGroupId: id,
        arn: awsArn(ctx, `replicationgroup:${id}`),
        primaryEndpointAddress: clustered ? undefined : host("master"),
        readerEndpointAddress: clustered ? undefined : host("replica"),
        configurationEndpointAddress: clustered ? host("clustercfg") : undefined,
        clusterEnabled: clustered,
        engineVersionActual: `${ctx.inputs.engineVersion ?? "7.1"}.0`,
        memberClusters: Array.from({ length: nodes }, (_, i) => `${id}-${String(i + 1).padStart(3, "0")}`),
    };
}

export const redisComputed: ComputedTable = {
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    // ElastiCache stores subnet group names in lowercase.
    "aws:elasticache/subnetGroup:SubnetGroup": (ctx) => ({ name: String(ctx.inputs.name ?? ctx.physicalName).toLowerCase() }),
    // The provider marks both secret; the plan must never show a generated password, even a mocked one.
    "random:index/randomPassword:RandomPassword": (ctx) => ({
        result: pulumi.secret(mockPassword(ctx)),
        bcryptHash: pulumi.secret(`$2a$10$${ctx.hash.slice(0, 53)}`),
    }),
    "azure-native:redisenterprise:RedisEnterprise": (ctx) => ({
        hostName: `${ctx.physicalName}.${ctx.inputs.location ?? ctx.azure.location}.redis.azure.net`,
        redisVersion: "7.4",
        resourceState: "Running",
    }),
};

registerInvoke("azure-native:redisenterprise:listDatabaseKeys", (inputs) => ({
    primaryKey: `${inputs.clusterName}PrimaryKey0000000000000000000000000=`,
    secondaryKey: `${inputs.clusterName}SecondaryKey00000000000000000000000=`,
}));
