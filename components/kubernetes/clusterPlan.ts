/**
 * The cluster planner: validates KubernetesCluster args against what EKS and
 * AKS document, and turns them into plain data (one node group per zone, the
 * machine type, endpoint access) that both cloud implementations build from.
 *
 * One node group per zone, each in its zone's app subnet, is what lets the
 * cluster autoscaler keep zones balanced: a group spanning zones scales
 * without regard to where the pending pod must run, and a zone's nodes egress
 * through their own zone's NAT gateway.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { CloudArgRules, argKeys } from "../common/cloudArgs";
import type { KubernetesClusterArgs, KubernetesClusterAwsArgs, KubernetesClusterAzureArgs } from "./kubernetesCluster";
import { childName, physicalName, zoneLabel } from "../common/naming";
import { SIZES, Size } from "../common/size";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";
import { Ipv4Cidr, formatCidr, isPrivate, mustParseCidr, overlaps, parseCidr, PRIVATE_RANGES, size } from "../network/cidr";
import { describeExposure, exposureOf } from "../network/exposure";
import { CLOUDWATCH_RETENTION_DAYS, NetworkDefaults } from "../network/layout";
import {
    AKS_POD_BLOCK_PREFIX, AKS_POD_CIDR, AKS_POOL_NAME, AKS_SYSTEM_POOL, AKS_UPGRADE_SURGE, AZURE_RESERVED_ADDRESSES,
    CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterDefaults, KUBERNETES_SUPPORT_ENDS,
    MAX_NODES_PER_GROUP, MAX_PUBLIC_ENDPOINT_CIDRS, MIN_ZONES, NODE_MACHINES, NodeCounts, PoolPower, SERVICE_CIDR, VPC_CNI_MTU,
} from "./layout";
import { checkIngressKeyVaults } from "./ingressKeyVaults";

/** The plain values the planner needs: the structural part of KubernetesClusterArgs. */
export interface ClusterPlanInput {
    /** Per key of the built cloud's group, the path the user wrote it at (`ResolvedCloudArgs.paths`), so each problem names that key (`azure.zones`). */
    argPaths?: Readonly<Record<string, string>>;
    /** Problems of the network wiring found before planning, reported with the planner's own. */
    wiringProblems?: readonly string[];
    cloud: string;
    zones: readonly string[];
    /** How many app subnets were given; their ids are Outputs, only the count is plain. */
    subnetCount: number;
    subnetCidrs: readonly string[];
    kubernetesVersion?: string;
    nodeSize?: string;
    minNodesPerZone?: number;
    maxNodesPerZone?: number;
    publicEndpointCidrs?: readonly string[];
    privateEndpointCidrs?: readonly string[];
    adminPrincipalArns?: readonly string[];
    /** How many node egress addresses were given; the addresses are Outputs. */
    nodeEgressIpCount?: number;
    deployerPrincipalType?: string;
    logRetentionDays?: number;
    ingressKeyVaultIds?: readonly string[];
    nodeCounts?: string;
    /** AWS: the VPC CNI's MTU (`aws.networkMtu`); undefined keeps its default. */
    networkMtu?: number;
    userPoolPower?: string;
    stoppedUserPools?: number;
    /** The day the plan is for (`YYYY-MM-DD`, UTC), against which version support is judged; default today. */
    today?: string;
    tags?: Readonly<Record<string, string>>;
}

/** One group of worker nodes pinned to one zone and its app subnet. */
export interface NodeGroupSpec {
    /** Child resource name, e.g. `cluster-nodes-a`. */
    readonly name: string;
    /** The AKS agent pool name (lowercase, <= 12 characters), e.g. `appz1`. */
    readonly poolName: string;
    readonly zone: string;
    /** Index into the subnet args: the subnet of this zone. */
    readonly subnetIndex: number;
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredSize: number;
    /** Azure user pools: the power state this `up` writes (`userPoolPower`, or Running for a pool `stoppedUserPools` leaves running); undefined writes none. */
    readonly power?: PoolPower;
}

