/** The cluster module (`intergalactic-infra/kubernetes`): KubernetesCluster. Loads no cloud SDK until a KubernetesCluster is built. */
export { KubernetesCluster } from "./kubernetesCluster";
export { NodeCounts } from "./layout";
export type { KubernetesClusterArgs } from "./kubernetesCluster";
