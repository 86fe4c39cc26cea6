/**
 * The network planner: turns Vpc3Az args into plain data (zones, subnets with
 * CIDRs, NAT placement) that both cloud implementations build from.
 *
 * Address allocation is positional and fixed, so a layout change never moves
 * an existing subnet:
 *
 *   network /p   = 8 blocks of /p+3
 *   block i<7    = zone i:  app /p+4 (first half) | public /p+6 | data /p+6 | 2 spare /p+6
 *   block 7      = regional (Azure): gateway /p+5 | data /p+5 | bastion /26 in a /p+5 | spare
 *
 * Zone i always gets block i, and each tier always gets the same slot in its
 * block, so adding a zone or a tier only claims addresses nobody used.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { CloudArgRules, argKeys, resolveCloudArgs } from "../common/cloudArgs";
import { Problems } from "../common/validation";
import { childName, zoneLabel } from "../common/naming";
import { Tags } from "../common/tags";
import {
    AWS_MIN_SUBNET_PREFIX_SIZE,
    AWS_VPC_PREFIX_RANGE,
    AZURE_BASTION_MIN_PREFIX_SIZE,
    CLOUDWATCH_RETENTION_DAYS,
    NAT_STRATEGIES,
    NatStrategy,
    NetworkDefaults,
    Tier,
} from "./layout";
import { Ipv4Cidr, formatCidr, isPrivate, overlaps, parseCidr, subnet, PRIVATE_RANGES } from "./cidr";
import { AZURE_ADMISSION_ELSEWHERE, AzureAdmissionInput, planAzureAdmission } from "./azureAdmission";
import type { Vpc3AzArgs, Vpc3AzAwsArgs, Vpc3AzAzureArgs } from "./vpc3az";
import type { NsgExtras } from "./nsgRules";
import { EKS_UNSUPPORTED_ZONE_IDS } from "./zones";

/**
 * Per cloud, the network prefixes the layout fits: at most `max`, because the smallest slot is a /p+6 and must be
 * at least AWS's /28 subnet minimum, while Azure's bastion needs a /26 inside a /p+5; at least `min`, the largest
 * block the cloud allows for a VPC (a /16) or a VNet (a /8).
 */
const NETWORK_PREFIX: PerCloud<{ readonly max: number; readonly min: number }> = {
    aws: { max: AWS_MIN_SUBNET_PREFIX_SIZE - 6, min: AWS_VPC_PREFIX_RANGE.min },
    azure: { max: AZURE_BASTION_MIN_PREFIX_SIZE - 5, min: 8 },
};

/** The zones used when none are given: AWS's depend on the region and account (none), Azure's are the logical 1-3. */
const DEFAULT_ZONES: PerCloud<readonly string[] | undefined> = { aws: undefined, azure: NetworkDefaults.azureZones };

/** Why a region may offer fewer zones than asked for, per cloud. */
const ZONE_SHORTAGE_HINT: PerCloud<string> = {
    aws: `; availabilityZoneNames() leaves out zones whose IDs EKS rejects (${EKS_UNSUPPORTED_ZONE_IDS.join(", ")})`,
    azure: "",
};

/**
 * The tiers split per zone. Azure subnets are regional, so only the app tier is split per zone there (one NAT gateway
 * per zone needs one subnet per zone); its public and data tiers use the regional block.
 */
const ZONAL_TIERS: PerCloud<readonly Tier[]> = { aws: [Tier.Public, Tier.App, Tier.Data], azure: [Tier.App] };

/** Zone blocks the layout reserves; block 7 is the regional block. */
export const MAX_ZONES = 7;
const REGIONAL_BLOCK = 7;

/**
 * The cloud groups of Vpc3Az's args: `aws` configures the VPC's flow logs, `azure` what the NSGs admit beyond the
 * layout. The keys that were top-level args before stay accepted there for one release.
 */
export const NETWORK_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<Vpc3AzArgs>({
        cloud: true, cidrBlock: true, zoneCount: true, availabilityZones: true, natStrategy: true, avoidCidrs: true, tags: true, aws: true, azure: true,
        flowLogRetentionDays: true, podCidrs: true, dataPorts: true, jumpBoxSshCidrs: true, ingressFromFrontDoorOnly: true,
    }),
    keys: {
        aws: argKeys<Vpc3AzAwsArgs>({ flowLogRetentionDays: true }),
        azure: argKeys<Vpc3AzAzureArgs>({ podCidrs: true, dataPorts: true, jumpBoxSshCidrs: true, ingressFromFrontDoorOnly: true }),
    },
    aliases: { aws: ["flowLogRetentionDays"], azure: ["podCidrs", "dataPorts", "jumpBoxSshCidrs", "ingressFromFrontDoorOnly"] },
    elsewhere: {
        aws: { flowLogRetentionDays: "the Azure network has no flow logs here; remove it" },
        azure: AZURE_ADMISSION_ELSEWHERE,
    },
};

