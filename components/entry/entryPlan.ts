/**
 * The GlobalEntry planner: validates the args and turns them into plain data (names, per-region
 * origins, health probing) both implementations build from. Pure.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { childName } from "../common/naming";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";

/** The plain values the planner needs. */
export interface EntryPlanInput {
    cloud: string;
    host?: string;
    /** The origins' regions (the first is the stack's own region). */
    origins: readonly { readonly region: string }[];
    healthPath?: string;
    hostedZoneId?: string;
    /** Whether `azure.resourceGroupName` was given. */
    hasResourceGroup?: boolean;
    tags?: Readonly<Record<string, string>>;
}

/** One region behind the entry. */
export interface EntryOriginPlan {
    readonly region: string;
    /** The name suffix of the region's resources: its region name, so adding one renames none. */
    readonly key: string;
    /** Front Door: the origin's priority; Route 53 needs none (latency picks among the healthy). */
    readonly priority: number;
}

export interface EntryPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly host: string;
    readonly healthPath: string;
    /** AWS: the Route 53 hosted zone that holds `host`. */
    readonly hostedZoneId: string;
    readonly origins: readonly EntryOriginPlan[];
    /** Seconds between two health probes of an origin (Route 53: 10 or 30; Front Door: 1-255). */
    readonly probeIntervalSeconds: number;
    /** Consecutive failed probes before an origin is taken out (Route 53: 1-10). */
    readonly failureThreshold: number;
    /** Seconds a resolver keeps the answer: the floor of the time a failover takes to reach clients. */
    readonly ttlSeconds: number;
    readonly tags: Tags;
}

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** An absolute path of at most 255 characters: a Route 53 health check's ResourcePath limit (docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html). */
const PATH = /^\/[A-Za-z0-9._~\/-]{0,254}$/;

/** Each cloud's own rules: Route 53 writes records into a zone; Front Door serves the host itself. */
const CLOUD_RULES: PerCloud<(problems: Problems, input: EntryPlanInput) => void> = {
    aws: (problems, input) => {
        problems.check(HOSTED_ZONE_ID.test(input.hostedZoneId ?? ""), "aws.hostedZoneId", input.hostedZoneId,
            "is required on aws: the Route 53 hosted zone (Z...) that holds the host's latency records");
    },
    azure: (problems, input) => {
        problems.check(input.hostedZoneId === undefined, "aws.hostedZoneId", input.hostedZoneId, "is for aws only: Front Door serves the host, whose DNS points at its endpoint");
        problems.check(input.hasResourceGroup === true, "azure.resourceGroupName", undefined, "is required on azure: the resource group of the Front Door profile");
    },
};

/** Defaults of GlobalEntry. */
export const EntryDefaults = { healthPath: "/ready", probeIntervalSeconds: 30, failureThreshold: 3, ttlSeconds: 60 } as const;

/** Validates the args and plans the entry; throws one error listing every problem. */
export function planGlobalEntry(name: string, input: EntryPlanInput): EntryPlan {
    const problems = new Problems(`GlobalEntry "${name}"`);
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const host = input.host ?? "";
    const healthPath = input.healthPath ?? EntryDefaults.healthPath;
    problems.check(/^[a-z][a-z0-9-]{0,29}$/.test(name), "name", name, "must be 1-30 lowercase letters, digits or hyphens, starting with a letter");
    problems.check(HOST.test(host), "host", host, "must be the public DNS name the entry serves, e.g. cookies.example.com");
    problems.check(PATH.test(healthPath), "healthPath", healthPath, "must be an absolute URL path of at most 255 characters, such as /ready");
    problems.check(input.origins.length >= 2, "origins", input.origins.map((o) => o.region),
        "must name at least two regions: an entry in front of one region fails over to nothing");
    input.origins.forEach((o, i) => {
        problems.check(input.origins.findIndex((x) => x.region === o.region) === i, `origins[${i}].region`, o.region, "is listed twice: one origin per region");
    });
    if (cloudOk) CLOUD_RULES[cloud](problems, input);
    problems.throwIfAny();
    return {
        name, cloud, host, healthPath,
        hostedZoneId: input.hostedZoneId ?? "",
        // Every origin at one priority: Front Door picks by latency among the healthy, as Route 53's latency records do.
        origins: input.origins.map((o) => ({ region: o.region, key: o.region, priority: 1 })),
        probeIntervalSeconds: EntryDefaults.probeIntervalSeconds,
        failureThreshold: EntryDefaults.failureThreshold,
        ttlSeconds: EntryDefaults.ttlSeconds,
        tags: { ...(input.tags ?? {}) },
    };
}

/** A resource name of the entry for one origin: `<entry>-<base>-<region>`. */
export function originName(plan: Pick<EntryPlan, "name">, base: string, origin: Pick<EntryOriginPlan, "key">): string {
    return childName(plan.name, base, origin.key);
}
