/** The cluster module (`intergalactic-infra/kubernetes`): KubernetesCluster. Loads no cloud SDK until a KubernetesCluster is built. */
export { KubernetesCluster } from "./kubernetesCluster";
export type { KubernetesClusterArgs } from "./kubernetesCluster";
export { AKS_POD_CIDR, ClusterDefaults, MAX_NODES_PER_GROUP, NodeCounts, PoolPower } from "./layout";
export { PrincipalType } from "./clusterPlan";
export { KEY_VAULT_ID } from "./ingressKeyVaults";
