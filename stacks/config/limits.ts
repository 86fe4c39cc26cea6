/**
 * Upper bounds of config values that have no single component limit to borrow. Each bounds a
 * count that would otherwise let one typo plan millions of resources or hang the plan.
 */

/**
 * The shortest log retention (days) a prod stack keeps for flow, control-plane and broker logs:
 * investigating an incident reaches back at least a quarter (PCI DSS 10.5.1 keeps three months
 * immediately available). CloudWatch offers 90 as a retention period.
 */
export const PROD_MIN_LOG_RETENTION_DAYS = 90;
/** What a prod stack keeps its logs for when it does not say: a year. */
export const PROD_LOG_RETENTION_DAYS = 365;

/** CloudWatch Logs' longest retention period (10 years): every log retention key stops there. */
export const CLOUDWATCH_MAX_RETENTION_DAYS = 3653;

/**
 * Partitions of one topic. Event Hubs Premium takes at most 100 per event hub; Kafka has no
 * per-topic limit, but MSK recommends at most 4000 partition replicas per broker
 * (https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html), so 60 brokers
 * hold well under 10000 partitions of a replicated topic.
 */
export const MAX_TOPIC_PARTITIONS = 10_000;

/** A topic keeps messages at most 10 years (Event Hubs Premium: 90 days, checked by KafkaQuorum). */
export const MAX_TOPIC_RETENTION_HOURS = 10 * 366 * 24;

/**
 * Tags a stack may add to every resource: AWS allows 50 per resource
 * (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html), Azure 50; the components
 * add `Name` and up to three `intergalactic:*` tags of their own.
 */
export const MAX_USER_TAGS = 46;

/** Replicas of one service: a bound for the autoscaler far above any cluster here (450 nodes per group). */
export const MAX_SERVICE_REPLICAS = 1000;
