/**
 * HaMongo on AWS: an Amazon DocumentDB cluster with one instance per zone (or
 * more, round-robin), storage encrypted with its own KMS key, TLS enforced and
 * audit/profiler logs enabled through a cluster parameter group, a subnet group
 * over the data subnets and a security group that admits only the given clients.
 */
import * as docdb from "@pulumi/aws/docdb";
import * as ec2 from "@pulumi/aws/ec2";
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NOTHING_KEPT, RestoreSourceKind } from "../common/dataStore";
import { keyScope, projectKey } from "../common/kms.aws";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { documentDbCredentials } from "./credentials";
import { HaMongoImplementation, HaMongoInputs, HaMongoResources } from "./haMongo";
import { DocDbLimits } from "./layout";
import { MongoPlan } from "./mongoPlan";

/**
 * Cluster parameters. `tls` is static (applied when instances start, so `pending-reboot`);
 * the log switches are dynamic. The log exports on the cluster ship nothing unless
 * `audit_logs` and `profiler` are enabled here as well.
 */
const CLUSTER_PARAMETERS = [
    { name: "tls", value: "enabled", applyMethod: "pending-reboot" },
    { name: "audit_logs", value: "enabled", applyMethod: "immediate" },
    { name: "profiler", value: "enabled", applyMethod: "immediate" },
    { name: "profiler_threshold_ms", value: "200", applyMethod: "immediate" },
];

/** Password characters: DocumentDB forbids `/`, `"`, `@` and space; the rest of these need no quoting in most shells. */
const PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>:?~.";

/** UTC windows that do not overlap, as DocumentDB requires: backups first, then maintenance. */
const BACKUP_WINDOW = "02:00-03:00";
const MAINTENANCE_WINDOW = "sun:03:30-sun:04:30";

type TagsFor = (name: string, extra?: Tags) => Tags;

/** The resources the cluster is built on. */
interface ClusterFoundation {
    readonly key: kms.Key;
    readonly subnetGroup: docdb.SubnetGroup;
    readonly securityGroup: ec2.SecurityGroup;
    readonly parameterGroup: docdb.ClusterParameterGroup;
    /** None for a secondary: its users are the primary's. */
    readonly password?: random.RandomPassword;
}