/** Everything a cloud implementation needs to build the cluster. */
export interface ClusterPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly zones: readonly string[];
    readonly kubernetesVersion: string;
    readonly nodeSize: Size;
    /** The instance type (AWS) or VM size (Azure) of the workers. */
    readonly machineType: string;
    /** Application node groups, one per zone. */
    readonly nodeGroups: readonly NodeGroupSpec[];
    /** Who sets the app node groups' counts on an update (AWS only). */
    readonly nodeCounts: NodeCounts;
    /** Azure: the user pools' power state to write; undefined writes none. */
    readonly userPoolPower?: PoolPower;
    /** AKS system pools, one per zone, for cluster add-ons only. Empty on AWS. */
    readonly systemPools: readonly NodeGroupSpec[];
    /** Empty: the API server is private. Otherwise the only public ranges allowed to reach it. */
    readonly publicEndpointCidrs: readonly string[];
    /** In-network ranges (bastion, in-network CI runners) allowed to reach the private API endpoint. */
    readonly privateEndpointCidrs: readonly string[];
    /** AWS: the IAM principals given cluster-admin access entries; empty leaves only the creator's bootstrap admin. */
    readonly adminAccess: readonly AdminAccessSpec[];
    /** Azure: the deployer's principal type for its AKS RBAC role assignment; undefined derives it from the signed-in client. */
    readonly deployerPrincipalType?: PrincipalType;
    readonly subnetCidrs: readonly string[];
    readonly logRetentionDays: number;
    /** AWS: the MTU of the nodes' ENIs and the pods, set on the VPC CNI; undefined keeps its default (9001). */
    readonly networkMtu?: number;
    /** A DNS-safe base for physical names (EKS cluster name, AKS DNS prefix). */
    readonly baseName: string;
    /** Azure: the Key Vaults the managed ingress reads certificates from; empty on AWS. */
    readonly ingressKeyVaultIds: readonly string[];
    /** Things that do not stop the plan but need the user's attention soon, e.g. a version near its end of support. */
    readonly warnings: readonly string[];
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
}

/** Entra ID principal types a role assignment accepts (Microsoft.Authorization roleAssignments `principalType`). */
export const PrincipalType = { User: "User", ServicePrincipal: "ServicePrincipal", Group: "Group" } as const;
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];

/** One EKS access entry with the cluster-admin access policy. */
export interface AdminAccessSpec {
    /** Child resource name, e.g. `cluster-admin-role-deployer`. */
    readonly name: string;
    readonly principalArn: string;
}

/**
 * IAM role or user ARNs, as EKS access entries take them: a role's ARN, never an STS
 * assumed-role session ARN (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** Validates the args and plans the cluster; throws one error listing every problem. */
