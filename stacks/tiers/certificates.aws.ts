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
 * - The record is shared with whatever else holds a certificate of the host in this account (one requested
 *   by hand before managed certificates were turned on, a region's stamp removed and added again), so:
 *   `allowOverwrite` makes its create an UPSERT instead of a CREATE that fails with "already exists"
 *   (the provider's route53/record.go: CREATE unless allow_overwrite); and it is retained on delete,
 *   because the provider's delete removes the live record set by name and type whatever its values
 *   (record.go, resourceRecordDelete), which would stop the renewal of those other certificates, and
 *   would remove the very record a create-before-delete replacement has just written. A destroy or a
 *   zone change therefore leaves the CNAME in the zone (README, Regions: managed certificates).
 * - Its name is given as the provider stores it, without ACM's trailing dot and in lower case (the
 *   StateFunc of route53/record.go's `name`); with the dot a bridged provider can show a diff on every
 *   up (crossplane-contrib/provider-upjet-aws#1877). The value keeps ACM's form: `records` is stored as
 *   Route 53 returns it, which is as written (record.go, flattenResourceRecords).
 * - `CertificateValidation` creates nothing: it waits until ACM has issued the certificate (75 min at
 *   most, the provider's default create timeout), and its delete does nothing.
 * - `domainName`, `keyAlgorithm` and `validationMethod` replace the certificate when changed. Pulumi's
 *   default replacement creates the new one first, the Ingress then names it, and the old one's delete
 *   is retried while the ALB still uses it (ResourceInUseException, up to 20 min in the provider), so a
 *   listener never loses its certificate.
 */
import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import type * as acmTypes from "@pulumi/aws/types/output";
import type { CertificateStamp, StampCertificates } from "./certificates";

type ValidationOption = acmTypes.acm.CertificateDomainValidationOption;

/**
 * The certificate's DNS validation record for the host. ACM returns one option per name of the certificate
 * (its domain name and SANs, docs.aws.amazon.com/acm/latest/APIReference/API_DomainValidation.html); the
 * certificate is requested for the host alone, so a missing one is a certificate that is not the host's
 * (or an answer without DNS records): a clear error instead of a record with an empty name.
 */
export function validationOption(options: readonly ValidationOption[], host: string): ValidationOption {
    const found = options.find((o) => o.domainName.toLowerCase() === host.toLowerCase() && o.resourceRecordName);
    if (found === undefined) {
        throw new Error(`intergalactic:services.host: ${JSON.stringify(host)} has no DNS validation record in its ACM certificate `
            + `(ACM answered for ${options.map((o) => JSON.stringify(o.domainName)).join(", ") || "no name"}): the managed certificate `
            + "(intergalactic:globalEntry.managedCertificates) is requested for the host alone and validated by the CNAME ACM gives for it");
    }
    return found;
}

/** A record name as the provider stores it: without the trailing dot, in lower case (route53/record.go, `name`'s StateFunc). */
export function recordName(name: string): string {
    return name.replace(/\.$/, "").toLowerCase();
}

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
    const option = certificates[0].domainValidationOptions.apply((options) => validationOption(options ?? [], settings.host));
    const record = new route53.Record(`${settings.entry}-certificate-validation`, {
        zoneId: settings.hostedZoneId,
        name: option.apply((o) => recordName(o.resourceRecordName)),
        type: option.apply((o) => o.resourceRecordType),
        records: [option.apply((o) => o.resourceRecordValue)],
        ttl: 300,
        allowOverwrite: true,
    }, { retainOnDelete: true });
    return Object.fromEntries(stamps.map((stamp, i) => {
        const validation = new acm.CertificateValidation(`${settings.entry}-certificate-issued-${stamp.region}`, {
            certificateArn: certificates[i].arn, validationRecordFqdns: [record.fqdn],
        }, { provider: stamp.provider });
        return [stamp.region, validation.certificateArn];
    }));
}
