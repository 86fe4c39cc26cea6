/**
 * What the Azure NSGs admit beyond the layout itself: the overlay pod ranges of
 * clusters in the app tier and extra data-tier ports. Validated here so that a
 * wrong value fails before anything is created, naming the arg.
 */
import { Cloud, PerCloud } from "../common/cloud";
import { isPortRange } from "../common/ports";
import { Problems } from "../common/validation";
import { Ipv4Cidr, isPrivate, overlaps, parseCidr } from "./cidr";
import type { NsgExtras } from "./nsgRules";

/** The Azure-only admission args of Vpc3Az: its `azure` group (`Vpc3AzAzureArgs`). */
export interface AzureAdmissionInput {
    podCidrs?: readonly string[];
    dataPorts?: readonly string[];
    jumpBoxSshCidrs?: readonly string[];
    ingressFromFrontDoorOnly?: boolean;
}

/** Per cloud, whether the network's NSGs admit the tiers (Azure) or each component's security group does (AWS). */
const ADMITS_BY_NSG: PerCloud<boolean> = { aws: false, azure: true };

/**
 * Why each Azure admission arg does nothing on AWS, for the `azure` group's rules (`NETWORK_CLOUD_ARGS`): given
 * on AWS it is an error, reported by `resolveCloudArgs` before this planner runs.
 */
export const AZURE_ADMISSION_ELSEWHERE: Readonly<Record<keyof AzureAdmissionInput, string>> = {
    jumpBoxSshCidrs: "on aws the bastion's own security group admits SSH; remove it",
    podCidrs: "on aws pods take VPC addresses and security groups filter them; remove it",
    dataPorts: "on aws each data store opens its own port in its security group; remove it",
    ingressFromFrontDoorOnly: "on aws the load balancer's own security group admits its clients; remove it",
};

/**
 * Checks the Azure admission args (the resolved `azure` group: empty on AWS, where its keys are errors) and returns
 * them planned. `problems` names each key as the user wrote it (`azure.podCidrs[0]`).
 */
export function planAzureAdmission(
    problems: Problems, cloud: Cloud, network: Ipv4Cidr | undefined, cidrText: string, avoidCidrs: readonly string[], input: AzureAdmissionInput,
): NsgExtras {
    const podCidrs = input.podCidrs ?? [];
    const dataPorts = input.dataPorts ?? [];
    const jumpBoxSshCidrs = input.jumpBoxSshCidrs ?? [];
    if (!ADMITS_BY_NSG[cloud]) return { podCidrs: [], dataPorts: [], jumpBoxSshCidrs: [] };
    podCidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `podCidrs[${i}]`, text, parsed);
        else if (problems.check(isPrivate(parsed), `podCidrs[${i}]`, text, "is not private address space")) {
            // AKS requires the overlay pod range to stay clear of the cluster's subnets (concepts-network-azure-cni-overlay).
            problems.check(network === undefined || !overlaps(parsed, network), `podCidrs[${i}]`, text, `overlaps cidrBlock ${cidrText}: an overlay pod range must be outside the network`);
            // Nor may it overlap connected networks (peerings, VPN): their routes would shadow the pods'.
            for (const avoided of avoidCidrs) {
                const other = parseCidr(avoided);
                if (typeof other !== "string") problems.check(!overlaps(parsed, other), `podCidrs[${i}]`, text, `overlaps avoidCidrs range ${avoided}, a connected network`);
            }
        }
    });
    dataPorts.forEach((port, i) => problems.check(isPortRange(port), `dataPorts[${i}]`, port, "is not a port or a port range such as 8500-8599"));
    jumpBoxSshCidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `jumpBoxSshCidrs[${i}]`, text, parsed);
        else problems.check(parsed.prefix > 0, `jumpBoxSshCidrs[${i}]`, text, "opens SSH to the whole internet: list your operators' ranges");
    });
    return { podCidrs: [...podCidrs], dataPorts: [...dataPorts], jumpBoxSshCidrs: [...jumpBoxSshCidrs], ingressFromFrontDoorOnly: input.ingressFromFrontDoorOnly ?? false };
}