export function planCluster(name: string, input: ClusterPlanInput): ClusterPlan {
    const problems = new Problems(`KubernetesCluster "${name}"`, input.argPaths);
    (input.wiringProblems ?? []).forEach((p) => problems.add(p));
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const version = input.kubernetesVersion ?? ClusterDefaults.kubernetesVersion;
    const nodeSize = (input.nodeSize ?? ClusterDefaults.nodeSize) as Size;
    const min = input.minNodesPerZone ?? ClusterDefaults.minNodesPerZone;
    const max = input.maxNodesPerZone ?? ClusterDefaults.maxNodesPerZone;
    const cidrs = input.publicEndpointCidrs ?? [];
    const privateCidrs = input.privateEndpointCidrs ?? [];
    const retention = input.logRetentionDays ?? ClusterDefaults.logRetentionDays;
    const baseName = physicalName(name, 40);

    problems.check(baseName.length > 0 && /^[a-z]/.test(baseName), "name", name, "must start with a letter: it is the base of the cluster's DNS names");
    if (cloudOk) checkZones(problems, cloud, input.zones);
    problems.check(input.subnetCount === input.zones.length, "subnets", `${input.subnetCount} subnets`,
        `must hold exactly one app subnet per zone (${input.zones.length} zones), in zone order`);
    const subnets = checkSubnetCidrs(problems, input.subnetCidrs, input.zones.length);
    const warnings = cloudOk ? checkVersion(problems, cloud, version, input.today ?? new Date().toISOString().slice(0, 10)) : [];
    problems.oneOf("nodeSize", nodeSize, SIZES);
    if (cloudOk) checkScaling(problems, cloud, min, max);
    if (cloudOk) checkPublicEndpoint(problems, cloud, cidrs);
    checkPrivateEndpoint(problems, privateCidrs);
    const adminAccess = cloudOk ? checkAdmins(problems, name, cloud, input.adminPrincipalArns ?? []) : [];
    if (cloudOk && !TRAITS[cloud].apiAdmitsNodeEgress) {
        problems.check((input.nodeEgressIpCount ?? 0) === 0, "nodeEgressIps", `${input.nodeEgressIpCount} addresses`,
            "applies to Azure only: EKS nodes reach the API through the private endpoint");
    }
    if (input.deployerPrincipalType !== undefined) {
        if (cloudOk && !TRAITS[cloud].deployerRoleAssignment) {
            problems.check(false, "deployerPrincipalType", input.deployerPrincipalType, "applies to Azure only: EKS grants access by IAM ARN (adminPrincipalArns)");
        } else {
            problems.oneOf("deployerPrincipalType", input.deployerPrincipalType, Object.values(PrincipalType));
        }
    }
    problems.check(CLOUDWATCH_RETENTION_DAYS.includes(retention), "logRetentionDays", retention,
        `is not a CloudWatch Logs retention period: use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    if (input.networkMtu !== undefined) {
        problems.check(Number.isInteger(input.networkMtu) && input.networkMtu >= VPC_CNI_MTU.min && input.networkMtu <= VPC_CNI_MTU.max, "networkMtu", input.networkMtu,
            `must be a whole number from ${VPC_CNI_MTU.min} to ${VPC_CNI_MTU.max} (the VPC CNI's AWS_VPC_ENI_MTU range)`);
    }
    const keyVaults = cloudOk ? checkIngressKeyVaults(problems, cloud, input.ingressKeyVaultIds ?? []) : [];
    const nodeCounts = (input.nodeCounts ?? NodeCounts.Autoscaled) as NodeCounts;
    if (problems.oneOf("nodeCounts", nodeCounts, Object.values(NodeCounts)) && cloudOk && !TRAITS[cloud].poolsScaleTogether) {
        // AKS user pools are stopped and started (userPoolPower), their counts kept: no count to write.
        problems.check(nodeCounts === NodeCounts.Autoscaled, "nodeCounts", nodeCounts,
            "applies to AWS only: AKS user pools are stopped instead (azure.userPoolPower, https://learn.microsoft.com/azure/aks/start-stop-nodepools)");
    }
    let userPoolPower: PoolPower | undefined;
    if (input.userPoolPower !== undefined && problems.oneOf("userPoolPower", input.userPoolPower, Object.values(PoolPower)) && cloudOk) {
        if (problems.check(TRAITS[cloud].userPoolsStop, "userPoolPower", input.userPoolPower, "applies to Azure only: EKS node groups go to zero through nodeCounts")) {
            userPoolPower = input.userPoolPower as PoolPower;
        }
    }
    const stopped = checkStoppedUserPools(problems, input.stoppedUserPools, userPoolPower, input.zones.length);
    problems.throwIfAny();

    const zero = nodeCounts === NodeCounts.Zero;
    const nodeGroups = input.zones.map((zone, i) => ({
        ...groupSpec(name, "nodes", "app", zone, i, zero ? 0 : min, max, zero ? 0 : undefined),
        // The last `stopped` pools take the written power state; the ones before them keep running.
        ...(userPoolPower ? { power: i >= input.zones.length - stopped ? userPoolPower : PoolPower.Running } : {}),
    }));
    const systemPools = HAS_SYSTEM_POOLS[cloud]
        ? input.zones.map((zone, i) => groupSpec(name, "system", "sys", zone, i, AKS_SYSTEM_POOL.minCount, AKS_SYSTEM_POOL.maxCount))
        : [];
    if (TRAITS[cloud].overlayCapacity) checkAzureCapacity(problems, subnets, max, [...nodeGroups, ...systemPools]);
    problems.throwIfAny();

    return {
        name, cloud, zones: [...input.zones], kubernetesVersion: version, nodeSize, machineType: NODE_MACHINES[cloud][nodeSize],
        nodeGroups, nodeCounts, ...(userPoolPower ? { userPoolPower } : {}), systemPools, publicEndpointCidrs: [...cidrs], privateEndpointCidrs: [...privateCidrs],
        adminAccess, deployerPrincipalType: input.deployerPrincipalType as PrincipalType | undefined, subnetCidrs: [...input.subnetCidrs], logRetentionDays: retention, baseName,
        ...(input.networkMtu !== undefined ? { networkMtu: input.networkMtu } : {}),
        ingressKeyVaultIds: keyVaults, warnings, tags: { ...(input.tags ?? {}) },
    };
}

/**
 * The cloud groups of KubernetesCluster's args: `aws` configures EKS alone, `azure` AKS alone; the keys that were
 * top-level args before stay accepted there for one release.
 */
export const CLUSTER_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<KubernetesClusterArgs>({
        cloud: true, network: true, subnets: true, kubernetesVersion: true, nodeSize: true, minNodesPerZone: true, maxNodesPerZone: true, publicEndpointCidrs: true, tags: true,
        aws: true, azure: true, privateEndpointCidrs: true, adminPrincipalArns: true, logRetentionDays: true, nodeCounts: true, nodeEgressIps: true, deployerPrincipalType: true, ingressKeyVaultIds: true,
    }),
    keys: {
        aws: argKeys<KubernetesClusterAwsArgs>({ privateEndpointCidrs: true, adminPrincipalArns: true, logRetentionDays: true, nodeCounts: true, networkMtu: true }),
        azure: argKeys<KubernetesClusterAzureArgs>({ nodeEgressIps: true, deployerPrincipalType: true, ingressKeyVaultIds: true, userPoolPower: true, stoppedUserPools: true }),
    },
    aliases: { aws: ["privateEndpointCidrs", "adminPrincipalArns", "logRetentionDays", "nodeCounts"], azure: ["nodeEgressIps", "deployerPrincipalType", "ingressKeyVaultIds"] },
    elsewhere: {
        aws: {
            privateEndpointCidrs: "the AKS private endpoint is reachable from the whole network; remove it",
            adminPrincipalArns: "on Azure the deploying identity gets its AKS RBAC role assignment and Entra ID groups grant the rest; remove it",
            logRetentionDays: "AKS control-plane logs are not collected here; remove it",
            nodeCounts: "AKS user pools are stopped instead (azure.userPoolPower); remove it",
            networkMtu: "it sets the AWS VPC CNI's MTU, which AKS does not run; remove it",
        },
        azure: {
            nodeEgressIps: "EKS nodes reach the API through the private endpoint; remove it",
            deployerPrincipalType: "EKS grants access by IAM ARN (aws.adminPrincipalArns); remove it",
            ingressKeyVaultIds: "on AWS the load balancer takes an ACM certificate; remove it",
            userPoolPower: "EKS node groups cannot be stopped; aws.nodeCounts zero takes them to no nodes; remove it",
            stoppedUserPools: "EKS node groups cannot be stopped; aws.nodeCounts zero takes them to no nodes; remove it",
        },
    },
};

