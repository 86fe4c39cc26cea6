/**
 * `intergalactic:cluster`: the KubernetesCluster of the stack. Absent keys take
 * the component's defaults (private API endpoint, 1 to 5 medium workers per
 * zone); range checks against the clouds' limits happen in the component.
 */
import { Cloud, PerCloud, Problems, Size, SIZES } from "../../components/common";
import { ClusterDefaults, MAX_NODES_PER_GROUP, PrincipalType } from "../../components/kubernetes";
import { CLOUDWATCH_MAX_RETENTION_DAYS } from "./limits";
import { ConfigObject } from "./reader";

export interface ClusterConfig {
    /** False leaves the cluster out of the stack. */
    readonly enabled: boolean;
    /** The component's name. */
    readonly name: string;
    readonly kubernetesVersion: string;
    readonly nodeSize: Size;
    readonly minNodesPerZone: number;
    readonly maxNodesPerZone: number;
    /** Public ranges allowed to reach the API server; empty keeps it private. */
    readonly publicEndpointCidrs: readonly string[];
    /** In-network ranges allowed to reach the private API endpoint; undefined: the whole network. */
    readonly privateEndpointCidrs?: readonly string[];
    /** AWS: IAM role/user ARNs given cluster-admin access entries (the deployers and operators). */
    readonly adminPrincipalArns: readonly string[];
    /** Azure: the deployer's principal type; undefined derives it from the signed-in client. */
    readonly deployerPrincipalType?: PrincipalType;
    readonly logRetentionDays: number;
}

/** The larger of the clouds' node-group limits; the component checks the stack's own cloud. */
const MAX_NODES = Math.max(...Object.values(MAX_NODES_PER_GROUP));

export function parseCluster(obj: ConfigObject): ClusterConfig {
    const config: ClusterConfig = {
        enabled: obj.boolean("enabled", true),
        name: obj.string("name", "cluster"),
        kubernetesVersion: obj.string("kubernetesVersion", ClusterDefaults.kubernetesVersion),
        nodeSize: obj.string("nodeSize", ClusterDefaults.nodeSize, SIZES),
        minNodesPerZone: obj.integer("minNodesPerZone", ClusterDefaults.minNodesPerZone, 0, MAX_NODES),
        maxNodesPerZone: obj.integer("maxNodesPerZone", ClusterDefaults.maxNodesPerZone, 1, MAX_NODES),
        publicEndpointCidrs: obj.stringList("publicEndpointCidrs", []),
        privateEndpointCidrs: obj.has("privateEndpointCidrs") ? obj.stringList("privateEndpointCidrs", []) : undefined,
        adminPrincipalArns: obj.stringList("adminPrincipalArns", []),
        deployerPrincipalType: obj.has("deployerPrincipalType")
            ? obj.string<PrincipalType>("deployerPrincipalType", PrincipalType.User, Object.values(PrincipalType))
            : undefined,
        logRetentionDays: obj.integer("logRetentionDays", ClusterDefaults.logRetentionDays, 1, CLOUDWATCH_MAX_RETENTION_DAYS),
    };
    obj.rejectUnknownKeys();
    return config;
}

/**
 * How the deployer reaches the Kubernetes API on a first up. The same program creates the network and
 * then Kubernetes objects, so the deployer (a laptop, the CI runner) is outside the network: the API
 * needs a public endpoint limited to the deployer's declared egress ranges, and on EKS the deployer's
 * IAM principal needs an access entry. A stack that deploys Kubernetes objects must declare both; the
 * offline plan's deployability analysis checks the same on the plan graph.
 */
export function checkDeployerReach(cloud: Cloud, cluster: ClusterConfig, servicesEnabled: boolean): void {
    const problems = new Problems("stack config");
    checkReach(problems, cloud, cluster, servicesEnabled);
    problems.throwIfAny();
}

function checkReach(problems: Problems, cloud: Cloud, cluster: ClusterConfig, servicesEnabled: boolean): void {
    if (!cluster.enabled) return;
    const deploysObjects = REACH[cloud].alwaysDeploysObjects || servicesEnabled;
    if (!deploysObjects) return;
    problems.check(cluster.publicEndpointCidrs.length > 0, "intergalactic:cluster.publicEndpointCidrs", [...cluster.publicEndpointCidrs],
        "must list the deployers' public egress ranges (operators, the CI runner): the stack deploys Kubernetes objects, and a first up runs from outside the network, which cannot reach a private API endpoint");
    if (REACH[cloud].needsAccessEntries) {
        problems.check(cluster.adminPrincipalArns.length > 0, "intergalactic:cluster.adminPrincipalArns", [...cluster.adminPrincipalArns],
            "must list the IAM roles that deploy (CI and operators): EKS grants Kubernetes access only through access entries, and the creator's implicit admin would cover whoever happened to run the first up");
    }
}

/** Per cloud, what a deployer needs to reach the cluster's API. */
const REACH: PerCloud<{ readonly alwaysDeploysObjects: boolean; readonly needsAccessEntries: boolean }> = {
    // EKS always gets the load balancer controller and autoscaler charts, and grants access only through access entries.
    aws: { alwaysDeploysObjects: true, needsAccessEntries: true },
    // AKS objects come with the services; the deploying identity gets its AKS RBAC role assignment.
    azure: { alwaysDeploysObjects: false, needsAccessEntries: false },
};
