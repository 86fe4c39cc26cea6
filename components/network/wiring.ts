/**
 * Checks of how a component is wired to its network, shared by every component
 * that takes {@link NetworkFacts}: the network is of the component's cloud and
 * self-consistent, the chosen subnets are the network's own of the right tier,
 * the placement covers the zones high availability needs, and every address
 * range the component admits lies inside the network. Pure: plain values in,
 * problems out, before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../common/cloud";
import { Problems, show } from "../common/validation";
import { Ipv4Cidr, contains, isPrivate, overlaps, parseCidr, PRIVATE_RANGES } from "./cidr";
import { NetworkFacts, SUBNET_TIERS, SubnetFacts, SubnetOwner, SubnetTier, selectSubnets, subnetOwner, zonesOf } from "./facts";

/** A subnet as an error message shows it: the plain facts, not the id (an Output until the subnet exists). */
export function describeSubnet(subnet: Pick<SubnetFacts, "tier" | "zone" | "cidr">): Pick<SubnetFacts, "tier" | "zone" | "cidr"> {
    return { tier: subnet.tier, zone: subnet.zone, cidr: subnet.cidr };
}

/**
 * Checks the network facts a component on `cloud` was given (`arg` is the arg's name, e.g. `network`);
 * returns its parsed address space, or undefined when there is none to check ranges against.
 */
export function checkNetworkFacts(problems: Problems, arg: string, cloud: Cloud, network: NetworkFacts | undefined): Ipv4Cidr | undefined {
    if (network === undefined || network === null || typeof network !== "object") {
        problems.check(false, arg, network, "is required: pass the network's facts, e.g. `vpc.facts()` of a Vpc3Az");
        return undefined;
    }
    problems.check(network.cloud === cloud, `${arg}.cloud`, network.cloud, `is not this component's cloud (${cloud}): pass a network built on ${cloud}`);
    const zones = Array.isArray(network.zones) ? network.zones : [];
    problems.check(Array.isArray(network.zones) && new Set(zones).size === zones.length && zones.every((z) => typeof z === "string" && z.length > 0),
        `${arg}.zones`, network.zones, "must be distinct, non-empty zone names");
    const space = parseRange(network.cidrBlock);
    if (typeof space === "string") problems.check(false, `${arg}.cidrBlock`, network.cidrBlock, space);
    else problems.check(isPrivate(space), `${arg}.cidrBlock`, network.cidrBlock, `is not private address space: use a range inside ${PRIVATE_RANGES.join(", ")}`);
    const subnets = Array.isArray(network.subnets) ? network.subnets : [];
    problems.check(Array.isArray(network.subnets), `${arg}.subnets`, network.subnets, "must list the network's subnets");
    const parsed: (Ipv4Cidr | undefined)[] = [];
    subnets.forEach((subnet, i) => {
        const at = `${arg}.subnets[${i}]`;
        problems.check(SUBNET_TIERS.includes(subnet.tier), `${at}.tier`, subnet.tier, `is not a subnet tier: use one of ${SUBNET_TIERS.join(", ")}`);
        problems.check(subnet.zone === "" || zones.includes(subnet.zone), `${at}.zone`, subnet.zone,
            `is not one of the network's zones (${zones.join(", ")}); a regional subnet has zone ""`);
        const range = parseRange(subnet.cidr);
        if (typeof range === "string") problems.check(false, `${at}.cidr`, subnet.cidr, range);
        else if (typeof space !== "string") problems.check(contains(space, range), `${at}.cidr`, subnet.cidr, `is outside the network's ${network.cidrBlock}`);
        // Two subnets of one network never overlap (both clouds refuse it), so overlapping facts are not a network's.
        const clash = typeof range === "string" ? -1 : parsed.findIndex((other) => other !== undefined && overlaps(other, range));
        if (clash >= 0) problems.check(false, `${at}.cidr`, subnet.cidr, `overlaps ${arg}.subnets[${clash}] (${subnets[clash].cidr}): a network's subnets never overlap`);
        parsed.push(typeof range === "string" ? undefined : range);
    });
    return typeof space === "string" ? undefined : space;
}

