/**
 * For tests: evaluates an Azure flow against the NSGs of a plan the way Azure
 * does (rules by priority, first match decides, then Azure's default rules),
 * so a test can ask "does a pod's DNS query reach CoreDNS?" of a real stack plan.
 * Inbound only: the NSGs here add no outbound deny, so Azure's default
 * outbound rules apply.
 */
import { cidrContains as contains, Ipv4Cidr, mustParseCidr } from "../../components/network";
import { Plan, PlannedResource } from "../../engine/format";

/** One flow: its source and destination addresses, protocol and destination port. */
export interface Flow {
    readonly from: string;
    readonly to: string;
    readonly protocol: "Tcp" | "Udp";
    readonly port: number;
    /** The application security groups the destination's NIC is in. */
    readonly toGroups?: readonly string[];
}

type Rule = Record<string, unknown>;

/** Azure's platform address behind the AzureLoadBalancer tag (probes, DNS, DHCP). */
export const AZURE_PLATFORM_ADDRESS = "168.63.129.16";

/** Azure's default inbound rules, below every custom rule (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules). */
const DEFAULT_INBOUND: Rule[] = [
    { name: "AllowVnetInBound", priority: 65000, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRange: "*" },
    { name: "AllowAzureLoadBalancerInBound", priority: 65001, direction: "Inbound", access: "Allow", protocol: "*", sourceAddressPrefix: "AzureLoadBalancer", destinationAddressPrefix: "*", destinationPortRange: "*" },
    { name: "DenyAllInBound", priority: 65500, direction: "Inbound", access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRange: "*" },
];

const toNumber = (ip: string) => mustParseCidr(`${ip}/32`).base;
const strings = (single: unknown, list: unknown): string[] => [
    ...(typeof single === "string" ? [single] : []), ...(Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : []),
];

/** The address spaces behind the service tags the NSGs use, for this plan's network. */
export class AzureAddressSpace {
    constructor(private readonly vnet: readonly Ipv4Cidr[]) {}

    static of(plan: Plan): AzureAddressSpace {
        const vnet = plan.resources.find((r) => r.type === "azure-native:network:VirtualNetwork");
        const prefixes = ((vnet?.inputs.addressSpace as { addressPrefixes?: string[] } | undefined)?.addressPrefixes ?? []);
        return new AzureAddressSpace(prefixes.map(mustParseCidr));
    }

    matches(prefix: string, ip: string): boolean {
        const address = toNumber(ip);
        const inVnet = this.vnet.some((c) => contains(c, { base: address, prefix: 32 }));
        switch (prefix) {
            case "*": return true;
            case "VirtualNetwork": return inVnet;
            case "AzureLoadBalancer": return ip === AZURE_PLATFORM_ADDRESS;
            // Public address space: anything outside the private ranges and the VNet.
            case "Internet": return !inVnet && !["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].some((c) => contains(mustParseCidr(c), { base: address, prefix: 32 }));
            default:
                if (/^[A-Za-z]/.test(prefix)) throw new Error(`service tag ${prefix} is not modelled`);
                return contains(mustParseCidr(prefix.includes("/") ? prefix : `${prefix}/32`), { base: address, prefix: 32 });
        }
    }
}

const portMatches = (range: string, port: number) => {
    if (range === "*") return true;
    const [from, to = from] = range.split("-").map(Number);
    return from <= port && port <= to;
};

/** A rule's destination: its application security groups when it names any, else its addresses. */
function destinationMatches(rule: Rule, flow: Flow, space: AzureAddressSpace): boolean {
    const groups = (rule.destinationApplicationSecurityGroups ?? []) as { id: string }[];
    if (groups.length > 0) return groups.some((g) => (flow.toGroups ?? []).includes(g.id));
    return strings(rule.destinationAddressPrefix, rule.destinationAddressPrefixes).some((p) => space.matches(p, flow.to));
}

/** The rule of `nsg` that decides an inbound `flow`, custom rules first, then Azure's defaults. */
export function decidingRule(nsg: PlannedResource, flow: Flow, space: AzureAddressSpace): Rule {
    const custom = ((nsg.inputs.securityRules ?? []) as Rule[]).filter((r) => r.direction === "Inbound");
    const rules = [...custom].sort((a, b) => Number(a.priority) - Number(b.priority)).concat(DEFAULT_INBOUND);
    const found = rules.find((r) =>
        (r.protocol === "*" || r.protocol === flow.protocol)
        && strings(r.sourceAddressPrefix, r.sourceAddressPrefixes).some((p) => space.matches(p, flow.from))
        && destinationMatches(r, flow, space)
        && strings(r.destinationPortRange, r.destinationPortRanges).some((p) => portMatches(p, flow.port)));
    return found!;
}

/** Whether the NSG of the subnet named `subnetName` (the plan's logical name) admits `flow`; the deciding rule's name otherwise. */
export function admits(plan: Plan, subnetName: string, flow: Flow): true | string {
    const subnet = plan.resources.find((r) => r.type === "azure-native:network:Subnet" && r.name === subnetName);
    if (!subnet) throw new Error(`no subnet ${subnetName}`);
    const nsgId = (subnet.inputs.networkSecurityGroup as { id?: string } | undefined)?.id;
    const nsg = plan.resources.find((r) => r.type === "azure-native:network:NetworkSecurityGroup" && r.id === nsgId);
    if (!nsg) return true;
    return admitsAt(nsg, flow, AzureAddressSpace.of(plan));
}

/** Whether `nsg` admits an inbound `flow`; the deciding rule's name otherwise. */
export function admitsAt(nsg: PlannedResource, flow: Flow, space: AzureAddressSpace): true | string {
    const rule = decidingRule(nsg, flow, space);
    return rule.access === "Allow" ? true : `denied by ${String(rule.name)}`;
}

/** The n-th address of a CIDR, e.g. a node or pod address for a flow. */
export function addressIn(cidr: string, n: number): string {
    const base = mustParseCidr(cidr).base + n;
    return [24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join(".");
}
