/**
 * How much of the internet an allow rule admits, judged by the address space of its sources, not
 * by whether one of them is spelt `0.0.0.0/0`: `0.0.0.0/1` + `128.0.0.0/1` or `1.0.0.0/8` is as
 * open as `/0` for an SSH port. This is the one computation behind the config checks (bastion
 * SSH sources, the Kubernetes API's public ranges) and the `no-world-ingress` policy.
 *
 * Pure and self-contained (it imports only `./cidr`): the policy pack compiles it alongside its
 * own files.
 */
import { Ipv4Cidr, parseCidr } from "./cidr";

/**
 * A rule that admits more public IPv4 addresses than this is open to the internet: 65,536 is a
 * /16, far more than any office, VPN egress or CI range (those are /24 to /32), and few enough that
 * no cloud or ISP pool an attacker can rent addresses from fits.
 */
export const WORLD_OPEN_PUBLIC_ADDRESSES = 65_536;

/** An IPv6 source shorter than a /48 (one site's allocation) is open to the internet. */
export const WORLD_OPEN_IPV6_PREFIX = 48;

/**
 * IPv4 ranges that never reach a cloud's public endpoint from the internet (IANA special-purpose
 * registry, RFC 6890): "this network", private (RFC 1918), shared CGNAT (RFC 6598), loopback,
 * link-local, multicast and reserved. The documentation ranges (203.0.113.0/24, ...) count as
 * public: they stand for public addresses in examples, and counting them errs towards "open".
 */
export const NON_PUBLIC_IPV4: readonly string[] = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
    "224.0.0.0/4", "240.0.0.0/4",
];

/** Sources that stand for every address: CIDR spellings of "anywhere" and the clouds' tags for it. */
const ANYWHERE: readonly string[] = ["*", "Any", "Internet", "0.0.0.0/0", "::/0"];
/** Azure service tags for Azure's public address space, which anyone can rent addresses from. */
const AZURE_PUBLIC_TAG = /^AzureCloud(\.|$)/;

/** What a set of sources admits from the internet. */
export interface Exposure {
    /** Public IPv4 addresses admitted (the union of the ranges minus {@link NON_PUBLIC_IPV4}). */
    readonly publicIpv4Addresses: number;
    /** True when the sources admit the internet: a world tag, a short IPv6 prefix or too many IPv4 addresses. */
    readonly worldOpen: boolean;
    /** Sources that are neither a CIDR nor a known tag (e.g. `VirtualNetwork`); they admit no public address. */
    readonly other: readonly string[];
}

type Interval = [start: number, end: number];

const toInterval = (c: Ipv4Cidr): Interval => [c.base, c.base + 2 ** (32 - c.prefix)];

/** Merges intervals into sorted, disjoint ones. */
function union(intervals: Interval[]): Interval[] {
    const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
    const merged: Interval[] = [];
    for (const [start, end] of sorted) {
        const last = merged[merged.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else merged.push([start, end]);
    }
    return merged;
}

const NON_PUBLIC_INTERVALS = union(NON_PUBLIC_IPV4.map((c) => toInterval(parseCidr(c) as Ipv4Cidr)));
const TOTAL_PUBLIC_IPV4 = 2 ** 32 - NON_PUBLIC_INTERVALS.reduce((sum, [s, e]) => sum + e - s, 0);

/** Addresses of the disjoint intervals that are public. */
function publicCount(intervals: Interval[]): number {
    let total = 0;
    for (const [start, end] of intervals) {
        let size = end - start;
        for (const [ns, ne] of NON_PUBLIC_INTERVALS) size -= Math.max(0, Math.min(end, ne) - Math.max(start, ns));
        total += size;
    }
    return total;
}

/** An IPv4 CIDR written loosely (host bits set, as clouds accept) becomes its network. */
function looseIpv4(text: string): Ipv4Cidr | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = match[5] === undefined ? 32 : Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { base: (address & mask) >>> 0, prefix };
}

function ipv6Prefix(text: string): number | undefined {
    const match = /^([0-9a-fA-F:]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
    if (!match || !match[1].includes(":")) return undefined;
    return match[2] === undefined ? 128 : Number(match[2]);
}

/** What `sources` (CIDRs, bare addresses or cloud tags, as one rule or one port's rules list them) admit. */
export function exposureOf(sources: readonly string[]): Exposure {
    const ranges: Interval[] = [];
    const other: string[] = [];
    let world = false;
    for (const source of sources) {
        if (ANYWHERE.includes(source.trim()) || AZURE_PUBLIC_TAG.test(source.trim())) {
            world = true;
            continue;
        }
        const v4 = looseIpv4(source);
        if (v4) {
            ranges.push(toInterval(v4));
            continue;
        }
        const v6 = ipv6Prefix(source);
        if (v6 !== undefined) {
            if (v6 < WORLD_OPEN_IPV6_PREFIX) world = true;
            continue;
        }
        other.push(source);
    }
    const publicIpv4Addresses = world ? TOTAL_PUBLIC_IPV4 : publicCount(union(ranges));
    return { publicIpv4Addresses, worldOpen: world || publicIpv4Addresses > WORLD_OPEN_PUBLIC_ADDRESSES, other };
}

/** A sentence for messages: how many public addresses the sources admit. */
export function describeExposure(exposure: Exposure): string {
    return exposure.publicIpv4Addresses >= TOTAL_PUBLIC_IPV4
        ? "admit the whole internet"
        : `admit ${exposure.publicIpv4Addresses} public addresses, more than the ${WORLD_OPEN_PUBLIC_ADDRESSES} (a /16) a rule may admit before it counts as open to the internet`;
}
