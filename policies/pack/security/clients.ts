/**
 * Data stores admit only their clients: every address range a data store's
 * security group (AWS) or the data tier's NSG (Azure) lets in lies inside the
 * client tiers' subnets (the app tier by default), or is a security-group
 * reference. In a stack of several stamps, the client-tier subnets of another stamp count too when this stamp routes
 * their range through a VPC peering: a store there is reached across the peering by range, because a security group of
 * a peer VPC in another region cannot be referenced
 * (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html). A range the peering routes but no
 * client subnet holds (the other stamp's whole block, its data tier) is still refused.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DATA_STORE_TYPES, Types, at, configOf, dependenciesOf, label, list, ofTypes } from "../common";
import { Topology } from "../topology";
import { stackResources } from "../stamps";

const schema: PolicyConfigSchema = {
    properties: { clientTiers: { type: "array", items: { type: "string" }, default: ["app"], description: "Subnet tiers whose ranges may reach the data stores." } },
};

/** An IPv4 range as [first address, last address], or undefined when it is not an IPv4 CIDR. */
export function ipv4Range(cidr: string): [number, number] | undefined {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const first = base - (base % size);
    return [first, first + size - 1];
}

/** True when `inner` lies inside one of `outers`. */
export function within(inner: string, outers: readonly string[]): boolean {
    const i = ipv4Range(inner);
    return i !== undefined && outers.some((o) => { const r = ipv4Range(o); return r !== undefined && r[0] <= i[0] && i[1] <= r[1]; });
}

export const dataStoreClients: StackValidationPolicy = {
    name: "data-store-clients",
    description: "Data stores admit only their clients: address ranges let in to a data store lie inside the client tiers' subnets (default: app).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "network"],
    configSchema: schema,
    validateStack: (args, report) => {
        const { clientTiers } = configOf<{ clientTiers: string[] }>(args, schema);
        const stores = ofTypes(args, ...DATA_STORE_TYPES);
        if (stores.length === 0) args.notApplicable("the stack has no data stores");
        const topology = new Topology(args.resources);
        const clientRanges = (t: Topology) => t.subnets().filter((s) => clientTiers.includes(s.tier)).map((s) => String(s.resource.props.cidrBlock ?? s.resource.props.addressPrefix ?? ""));
        const peered = peeredRanges(args.resources);
        const clients = [...clientRanges(topology), ...clientRanges(new Topology([...stackResources(args)])).filter((c) => !within(c, clientRanges(topology)) && within(c, peered))];
        const check = (owner: PolicyResource, where: string, sources: string[]) => {
            const outside = sources.filter((s) => !within(s, clients));
            if (outside.length > 0) report(`${label(owner)}${where}: admits ${outside.join(", ")}, outside the ${clientTiers.join("/")} subnets (${clients.join(", ") || "none"})`, owner.urn);
        };
        for (const group of storeSecurityGroups(args.resources, stores)) {
            list<Record<string, unknown>>(group.props.ingress).forEach((rule, i) => check(group, ` ingress[${i}]`, [...list<string>(rule.cidrBlocks), ...list<string>(rule.ipv6CidrBlocks)]));
            for (const rule of args.resources.filter((r) => (r.type === Types.AwsIngressRule || r.type === Types.AwsSecurityGroupRule) && dependenciesOf(r, "securityGroupId").some((d) => d.urn === group.urn))) {
                if (rule.type === Types.AwsSecurityGroupRule && rule.props.type !== "ingress") continue;
                check(rule, "", [rule.props.cidrIpv4, rule.props.cidrIpv6, ...list(rule.props.cidrBlocks)].filter((s): s is string => typeof s === "string"));
            }
        }
        if (stores.some((s) => s.type.startsWith("azure-native:"))) {
            for (const nsg of dataTierNsgs(topology)) {
                for (const rule of list<Record<string, unknown>>(nsg.props.securityRules).filter((r) => r.direction === "Inbound" && r.access === "Allow")) {
                    check(nsg, ` rule ${String(rule.name ?? "?")}`, [rule.sourceAddressPrefix, ...list(rule.sourceAddressPrefixes)].filter((s): s is string => typeof s === "string"));
                }
            }
        }
    },
};

/** The destinations this stamp routes through a VPC peering (its routes naming a peering or its accepter). */
function peeredRanges(resources: readonly PolicyResource[]): string[] {
    return resources.filter((r) => r.type === Types.AwsRoute && dependenciesOf(r, "vpcPeeringConnectionId").some((d) => PEERING_TYPES.includes(d.type)))
        .map((r) => String(r.props.destinationCidrBlock ?? ""));
}
const PEERING_TYPES: readonly string[] = [Types.AwsPeeringConnection, Types.AwsPeeringAccepter];

/** The security groups attached to the AWS data stores. */
function storeSecurityGroups(resources: readonly PolicyResource[], stores: PolicyResource[]): PolicyResource[] {
    const groups = stores.flatMap((s) => ["securityGroupIds", "vpcSecurityGroupIds", "brokerNodeGroupInfo"].flatMap((p) => dependenciesOf(s, p)))
        .filter((d) => d.type === Types.AwsSecurityGroup);
    return resources.filter((r) => groups.some((g) => g.urn === r.urn));
}

/** The NSGs of the Azure data subnets, where the data stores' private endpoints live. */
function dataTierNsgs(topology: Topology): PolicyResource[] {
    return topology.subnets().filter((s) => s.tier === "data" && s.resource.type === Types.AzureSubnet)
        .flatMap((s) => dependenciesOf(s.resource, "networkSecurityGroup"))
        .filter((n, i, all) => all.findIndex((m) => m.urn === n.urn) === i && at(n.props, "securityRules") !== undefined);
}
