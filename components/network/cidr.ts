/**
 * IPv4 CIDR arithmetic as plain functions over 32-bit unsigned integers.
 * Everything the network planner needs and nothing more.
 */

/** A parsed IPv4 network. `base` is the network address as an unsigned 32-bit integer. */
export interface Ipv4Cidr {
    readonly base: number;
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a reason string instead when it is not a valid IPv4 CIDR. */
export function parseCidr(text: string): Ipv4Cidr | string {
    const match = CIDR_PATTERN.exec(text);
    if (!match) return "is not an IPv4 CIDR of the form a.b.c.d/n";
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255)) return "has an octet above 255";
    if (prefix > 32) return "has a prefix length above 32";
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const base = (address & mask(prefix)) >>> 0;
    if (base !== address) return `has host bits set: did you mean ${formatCidr({ base, prefix })}?`;
    return { base, prefix };
}

/** Parses a CIDR the caller has already validated; throws on a bad one. */
export function mustParseCidr(text: string): Ipv4Cidr {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") throw new Error(`${text} ${parsed}`);
    return parsed;
}

/** The netmask of a prefix length as an unsigned 32-bit integer. */
export function mask(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in a network. */
export function size(cidr: Ipv4Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

/** Formats a network as `a.b.c.d/n`. */
export function formatCidr(cidr: Ipv4Cidr): string {
    const b = cidr.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

/**
 * The `index`-th subnet of length `prefix` inside `parent`, counting from the
 * parent's first address. Throws when it does not fit: callers check first.
 */
export function subnet(parent: Ipv4Cidr, prefix: number, index: number): Ipv4Cidr {
    if (prefix < parent.prefix || prefix > 32) throw new Error(`a /${prefix} cannot be carved from a /${parent.prefix}`);
    const count = 2 ** (prefix - parent.prefix);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new Error(`subnet index ${index} is outside the ${count} /${prefix} subnets of ${formatCidr(parent)}`);
    }
    return { base: (parent.base + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.prefix >= outer.prefix && ((inner.base & mask(outer.prefix)) >>> 0) === outer.base;
}

/** True when two networks share at least one address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return contains(a, b) || contains(b, a);
}

/** The private (RFC 1918) and carrier-grade NAT (RFC 6598) ranges a cloud network may use. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/** True when the network lies entirely inside one of {@link PRIVATE_RANGES}. */
export function isPrivate(cidr: Ipv4Cidr): boolean {
    return PRIVATE_RANGES.some((range) => contains(mustParseCidr(range), cidr));
}
