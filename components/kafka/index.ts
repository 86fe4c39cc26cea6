/** The event module (`intergalactic-infra/kafka`): KafkaQuorum, its topics and authentication enum. Loads no cloud SDK until a KafkaQuorum is built. */
export { KafkaQuorum } from "./kafkaQuorum";
export type { KafkaQuorumArgs, KafkaTopic } from "./kafkaQuorum";
export { KAFKA_AUTHENTICATIONS, KafkaAuthentication, KafkaDefaults, MSK_MAX_BROKERS, MSK_REGIONS_WITHOUT_STORAGE_AUTO_SCALING, MSK_STORAGE_GIB } from "./layout";
export { authenticationProblem, unservedAuthentication } from "./kafkaPlan";
export type { KafkaTopicInput } from "./kafkaPlan";
