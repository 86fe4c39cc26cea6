/**
 * The bastion planner: validates BastionHost args and resolves their defaults
 * into plain data both cloud implementations build from. Every rule is checked
 * here, before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { CloudArgRules, argKeys } from "../common/cloudArgs";
import type { BastionHostArgs, BastionHostAzureArgs } from "./bastionHost";
import { SIZES, Size } from "../common/size";
import { childName } from "../common/naming";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";
import { PRIVATE_RANGES, isPrivate, parseCidr } from "../network/cidr";
import { ArmSecurityRule, NsgRule, armSecurityRule } from "../network/nsgRules";
import { checkSshSources } from "./sshSources";
import {
    AZURE_BASTION_SUBNET_NAME, AZURE_BASTION_ZONE_REGIONS, AZURE_ZONES, BastionDefaults, SSH_KEY_TYPES,
} from "./layout";

/**
 * Per cloud, what `sshAllowedCidrs` open (the instance's own security group on AWS, the jump box's NIC on Azure)
 * and whether the bastion itself has zones (Azure Bastion and its public IP do; the AWS instance moves between zones).
 */
export const BASTION_ACCESS: PerCloud<{ readonly sshAllowedInto: "instance" | "jump-box"; readonly zonal: boolean }> = {
    aws: { sshAllowedInto: "instance", zonal: false },
    azure: { sshAllowedInto: "jump-box", zonal: true },
};

/**
 * The cloud group of BastionHost's args: everything in `azure` configures Azure Bastion and its jump box alone; the
 * keys that were top-level args before stay accepted there for one release. The AWS bastion has no group.
 */
export const BASTION_CLOUD_ARGS: CloudArgRules = {
    topLevel: argKeys<BastionHostArgs>({
        cloud: true, network: true, subnets: true, sshAllowedCidrs: true, size: true, sshPublicKey: true, tags: true, azure: true,
        jumpBox: true, jumpBoxSubnet: true, jumpBoxSecurityGroupId: true, zones: true, location: true,
    }),
    keys: {
        aws: [], azure: argKeys<BastionHostAzureArgs>({ jumpBox: true, jumpBoxSubnet: true, jumpBoxSecurityGroupId: true, zones: true, location: true }),
    },
    aliases: { aws: [], azure: ["jumpBox", "jumpBoxSubnet", "jumpBoxSecurityGroupId", "zones", "location"] },
    elsewhere: {
        aws: {},
        azure: {
            jumpBox: "the AWS bastion is itself an instance (the jump host); remove it",
            jumpBoxSubnet: "the AWS bastion is itself an instance (the jump host); remove it",
            jumpBoxSecurityGroupId: "the AWS bastion is itself an instance (the jump host); remove it",
            zones: "the AWS bastion's group spans the public subnets of every zone (subnets); remove it",
            location: "the AWS bastion needs no zone-redundancy check of its region; remove it",
        },
    },
};

/** The args the planner reads: the structural part of BastionHostArgs. */
export interface BastionPlanInput {
    /** Per key of the built cloud's group, the path the user wrote it at (`ResolvedCloudArgs.paths`), so each problem names that key (`azure.zones`). */
    argPaths?: Readonly<Record<string, string>>;
    /** Problems of the network wiring found before planning, reported with the planner's own. */
    wiringProblems?: readonly string[];
    cloud: string;
    subnetIds: readonly pulumi.Input<string>[];
    networkCidr: string;
    /** The ranges of the subnets the bastion is placed in (Azure: AzureBastionSubnet), where its sessions come from. */
    bastionSubnetCidrs?: readonly string[];
    sshAllowedCidrs?: readonly string[];
    size?: string;
    jumpBox?: boolean;
    jumpBoxSubnetId?: pulumi.Input<string>;
    jumpBoxSecurityGroupId?: pulumi.Input<string>;
    jumpBoxZone?: string;
    sshPublicKey?: string;
    zones?: readonly string[];
    location?: string;
    tags?: Readonly<Record<string, string>>;
}

/** AWS: one SSH ingress rule of the instance's security group. */
export interface SshIngressRule {
    /** The rule's child name: named by the range, not its list position, so reordering the list replaces nothing. */
    readonly name: string;
    readonly cidr: string;
}

/** Everything a cloud implementation needs, with defaults resolved. */
export interface BastionPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly networkCidr: string;
    readonly sshAllowedCidrs: readonly string[];
    readonly size: Size;
    readonly jumpBox: boolean;
    readonly jumpBoxZone: string;
    /** The SSH public key, when one was given. */
    readonly sshPublicKey?: string;
    /** Azure: the zones of the Bastion and its public IP; empty for a regional Bastion. */
    readonly zones: readonly string[];
    /** AWS: the SSH ingress rules of the instance's security group, one per range of `sshAllowedCidrs`. */
    readonly sshIngress: readonly SshIngressRule[];
    /** Azure, with a jump box: the inbound rules of its NIC's NSG. Empty otherwise. */
    readonly jumpBoxRules: readonly ArmSecurityRule[];
    /** The user's tags, merged under the component's own on every resource. */
    readonly tags: Tags;
}

