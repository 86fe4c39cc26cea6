/**
 * ACM certificates for the public host, one per stamp's region, with one DNS validation record.
 *
 * - One record for every region: ACM gives the same CNAME for the same name in one account, whatever
 *   the region, so a record per region would collide in the zone ("Tried to create resource record set
 *   ... but it already exists": hashicorp/terraform-provider-aws#13653). The record is made from the
 *   first stamp's certificate; each validation names it (`validationRecordFqdns`), and a region whose
 *   certificate asked for another record fails at once with "missing <host> DNS validation record"
 *   instead of waiting (the provider's certificate_validation.go).
 * - The record stays while any certificate exists: ACM renews a DNS-validated certificate only while
 *   its CNAME is in place (docs.aws.amazon.com/acm/latest/userguide/dns-renewal-validation.html).
 * - `CertificateValidation` creates nothing: it waits until ACM has issued the certificate (75 min at
 *   most, the provider's default create timeout), and its delete does nothing.
 * - `domainName`, `keyAlgorithm` and `validationMethod` replace the certificate when changed. Pulumi's
 *   default replacement creates the new one first, the Ingress then names it, and the old one's delete
 *   is retried while the ALB still uses it (ResourceInUseException, up to 20 min in the provider), so a
 *   listener never loses its certificate.
 */
import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import type { CertificateStamp, StampCertificates } from "./certificates";

export interface IssueSettings {
    readonly entry: string;
    readonly host: string;
    readonly hostedZoneId: string;
    readonly tags: Readonly<Record<string, string>>;
}

export function issueCertificates(settings: IssueSettings, stamps: readonly CertificateStamp[]): StampCertificates {
    // Named by region, so adding a region names nothing new for the others.
    const certificates = stamps.map((stamp) => {
        const name = `${settings.entry}-certificate-${stamp.region}`;
        return new acm.Certificate(name, {
            domainName: settings.host, validationMethod: "DNS", keyAlgorithm: "RSA_2048", tags: { ...settings.tags, Name: name },
        }, { provider: stamp.provider });
    });
    const option = certificates[0].domainValidationOptions.apply((options) => options?.find((o) => o.domainName === settings.host));
    const record = new route53.Record(`${settings.entry}-certificate-validation`, {
        zoneId: settings.hostedZoneId,
        name: option.apply((o) => o?.resourceRecordName ?? ""),
        type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
        records: [option.apply((o) => o?.resourceRecordValue ?? "")],
        ttl: 300,
    });
    return Object.fromEntries(stamps.map((stamp, i) => {
        const validation = new acm.CertificateValidation(`${settings.entry}-certificate-issued-${stamp.region}`, {
            certificateArn: certificates[i].arn, validationRecordFqdns: [record.fqdn],
        }, { provider: stamp.provider });
        return [stamp.region, validation.certificateArn];
    }));
}
