/**
 * ACM certificates are regional: a load balancer uses only certificates in its own region, and
 * CloudFront only those in us-east-1 ("To use a certificate with an Application Load Balancer ...
 * request or import the certificate in the same Region"; "certificates for CloudFront must be in
 * us-east-1", https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html). The region is in
 * the ARN, so a wrong one is caught here instead of by the load balancer controller after the cluster is up.
 */
import { PerCloud, Problems } from "../../components/common";
import type { StackConfig } from "./index";

const ACM_REGION = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\//;

/** Per cloud, whether the edge's certificate is an ACM certificate of the stack's region (Azure: a Key Vault certificate, which has no region rule). */
const REGIONAL_CERTIFICATE: PerCloud<boolean> = { aws: true, azure: false };

export function checkCertificateRegions(config: StackConfig, problems: Problems): void {
    const services = config.services;
    if (!services.enabled || !REGIONAL_CERTIFICATE[config.cloud] || services.certificateArn === undefined) return;
    const region = ACM_REGION.exec(services.certificateArn)?.[1];
    // A malformed ARN is reported by CookieServices with its own rule.
    if (region === undefined) return;
    problems.check(region === config.region, "intergalactic:services.certificateArn", services.certificateArn,
        `is in ${region}, but the ALB is in ${config.region} (aws:region): a load balancer uses only ACM certificates of its own region`);
}