/**
 * The subnets a component uses: the ones given (`arg`), or by default the network's subnets of
 * `tiers[0]` (at most `maxDefault`, the first zones'). Each given subnet must be one of the network's
 * own subnets, of one of `tiers`, and given once.
 */
export function chooseSubnets(
    problems: Problems, arg: string, network: NetworkFacts | undefined, given: readonly SubnetFacts[] | undefined,
    tiers: readonly SubnetTier[], purpose: string, maxDefault = Number.MAX_SAFE_INTEGER,
): SubnetFacts[] {
    if (network === undefined || network === null || !Array.isArray(network.subnets)) return [...(given ?? [])];
    if (given === undefined) return selectSubnets(network, { tier: tiers[0] }).slice(0, maxDefault);
    if (!problems.check(Array.isArray(given), arg, given, `must list subnets of the network, e.g. vpc.selectSubnets({ tier: "${tiers[0]}" })`)) return [];
    const seen = new Set<string>();
    return given.map((subnet, i) => {
        const at = `${arg}[${i}]`;
        const { own, deferred, foreign } = matchSubnet(network, subnet);
        if (foreign !== undefined) {
            problems.check(false, at, describeSubnet(subnet), `is a subnet of another network, Vpc3Az "${foreign.network}" (${foreign.cidrBlock}), `
                + `not of this one ${network.cidrBlock}: pick from the network's own facts (vpc.selectSubnets(...))`);
            return subnet;
        }
        if (!problems.check(own !== undefined, at, describeSubnet(subnet ?? {}),
            `is not a subnet of the network ${network.cidrBlock} (subnets are matched by id): pick from its facts (vpc.selectSubnets(...))`)) return subnet;
        const same = own!.tier === subnet.tier && own!.zone === subnet.zone && own!.cidr === subnet.cidr;
        if (!problems.check(same, at, describeSubnet(subnet), `has the id of the network's subnet ${JSON.stringify(describeSubnet(own!))} but not its facts: pass the network's facts unchanged`)) return subnet;
        problems.check(tiers.includes(subnet.tier), at, describeSubnet(subnet),
            `is in the ${subnet.tier} tier: ${purpose} belongs in the ${tiers.join(" or ")} tier`);
        problems.check(!seen.has(subnet.cidr), at, describeSubnet(subnet), "is given twice");
        seen.add(subnet.cidr);
        if (!deferred) return subnet;
        // Two different Outputs: equal only once both ids are known, so the id the component uses carries the check,
        // and whatever is built in the subnet fails before it is created if it is another network's.
        const checked = pulumi.all([subnet.id, own!.id]).apply(([mine, theirs]) => {
            if (mine !== theirs) throw new Error(`${at}: ${JSON.stringify(describeSubnet(subnet))} has id ${mine}, not the id ${theirs} of the network's subnet with these facts: pick from the network's facts (vpc.selectSubnets(...))`);
            return mine;
        });
        return { ...subnet, id: checked };
    });
}

/**
 * Which of the network's subnets `subnet` is. By id: another network of the same layout has subnets with the same tier,
 * zone and range, and the first up would fail at the provider (a subnet of another VPC). An id that is the network's own
 * string, or the very Output its facts hold, matches at once. An id Output another Vpc3Az of this program made is that
 * network's subnet (`foreign`), refused while planning. Other Outputs cannot be compared before the ids exist (a program in
 * another language passes each occurrence of an id as its own Output), so such a subnet matches the network's subnet of
 * the same facts, `deferred`: the caller compares the ids once they are known.
 */
function matchSubnet(network: NetworkFacts, subnet: SubnetFacts | undefined): { own?: SubnetFacts; deferred: boolean; foreign?: SubnetOwner } {
    const byId = network.subnets.find((s) => s.id === subnet?.id);
    if (byId !== undefined || subnet === undefined || subnet === null || typeof subnet.id === "string") return { own: byId, deferred: false };
    // An id another Vpc3Az of this program made (one of this network's own would have matched above) is that network's.
    const foreign = subnetOwner(subnet.id);
    if (foreign !== undefined) return { deferred: false, foreign };
    const byFacts = network.subnets.find((s) => typeof s.id !== "string" && s.tier === subnet.tier && s.zone === subnet.zone && s.cidr === subnet.cidr);
    return { own: byFacts, deferred: byFacts !== undefined };
}

