/**
 * The services module (`intergalactic-infra/services`): CookieServices, the service specs and the cookie pipeline.
 * Loads `@pulumi/kubernetes` on import; a cloud SDK only when a CookieServices is built.
 */
import { requireKubernetesSdk } from "../common/cloud";

// Before anything below loads it: @pulumi/kubernetes is an optional peer dependency of the package.
requireKubernetesSdk("intergalactic-infra/services (and the package root, which includes CookieServices)");

export { CookieServices } from "./cookieServices";
export type { CookieServicesArgs, CookieServicesAzureArgs, DataStoreConnectionArgs, DataStoreWriterArgs } from "./cookieServices";
export { DATA_STORE_KINDS, DataStoreKind } from "./serviceSpec";
export type { SecretEnvVar, ServiceSpec } from "./serviceSpec";
export { MAX_CACHE_TTL_SECONDS } from "./edgePlan";
export type { ForwardCacheArgs, ForwardCacheAwsArgs, ServiceMeshArgs, ServicesIngressArgs, ServicesIngressAwsArgs, ServicesIngressAzureArgs } from "./edgePlan";
export { COOKIE_COLLECTIONS, CookieTopics, DEFAULT_REGISTRY, cookiePipeline, pipelineTopics } from "./cookiePipeline";
export { ServicesDefaults } from "./servicesPlan";
export { HOST_NAME_RULE, IMAGE_DIGEST, isHostName } from "./names";
// The provider CookieServices deploys through, made from a KubernetesCluster's kubeconfig (this module loads @pulumi/kubernetes anyway).
export { kubernetesProvider } from "../kubernetes/provider";
