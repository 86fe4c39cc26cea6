/**
 * ACM certificates are regional: a load balancer uses only certificates in its own region, and
 * CloudFront only those in us-east-1 ("To use a certificate with an Application Load Balancer ...
 * request or import the certificate in the same Region"; "certificates for CloudFront must be in
 * us-east-1", https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html). The region is in
 * the ARN, so a wrong one is caught here instead of by the load balancer controller after the cluster is up.
 */
import { PerCloud, Problems } from "../../components/common";
import type { StackConfig } from "./index";

/** ACM's longest domain name of a certificate (its Common Name, RFC 5280's ub-common-name). */
const ACM_COMMON_NAME_OCTETS = 64;
const ACM_REGION = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\//;

/** Per cloud, whether the edge's certificate is an ACM certificate of the stack's region (Azure: a Key Vault certificate, which has no region rule). */
const REGIONAL_CERTIFICATE: PerCloud<boolean> = { aws: true, azure: false };

export function checkCertificateRegions(config: StackConfig, problems: Problems): void {
    const services = config.services;
    if (!services.enabled || !REGIONAL_CERTIFICATE[config.cloud]) return;
    if (config.globalEntry.managedCertificates) {
        checkNoGivenCertificates(config, problems);
        checkManagedHost(config, problems);
        return;
    }
    checkStampCertificates(config, problems);
    if (services.certificateArn === undefined) return;
    const region = ACM_REGION.exec(services.certificateArn)?.[1];
    // A malformed ARN is reported by CookieServices with its own rule.
    if (region === undefined) return;
    problems.check(region === config.region, "intergalactic:services.certificateArn", services.certificateArn,
        `is in ${region}, but the ALB is in ${config.region} (aws:region): a load balancer uses only ACM certificates of its own region`);
}

/**
 * Every other stamp runs its own ALB in its own region, so it needs a certificate there:
 * `intergalactic:services.regionCertificateArns.<region>`, one per other stamp, each in its region.
 */
function checkStampCertificates(config: StackConfig, problems: Problems): void {
    const key = "intergalactic:services.regionCertificateArns";
    const given = config.services.regionCertificateArns;
    const others = config.stamps.filter((s) => !s.primary).map((s) => s.region);
    for (const region of others) {
        const arn = given[region];
        if (!problems.check(arn !== undefined, `${key}.${region}`, arn, `is missing: the stamp in ${region} (intergalactic:regions) runs its own ALB, which needs an ACM certificate of ${region} for the public host`)) continue;
        const at = ACM_REGION.exec(arn)?.[1];
        problems.check(at === region, `${key}.${region}`, arn, at === undefined
            ? "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)"
            : `is in ${at}, but the stamp's ALB is in ${region}: a load balancer uses only ACM certificates of its own region`);
    }
    for (const region of Object.keys(given)) {
        problems.check(others.includes(region), `${key}.${region}`, given[region],
            `names no other stamp's region (intergalactic:regions: ${config.stamps.map((s) => s.region).join(", ")}); the first region's certificate is intergalactic:services.certificateArn`);
    }
}

/**
 * The host is the managed certificate's domain name, its Common Name: ACM refuses one longer than 64 octets
 * ("the length of the domain name (technically, the Common Name) ... cannot exceed 64 octets (characters),
 * including periods", docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html, DomainName),
 * which would fail only once the first certificate is requested.
 */
function checkManagedHost(config: StackConfig, problems: Problems): void {
    const host = config.services.host;
    problems.check(host.length <= ACM_COMMON_NAME_OCTETS, "intergalactic:services.host", host,
        `is ${host.length} characters: with intergalactic:globalEntry.managedCertificates: true it is the ACM certificate's domain name (its Common Name), which ACM limits to ${ACM_COMMON_NAME_OCTETS} characters including periods; use a shorter host or give the certificates' ARNs`);
}

/** With managed certificates the stack issues every stamp's: a given ARN would be ignored, so it is an error. */
function checkNoGivenCertificates(config: StackConfig, problems: Problems): void {
    const rule = "is given with intergalactic:globalEntry.managedCertificates: true, which issues every stamp's certificate for the host; remove one of the two";
    problems.check(config.services.certificateArn === undefined, "intergalactic:services.certificateArn", config.services.certificateArn, rule);
    for (const [region, arn] of Object.entries(config.services.regionCertificateArns)) {
        problems.check(false, `intergalactic:services.regionCertificateArns.${region}`, arn, rule);
    }
}
