/**
 * `intergalactic:regions`: the regions a stack builds a stamp in. A stamp is the whole regional
 * environment (network, bastion, cluster, cache, event bus, services); one stack holds every stamp
 * of an environment. Pure: the program turns each planned stamp into a provider and its tiers.
 *
 * Names are a contract. The first region is the stack's own region (`aws:region`,
 * `azure-native:location`): its stamp keeps the names and the default provider every resource had
 * before regions existed, so listing regions replaces nothing that is deployed. Every other stamp's
 * names end in its region's key (`net-use1`, `cache-eastus2`), never in a list position, so a third
 * region adds resources and renames none.
 */
import { Cloud, PerCloud, Problems } from "../../components/common";
import { cidrContains as contains, cidrSize as size, formatCidr, Ipv4Cidr, mustParseCidr, parseCidr, PRIVATE_RANGES } from "../../components/network";
import { AWS_REGIONS, AZURE_ZONE_REGIONS } from "./regions";
import type { StackConfig } from "./index";

/** One regional stamp of a stack. */
export interface Stamp {
    /** The cloud's region name (`us-east-1`, `eastus2`). */
    readonly region: string;
    /** The stack's own region: today's names and the stack's default provider. */
    readonly primary: boolean;
    /** What ends the stamp's names (`use1`, `eastus2`); "" for the primary stamp. */
    readonly key: string;
    /** The stamp's network: the stack's `network.cidrBlock` for the primary, the next free block of the same size for each next region. */
    readonly cidrBlock: string;
}

/** The regions a cloud offers to a stamp: AWS's region list, Azure's regions with availability zones. */
export const STAMP_REGIONS: PerCloud<readonly string[]> = { [Cloud.Aws]: AWS_REGIONS, [Cloud.Azure]: AZURE_ZONE_REGIONS };

/** The config key that names the stack's own region, per cloud. */
export const REGION_KEY: PerCloud<string> = { [Cloud.Aws]: "aws:region", [Cloud.Azure]: "azure-native:location" };

/**
 * A region's name suffix. AWS: the usual short code (`us-east-1` -> `use1`, `ap-southeast-2` ->
 * `apse2`), short because EKS, ALB and target-group names are length-limited. Azure: the region
 * name itself, which has no separators and is unique.
 */
export const REGION_NAME_KEY: PerCloud<(region: string) => string> = {
    [Cloud.Aws]: (region) => region.split("-").map((part, i, all) => i === all.length - 1 ? part : shortPart(part, i)).join(""),
    [Cloud.Azure]: (region) => region,
};

/** AWS region parts: the geography (`us`, `eu`, `ap`, `us-gov`) stays; a direction is its initials (`southeast` -> `se`, `west` -> `w`). */
function shortPart(part: string, index: number): string {
    if (index === 0 || part === "gov") return part;
    const directions: Record<string, string> = {
        north: "n", south: "s", east: "e", west: "w", central: "c",
        northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
    };
    return directions[part] ?? part;
}

/** The private range a network lies in (regions' blocks may not leave it). */
function privateRangeOf(cidr: Ipv4Cidr): Ipv4Cidr | undefined {
    return PRIVATE_RANGES.map(mustParseCidr).find((range) => contains(range, cidr));
}

/** What a stamp planner reads from the parsed config. */
export interface StampInput {
    readonly cloud: Cloud;
    readonly environment: string;
    /** The stack's own region (`aws:region` / `azure-native:location`). */
    readonly region: string;
    /** `intergalactic:regions` as written; empty when the key is absent (then the stack is its own region only). */
    readonly regions: readonly string[];
    readonly cidrBlock: string;
}

/**
 * Checks `intergalactic:regions` and plans one stamp per region. Rules: each is a region of the
 * stack's cloud, none twice, the first is the stack's own region (its stamp keeps today's names),
 * a dev stack has one, and the regions' consecutive network blocks stay in the private range of
 * `network.cidrBlock`. Problems go into `problems`; the stamps are planned only when there are none.
 */
