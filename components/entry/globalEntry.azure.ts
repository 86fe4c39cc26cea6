/**
 * GlobalEntry on Azure: a Front Door (Standard) profile with one origin group whose origins are the
 * regions' ingresses, all at the same priority so Front Door sends each request to the lowest-latency
 * healthy one, and takes an origin out when its health probes fail
 * (https://learn.microsoft.com/azure/frontdoor/routing-methods, /health-probes). The host is a custom
 * domain with a Front Door managed certificate: TLS for the public host, validated by a TXT record
 * `_dnsauth.<host>` that the domain's owner creates with the CNAME (https://learn.microsoft.com/azure/frontdoor/domain#domain-validation).
 */
import * as cdn from "@pulumi/azure-native/cdn";
import * as pulumi from "@pulumi/pulumi";
import { mergeTags } from "../common/tags";
import { TagKeys } from "../common/tags";
import { GlobalEntryImplementation, GlobalEntryInputs, GlobalEntryResources } from "./globalEntry";
import { EntryPlan, originName } from "./entryPlan";

/** A custom domain's resource name: the host with its dots as hyphens. */
const domainName = (host: string): string => host.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export class AzureGlobalEntry implements GlobalEntryImplementation {
    build(parent: pulumi.Resource, plan: EntryPlan, inputs: GlobalEntryInputs): GlobalEntryResources {
        const opts = { parent };
        const tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name });
        const resourceGroupName = inputs.resourceGroupName!;
        const profile = new cdn.Profile(`${plan.name}-profile`, {
            resourceGroupName, location: "Global", sku: { name: "Standard_AzureFrontDoor" }, tags,
        }, opts);
        const scope = { resourceGroupName, profileName: profile.name };
        const endpoint = new cdn.AFDEndpoint(`${plan.name}-endpoint`, { ...scope, location: "Global", enabledState: "Enabled", tags }, opts);
        const group = new cdn.AFDOriginGroup(`${plan.name}-origins`, {
            ...scope,
            // Latency-based among the healthy: 3 of the last 4 probes must pass; origins within 50 ms of the fastest share traffic.
            loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
            healthProbeSettings: { probePath: plan.healthPath, probeProtocol: "Https", probeRequestType: "GET", probeIntervalInSeconds: plan.probeIntervalSeconds },
            sessionAffinityState: "Disabled",
        }, opts);
        const origins = plan.origins.map((origin, i) => new cdn.AFDOrigin(originName(plan, "origin", origin), {
            ...scope, originGroupName: group.name,
            // The ingress's address; the request carries the public host, which the ingress serves and its certificate names.
            hostName: inputs.origins[i].address, originHostHeader: plan.host,
            httpPort: 80, httpsPort: 443, priority: origin.priority, weight: 1000, enabledState: "Enabled", enforceCertificateNameCheck: true,
        }, opts));
        const domain = new cdn.AFDCustomDomain(`${plan.name}-domain`, {
            ...scope,
            customDomainName: domainName(plan.host),
            hostName: plan.host,
            tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" },
        }, opts);
        new cdn.Route(`${plan.name}-route`, {
            ...scope, endpointName: endpoint.name, originGroup: { id: group.id },
            customDomains: [{ id: domain.id }],
            supportedProtocols: ["Http", "Https"], httpsRedirect: "Enabled", forwardingProtocol: "HttpsOnly",
            linkToDefaultDomain: "Enabled", patternsToMatch: ["/*"],
        // After an origin exists in the group (the first: a region added later changes nothing here).
        }, { ...opts, dependsOn: origins.slice(0, 1) });
        const dnsRecords = pulumi.all([endpoint.hostName, domain.validationProperties]).apply(([target, validation]) => [
            { name: plan.host, type: "CNAME", value: target },
            { name: `_dnsauth.${plan.host}`, type: "TXT", value: validation?.validationToken ?? "" },
        ]);
        return { entryHost: endpoint.hostName, dnsRecords };
    }
}
