/**
 * The services module (`intergalactic-infra/services`): CookieServices, the service specs and the cookie pipeline.
 * Loads `@pulumi/kubernetes` on import; a cloud SDK only when a CookieServices is built.
 */
export { CookieServices } from "./cookieServices";
export type { CookieServicesArgs, DataStoreConnectionArgs } from "./cookieServices";
export { DataStoreKind } from "./serviceSpec";
export type { ServiceSpec } from "./serviceSpec";
export type { ForwardCacheArgs, ServiceMeshArgs, ServicesIngressArgs } from "./edgePlan";
export { CookieTopics, cookiePipeline, pipelineTopics } from "./cookiePipeline";
