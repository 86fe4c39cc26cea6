/**
 * Stack configuration: read once, validated up front, into one typed object.
 * Stacks read config here and nowhere else; components only take args.
 *
 * A wrong or missing key fails with every problem listed, each naming the key,
 * the value and what is allowed.
 */
import { Cloud, CLOUDS, PerCloud, Problems } from "../../components/common";
import { BastionConfig, parseBastion } from "./bastion";
import { ClusterConfig, parseCluster } from "./cluster";
import { KafkaConfig, parseKafka } from "./kafka";
import { MongoConfig, parseMongo } from "./mongo";
import { NetworkConfig, parseNetwork } from "./network";
import { compareInventories } from "./dataLoss";
import { guardInput } from "./inventory";
import { checkCloudOnlyKeys, checkProviderKeys } from "./keys";
import { checkDataLifetime } from "./dataLifetime";
import { checkImagePinning } from "./images";
import { checkCertificateRegions } from "./certificates";
import { GlobalEntryConfig, checkGlobalEntry, parseGlobalEntry } from "./globalEntry";
import { ConfigObject } from "./reader";
import { RedisConfig, parseRedis } from "./redis";
import { AWS_REGIONS, AWS_REGION_PATTERN, AZURE_ZONE_REGIONS } from "./regions";
import { ServicesConfig, parseServices } from "./services";
import { SnapshotsConfig, parseSnapshots } from "./snapshots";
import { ScheduleConfig, parseSchedule } from "./schedule";
import { Stamp, checkStampProviderKeys, planStamps } from "./stamps";
import { checkStackRules } from "./stackRules";
import { MAX_USER_TAGS } from "./limits";

/** The kind of environment a stack is; it picks the safe defaults (deletion protection, retention). */
export const Environment = {
    /** Short-lived, may be torn down by the scheduler; smaller sizes, shorter retention. */
    Dev: "dev",
    /** Long-lived and protected: deletion protection, final snapshots, longer retention. */
    Prod: "prod",
} as const;
export type Environment = (typeof Environment)[keyof typeof Environment];
export const ENVIRONMENTS: readonly Environment[] = [Environment.Dev, Environment.Prod];

/** The project's config namespace (the project name in Pulumi.yaml). */
export const NAMESPACE = "intergalactic";

export interface StackConfig {
    readonly cloud: Cloud;
    readonly environment: Environment;
    /** `aws:region` or `azure-native:location`. */
    readonly region: string;
    /**
     * `intergalactic:regions`: one stamp per region, the stack's own region first (it keeps today's
     * names and the default provider); a stack without the key is one stamp in its own region.
     */
    readonly stamps: readonly Stamp[];
    readonly tags: Readonly<Record<string, string>>;
    readonly network: NetworkConfig;
    readonly bastion: BastionConfig;
    readonly snapshots: SnapshotsConfig;
    readonly cluster: ClusterConfig;
    /** When the scheduler keeps the stack up; read by `npm run schedule`; the program reads only its `mode`. */
    readonly schedule: ScheduleConfig;
    readonly redis: RedisConfig;
    readonly kafka: KafkaConfig;
    readonly mongo: MongoConfig;
    readonly services: ServicesConfig;
    /** `intergalactic:globalEntry`: the public host in front of the stamps (stacks/config/globalEntry.ts). */
    readonly globalEntry: GlobalEntryConfig;
    /**
     * Store names whose loss this prod config accepts (`intergalactic:dataLossOverride`): without one,
     * a prod stack refuses to remove, rename or re-network a store or to turn off its protection.
     */
    readonly dataLossOverride: readonly string[];
}

/**
 * Parses the full config map a Pulumi program sees (`namespace:key -> string`). `stack` (the stack's
 * name) lets the prod data-loss guard judge a prod-named stack whatever its `environment` says.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, stack = ""): StackConfig {
    const problems = new Problems("stack config");
    const root = ConfigObject.namespace(NAMESPACE, raw, problems);
    const required = <T extends string>(name: string, allowed: readonly T[]): T => {
        if (!root.has(name)) problems.add(`${NAMESPACE}:${name}: missing: set it to one of ${allowed.join(", ")}`);
        return root.string<T>(name, allowed[0], allowed);
    };

    const cloud = required("cloud", CLOUDS);
    const environment = required("environment", ENVIRONMENTS);
    const region = parseRegion(raw, cloud, problems);
    const network = parseNetwork(root.object("network"), environment === Environment.Prod);
    const config: StackConfig = {
        cloud,
        environment,
        region,
        stamps: planStamps({ cloud, environment, region, regions: root.stringList("regions", []), cidrBlock: network.cidrBlock }, problems),
        tags: root.stringMap("tags", MAX_USER_TAGS),
        network,
        bastion: parseBastion(root.object("bastion")),
        snapshots: parseSnapshots(root.object("snapshots")),
        cluster: parseCluster(root.object("cluster")),
        schedule: parseSchedule(root.object("schedule")),
        redis: parseRedis(root.object("redis")),
        kafka: parseKafka(root.object("kafka"), environment === Environment.Prod, cloud),
        mongo: parseMongo(root.object("mongo"), environment, cloud),
        services: parseServices(root.object("services"), root.has("services")),
        globalEntry: parseGlobalEntry(root.object("globalEntry"), root.has("globalEntry")),
        dataLossOverride: root.stringList("dataLossOverride", []),
    };
    root.rejectUnknownKeys();
    checkProviderKeys(raw, NAMESPACE, cloud, problems);
    checkCloudOnlyKeys(root, cloud, problems);
    checkStampProviderKeys(raw, cloud, config.stamps, problems);
    // Cross-section rules read parsed values; on a broken section they would only repeat its problems.
    if (problems.count === 0) {
        checkStackRules(config, problems);
        checkDataLifetime(config, problems);
        checkImagePinning(config, problems);
        checkCertificateRegions(config, problems);
        checkGlobalEntry(config, problems);
    }
    // The guard's config-only rules; what was deployed before is compared by the program (stacks/dataGuard.ts).
    compareInventories(guardInput(stack, config)).forEach((p) => problems.add(p));
    problems.throwIfAny();
    return config;
}

function parseRegion(raw: Readonly<Record<string, string>>, cloud: Cloud, problems: Problems): string {
    return REGION_PARSERS[cloud](raw, problems);
}

/** Per cloud, the provider key that holds the stack's region and what it accepts. */
const REGION_PARSERS: PerCloud<(raw: Readonly<Record<string, string>>, problems: Problems) => string> = {
    aws: (raw, problems) => {
        const region = raw["aws:region"];
        if (region === undefined) problems.add("aws:region: missing: an aws stack needs a region, e.g. us-east-1");
        else if (problems.check(AWS_REGION_PATTERN.test(region), "aws:region", region, "is not an AWS region name such as us-east-1")) {
            problems.check(AWS_REGIONS.includes(region), "aws:region", region, `is not an AWS region: use one of ${AWS_REGIONS.join(", ")}`);
        }
        return region ?? "";
    },
    azure: (raw, problems) => {
        const location = raw["azure-native:location"];
        if (location === undefined) problems.add("azure-native:location: missing: an azure stack needs a location, e.g. westeurope");
        else problems.check(AZURE_ZONE_REGIONS.includes(location), "azure-native:location", location,
            `is not an Azure region with availability zones: use one of ${AZURE_ZONE_REGIONS.join(", ")}`);
        return location ?? "";
    },
};
