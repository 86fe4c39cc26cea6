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

/** The Azure-only admission args of Vpc3Az. */
export interface AzureAdmissionInput {
    avoidCidrs?: readonly string[];
    podCidrs?: readonly string[];
    dataPorts?: readonly string[];
    jumpBoxSshCidrs?: readonly string[];
    ingressFromFrontDoorOnly?: boolean;
}

/** Per cloud, whether the network's NSGs admit the tiers (Azure) or each component's security group does (AWS). */
const ADMITS_BY_NSG: PerCloud<boolean> = { aws: false, azure: true };

/** Checks the Azure admission args (an error on AWS, where they would do nothing) and returns them planned. */
export function planAzureAdmission(problems: Problems, cloud: Cloud, network: Ipv4Cidr | undefined, cidrText: string, input: AzureAdmissionInput): NsgExtras {
    const podCidrs = input.podCidrs ?? [];
    const dataPorts = input.dataPorts ?? [];
    const jumpBoxSshCidrs = input.jumpBoxSshCidrs ?? [];
    if (!ADMITS_BY_NSG[cloud]) {
        problems.check(jumpBoxSshCidrs.length === 0, "jumpBoxSshCidrs", jumpBoxSshCidrs, "is for azure only: on aws the bastion's own security group admits SSH");
        problems.check(podCidrs.length === 0, "podCidrs", podCidrs, "is for azure only: on aws pods take VPC addresses and security groups filter them");
        problems.check(dataPorts.length === 0, "dataPorts", dataPorts, "is for azure only: on aws each data store opens its own port in its security group");
        problems.check(!input.ingressFromFrontDoorOnly, "ingressFromFrontDoorOnly", input.ingressFromFrontDoorOnly,
            "is for azure only: on aws the load balancer's own security group admits its clients");
        return { podCidrs: [], dataPorts: [], jumpBoxSshCidrs: [] };
    }
    podCidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `podCidrs[${i}]`, text, parsed);
        else if (problems.check(isPrivate(parsed), `podCidrs[${i}]`, text, "is not private address space")) {
            // AKS requires the overlay pod range to stay clear of the cluster's subnets (concepts-network-azure-cni-overlay).
            problems.check(network === undefined || !overlaps(parsed, network), `podCidrs[${i}]`, text, `overlaps cidrBlock ${cidrText}: an overlay pod range must be outside the network`);
            // Nor may it overlap connected networks (peerings, VPN): their routes would shadow the pods'.
            for (const avoided of input.avoidCidrs ?? []) {
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
