/**
 * The stamps' certificates for the public host when the stack issues them
 * (`intergalactic:globalEntry.managedCertificates`, AWS): one ACM certificate per stamp, in the
 * stamp's region (a load balancer uses only certificates of its own region, and a certificate
 * cannot be copied between regions: docs.aws.amazon.com/acm/latest/userguide/acm-regions.html),
 * validated by DNS in the global entry's hosted zone. Each stamp's Ingress takes its validation's
 * ARN, so its HTTPS listener is made only once the certificate is issued.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, withCloudSdk } from "../../components/common";
import { StackConfig } from "../config";
import { buildsGlobalEntry } from "../config/globalEntry";
import { ENTRY_NAME } from "./entry";

/** One stamp whose certificate the stack issues: its region and the provider of that region (undefined: the stack's). */
export interface CertificateStamp {
    readonly region: string;
    readonly provider?: pulumi.ProviderResource;
}

/** Per region, the issued certificate's ARN (the validation's output); undefined when the stack issues none. */
export type StampCertificates = Readonly<Record<string, pulumi.Output<string>>>;

/** Per cloud, how the certificates are issued; Azure's config refuses the key (Front Door issues the host's certificate). */
const ISSUE: PerCloud<(config: StackConfig, stamps: readonly CertificateStamp[]) => StampCertificates> = {
    [Cloud.Aws]: (config, stamps) => withCloudSdk(Cloud.Aws, () => require("./certificates.aws") as typeof import("./certificates.aws"))
        .issueCertificates({ entry: ENTRY_NAME, host: config.services.host, hostedZoneId: config.globalEntry.hostedZoneId ?? "", tags: config.tags }, stamps),
    [Cloud.Azure]: () => ({}),
};

export function certificatesTier(config: StackConfig, stamps: readonly CertificateStamp[]): StampCertificates | undefined {
    if (!buildsGlobalEntry(config) || !config.globalEntry.managedCertificates) return undefined;
    return ISSUE[config.cloud](config, stamps);
}