/** The plain values the planner needs: the structural part of Vpc3AzArgs. */
export interface NetworkPlanInput extends AzureAdmissionInput {
    cloud: string;
    cidrBlock?: string;
    zoneCount?: number;
    availabilityZones?: readonly string[];
    natStrategy?: string;
    avoidCidrs?: readonly string[];
    /** The AWS-only args (`Vpc3AzAwsArgs`). */
    aws?: { flowLogRetentionDays?: number };
    /** The Azure-only args (`Vpc3AzAzureArgs`). */
    azure?: AzureAdmissionInput;
    /** Deprecated alias of `aws.flowLogRetentionDays`; the Azure keys' aliases come with `AzureAdmissionInput`. */
    flowLogRetentionDays?: number;
    tags?: Readonly<Record<string, string>>;
}

/** One subnet to create. */
export interface SubnetSpec {
    /** Child resource name, stable across layout changes, e.g. `net-app-a`. */
    readonly name: string;
    readonly tier: Tier | "bastion";
    /** The zone for a zonal subnet; undefined for a regional (Azure) subnet. */
    readonly zone?: string;
    readonly cidr: string;
}

/** One NAT gateway and the app subnets that route through it. */
export interface NatSpec {
    readonly name: string;
    readonly zone: string;
    /** Names of the app subnets whose default route goes through this NAT. */
    readonly serves: readonly string[];
}

/** Everything a cloud implementation needs to build the network. */
export interface NetworkPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly cidrBlock: string;
    /** The zones used, in order: zone i owns address block i. */
    readonly zones: readonly string[];
    readonly natStrategy: NatStrategy;
    readonly flowLogRetentionDays: number;
    readonly subnets: readonly SubnetSpec[];
    readonly nats: readonly NatSpec[];
    /** Azure: what the NSGs admit beyond the layout (overlay pod ranges, extra data ports); empty on AWS. */
    readonly admission: NsgExtras;
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
}

/** Validates the args and plans the network; throws one error listing every problem. */
export function planNetwork(name: string, input: NetworkPlanInput): NetworkPlan {
    // The cloud groups first: every key is then checked under the name the user wrote it with.
    const cloudArgs = resolveCloudArgs(input.cloud, input, NETWORK_CLOUD_ARGS);
    const aws: Vpc3AzAwsArgs = cloudArgs.groups.aws;
    const azure: Vpc3AzAzureArgs = cloudArgs.groups.azure;
    const problems = new Problems(`Vpc3Az "${name}"`, cloudArgs.paths);
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    cloudArgs.problems.forEach((p) => problems.add(p));
    const cloud = input.cloud as Cloud;
    const cidrText = input.cidrBlock ?? NetworkDefaults.cidrBlock;
    const zoneCount = input.zoneCount ?? NetworkDefaults.zoneCount;
    const natStrategy = (input.natStrategy ?? NetworkDefaults.natStrategy) as NatStrategy;
    const retention = aws.flowLogRetentionDays ?? NetworkDefaults.flowLogRetentionDays;

    const network = cloudOk ? checkNetworkCidr(problems, cloud, cidrText) : undefined;
    const zoneCountOk = problems.integer("zoneCount", zoneCount, 2, MAX_ZONES);
    problems.oneOf("natStrategy", natStrategy, NAT_STRATEGIES);
    problems.check(CLOUDWATCH_RETENTION_DAYS.includes(retention), "flowLogRetentionDays", retention,
        `is not a CloudWatch Logs retention period: use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    const zones = cloudOk ? checkZones(problems, cloud, input.availabilityZones, zoneCountOk ? zoneCount : 2) : [];
    if (network) checkAvoidCidrs(problems, network, cidrText, input.avoidCidrs ?? []);
    const admission = cloudOk ? planAzureAdmission(problems, cloud, network, cidrText, input.avoidCidrs ?? [], azure) : { podCidrs: [], dataPorts: [], jumpBoxSshCidrs: [] };
    problems.throwIfAny();

    const subnets = [...zonalSubnets(name, cloud, network!, zones), ...regionalSubnets(name, cloud, network!)];
    return {
        name, cloud, cidrBlock: cidrText, zones, natStrategy, flowLogRetentionDays: retention, subnets,
        nats: planNats(name, natStrategy, zones), admission, tags: { ...(input.tags ?? {}) },
    };
}

function checkNetworkCidr(problems: Problems, cloud: Cloud, text: string): Ipv4Cidr | undefined {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        problems.check(false, "cidrBlock", text, parsed);
        return undefined;
    }
    if (!problems.check(isPrivate(parsed), "cidrBlock", text, `is not private address space: use a range inside ${PRIVATE_RANGES.join(", ")}`)) {
        return undefined;
    }
    const { max: maxPrefix, min: minPrefix } = NETWORK_PREFIX[cloud];
    if (parsed.prefix > maxPrefix) {
        problems.check(false, "cidrBlock", text, `is too small for the 3-tier layout on ${cloud}: use a /${maxPrefix} or larger (e.g. a /16)`);
        return undefined;
    }
    if (!problems.check(parsed.prefix >= minPrefix, "cidrBlock", text, `is larger than ${cloud} allows: use a /${minPrefix} or smaller`)) {
        return undefined;
    }
    return parsed;
}

function checkZones(problems: Problems, cloud: Cloud, offered: readonly string[] | undefined, zoneCount: number): string[] {
    const available = offered ?? DEFAULT_ZONES[cloud];
    if (available === undefined) {
        problems.add(`availabilityZones: undefined: on ${cloud} the region's zones are required (look them up with \`availabilityZoneNames()\` from intergalactic-infra/network)`);
        return [];
    }
    if (!problems.check(new Set(available).size === available.length && available.every((z) => z.length > 0),
        "availabilityZones", available, "must be distinct, non-empty zone names")) return [];
    ZONE_NAME_CHECKS[cloud](problems, available);
    if (!problems.check(zoneCount <= available.length, "zoneCount", zoneCount,
        `exceeds the ${available.length} zones the region offers (${available.join(", ")})`
        + ZONE_SHORTAGE_HINT[cloud])) return [];
    return available.slice(0, zoneCount);
}