/** What each cloud's cluster does itself, which decides the checks that apply to it. */
interface ClusterTraits {
    /** The API server admits the nodes' public egress addresses (AKS: `nodeEgressIps`); EKS nodes use the private endpoint. */
    readonly apiAdmitsNodeEgress: boolean;
    /** The deploying identity gets a role assignment of `deployerPrincipalType` (AKS RBAC). */
    readonly deployerRoleAssignment: boolean;
    /** Kubernetes access is granted by IAM ARN through access entries (EKS). */
    readonly accessEntries: boolean;
    /** Node addresses come from the pools' subnets with an overlay pod range, whose capacity is checked (Azure CNI Overlay). */
    readonly overlayCapacity: boolean;
    /** Node pool names are made from the zones and must pass the cloud's pool-name rule (AKS). */
    readonly poolsNamedByZone: boolean;
    /** The stack installs the Cluster Autoscaler, whose minor version must match the cluster's (EKS; AKS scales itself). */
    readonly runsClusterAutoscaler: boolean;
    /** Node groups can be scaled (to zero and back) together; AKS runs one agent pool operation at a time (Azure/AKS#1913). */
    readonly poolsScaleTogether: boolean;
    /** User pools can be stopped and started, their counts kept (AKS, https://learn.microsoft.com/azure/aks/start-stop-nodepools). */
    readonly userPoolsStop: boolean;
}

