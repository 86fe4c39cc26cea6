/**
 * Checks for the address ranges allowed to open SSH to a bastion. A range
 * must be a well-formed IPv4 network address in CIDR form and must not be a
 * /0: a world-open SSH port is what a bastion exists to avoid.
 */
import { isIPv6 } from "net";
import { Problems } from "../common/validation";
import { parseCidr } from "../network/cidr";
import { describeExposure, exposureOf } from "../network/exposure";

/**
 * AWS allows 60 inbound rules per security group and address family by default
 * (the "Inbound or outbound rules per security group" quota); each SSH range is one rule.
 */
export const MAX_SSH_SOURCES = 60;

/** Why an IPv6 range is refused even when well-formed: the networks are IPv4-only. */
const IPV4_ONLY = "is an IPv6 range, but the network is IPv4-only: SSH can only arrive over IPv4; use an IPv4 CIDR";

/** True when `text` is `<IPv6 address>/<0-128>`. */
function isIpv6Cidr(text: string): boolean {
    const [address, prefix, ...rest] = text.split("/");
    return rest.length === 0 && prefix !== undefined && /^\d{1,3}$/.test(prefix) && Number(prefix) <= 128 && isIPv6(address);
}

/** Shaped like an IPv4 CIDR; whether it is a valid one is checked separately. */
const IPV4_SHAPE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** True for any /0, including one with host bits set such as `10.0.0.0/0`: all of them mean "everywhere". */
function isWorldOpen(text: string, ipv6: boolean): boolean {
    return (ipv6 || IPV4_SHAPE.test(text)) && /\/0+$/.test(text);
}

/**
 * Checks every SSH source range, recording one problem per bad entry that names
 * `arg[i]`, the value and the rule. Returns the ranges that passed.
 */
export function checkSshSources(problems: Problems, arg: string, cidrs: readonly string[]): string[] {
    const accepted: string[] = [];
    cidrs.forEach((text, i) => {
        const name = `${arg}[${i}]`;
        const ipv6 = isIpv6Cidr(text);
        if (isWorldOpen(text, ipv6)) {
            problems.check(false, name, text, "opens SSH to the whole internet (a /0 range): list the specific ranges that need SSH, or use Session Manager / Azure Bastion instead");
            return;
        }
        if (ipv6) {
            problems.check(false, name, text, IPV4_ONLY);
            return;
        }
        const parsed = parseCidr(text);
        if (problems.check(typeof parsed !== "string", name, text, typeof parsed === "string" ? parsed : "")) accepted.push(text);
    });
    // Judge the address space, not the spelling: 0.0.0.0/1 + 128.0.0.0/1, or 1.0.0.0/8, is the internet too.
    const exposure = exposureOf(accepted);
    if (accepted.length === cidrs.length && exposure.worldOpen) {
        problems.check(false, arg, cidrs, `${describeExposure(exposure)}: SSH would be open to the internet; list the specific ranges that need SSH, or use Session Manager / Azure Bastion instead`);
    }
    const duplicates = cidrs.filter((c, i) => cidrs.indexOf(c) !== i);
    problems.check(duplicates.length === 0, arg, cidrs, `lists ${[...new Set(duplicates)].join(", ")} more than once: each range becomes one firewall rule, and AWS rejects duplicate rules`);
    if (cidrs.length > MAX_SSH_SOURCES) {
        problems.add(`${arg}: ${cidrs.length} ranges exceed the ${MAX_SSH_SOURCES} inbound rules a security group allows: summarize them into fewer, larger ranges`);
    }
    return accepted;
}
