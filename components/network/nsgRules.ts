/**
 * Least-privilege network security group rules for the Azure tiers, as plain
 * data, and their ARM field form. Every NSG ends with an explicit deny so
 * Azure's default "AllowVnetInBound" does not open one tier to every other.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPortRange } from "../common/ports";
import { NetworkPlan, subnetsOf } from "./networkPlan";
import { Tier } from "./layout";
import { parseCidr } from "./cidr";

/** One NSG rule as planned: address and port lists, before they take ARM's field form ({@link armSecurityRule}). */
export interface NsgRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound" | "Outbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: "Tcp" | "Udp" | "*";
    readonly sourceAddressPrefixes: readonly string[];
    readonly destinationAddressPrefix: string;
    readonly destinationPortRanges: readonly string[];
    /** Instead of the address: the members of the network's jump box application security group. */
    readonly destinationJumpBox?: boolean;
}

/** A security rule in the fields ARM takes: each address and port is either the singular or the list field, never both. */
export interface ArmSecurityRule {
    name: string;
    priority: number;
    direction: string;
    access: string;
    protocol: string;
    sourceAddressPrefix?: string;
    sourceAddressPrefixes?: string[];
    destinationAddressPrefix?: string;
    destinationAddressPrefixes?: string[];
    destinationApplicationSecurityGroups?: { id: pulumi.Input<string> }[];
    sourcePortRange?: string;
    sourcePortRanges?: string[];
    destinationPortRange?: string;
    destinationPortRanges?: string[];
}

/**
 * Ports of the Azure data services reached through private endpoints in the data tier:
 * Azure Managed Redis (10000), Cosmos DB for MongoDB (10255), Event Hubs' Kafka
 * endpoint (9093) and its AMQP/HTTPS management ports (5671, 443).
 */
export const AZURE_DATA_PORTS: readonly string[] = ["10000", "10255", "9093", "5671", "443"];

/** Azure's health-probe and platform source (168.63.129.16): a service tag, so only in a singular field. */
const AZURE_LOAD_BALANCER = "AzureLoadBalancer";

/** Whether a value may go in a list field: ARM's lists take only addresses and address ranges (no service tag, no `*`). */
export function isListableAddress(value: string): boolean {
    return typeof parseCidr(value.includes("/") ? value : `${value}/32`) !== "string";
}

/**
 * The ARM form of one value list: a single value goes in the singular field, several in the list
 * field. A service tag (`Internet`, `VirtualNetwork`, ...) or `*` is accepted only in the singular
 * field: ARM rejects it in a list with SecurityRuleParameterContainsUnsupportedValue
 * (hashicorp/terraform-provider-azurerm#5617), so a list that holds one is a planning error.
 */
function field(rule: string, what: string, values: readonly string[], listable: (v: string) => boolean): [string | undefined, string[] | undefined] {
    if (values.length === 0) throw new Error(`NSG rule ${rule}: no ${what}`);
    if (values.length === 1) return [values[0], undefined];
    const bad = values.filter((v) => !listable(v));
    if (bad.length > 0) throw new Error(`NSG rule ${rule}: ${bad.join(", ")} cannot be in the ${what} list (ARM takes service tags and * only in the singular field); split the rule`);
    return [undefined, [...values]];
}

/** The rule in ARM's field form; sources on any port. `jumpBoxGroupId` is the jump box's application security group. */
export function armSecurityRule(rule: NsgRule, jumpBoxGroupId?: pulumi.Input<string>): ArmSecurityRule {
    const [sourceAddressPrefix, sourceAddressPrefixes] = field(rule.name, "source address", rule.sourceAddressPrefixes, isListableAddress);
    const [destinationPortRange, destinationPortRanges] = field(rule.name, "destination port", rule.destinationPortRanges, isPortRange);
    const arm: ArmSecurityRule = {
        name: rule.name, priority: rule.priority, direction: rule.direction, access: rule.access, protocol: rule.protocol,
        sourcePortRange: "*",
    };
    if (rule.destinationJumpBox) {
        if (jumpBoxGroupId === undefined) throw new Error(`NSG rule ${rule.name}: no jump box application security group`);
        // An application security group replaces the destination address: ARM takes one or the other.
        arm.destinationApplicationSecurityGroups = [{ id: jumpBoxGroupId }];
    } else {
        arm.destinationAddressPrefix = rule.destinationAddressPrefix;
    }
    // Only the fields that are set: an explicit undefined is sent as an empty value on some paths.
    if (sourceAddressPrefix !== undefined) arm.sourceAddressPrefix = sourceAddressPrefix;
    if (sourceAddressPrefixes !== undefined) arm.sourceAddressPrefixes = sourceAddressPrefixes;
    if (destinationPortRange !== undefined) arm.destinationPortRange = destinationPortRange;
    if (destinationPortRanges !== undefined) arm.destinationPortRanges = destinationPortRanges;
    return arm;
}

const rule = (
    name: string, priority: number, protocol: NsgRule["protocol"], sources: readonly string[], ports: readonly string[],
    direction: NsgRule["direction"] = "Inbound", destination = "*",
): NsgRule => ({
    name, priority, direction, access: "Allow", protocol, sourceAddressPrefixes: sources,
    destinationAddressPrefix: destination, destinationPortRanges: ports,
});
const allow = (name: string, priority: number, sources: readonly string[], ports: readonly string[], direction: NsgRule["direction"] = "Inbound", destination = "*"): NsgRule =>
    rule(name, priority, "Tcp", sources, ports, direction, destination);
