/**
 * Placeholder values in a stack file (the repository's files ship with them, marked): host names
 * under the reserved example domains, the AWS documentation's example account, the all-zero
 * subscription and certificate ids, and digests that are zeros but for a counter. The offline
 * plan runs with them; `pulumi preview` warns; a real `pulumi up` refuses them before anything
 * is registered, because they deploy (a certificate ARN in another account is only rejected by
 * the load balancer controller, long after the cluster is up; a placeholder digest pulls nothing).
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentsError } from "../../components/common";
import type { StackConfig } from "./index";

/** One placeholder: the key it is in, its value and why it is one. */
export interface Placeholder {
    readonly key: string;
    readonly value: string;
    readonly why: string;
}

/** RFC 2606 §2-3 and RFC 6761 §6: names reserved for documentation and testing that never resolve to a real service. */
const RESERVED_HOST = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;
/** The account id the AWS documentation uses in its examples. */
const EXAMPLE_ACCOUNT = "123456789012";
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:(\d{12}):certificate\/(.+)$/;
const ZERO_GUID = /^0{8}-0{4}-[0-9a-f]0{3}-[0-9a-f]0{3}-0{8}[0-9a-f]{4}$/i;
/** A "digest" of zeros but for its last four digits is a numbered placeholder, not the hash of any image. */
const PLACEHOLDER_DIGEST = /^sha256:0{60}[0-9a-f]{4}$/;

const KEY = "intergalactic:services";

function host(key: string, value: string | undefined, found: Placeholder[]): void {
    if (value !== undefined && RESERVED_HOST.test(value)) found.push({ key, value, why: "is under a domain reserved for examples (RFC 2606): set the real host name" });
}

function certificate(key: string, value: string | undefined, found: Placeholder[]): void {
    const match = value === undefined ? null : ACM_ARN.exec(value);
    if (!match) return;
    if (match[1] === EXAMPLE_ACCOUNT) found.push({ key, value: value!, why: `is in account ${EXAMPLE_ACCOUNT}, the AWS documentation's example account: set the real certificate ARN` });
    else if (ZERO_GUID.test(match[2])) found.push({ key, value: value!, why: "has an all-zero certificate id: set the real certificate ARN" });
}

/** RFC 5737's documentation ranges (TEST-NET-1, -2, -3): no deployer's egress is in them. */
const DOCUMENTATION_RANGE = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;

/** The deployers' ranges and roles (intergalactic:cluster): placeholders would lock every real deployer out. */
function deployers(config: StackConfig, found: Placeholder[]): void {
    if (!config.cluster.enabled) return;
    config.cluster.publicEndpointCidrs.forEach((cidr, i) => {
        if (DOCUMENTATION_RANGE.test(cidr)) {
            found.push({ key: `intergalactic:cluster.publicEndpointCidrs[${i}]`, value: cidr, why: "is a documentation range (RFC 5737): set the deployers' real egress ranges" });
        }
    });
    config.cluster.adminPrincipalArns.forEach((arn, i) => {
        if (arn.split(":")[4] === EXAMPLE_ACCOUNT) {
            found.push({ key: `intergalactic:cluster.adminPrincipalArns[${i}]`, value: arn, why: `is in account ${EXAMPLE_ACCOUNT}, the AWS documentation's example account: set the real deployer role` });
        }
    });
}

/** Every placeholder in the config, in a stable order. */
export function findPlaceholders(config: StackConfig): Placeholder[] {
    const found: Placeholder[] = [];
    deployers(config, found);
    const services = config.services;
    if (!services.enabled) return found;
    host(`${KEY}.host`, services.host, found);
    host(`${KEY}.forwardCache.originHostname`, services.forwardCache.originHostname, found);
    certificate(`${KEY}.certificateArn`, services.certificateArn, found);
    for (const [region, arn] of Object.entries(services.regionCertificateArns)) certificate(`${KEY}.regionCertificateArns.${region}`, arn, found);
    if (/^Z0+$/.test(config.globalEntry.hostedZoneId ?? "")) {
        found.push({ key: "intergalactic:globalEntry.hostedZoneId", value: config.globalEntry.hostedZoneId!, why: "is an all-zero hosted zone id: set the Route 53 zone that holds the public host" });
    }
    certificate(`${KEY}.forwardCache.certificateArn`, services.forwardCache.certificateArn, found);
    const subscription = /^\/subscriptions\/([^/]+)\//i.exec(services.keyVaultId ?? "")?.[1];
    if (subscription !== undefined && ZERO_GUID.test(subscription)) {
        found.push({ key: `${KEY}.keyVaultId`, value: services.keyVaultId!, why: "is in the all-zero subscription: set the real vault's resource id" });
    }
    for (const [name, digest] of Object.entries(services.imageDigests)) {
        if (PLACEHOLDER_DIGEST.test(digest)) found.push({ key: `${KEY}.imageDigests.${name}`, value: digest, why: "is a numbered placeholder, not an image's digest: set the release image's digest" });
    }
    if (services.imageTag !== undefined && PLACEHOLDER_DIGEST.test(services.imageTag)) {
        found.push({ key: `${KEY}.imageTag`, value: services.imageTag, why: "is a numbered placeholder, not an image's digest" });
    }
    return found;
}

/** How the program runs: under the offline plan's mocks, in `pulumi preview` (a dry run), or in a real update. */
export const RunMode = { Offline: "offline", Preview: "preview", Update: "update" } as const;
export type RunMode = (typeof RunMode)[keyof typeof RunMode];

/** The mode of this process: the mocks' monitor is the SDK's `MockMonitor`; the engine's dry run is a preview. */
export function currentRunMode(): RunMode {
    const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as typeof import("@pulumi/pulumi/runtime/mocks");
    if (pulumi.runtime.getMonitor() instanceof MockMonitor) return RunMode.Offline;
    return pulumi.runtime.isDryRun() ? RunMode.Preview : RunMode.Update;
}

/**
 * Refuses placeholders in a real update (before anything is registered), warns in a preview (so a
 * preview still shows the plan, and the update that follows it refuses), and lets the offline plan run.
 */
export function refusePlaceholders(config: StackConfig, mode: RunMode, warn: (message: string) => void = (m) => pulumi.log.warn(m)): void {
    const found = findPlaceholders(config);
    if (found.length === 0 || mode === RunMode.Offline) return;
    const lines = found.map((p) => `${p.key}: ${JSON.stringify(p.value)} ${p.why}`);
    if (mode === RunMode.Preview) {
        warn(`pulumi up will refuse this stack's placeholders:\n  ${lines.join("\n  ")}`);
        return;
    }
    throw new InvalidArgumentsError("stack config (placeholders; a real pulumi up needs real values)", lines);
}
