/**
 * `intergalactic:cluster`: the KubernetesCluster of the stack. Absent keys take
 * the component's defaults (private API endpoint, 1 to 5 medium workers per
 * zone); range checks against the clouds' limits happen in the component.
 */
import { SIZES, Size } from "../../components/common/size";
import { ClusterDefaults, MAX_NODES_PER_GROUP } from "../../components/kubernetes/layout";
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
        logRetentionDays: obj.integer("logRetentionDays", ClusterDefaults.logRetentionDays, 1, CLOUDWATCH_MAX_RETENTION_DAYS),
    };
    obj.rejectUnknownKeys();
    return config;
}