export class AwsHaMongo implements HaMongoImplementation {
    build(parent: pulumi.Resource, plan: MongoPlan, inputs: HaMongoInputs): HaMongoResources {
        const opts = { parent };
        const tags: TagsFor = (name, extra = {}) =>
            mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: "data", ...extra });

        const foundation = this.foundation(plan, inputs, tags, opts);
        const cluster = this.cluster(plan, foundation, inputs.replicaOf, tags, opts);
        const instances = plan.instances.map((spec) => new docdb.ClusterInstance(spec.name, {
            clusterIdentifier: cluster.id,
            engine: "docdb",
            instanceClass: plan.instanceClass,
            availabilityZone: spec.zone,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            preferredMaintenanceWindow: MAINTENANCE_WINDOW,
            copyTagsToSnapshot: true,
            tags: tags(spec.name, { [TagKeys.Zone]: spec.zone }),
        }, opts));
        const global = plan.globalClusterIdentifier === undefined ? undefined : globalCluster(plan, plan.globalClusterIdentifier, cluster, instances, opts);

        // The endpoints resolve only once an instance is up, so consumers wait for all of them.
        const ready = pulumi.all(instances.map((i) => i.id));
        const endpoint = pulumi.all([cluster.endpoint, cluster.readerEndpoint, ready]).apply(([writer, reader]) => ({ writer, reader }));
        return {
            connection: endpoint.apply(({ writer, reader }) => ({
                host: writer,
                endpoints: [`${writer}:${DocDbLimits.port}`, `${reader}:${DocDbLimits.port}`],
                port: DocDbLimits.port,
                tls: true,
                authMechanism: "SCRAM-SHA-1",
            })),
            // A secondary has no users of its own: its clients sign in with the primary's credentials.
            credentials: pulumi.secret(foundation.password === undefined
                ? pulumi.output({ username: plan.masterUsername, password: "", connectionString: "" })
                : pulumi.all([endpoint, foundation.password.result]).apply(([{ writer }, secret]) =>
                    documentDbCredentials(plan.masterUsername, plan.databaseName, writer, secret))),
            resourceId: cluster.arn,
            replicationSource: global ? global.id : pulumi.output(""),
            // The member the provider last read as the writer (@pulumi/aws docdb/globalCluster.d.ts, globalClusterMembers).
            replicationWriter: global ? global.globalClusterMembers.apply((members) => members.find((m) => m.isWriter)?.dbClusterArn ?? "") : pulumi.output(""),
            replicationMembers: global ? global.globalClusterMembers.apply((members) => members.map((m) => m.dbClusterArn)) : pulumi.output([]),
            // A secondary's restore source is its primary's: the scheduler restores the primary, which the copies follow.
            restoreSource: plan.finalSnapshotName === undefined || plan.replica ? pulumi.output(NOTHING_KEPT) : foundation.key.arn.apply((arn) => ({
                kind: RestoreSourceKind.DocDbClusterSnapshot,
                snapshot: plan.finalSnapshotName!,
                encryptionKeyArn: arn,
                needsPointInTime: false,
                // A final snapshot stays until someone deletes it.
                restorableForDays: 0,
            })),
        };
    }

    private foundation(plan: MongoPlan, inputs: HaMongoInputs, tags: TagsFor, opts: pulumi.CustomResourceOptions): ClusterFoundation {
        // DocumentDB uses the key through the RDS service endpoint (it shares RDS's storage encryption).
        const key = projectKey(childName(plan.name, "key"), {
            description: `Encrypts the storage, backups and snapshots of the ${plan.name} DocumentDB cluster`,
            scope: keyScope(opts),
            use: { viaServices: ["rds"] },
            tags: tags(childName(plan.name, "key")),
        }, {
            ...opts,
            // The final snapshot outlives the cluster and is encrypted with this key: a destroy that scheduled the
            // key for deletion would make the next restore fail and, after the window, the snapshot unreadable.
            // "To restore a cluster from an encrypted snapshot, you must have access to the AWS KMS key."
            // (https://docs.aws.amazon.com/documentdb/latest/devguide/backup_restore-restore_from_snapshot.html)
            retainOnDelete: true,
            protect: plan.deletionProtection,
            // The next spin-up adopts the retained key instead of creating another. Import compares the program's
            // inputs with the key's state; these two are never read back from KMS, so they are left out of the diff.
            import: plan.encryptionKeyId,
            ignoreChanges: ["deletionWindowInDays", "bypassPolicyLockoutSafetyCheck"],
        });
        const subnetGroup = new docdb.SubnetGroup(childName(plan.name, "subnets"), {
            description: `Data-tier subnets of ${plan.name}`,
            subnetIds: [...inputs.subnetIds],
            tags: tags(childName(plan.name, "subnets")),
        }, opts);
        const parameterGroup = new docdb.ClusterParameterGroup(childName(plan.name, "params"), {
            family: plan.parameterGroupFamily,
            description: `TLS and audit logging for ${plan.name}`,
            parameters: CLUSTER_PARAMETERS,
            tags: tags(childName(plan.name, "params")),
        }, opts);
        const password = plan.replica ? undefined : new random.RandomPassword(childName(plan.name, "master-password"), {
            length: 32,
            special: true,
            overrideSpecial: PASSWORD_SPECIALS,
            minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 1,
        }, opts);
        return { key, subnetGroup, securityGroup: this.securityGroup(plan, inputs, tags, opts), parameterGroup, password };
    }

    private cluster(
        plan: MongoPlan, foundation: ClusterFoundation, replicaOf: pulumi.Input<string> | undefined, tags: TagsFor, opts: pulumi.CustomResourceOptions,
    ): docdb.Cluster {
        const secondary = replicaOf !== undefined;
        return new docdb.Cluster(childName(plan.name, "cluster"), {
            engine: "docdb",
            engineVersion: plan.engineVersion,
            // A secondary joins the global cluster with the primary's users; DocumentDB refuses a master user for it.
            masterUsername: secondary ? undefined : plan.masterUsername,
            masterPassword: foundation.password?.result,
            globalClusterIdentifier: replicaOf,
            // The cluster volume is replicated over three zones and AWS reports three; a list that differs
            // from what AWS reports makes the provider replace the cluster (the attribute forces a new one).
            availabilityZones: plan.zones.slice(0, 3),
            dbSubnetGroupName: foundation.subnetGroup.name,
            dbClusterParameterGroupName: foundation.parameterGroup.name,
            vpcSecurityGroupIds: [foundation.securityGroup.id],
            port: DocDbLimits.port,
            storageEncrypted: true,
            kmsKeyId: foundation.key.arn,
            backupRetentionPeriod: plan.backupRetentionDays,
            preferredBackupWindow: BACKUP_WINDOW,
            preferredMaintenanceWindow: MAINTENANCE_WINDOW,
            deletionProtection: plan.deletionProtection,
            // A secondary takes its final snapshot like any prod cluster: a copy of the data, never less protection.
            skipFinalSnapshot: plan.finalSnapshotName === undefined,
            finalSnapshotIdentifier: plan.finalSnapshotName,
            snapshotIdentifier: plan.restoreFromSnapshot,
            enabledCloudwatchLogsExports: ["audit", "profiler"],
            tags: tags(childName(plan.name, "cluster")),
        }, {
            ...opts,
            protect: plan.deletionProtection,
            // A restore applies only at creation: a later change of the restore key (or of the key adopted for it)
            // must not replace a live cluster; both attributes force a new cluster. A primary that a global cluster
            // was created from reads back the global cluster's id, which the program does not set: without ignoring
            // it every next up would remove the cluster from its global cluster (the provider's documented pattern for
            // sourceDbClusterIdentifier, @pulumi/aws docdb.GlobalCluster "New Global Cluster From Existing DB Cluster").
            // Always, on primaries and secondaries alike: going back to one region must not detach the primary in an update
            // before the protected secondary's delete is refused, and a secondary that a failover detached and promoted must
            // not be re-added by the next up, which the provider refuses (its cluster update cannot add an existing cluster
            // to a global cluster). Joining or leaving a global cluster is its own step: the GlobalCluster resource.
            ignoreChanges: ["snapshotIdentifier", "kmsKeyId", "globalClusterIdentifier"],
        });
    }

    private securityGroup(plan: MongoPlan, inputs: HaMongoInputs, tags: TagsFor, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
        const name = childName(plan.name, "sg");
        return new ec2.SecurityGroup(name, {
            vpcId: inputs.networkId,
            description: `MongoDB clients of ${plan.name}`,
            ingress: [{
                description: "MongoDB wire protocol from the allowed clients",
                protocol: "tcp",
                fromPort: DocDbLimits.port,
                toPort: DocDbLimits.port,
                cidrBlocks: [...plan.allowedClientCidrs],
                securityGroups: [...inputs.allowedClientSecurityGroupIds],
            },
            // The other stamps' app subnets, across the peering: by range, since a group of a peer VPC in another
            // region cannot be named (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
            // A block of its own, told apart by its description. AWS aggregates both per port; the provider reads the
            // aggregate back into the configured blocks (internal/service/ec2/vpc_security_group.go, matchRules), so the
            // next up shows no diff, and applies only the single rules that changed (securityGroupExpandRules,
            // hashicorp/terraform-provider-aws#4726), so adding a region does not revoke the local clients' rule.
            ...(plan.peerClientCidrs.length > 0 ? [{
                description: "MongoDB wire protocol from clients in peered networks",
                protocol: "tcp",
                fromPort: DocDbLimits.port,
                toPort: DocDbLimits.port,
                cidrBlocks: [...plan.peerClientCidrs],
            }, {
                // Path MTU discovery across the peering: an inter-region peering carries at most 8500 bytes and drops a
                // larger packet with Don't Fragment set (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html),
                // while the clients' pods and the instances send up to 9001 (the VPC CNI's default MTU, aws/amazon-vpc-cni-k8s
                // README, POD_MTU and AWS_VPC_ENI_MTU). A large reply then needs the ICMP "fragmentation needed" message
                // (type 3, code 4, https://docs.aws.amazon.com/vpc/latest/userguide/path_mtu_discovery.html) to reach the
                // instance, or it is lost and the connection hangs. ICMP's port fields are its type and code (@pulumi/aws
                // types SecurityGroupIngress fromPort/toPort). Admitted from the peered clients' ranges only.
                description: "ICMP fragmentation needed from peered networks (path MTU discovery)",
                protocol: "icmp",
                fromPort: 3,
                toPort: 4,
                cidrBlocks: [...plan.peerClientCidrs],
            }] : [])],
            // DocumentDB never opens connections itself, so the group allows no egress at all.
            egress: [],
            tags: tags(name),
        }, opts);
    }
}