/** Validates the args and plans the bastion; throws one error listing every problem. */
export function planBastion(name: string, input: BastionPlanInput): BastionPlan {
    const problems = new Problems(`BastionHost "${name}"`, input.argPaths);
    (input.wiringProblems ?? []).forEach((p) => problems.add(p));
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    const cloud = input.cloud as Cloud;
    const size = (input.size ?? BastionDefaults.size) as Size;
    const jumpBox = input.jumpBox ?? false;
    const sshAllowedCidrs = input.sshAllowedCidrs ?? [];
    const zones = input.zones ?? BastionDefaults.zones;
    const jumpBoxZone = input.jumpBoxZone ?? BastionDefaults.jumpBoxZone;

    checkNetworkCidr(problems, input.networkCidr);
    checkSshSources(problems, "sshAllowedCidrs", sshAllowedCidrs);
    problems.oneOf("size", size, SIZES);
    if (input.sshPublicKey !== undefined) checkSshPublicKey(problems, input.sshPublicKey);
    if (cloudOk) {
        const checks: PerCloud<() => void> = {
            aws: () => checkAws(problems, input, sshAllowedCidrs, jumpBox),
            azure: () => checkAzure(problems, input, sshAllowedCidrs, jumpBox, zones, jumpBoxZone),
        };
        checks[cloud]();
    }
    const sessionSources = input.bastionSubnetCidrs ?? [];
    problems.check(!(BASTION_ACCESS[cloud]?.sshAllowedInto === "jump-box" && jumpBox) || sessionSources.length > 0, "subnets", sessionSources,
        "must hold the bastion's subnet (AzureBastionSubnet): the jump box admits Bastion's SSH sessions from its range only");
    problems.throwIfAny();

    const access = BASTION_ACCESS[cloud];
    return {
        name, cloud, networkCidr: input.networkCidr, sshAllowedCidrs: [...sshAllowedCidrs], size, jumpBox,
        jumpBoxZone, sshPublicKey: input.sshPublicKey, zones: access.zonal ? [...zones] : [],
        sshIngress: access.sshAllowedInto === "instance" ? sshAllowedCidrs.map((cidr) => ({ name: sshIngressRuleName(name, cidr), cidr })) : [],
        jumpBoxRules: access.sshAllowedInto === "jump-box" && jumpBox
            ? jumpBoxRules(input.bastionSubnetCidrs ?? [], sshAllowedCidrs) : [],
        tags: { ...(input.tags ?? {}) },
    };
}

/** AWS: the child name of the rule admitting SSH from `cidr`: `<name>-sg-ssh-in-10-0-0-0-16`. */
export function sshIngressRuleName(name: string, cidr: string): string {
    return childName(childName(name, "sg"), "ssh-in", cidr.replace(/[./]/g, "-"));
}

/**
 * Azure: inbound rules of the jump box's NIC: SSH from Azure Bastion's own subnet and the given ranges, nothing else.
 * Bastion reaches a VM from the private addresses of AzureBastionSubnet, so that subnet (a /26) is the source the VM
 * must admit ("Ingress Traffic from Azure Bastion", https://learn.microsoft.com/azure/bastion/bastion-nsg), not the
 * whole network, which would let every app and data host SSH to the jump box.
 */
export function jumpBoxRules(bastionCidrs: readonly string[], sshAllowedCidrs: readonly string[]): ArmSecurityRule[] {
    const ssh = (name: string, priority: number, sources: readonly string[]): NsgRule => ({
        name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp",
        sourceAddressPrefixes: sources, destinationAddressPrefix: "*", destinationPortRanges: ["22"],
    });
    const rules: NsgRule[] = [
        ssh("AllowSshFromBastion", 100, bastionCidrs),
        ...(sshAllowedCidrs.length > 0 ? [ssh("AllowSshFromAllowedRanges", 110, sshAllowedCidrs)] : []),
        // Overrides Azure's default AllowVnetInBound, which would open every port to the whole VNet and peers.
        { name: "DenyAllInbound", priority: 4096, direction: "Inbound", access: "Deny", protocol: "*", sourceAddressPrefixes: ["*"], destinationAddressPrefix: "*", destinationPortRanges: ["*"] },
    ];
    return rules.map((rule) => armSecurityRule(rule));
}

function checkNetworkCidr(problems: Problems, text: string): void {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") problems.check(false, "network.cidrBlock", text, parsed);
    else problems.check(isPrivate(parsed), "network.cidrBlock", text, `is not private address space: use a range inside ${PRIVATE_RANGES.join(", ")}`);
}

/** `<type> <base64>[ <comment>]` with a key type both clouds accept. */
function checkSshPublicKey(problems: Problems, key: string): void {
    const [type, body] = key.trim().split(/\s+/);
    const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
    problems.check(SSH_KEY_TYPES.includes(type) && /^[A-Za-z0-9+/]+={0,2}$/.test(body ?? ""), "sshPublicKey", shown,
        `is not an OpenSSH public key of type ${SSH_KEY_TYPES.join(" or ")} ("<type> <base64> [comment]", the contents of a .pub file)`);
}

