/**
 * HaRedis on AWS: an ElastiCache (Valkey or Redis OSS) replication group with
 * Multi-AZ automatic failover, a primary and replicas spread over the zones,
 * encryption at rest and in transit, an AUTH token from `@pulumi/random`, a
 * subnet group over the data subnets and a security group that admits only the
 * given clients on the Redis port.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as elasticache from "@pulumi/aws/elasticache";
import * as kms from "@pulumi/aws/kms";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { keyScope, projectKey } from "../common/kms.aws";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { Tier } from "../network/layout";
import { AWS_NODE_TYPES, AuthToken } from "./layout";
import { HaRedisImplementation, HaRedisInputs, HaRedisResources } from "./haRedis";
import { RedisPlan } from "./redisPlan";
import { redisCredentials } from "./credentials";

/** Daily snapshot and weekly maintenance windows (UTC), 60 minutes each and apart, as ElastiCache requires. */
const SNAPSHOT_WINDOW = "03:00-04:00";
const MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";

export class AwsHaRedis implements HaRedisImplementation {
    build(parent: pulumi.Resource, plan: RedisPlan, inputs: HaRedisInputs): HaRedisResources {
        const opts = { parent };
        const tags = (name: string): Tags => mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: Tier.Data });

        const subnetGroup = new elasticache.SubnetGroup(childName(plan.name, "subnets"), {
            description: `Data subnets of ${plan.name}`,
            subnetIds: [...inputs.subnetIds],
            tags: tags(childName(plan.name, "subnets")),
        }, opts);
        const securityGroup = this.securityGroup(plan, inputs, tags, opts);
        const key = this.key(plan, tags, opts);

        const token = new random.RandomPassword(childName(plan.name, "auth-token"), {
            length: AuthToken.length,
            special: true,
            overrideSpecial: AuthToken.specialCharacters,
            minUpper: 1, minLower: 1, minNumeric: 1, minSpecial: 1,
        }, opts);

        const group = new elasticache.ReplicationGroup(childName(plan.name, "rg"), {
            description: `HaRedis ${plan.name}`,
            engine: plan.engine,
            engineVersion: plan.engineVersion,
            nodeType: AWS_NODE_TYPES[plan.size],
            port: plan.port,
            ...placement(plan),
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [securityGroup.id],
            atRestEncryptionEnabled: true,
            kmsKeyId: key.arn,
            transitEncryptionEnabled: true,
            authToken: token.result,
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: plan.backupRetentionDays,
            snapshotWindow: SNAPSHOT_WINDOW,
            maintenanceWindow: MAINTENANCE_WINDOW,
            finalSnapshotIdentifier: plan.finalSnapshotName,
            snapshotName: plan.restoreFromSnapshot,
            tags: tags(plan.name),
        }, {
            ...opts,
            protect: plan.deletionProtection,
            // A restore applies only at creation: a later change of the restore key must not replace a live cache.
            // Both attributes force a new group: a cache created before it had a project key keeps the AWS-managed
            // one (the key is used from the next creation on, e.g. the next spin-up) instead of being replaced.
            ignoreChanges: ["snapshotName", "kmsKeyId"],
        });

        const host = plan.clustered ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        const endpoints = plan.clustered
            ? [group.configurationEndpointAddress]
            : [group.primaryEndpointAddress, group.readerEndpointAddress];
        const connection = pulumi.all([host, ...endpoints]).apply(([primary, ...all]) => ({
            host: primary, endpoints: all.map((h) => `${h}:${plan.port}`), port: plan.port, tls: true, authMechanism: "password",
        }));
        return {
            connection,
            credentials: redisCredentials(connection, "", token.result),
            resourceId: group.id,
            encryptionKeyArn: key.arn,
        };
    }

    /**
     * The cache's own key instead of the AWS-managed `aws/elasticache` key: used only through ElastiCache by
     * this account's principals. Its snapshots (the final one included) are encrypted with it and outlive the
     * cache, so the key is retained when the cache is deleted and adopted by the next creation that restores
     * one (`encryptionKeyId`); "to restore from an encrypted backup you need access to its key".
     */
    private key(plan: RedisPlan, tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions): kms.Key {
        const name = childName(plan.name, "key");
        return projectKey(name, {
            description: `Encrypts the ${plan.name} ElastiCache replication group and its snapshots`,
            scope: keyScope(opts),
            use: { viaServices: ["elasticache"] },
            tags: tags(name),
        }, {
            ...opts,
            retainOnDelete: true,
            protect: plan.deletionProtection,
            import: plan.encryptionKeyId,
            // Import compares the program's inputs with the key's state; these two are never read back from KMS.
            ignoreChanges: ["deletionWindowInDays", "bypassPolicyLockoutSafetyCheck"],
        });
    }

    /**
     * A security group admitting only the allowed CIDRs and groups, only on the Redis port, with no
     * egress at all (the cache initiates no connections). Rules are inline so that a client list
     * change is one update of one resource, with no rule names derived from list positions.
     */
    private securityGroup(plan: RedisPlan, inputs: HaRedisInputs, tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
        const name = childName(plan.name, "sg");
        const rule = { protocol: "tcp", fromPort: plan.port, toPort: plan.port };
        const sources = [...inputs.allowedClientSecurityGroupIds];
        return new ec2.SecurityGroup(name, {
            vpcId: inputs.networkId,
            description: `Clients of ${plan.name}`,
            ingress: [
                ...(plan.allowedClientCidrs.length > 0 ? [{ ...rule, cidrBlocks: [...plan.allowedClientCidrs], description: "Redis from client ranges" }] : []),
                ...(sources.length > 0 ? [{ ...rule, securityGroups: sources, description: "Redis from client security groups" }] : []),
            ],
            egress: [],
            tags: tags(name),
        }, opts);
    }
}

/**
 * Where the nodes go. One shard: cluster mode off, `numCacheClusters` nodes with one preferred AZ
 * each (the two lists must be the same length; the first AZ gets the primary). More shards:
 * cluster mode on, each node group with its primary and replica AZs, and the engine's
 * `cluster.on` default parameter group, which cluster mode requires.
 */
function placement(plan: RedisPlan): Partial<elasticache.ReplicationGroupArgs> {
    if (!plan.clustered) {
        const shard = plan.shards[0];
        const azs = [shard.primaryZone, ...shard.replicaZones];
        return { numCacheClusters: azs.length, preferredCacheClusterAzs: azs };
    }
    return {
        clusterMode: "enabled",
        parameterGroupName: plan.clusterParameterGroupName,
        numNodeGroups: plan.shards.length,
        replicasPerNodeGroup: plan.replicasPerShard,
        nodeGroupConfigurations: plan.shards.map((s) => ({
            nodeGroupId: s.id,
            primaryAvailabilityZone: s.primaryZone,
            replicaAvailabilityZones: [...s.replicaZones],
            replicaCount: s.replicaZones.length,
        })),
    };
}