const TRAITS: PerCloud<ClusterTraits> = {
    aws: { apiAdmitsNodeEgress: false, deployerRoleAssignment: false, accessEntries: true, overlayCapacity: false, poolsNamedByZone: false, runsClusterAutoscaler: true, poolsScaleTogether: true, userPoolsStop: false },
    azure: { apiAdmitsNodeEgress: true, deployerRoleAssignment: true, accessEntries: false, overlayCapacity: true, poolsNamedByZone: true, runsClusterAutoscaler: false, poolsScaleTogether: false, userPoolsStop: true },
};

/**
 * How many user pools `userPoolPower: Stopped` stops (all when not given): 1 to the pool count, and only with Stopped,
 * since Running starts every pool and a count there would say otherwise.
 */
function checkStoppedUserPools(problems: Problems, stopped: number | undefined, power: PoolPower | undefined, pools: number): number {
    if (stopped === undefined) return pools;
    if (!problems.check(power === PoolPower.Stopped, "stoppedUserPools", stopped,
        `applies only with userPoolPower ${PoolPower.Stopped} (it is ${power ?? "not set"}): ${PoolPower.Running} starts every user pool`)) return pools;
    return problems.integer("stoppedUserPools", stopped, 1, Math.max(1, pools)) ? stopped : pools;
}

function groupSpec(name: string, role: string, poolPrefix: string, zone: string, subnetIndex: number, min: number, max: number, desired?: number): NodeGroupSpec {
    return {
        name: childName(name, role, zoneLabel(zone)),
        // The zone label, not the index, so a pool keeps its name when zones change.
        poolName: `${poolPrefix}${zoneLabel(zone)}`.toLowerCase().replace(/[^a-z0-9]/g, ""),
        zone, subnetIndex, minSize: min, maxSize: max,
        // At least one node per zone from the start, so every zone can take pods before the autoscaler acts.
        desiredSize: desired ?? Math.max(min, 1),
    };
}

function checkZones(problems: Problems, cloud: Cloud, zones: readonly string[]): void {
    if (!problems.check(zones.length >= MIN_ZONES, "network.zones", zones, `must list at least ${MIN_ZONES} zones (EKS requires subnets in two zones; use 3 for HA)`)) return;
    problems.check(new Set(zones).size === zones.length && zones.every((z) => z.length > 0), "network.zones", zones, "must be distinct, non-empty zone names");
    if (!TRAITS[cloud].poolsNamedByZone) return;
    if (!problems.check(zones.every((z) => NetworkDefaults.azureZones.includes(z)), "network.zones", zones,
        `are not Azure zones: use a subset of ${NetworkDefaults.azureZones.join(", ")}`)) return;
    // AKS pool names come from the zones; Linux pools allow a lowercase letter, then lowercase letters and digits, 12 at most.
    for (const pool of zones.flatMap((zone) => [`app${zoneLabel(zone)}`, `sys${zoneLabel(zone)}`])) {
        problems.check(AKS_POOL_NAME.test(pool), "network.zones", zones, `give the node pool name "${pool}", which AKS rejects`);
    }
}

function checkSubnetCidrs(problems: Problems, cidrs: readonly string[], zoneCount: number): Ipv4Cidr[] {
    problems.check(cidrs.length === zoneCount, "subnets", cidrs, `must hold the range of each app subnet, one per zone (${zoneCount} zones)`);
    const service = mustParseCidr(SERVICE_CIDR);
    const parsed: Ipv4Cidr[] = [];
    cidrs.forEach((text, i) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") {
            problems.check(false, `subnets[${i}].cidr`, text, cidr);
            return;
        }
        problems.check(!overlaps(cidr, service), `subnets[${i}].cidr`, text,
            `overlaps the Kubernetes service range ${SERVICE_CIDR}, which both clouds forbid: use a network outside it`);
        parsed.push(cidr);
    });
    return parsed;
}

/**
 * A version the cloud does not list is refused. A listed version past its end of standard support
 * only warns: an existing cluster keeps running on it (EKS upgrades it, AKS moves it to platform
 * support), and refusing would also block the teardown's update; a new AKS cluster on it fails at
 * AKS with its own error. The warning starts {@link VERSION_WARNING_DAYS} days before the end.
 */
