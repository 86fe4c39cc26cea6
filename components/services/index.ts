/**
 * The services module (`intergalactic-infra/services`): CookieServices, the service specs and the cookie pipeline.
 * Loads `@pulumi/kubernetes` on import; a cloud SDK only when a CookieServices is built.
 */
export { CookieServices } from "./cookieServices";
export type { CookieServicesArgs, CookieServicesAzureArgs, DataStoreConnectionArgs } from "./cookieServices";
export { DataStoreKind } from "./serviceSpec";
export type { ServiceSpec } from "./serviceSpec";
export type { ForwardCacheArgs, ForwardCacheAwsArgs, ServiceMeshArgs, ServicesIngressArgs, ServicesIngressAwsArgs, ServicesIngressAzureArgs } from "./edgePlan";
export { CookieTopics, cookiePipeline, pipelineTopics } from "./cookiePipeline";
