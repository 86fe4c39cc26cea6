/**
 * Least-privilege network security group rules for the Azure tiers, as plain
 * data. Every NSG ends with an explicit deny so Azure's default
 * "AllowVnetInBound" does not open one tier to every other.
 */
import { NetworkPlan, subnetsOf } from "./networkPlan";
import { Tier } from "./layout";

/** One NSG rule, in the shape `azure-native` takes. */
export interface NsgRule {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound" | "Outbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: "Tcp" | "Udp" | "*";
    readonly sourceAddressPrefixes: readonly string[];
    readonly destinationAddressPrefix: string;
    readonly destinationPortRanges: readonly string[];
}

/**
 * Ports of the Azure data services reached through private endpoints in the data tier:
 * Azure Managed Redis (10000), Cosmos DB for MongoDB (10255), Event Hubs' Kafka
 * endpoint (9093) and its AMQP/HTTPS management ports (5671, 443).
 */
export const AZURE_DATA_PORTS: readonly string[] = ["10000", "10255", "9093", "5671", "443"];

const allow = (name: string, priority: number, sources: readonly string[], ports: readonly string[], direction: NsgRule["direction"] = "Inbound", destination = "*"): NsgRule => ({
    name, priority, direction, access: "Allow", protocol: "Tcp", sourceAddressPrefixes: sources,
    destinationAddressPrefix: destination, destinationPortRanges: ports,
});
const denyAllInbound: NsgRule = {
    name: "DenyAllInbound", priority: 4096, direction: "Inbound", access: "Deny", protocol: "*",
    sourceAddressPrefixes: ["*"], destinationAddressPrefix: "*", destinationPortRanges: ["*"],
};

/** NSG rules per NSG role: `public`, `app`, `data` and `bastion`. */
export function nsgRulesFor(plan: NetworkPlan): Record<Tier | "bastion", NsgRule[]> {
    const cidrs = (tier: Tier | "bastion") => plan.subnets.filter((s) => s.tier === tier).map((s) => s.cidr);
    const appCidrs = subnetsOf(plan, Tier.App).map((s) => s.cidr);
    return {
        // Application Gateway v2: clients on 80/443, and the infrastructure ports Azure requires.
        [Tier.Public]: [
            allow("AllowHttpsFromInternet", 100, ["Internet"], ["80", "443"]),
            allow("AllowGatewayManager", 110, ["GatewayManager"], ["65200-65535"]),
            allow("AllowAzureLoadBalancer", 120, ["AzureLoadBalancer"], ["*"]),
            denyAllInbound,
        ],
        // Kubernetes workers: traffic from the gateway, between workers, probes, SSH from the bastion, and
        // HTTP(S) to the managed ingress.
        [Tier.App]: [
            allow("AllowFromGateway", 100, cidrs(Tier.Public), ["*"]),
            allow("AllowWithinAppTier", 110, appCidrs, ["*"]),
            allow("AllowAzureLoadBalancer", 120, ["AzureLoadBalancer"], ["*"]),
            allow("AllowSshFromBastion", 130, cidrs("bastion"), ["22"]),
            // The cluster's managed ingress (AKS application routing) sits behind a public Standard load
            // balancer, which delivers client traffic to the workers with the client's own address.
            allow("AllowHttpsToIngress", 140, ["Internet"], ["80", "443"]),
            denyAllInbound,
        ],
        // Private endpoints of the data services: only the app tier, only the data ports.
        [Tier.Data]: [
            allow("AllowDataPortsFromAppTier", 100, appCidrs, AZURE_DATA_PORTS),
            denyAllInbound,
        ],
        // The rules Azure Bastion documents as required for AzureBastionSubnet.
        bastion: [
            allow("AllowHttpsInbound", 120, ["Internet"], ["443"]),
            allow("AllowGatewayManagerInbound", 130, ["GatewayManager"], ["443"]),
            allow("AllowAzureLoadBalancerInbound", 140, ["AzureLoadBalancer"], ["443"]),
            allow("AllowBastionHostCommunication", 150, ["VirtualNetwork"], ["8080", "5701"], "Inbound", "VirtualNetwork"),
            allow("AllowSshRdpOutbound", 100, ["*"], ["22", "3389"], "Outbound", "VirtualNetwork"),
            allow("AllowAzureCloudOutbound", 110, ["*"], ["443"], "Outbound", "AzureCloud"),
            allow("AllowBastionCommunication", 120, ["VirtualNetwork"], ["8080", "5701"], "Outbound", "VirtualNetwork"),
            allow("AllowHttpOutbound", 130, ["*"], ["80"], "Outbound", "Internet"),
        ],
    };
}