/**
 * The DocumentDB global cluster made from the existing primary (`sourceDbClusterIdentifier`), so its data and
 * identity stay: creating the global cluster first and the primary into it would be a new, empty cluster.
 * Engine and version come from the source cluster and are not given. Destroy runs in dependency order: each
 * secondary (which names this global cluster) goes first, as DocumentDB refuses to delete a primary that still has
 * secondaries (hashicorp/terraform-provider-aws#26236), then the global cluster, then the primary. With
 * deletion protection it is protected and refuses deletion itself.
 */
function globalCluster(
    plan: MongoPlan, identifier: string, cluster: docdb.Cluster, instances: docdb.ClusterInstance[], opts: pulumi.CustomResourceOptions,
): docdb.GlobalCluster {
    return new docdb.GlobalCluster(childName(plan.name, "global"), {
        globalClusterIdentifier: identifier,
        sourceDbClusterIdentifier: cluster.arn,
        deletionProtection: plan.deletionProtection,
    }, {
        ...opts,
        // The source must be available, with its instances, before it can become a primary.
        dependsOn: instances,
        protect: plan.deletionProtection,
        // DocumentDB has no API that reads the source back (the argument's documented limitation): only creation uses it.
        ignoreChanges: ["sourceDbClusterIdentifier"],
        // The provider waits 5 minutes by default (terraform-provider-aws internal/service/docdb/global_cluster.go,
        // Timeouts); turning a live cluster into a primary can take longer, and a timed-out create leaves the global
        // cluster made but the up failed. The secondary cluster keeps the provider's 120-minute create (cluster.go).
        customTimeouts: { create: "30m" },
    });
}