function checkVersion(problems: Problems, cloud: Cloud, version: string, today: string): string[] {
    if (!problems.check(/^1\.\d+$/.test(version), "kubernetesVersion", version,
        "must be a minor version such as 1.35 (EKS accepts only major.minor; AKS then picks the latest patch)")) return [];
    const supportEnds = KUBERNETES_SUPPORT_ENDS[cloud];
    const inSupport = Object.keys(supportEnds).filter((minor) => supportEnds[minor] >= today);
    const ends = supportEnds[version];
    if (!problems.check(ends !== undefined, "kubernetesVersion", version,
        `is not a version ${cloudLabel(cloud)} offers: use one of ${inSupport.join(", ")}`)) return [];
    if (TRAITS[cloud].runsClusterAutoscaler) {
        problems.check(CLUSTER_AUTOSCALER_IMAGE_TAGS[version] !== undefined, "kubernetesVersion", version,
            `has no known Cluster Autoscaler release (its minor must match the cluster's): use one of ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}`);
    }
    const newer = inSupport.filter((minor) => minor !== version);
    const consequence = END_OF_SUPPORT[cloud];
    if (ends < today) return [`kubernetesVersion: "${version}" left ${cloudLabel(cloud)} standard support on ${ends}: ${consequence}; move to one of ${newer.join(", ")}`];
    if (daysBetween(today, ends) <= VERSION_WARNING_DAYS) return [`kubernetesVersion: "${version}" leaves ${cloudLabel(cloud)} standard support on ${ends}: ${consequence}; move to one of ${newer.join(", ")} before then`];
    return [];
}

/** How long before a version's end of support the plan starts warning. */
export const VERSION_WARNING_DAYS = 60;

const daysBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** The managed Kubernetes service of each cloud, as messages name it. */
const SERVICE_LABEL: PerCloud<string> = { aws: "EKS", azure: "AKS" };
const cloudLabel = (cloud: Cloud): string => SERVICE_LABEL[cloud];

/** What one zone's worker group is called on each cloud. */
const NODE_GROUP_LABEL: PerCloud<string> = { aws: "EKS managed node group", azure: "AKS node pool" };

/** AKS runs its add-ons on system pools of their own (one per zone); EKS has no such pools. */
const HAS_SYSTEM_POOLS: PerCloud<boolean> = { aws: false, azure: true };

/** What happens to a cluster whose version leaves standard support, per cloud. */
const END_OF_SUPPORT: PerCloud<string> = {
    aws: "EKS then upgrades the cluster to the next version itself (upgrade policy STANDARD), and this stack must follow",
    azure: "AKS then creates no new cluster on it and supports existing ones only on the platform level",
};

function checkScaling(problems: Problems, cloud: Cloud, min: number, max: number): void {
    const limit = MAX_NODES_PER_GROUP[cloud];
    const minOk = problems.integer("minNodesPerZone", min, 0, limit);
    const maxOk = problems.check(Number.isInteger(max) && max >= 1 && max <= limit, "maxNodesPerZone", max,
        `must be an integer from 1 to ${limit} (the most nodes one ${NODE_GROUP_LABEL[cloud]} may hold)`);
    if (minOk && maxOk) problems.check(min <= max, "minNodesPerZone", min, `must not exceed maxNodesPerZone (${max})`);
}

function checkPublicEndpoint(problems: Problems, cloud: Cloud, cidrs: readonly string[]): void {
    const limit = MAX_PUBLIC_ENDPOINT_CIDRS[cloud];
    problems.check(cidrs.length <= limit, "publicEndpointCidrs", `${cidrs.length} ranges`, `exceeds the ${limit} ranges ${cloud} accepts for the API endpoint`);
    const valid: string[] = [];
    cidrs.forEach((text, i) => {
        const arg = `publicEndpointCidrs[${i}]`;
        const cidr = parseCidr(text);
        if (typeof cidr === "string") {
            problems.check(false, arg, text, cidr);
            return;
        }
        if (!problems.check(cidr.prefix > 0, arg, text, "opens the API server to the whole internet: list the ranges of your operators and CI instead")) return;
        // A range that contains private space (0.0.0.0/1 holds 10.0.0.0/8) is not private: only one with no public address is.
        if (!problems.check(exposureOf([text]).publicIpv4Addresses > 0, arg, text,
            "is private address space, which never reaches a public endpoint: in-network clients use the private endpoint")) return;
        valid.push(text);
    });
    const exposure = exposureOf(valid);
    if (valid.length === cidrs.length && exposure.worldOpen) {
        problems.check(false, "publicEndpointCidrs", cidrs, `${describeExposure(exposure)}: the API server would be open to the internet; list the ranges of your operators and CI instead`);
    }
}

