/**
 * No ingress open to the internet, judged by the address space a rule admits (see
 * `components/network/exposure.ts`: a /0, Azure's `*`/`Internet`, or more than a /16 of public
 * addresses, summed over one firewall's rules per port), except
 * HTTP/HTTPS on public load balancers and HTTPS on AzureBastionSubnet, which
 * Azure Bastion documents as required. On Azure a cluster whose managed ingress
 * (application routing) is external is a public load balancer in front of the
 * app tier, so the app tier's NSG may admit HTTP/HTTPS.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { albOf } from "../albIngress";
import { TagKeys, Types, at, dependenciesOf, label, list, ofTypes } from "../common";
import { describeExposure, exposureOf } from "../shared/exposure";
import { Topology } from "../topology";

const WEB_PORTS = ["80", "443"];

/** One inbound allow rule as address sources and port ranges (`"80"`, `"1000-2000"`, `"*"`). */
interface Ingress { where: string; sources: string[]; ports: string[] }

export const noWorldIngress: StackValidationPolicy = {
    name: "no-world-ingress",
    description: "No ingress open to the internet (judged by the public address space a rule admits: a /0, a world tag, or more than a /16 of public addresses, also summed over the rules of one security group or NSG per port), except ports 80/443 on public load balancers and 443 on AzureBastionSubnet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "network"],
    validateStack: (args, report) => {
        const topology = new Topology(args.resources);
        const publicLbGroups = new Set(ofTypes(args, Types.AwsLoadBalancer, Types.AwsAlbLoadBalancer)
            .filter((lb) => lb.props.internal !== true)
            .flatMap((lb) => dependenciesOf(lb, "securityGroups").map((g) => g.urn)));
        const externalAksIngress = ofTypes(args, Types.AzureManagedCluster)
            .some((c) => at(c.props, "ingressProfile.webAppRouting.nginx.defaultIngressControllerType") === "External");
        // Rules of one firewall add up: two halves of the internet on port 22 in two rules are the internet on port 22.
        const perFirewall = new Map<string, { resource: PolicyResource; port: string; sources: string[]; allowed: string[] }>();
        for (const r of args.resources) {
            const rules = ingressOf(r);
            if (rules.length === 0) continue;
            const allowed = allowedWorldPorts(r, publicLbGroups, topology, externalAksIngress);
            for (const rule of rules) {
                const exposure = exposureOf(rule.sources);
                const bad = rule.ports.filter((p) => !allowed.includes(p));
                if (exposure.worldOpen && bad.length > 0) {
                    report(`${label(r)}${rule.where}: admits ${rule.sources.join(", ")} on port(s) ${bad.join(", ")} (they ${describeExposure(exposure)})` +
                        (allowed.length > 0 ? `; only ${allowed.join(", ")} may be open here` : "; nothing may be open to the world here"), r.urn);
                    continue;
                }
                for (const port of bad) {
                    const firewall = firewallOf(r);
                    const key = `${firewall.urn}|${port}`;
                    const entry = perFirewall.get(key) ?? { resource: firewall, port, sources: [], allowed };
                    entry.sources.push(...rule.sources);
                    perFirewall.set(key, entry);
                }
            }
        }
        for (const { resource, port, sources, allowed } of perFirewall.values()) {
            const exposure = exposureOf(sources);
            if (!exposure.worldOpen) continue;
            report(`${label(resource)}: its rules together admit ${[...new Set(sources)].join(", ")} on port ${port} (they ${describeExposure(exposure)})` +
                (allowed.length > 0 ? `; only ${allowed.join(", ")} may be open here` : "; nothing may be open to the world here"), resource.urn);
        }
    },
};

/** The firewall a rule belongs to: a separate rule resource's security group or NSG, else the resource itself. */
function firewallOf(r: PolicyResource): PolicyResource {
    const parent = r.type === Types.AwsIngressRule || r.type === Types.AwsSecurityGroupRule ? dependenciesOf(r, "securityGroupId")[0]
        : r.type === Types.AzureSecurityRule ? dependenciesOf(r, "networkSecurityGroupName")[0] : undefined;
    return parent ?? r;
}