export function planStamps(input: StampInput, problems: Problems): Stamp[] {
    const key = "intergalactic:regions";
    const regions = input.regions.length > 0 ? input.regions : [input.region];
    const before = problems.count;
    const known = STAMP_REGIONS[input.cloud];
    // A wrong own region is already reported under its own key; the stack fails on it.
    if (!known.includes(input.region)) return [];
    regions.forEach((region, i) => {
        problems.check(known.includes(region), `${key}[${i}]`, region, `is not a region a stamp can use on ${input.cloud}: use one of ${known.join(", ")}`);
        const first = regions.indexOf(region);
        problems.check(first === i, `${key}[${i}]`, region, `repeats ${key}[${first}]: a region holds one stamp`);
    });
    problems.check(regions[0] === input.region, `${key}[0]`, regions[0],
        `must be the stack's own region ${JSON.stringify(input.region)} (${REGION_KEY[input.cloud]}): its stamp keeps the names and provider of what is deployed; list further regions after it`);
    problems.check(input.environment !== "dev" || regions.length === 1, key, regions,
        "must name one region in a dev stack: dev stays in one region (multi-region is for prod)");
    const cidr = parseCidr(input.cidrBlock);
    if (typeof cidr !== "string") {
        const range = privateRangeOf(cidr);
        const room = range ? Math.floor((range.base + size(range) - cidr.base) / size(cidr)) : 1;
        problems.check(regions.length <= room, key, regions,
            `has ${regions.length} regions, but intergalactic:network.cidrBlock ${input.cidrBlock} leaves room for ${room} within ${range ? formatCidr(range) : "its range"}: ` +
            `region i takes the i-th /${cidr.prefix} from it on; use fewer regions or a lower or smaller cidrBlock`);
    }
    // With problems the stack fails before the program runs: no stamp is needed.
    if (problems.count > before) return [];
    return regions.map((region, i) => ({
        region,
        primary: i === 0,
        key: i === 0 ? "" : REGION_NAME_KEY[input.cloud](region),
        // A malformed cidrBlock goes on as written: Vpc3Az refuses it naming intergalactic:network.cidrBlock.
        cidrBlock: typeof cidr === "string" ? input.cidrBlock : formatCidr({ base: (cidr.base + i * size(cidr)) >>> 0, prefix: cidr.prefix }),
    }));
}

/** A stamp's name for a resource the primary calls `base`. */
export function stampName(stamp: Pick<Stamp, "key">, base: string): string {
    return stamp.key === "" ? base : `${base}-${stamp.key}`;
}

/** The provider keys an explicit regional provider would also need, per cloud (its region is the stamp's). */
const REGION_ONLY_KEY: PerCloud<string> = { [Cloud.Aws]: "region", [Cloud.Azure]: "location" };
const PROVIDER_NAMESPACE: PerCloud<string> = { [Cloud.Aws]: "aws", [Cloud.Azure]: "azure-native" };

/**
 * A stack with more than one stamp sets no provider key but the region: the default provider reads
 * the stack's `aws:*` / `azure-native:*` config, an explicit provider (every other stamp's) does not
 * (https://www.pulumi.com/docs/iac/concepts/resources/providers/: the default provider reads the stack configuration, an explicit one only its arguments), so
 * a key such as `aws:defaultTags` would hold in the first region and silently not in the others.
 */
export function checkStampProviderKeys(raw: Readonly<Record<string, string>>, cloud: Cloud, stamps: readonly Stamp[], problems: Problems): void {
    if (stamps.length < 2) return;
    const prefix = `${PROVIDER_NAMESPACE[cloud]}:`;
    for (const key of Object.keys(raw).sort()) {
        if (!key.startsWith(prefix) || key === `${prefix}${REGION_ONLY_KEY[cloud]}`) continue;
        problems.check(false, key, raw[key], `configures only the first region's default provider; the stamps in ${stamps.slice(1).map((s) => s.region).join(", ")} ` +
            `use explicit providers that do not read it (intergalactic:regions lists ${stamps.length} regions): set it through the environment or remove it`);
    }
}

/**
 * Per cloud, the user database of a stamp other than the first. AWS: a DocumentDB secondary cluster of
 * the first stamp's global cluster, protected like the primary (deletion protection, final snapshot).
 * Azure: none of its own: the first stamp's Cosmos DB account has a location in the stamp's region
 * and an endpoint in its network.
 */
const STAMP_MONGO_COPY: PerCloud<(enabled: boolean) => { enabled: boolean }> = {
    [Cloud.Aws]: (enabled) => ({ enabled }),
    [Cloud.Azure]: () => ({ enabled: false }),
};

/**
 * A stamp's view of the stack config: its region, its network block and its names. Every stamp
 * serves: its services, cache and event bus are its own; its user database is the copy in its region
 * of the first stamp's (see STAMP_MONGO_COPY; the program wires it), never a store of its own.
 */
export function stampConfig(config: StackConfig, stamp: Stamp): StackConfig {
    if (stamp.primary) return config;
    const named = <T extends { readonly name: string }>(section: T): T => ({ ...section, name: stampName(stamp, section.name) });
    return {
        ...config,
        region: stamp.region,
        network: { ...config.network, cidrBlock: stamp.cidrBlock },
        cluster: named(config.cluster),
        redis: named(config.redis),
        kafka: named(config.kafka),
        mongo: { ...named(config.mongo), ...STAMP_MONGO_COPY[config.cloud](config.mongo.enabled) },
        // The stamp's ALB is in its region and takes that region's certificate (checked by checkCertificateRegions).
        services: { ...named(config.services), certificateArn: config.services.regionCertificateArns[stamp.region] ?? config.services.certificateArn },
    };
}
