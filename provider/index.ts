/**
 * The component provider entry point for `pulumi package add`. Pulumi's Node.js
 * plugin host loads this module, finds the exported component classes and
 * serves them (schema inferred from their args interfaces and TSDoc) to
 * programs in any Pulumi language. The package is named `intergalactic` so the
 * schema's tokens are the components' own `intergalactic:index:<Class>`.
 *
 * Only the component classes are exported: every exported ComponentResource
 * becomes a resource of the schema. Each is imported from its own file, where
 * the schema inference reads its args interface and TSDoc.
 */
export { Vpc3Az } from "../components/network/vpc3az";
export { BastionHost } from "../components/bastion/bastionHost";
export { HaRedis } from "../components/redis/haRedis";
export { HaMongo } from "../components/mongo/haMongo";
export { KafkaQuorum } from "../components/kafka/kafkaQuorum";
export { KubernetesCluster } from "../components/kubernetes/kubernetesCluster";
export { CookieServices } from "../components/services/cookieServices";
export { GlobalEntry } from "../components/entry/globalEntry";