function checkAws(problems: Problems, input: BastionPlanInput, sshAllowedCidrs: readonly string[], jumpBox: boolean): void {
    const count = input.subnetIds.length;
    if (count < 2) {
        problems.add(`subnets: ${subnets(count)} given, but aws needs at least 2: the public subnets of 2 or more zones (the network's public tier), so the auto scaling group can replace the instance in another zone`);
    }
    problems.check(!jumpBox, "jumpBox", jumpBox,
        "is azure-only: on aws the bastion instance itself is the jump host; allow SSH to it with sshAllowedCidrs and sshPublicKey");
    problems.check(sshAllowedCidrs.length === 0 || input.sshPublicKey !== undefined, "sshPublicKey", input.sshPublicKey,
        "is required when sshAllowedCidrs is set: the instance accepts only key-based SSH logins");
    problems.check(input.jumpBoxSecurityGroupId === undefined, "jumpBoxSecurityGroupId", "set", "is azure-only: on aws sshAllowedCidrs open the instance's own security group");
}

function checkAzure(
    problems: Problems, input: BastionPlanInput, sshAllowedCidrs: readonly string[], jumpBox: boolean,
    zones: readonly string[], jumpBoxZone: string,
): void {
    const ids = input.subnetIds;
    if (ids.length !== 1) {
        problems.add(`subnets: ${subnets(ids.length)} given, but azure takes exactly one: the ${AZURE_BASTION_SUBNET_NAME} of the network (its bastion tier)`);
    } else {
        const id = ids[0];
        // An id known now is checked now; one known only at deployment is checked then (see the Azure implementation).
        if (typeof id === "string") problems.check(isAzureBastionSubnetId(id), "subnets[0].id", id, `is not an ${AZURE_BASTION_SUBNET_NAME}: Azure Bastion can only be deployed to a subnet named ${AZURE_BASTION_SUBNET_NAME}`);
    }
    if (jumpBox) {
        problems.check(input.sshPublicKey !== undefined, "sshPublicKey", input.sshPublicKey, "is required with jumpBox: the jump box accepts only key-based SSH logins (password login is disabled)");
        problems.check(input.jumpBoxSubnetId !== undefined, "jumpBoxSubnet", input.jumpBoxSubnetId, "is required with jumpBox: the network has no app subnet to put the jump box in");
        problems.oneOf("jumpBoxSubnet.zone", jumpBoxZone, AZURE_ZONES);
    }
    problems.check(jumpBox || sshAllowedCidrs.length === 0, "sshAllowedCidrs", sshAllowedCidrs,
        "apply on azure only to the jump box: set jumpBox to true, or leave sshAllowedCidrs empty (Azure Bastion itself is reached over HTTPS with Entra ID sign-in)");
    // The app subnet's NSG ends in DenyAllInbound: outside ranges reach the jump box only through its group's rule.
    problems.check(!jumpBox || sshAllowedCidrs.length === 0 || input.jumpBoxSecurityGroupId !== undefined, "jumpBoxSecurityGroupId", input.jumpBoxSecurityGroupId,
        "is required with sshAllowedCidrs on azure: the app subnet's NSG admits those ranges only to the jump box's application security group (Vpc3Az azure.jumpBoxSshCidrs and jumpBoxSecurityGroupId)");
    problems.check(input.jumpBoxSecurityGroupId === undefined || (jumpBox && sshAllowedCidrs.length > 0), "jumpBoxSecurityGroupId", "set",
        "does nothing without jumpBox and sshAllowedCidrs");
    if (!problems.check(new Set(zones).size === zones.length && zones.every((z) => AZURE_ZONES.includes(z)), "zones", zones,
        `must be distinct Azure zones: use a subset of ${AZURE_ZONES.join(", ")}, or [] for a regional Bastion`)) return;
    problems.check(zones.length !== 1, "zones", zones, "name a single zone: a zonal Bastion fails with its zone; use all of 1, 2, 3 for zone redundancy");
    if (zones.length > 0 && input.location !== undefined) {
        problems.check(AZURE_BASTION_ZONE_REGIONS.includes(input.location), "location", input.location,
            `does not offer zone-redundant Azure Bastion: use one of ${AZURE_BASTION_ZONE_REGIONS.join(", ")}, or set ${problems.path("zones")} to [] for a regional Bastion`);
    }
}

/** "1 subnet", "3 subnets": subnet ids may be Outputs, so messages show their count. */
const subnets = (count: number) => `${count} subnet${count === 1 ? "" : "s"}`;

/** True for the ARM id of a subnet named AzureBastionSubnet (Azure compares resource names case-insensitively). */
export function isAzureBastionSubnetId(id: string): boolean {
    return new RegExp(`/virtualNetworks/[^/]+/subnets/${AZURE_BASTION_SUBNET_NAME}$`, "i").test(id);
}