function checkAdmins(problems: Problems, name: string, cloud: Cloud, arns: readonly string[]): AdminAccessSpec[] {
    if (arns.length === 0) return [];
    if (!problems.check(TRAITS[cloud].accessEntries, "adminPrincipalArns", arns,
        "applies to AWS only: on Azure the deploying identity gets its AKS RBAC role assignment and Entra ID groups grant the rest")) return [];
    const specs: AdminAccessSpec[] = [];
    arns.forEach((arn, i) => {
        const match = IAM_PRINCIPAL_ARN.exec(arn);
        if (!problems.check(match !== null, `adminPrincipalArns[${i}]`, arn,
            "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>), not an assumed-role session")) return;
        const [, kind, principal] = match!;
        const account = arn.split(":")[4];
        specs.push({ name: childName(name, "admin", `${account}-${kind}-${principal}`.toLowerCase().replace(/[^a-z0-9-]/g, "-")), principalArn: arn });
    });
    problems.check(new Set(arns).size === arns.length, "adminPrincipalArns", arns, "must not list a principal twice: EKS allows one access entry per principal");
    return specs;
}

/**
 * Each range becomes one ingress rule named after it, so a repeated range would register two
 * resources with one URN, which the engine refuses ("Duplicate resource URN") without naming the
 * key; two spellings of one range are one permission, which EC2 refuses as
 * InvalidPermission.Duplicate (AWS EC2 API error codes). Both are refused here by the range itself.
 */
function checkPrivateEndpoint(problems: Problems, cidrs: readonly string[]): void {
    const seen = new Map<string, number>();
    cidrs.forEach((text, i) => {
        const cidr = parseCidr(text);
        if (typeof cidr === "string") {
            problems.check(false, `privateEndpointCidrs[${i}]`, text, cidr);
            return;
        }
        problems.check(isPrivate(cidr), `privateEndpointCidrs[${i}]`, text, `is not private address space: list in-network ranges inside ${PRIVATE_RANGES.join(", ")}`);
        const range = formatCidr(cidr);
        const first = seen.get(range);
        if (first === undefined) seen.set(range, i);
        else problems.check(false, `privateEndpointCidrs[${i}]`, text, `is listed twice (also privateEndpointCidrs[${first}]): each range is one security-group rule, list it once`);
    });
}

/**
 * Azure CNI Overlay: every node takes one address of its pool's subnet and a /24 of the overlay
 * pod range, so a subnet must hold the largest node count of every pool in it plus the upgrade
 * surge, and the pod range a /24 for every node of the cluster, or scale-out fails; the pod range
 * must not overlap a subnet or the service range (concepts-network-azure-cni-overlay).
 */
function checkAzureCapacity(problems: Problems, subnets: readonly Ipv4Cidr[], max: number, pools: readonly NodeGroupSpec[]): void {
    const nodesIn = (i: number) => pools.filter((p) => p.subnetIndex === i).reduce((sum, p) => sum + p.maxSize + AKS_UPGRADE_SURGE, 0);
    subnets.forEach((subnet, i) => {
        const nodes = nodesIn(i);
        const usable = size(subnet) - AZURE_RESERVED_ADDRESSES;
        problems.check(nodes <= usable, "maxNodesPerZone", max,
            `needs ${nodes} addresses in app subnet ${formatCidr(subnet)} (one per node with Azure CNI Overlay), but it has ${usable}: lower maxNodesPerZone or use larger app subnets`);
    });
    const pods = mustParseCidr(AKS_POD_CIDR);
    const nodes = subnets.reduce((sum, _, i) => sum + nodesIn(i), 0);
    const blocks = 2 ** (AKS_POD_BLOCK_PREFIX - pods.prefix);
    problems.check(nodes <= blocks, "maxNodesPerZone", max,
        `allows ${nodes} nodes, but the overlay pod range ${AKS_POD_CIDR} holds a /${AKS_POD_BLOCK_PREFIX} for only ${blocks}: lower maxNodesPerZone`);
    subnets.forEach((subnet, i) => problems.check(!overlaps(subnet, pods), `subnets[${i}].cidr`, formatCidr(subnet),
        `overlaps the overlay pod range ${AKS_POD_CIDR}, which AKS forbids: use a network outside it`));
}
