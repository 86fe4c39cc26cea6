/** The event module (`intergalactic-infra/kafka`): KafkaQuorum, its topics and authentication enum. Loads no cloud SDK until a KafkaQuorum is built. */
export { KafkaQuorum } from "./kafkaQuorum";
export type { KafkaQuorumArgs, KafkaTopic } from "./kafkaQuorum";
export { KafkaAuthentication } from "./layout";