const denyAllInbound: NsgRule = {
    name: "DenyAllInbound", priority: 4096, direction: "Inbound", access: "Deny", protocol: "*",
    sourceAddressPrefixes: ["*"], destinationAddressPrefix: "*", destinationPortRanges: ["*"],
};

/** What the NSGs admit beyond the layout itself. */
export interface NsgExtras {
    /** Overlay pod ranges of clusters in the app tier (Azure CNI Overlay). */
    readonly podCidrs: readonly string[];
    /** Ports the data tier opens to the app tier beyond {@link AZURE_DATA_PORTS}. */
    readonly dataPorts: readonly string[];
    /** Ranges admitted on SSH to the jump box's application security group only. */
    readonly jumpBoxSshCidrs: readonly string[];
    /** Whether the ingress admits only Azure Front Door's back ends (the forward cache is its only client). */
    readonly ingressFromFrontDoorOnly?: boolean;
}

/** The service tag of the addresses Azure Front Door reaches origins from (https://learn.microsoft.com/azure/frontdoor/origin-security). */
export const FRONT_DOOR_BACKEND = "AzureFrontDoor.Backend";

/** NSG rules per NSG role: `public`, `app`, `data` and `bastion`. */
export function nsgRulesFor(plan: NetworkPlan, extras: NsgExtras = { podCidrs: [], dataPorts: [], jumpBoxSshCidrs: [] }): Record<Tier | "bastion", NsgRule[]> {
    const cidrs = (tier: Tier | "bastion") => plan.subnets.filter((s) => s.tier === tier).map((s) => s.cidr);
    const appCidrs = subnetsOf(plan, Tier.App).map((s) => s.cidr);
    return {
        // Application Gateway v2: clients on 80/443, and the infrastructure ports Azure requires.
        [Tier.Public]: [
            allow("AllowHttpsFromInternet", 100, ["Internet"], ["80", "443"]),
            allow("AllowGatewayManager", 110, ["GatewayManager"], ["65200-65535"]),
            rule("AllowAzureLoadBalancer", 120, "*", [AZURE_LOAD_BALANCER], ["*"]),
            denyAllInbound,
        ],
        // Kubernetes workers: traffic from the gateway, between workers and pods, probes, SSH from the
        // bastion, and HTTP(S) to the managed ingress.
        [Tier.App]: [
            allow("AllowFromGateway", 100, cidrs(Tier.Public), ["*"]),
            // Every protocol: pods resolve names with CoreDNS over UDP 53, and with Azure CNI Overlay
            // pod-to-pod and node-to-pod traffic is not encapsulated, so the subnet NSG filters it
            // (node and pod ranges to each other on all ports and protocols:
            // https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay).
            rule("AllowWithinAppTier", 110, "*", [...appCidrs, ...extras.podCidrs], ["*"]),
            // The load balancer's health probes and Azure's platform address 168.63.129.16 (DNS, DHCP,
            // health); DenyAllInbound would otherwise drop them.
            rule("AllowAzureLoadBalancer", 120, "*", [AZURE_LOAD_BALANCER], ["*"]),
            allow("AllowSshFromBastion", 130, cidrs("bastion"), ["22"]),
            // The jump box's sshAllowedCidrs pass this NSG too, to the jump box alone (its NIC joins the group).
            ...(extras.jumpBoxSshCidrs.length > 0
                ? [{ ...allow("AllowSshToJumpBox", 135, extras.jumpBoxSshCidrs, ["22"]), destinationJumpBox: true }]
                : []),
            // The cluster's managed ingress (AKS application routing) sits behind a public Standard load
            // balancer, which delivers client traffic to the workers with the client's own address.
            // With the Front Door forward cache in front, only Front Door's back ends may reach it, or clients bypass
            // the cache (https://learn.microsoft.com/azure/frontdoor/origin-security).
            allow("AllowHttpsToIngress", 140, [extras.ingressFromFrontDoorOnly ? FRONT_DOOR_BACKEND : "Internet"], ["80", "443"]),
            denyAllInbound,
        ],
        // Private endpoints of the data services: only the app tier, only the data ports.
        [Tier.Data]: [
            allow("AllowDataPortsFromAppTier", 100, appCidrs, [...AZURE_DATA_PORTS, ...extras.dataPorts]),
            denyAllInbound,
        ],
        // The rules Azure Bastion documents as required for AzureBastionSubnet.
        bastion: [
            allow("AllowHttpsInbound", 120, ["Internet"], ["443"]),
            allow("AllowGatewayManagerInbound", 130, ["GatewayManager"], ["443"]),
            allow("AllowAzureLoadBalancerInbound", 140, [AZURE_LOAD_BALANCER], ["443"]),
            rule("AllowBastionHostCommunication", 150, "*", ["VirtualNetwork"], ["8080", "5701"], "Inbound", "VirtualNetwork"),
            rule("AllowSshRdpOutbound", 100, "*", ["*"], ["22", "3389"], "Outbound", "VirtualNetwork"),
            allow("AllowAzureCloudOutbound", 110, ["*"], ["443"], "Outbound", "AzureCloud"),
            rule("AllowBastionCommunication", 120, "*", ["VirtualNetwork"], ["8080", "5701"], "Outbound", "VirtualNetwork"),
            rule("AllowHttpOutbound", 130, "*", ["*"], ["80"], "Outbound", "Internet"),
        ],
    };
}