/**
 * The zones `subnets` span, checked against high availability's `minZones` (`arg` names where the
 * subnets come from). Regional subnets (zone `""`) span the whole network's zones.
 */
export function placementZones(problems: Problems, arg: string, network: NetworkFacts | undefined, subnets: readonly SubnetFacts[], minZones: number, rule: string): string[] {
    if (network === undefined || network === null || !Array.isArray(network.zones)) return [];
    const regional = subnets.length > 0 && subnets.every((s) => s.zone === "");
    const zones = regional ? [...network.zones] : zonesOf(network, subnets);
    if (zones.length >= minZones) return zones;
    if (regional) problems.check(false, "network.zones", zones, `must hold at least ${minZones} zones: ${rule}`);
    else problems.add(`${arg}: ${subnets.length} subnet(s) in zones ${show(zones)} must span at least ${minZones} zones: ${rule}`);
    return zones;
}

/**
 * Checks address ranges a component admits (`arg`, e.g. `allowedClientCidrs`) against its network:
 * each must be a valid IPv4 CIDR lying inside the network's own range.
 */
export function checkInsideNetwork(problems: Problems, arg: string, cidrs: readonly string[], space: Ipv4Cidr | undefined, networkCidr: string, why: string): void {
    cidrs.forEach((text, i) => {
        const parsed = parseRange(text);
        if (typeof parsed === "string") problems.check(false, `${arg}[${i}]`, text, parsed);
        else if (space !== undefined) problems.check(contains(space, parsed), `${arg}[${i}]`, text, `is outside the network ${networkCidr}: ${why}`);
    });
}

/**
 * Checks that each admitted range (`arg`) lies inside one subnet of the client tier `tier`: the whole network, or any
 * range reaching into another tier, would admit that tier too (the public tier's load balancers and NAT gateways, the
 * data tier's other stores). A range outside the network is left to {@link checkInsideNetwork}; several subnets'
 * ranges are listed one by one, as the default does.
 */
export function checkClientTier(problems: Problems, arg: string, cidrs: readonly string[], network: NetworkFacts | undefined, tier: SubnetTier, why: string): void {
    if (network === undefined || network === null || !Array.isArray(network.subnets)) return;
    const space = parseRange(network.cidrBlock);
    if (typeof space === "string") return;
    const subnets = network.subnets.map((s) => ({ subnet: s, range: parseRange(s.cidr) }))
        .filter((s): s is { subnet: SubnetFacts; range: Ipv4Cidr } => typeof s.range !== "string");
    const clients = subnets.filter((s) => s.subnet.tier === tier);
    cidrs.forEach((text, i) => {
        const range = parseRange(text);
        if (typeof range === "string" || !contains(space, range) || clients.some((c) => contains(c.range, range))) return;
        const others = [...new Set(subnets.filter((s) => s.subnet.tier !== tier && overlaps(s.range, range)).map((s) => s.subnet.tier))];
        const reach = others.length > 0 ? `it also covers the ${others.join(" and ")} tier${others.length > 1 ? "s" : ""}` : `it covers no ${tier} subnet whole`;
        problems.check(false, `${arg}[${i}]`, text,
            `is wider than the ${tier} tier: ${why}, so each range must lie inside one ${tier} subnet (${clients.map((c) => c.subnet.cidr).join(", ")}); ${reach}`);
    });
}

/** The ranges of the network's subnets of `tier`: what a component admits from that tier. */
export function tierRanges(network: NetworkFacts | undefined, tier: SubnetTier): string[] {
    return network && Array.isArray(network.subnets) ? selectSubnets(network, { tier }).map((s) => s.cidr) : [];
}

function parseRange(text: unknown): Ipv4Cidr | string {
    return typeof text === "string" ? parseCidr(text) : "is not an IPv4 CIDR of the form a.b.c.d/n";
}