/** Ports that may be open to the world on this resource, by what the rule protects. */
function allowedWorldPorts(r: PolicyResource, publicLbGroups: Set<string>, topology: Topology, externalAksIngress: boolean): string[] {
    // The controller opens an internet-facing ALB's listen ports to its inbound CIDRs.
    if (r.type === Types.K8sIngress) return albOf(r.props)?.internetFacing ? WEB_PORTS : [];
    const group = r.type === Types.AwsSecurityGroup ? r : dependenciesOf(r, "securityGroupId")[0];
    if (group && publicLbGroups.has(group.urn)) return WEB_PORTS;
    const nsg = r.type === Types.AzureNsg ? r : r.type === Types.AzureSecurityRule ? dependenciesOf(r, "networkSecurityGroupName")[0] : undefined;
    if (!nsg) return [];
    const tiers = topology.subnets().filter((s) => dependenciesOf(s.resource, "networkSecurityGroup").some((d) => d.urn === nsg.urn)).map((s) => s.tier);
    const tagged = String(at(nsg.props, `tags.${TagKeys.Tier}`) ?? "");
    const roles = tiers.length > 0 ? tiers : [tagged];
    if (roles.includes("bastion")) return ["443"];
    if (roles.includes("public")) return WEB_PORTS;
    if (roles.includes("app") && externalAksIngress) return WEB_PORTS;
    return [];
}

/** Inbound allow rules of a security group, a security group rule, an NSG or an NSG rule. */
function ingressOf(r: PolicyResource): Ingress[] {
    const p = r.props;
    switch (r.type) {
        case Types.AwsSecurityGroup:
            return list<Record<string, unknown>>(p.ingress).map((x, i) => ({ where: ` ingress[${i}]`, sources: awsSources(x.cidrBlocks, x.ipv6CidrBlocks), ports: awsPorts(x.protocol, x.fromPort, x.toPort) }));
        case Types.AwsSecurityGroupRule:
            return p.type === "ingress" ? [{ where: "", sources: awsSources(p.cidrBlocks, p.ipv6CidrBlocks), ports: awsPorts(p.protocol, p.fromPort, p.toPort) }] : [];
        case Types.AwsIngressRule:
            return [{ where: "", sources: [p.cidrIpv4, p.cidrIpv6].filter((s): s is string => typeof s === "string"), ports: awsPorts(p.ipProtocol, p.fromPort, p.toPort) }];
        case Types.AzureNsg:
            return list<Record<string, unknown>>(p.securityRules).flatMap((x) => azureIngress(x, ` rule ${String(x.name ?? "?")}`));
        case Types.AzureSecurityRule:
            return azureIngress(p, "");
        case Types.K8sIngress: {
            const alb = albOf(p);
            return alb ? [{ where: " (its ALB)", sources: [...alb.inboundCidrs], ports: alb.listeners.map((l) => String(l.port)) }] : [];
        }
        default:
            return [];
    }
}

function awsSources(v4: unknown, v6: unknown): string[] {
    return [...list<string>(v4), ...list<string>(v6)];
}

/** Ports of an AWS rule; protocol -1 (all traffic) opens every port. */
function awsPorts(protocol: unknown, from: unknown, to: unknown): string[] {
    if (String(protocol) === "-1" || String(protocol) === "all") return ["*"];
    const f = Number(from), t = Number(to);
    return f === t ? [String(f)] : [`${f}-${t}`];
}

function azureIngress(rule: Record<string, unknown>, where: string): Ingress[] {
    if (rule.direction !== "Inbound" || rule.access !== "Allow") return [];
    const sources = [rule.sourceAddressPrefix, ...list(rule.sourceAddressPrefixes)].filter((s): s is string => typeof s === "string");
    const ports = [rule.destinationPortRange, ...list(rule.destinationPortRanges)].filter((s): s is string => typeof s === "string");
    return [{ where, sources, ports }];
}