function checkAvoidCidrs(problems: Problems, network: Ipv4Cidr, cidrText: string, avoid: readonly string[]): void {
    avoid.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `avoidCidrs[${i}]`, text, parsed);
        else problems.check(!overlaps(parsed, network), `avoidCidrs[${i}]`, text, `overlaps cidrBlock ${cidrText}: pick a cidrBlock outside it`);
    });
}

function zonalSubnets(name: string, cloud: Cloud, network: Ipv4Cidr, zones: readonly string[]): SubnetSpec[] {
    const tiers = ZONAL_TIERS[cloud];
    return zones.flatMap((zone, i) => {
        const block = subnet(network, network.prefix + 3, i);
        const slots: Record<Tier, Ipv4Cidr> = {
            [Tier.App]: subnet(block, block.prefix + 1, 0),
            [Tier.Public]: subnet(block, block.prefix + 3, 4),
            [Tier.Data]: subnet(block, block.prefix + 3, 5),
        };
        return tiers.map((tier) => ({ name: childName(name, tier, zoneLabel(zone)), tier, zone, cidr: formatCidr(slots[tier]) }));
    });
}

/** Per cloud, what its zone names must be: any the AWS region offers; Azure's logical zones. */
const ZONE_NAME_CHECKS: PerCloud<(problems: Problems, zones: readonly string[]) => void> = {
    aws: () => undefined,
    azure: (problems, zones) => {
        problems.check(zones.every((z) => NetworkDefaults.azureZones.includes(z)), "availabilityZones", zones,
            `are not Azure zones: use a subset of ${NetworkDefaults.azureZones.join(", ")}`);
    },
};

/** Per cloud, whether the network has regional subnets: Azure's data, bastion and gateway subnets span the zones; AWS subnets are zonal. */
const HAS_REGIONAL_SUBNETS: PerCloud<boolean> = { aws: false, azure: true };

function regionalSubnets(name: string, cloud: Cloud, network: Ipv4Cidr): SubnetSpec[] {
    if (!HAS_REGIONAL_SUBNETS[cloud]) return [];
    const block = subnet(network, network.prefix + 3, REGIONAL_BLOCK);
    const quarter = (i: number) => subnet(block, block.prefix + 2, i);
    return [
        { name: childName(name, Tier.Public), tier: Tier.Public, cidr: formatCidr(quarter(0)) },
        { name: childName(name, Tier.Data), tier: Tier.Data, cidr: formatCidr(quarter(1)) },
        { name: childName(name, "bastion"), tier: "bastion", cidr: formatCidr(subnet(quarter(2), AZURE_BASTION_MIN_PREFIX_SIZE, 0)) },
    ];
}

function planNats(name: string, strategy: NatStrategy, zones: readonly string[]): NatSpec[] {
    const appSubnet = (zone: string) => childName(name, Tier.App, zoneLabel(zone));
    switch (strategy) {
        case NatStrategy.None:
            return [];
        case NatStrategy.Single:
            return [{ name: childName(name, "nat", zoneLabel(zones[0])), zone: zones[0], serves: zones.map(appSubnet) }];
        case NatStrategy.OnePerAz:
            return zones.map((zone) => ({ name: childName(name, "nat", zoneLabel(zone)), zone, serves: [appSubnet(zone)] }));
    }
}

/** The subnets of one tier, in zone order. */
export function subnetsOf(plan: NetworkPlan, tier: Tier): SubnetSpec[] {
    return plan.subnets.filter((s) => s.tier === tier);
}
