/**
 * CookieServices' edge on Azure: the AKS application routing add-on's managed
 * nginx (TLS from Key Vault or a TLS Secret, HTTP redirected to HTTPS) behind
 * the cluster's zone-redundant Standard load balancer, and the optional Azure
 * Front Door forward cache.
 */
import * as cdn from "@pulumi/azure-native/cdn";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { TagKeys, mergeTags } from "../common/tags";
import { ForwardCacheResources, IngressSettings, ServicesEdgeImplementation, ServicesEdgeInputs } from "./cookieServices";
import { INGRESS_NAME } from "./edgeObjects";
import { APP_ROUTING_NAMESPACE, namespacePeers } from "./networkPolicies";
import type { ServicePlan, ServicesPlan } from "./servicesPlan";

/** The ingress class of the application routing add-on's nginx. */
export const APP_ROUTING_CLASS = "webapprouting.kubernetes.azure.com";
/** The annotation that makes the add-on sync a Key Vault certificate into the Ingress' TLS Secret. */
export const KEY_VAULT_ANNOTATION = "kubernetes.azure.com/tls-cert-keyvault-uri";

/** `d.hh:mm:ss`, the duration format of Front Door cache rules. */
export function frontDoorDuration(seconds: number): string {
    const pad = (n: number) => String(n).padStart(2, "0");
    const days = Math.floor(seconds / 86400);
    const rest = seconds % 86400;
    return `${days}.${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
}

/** A Front Door custom domain's resource name for a host: letters, digits and single hyphens. */
export function frontDoorDomainName(host: string): string {
    return host.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

export class AzureServicesEdge implements ServicesEdgeImplementation {
    ingressPeers(): k8s.types.input.networking.v1.NetworkPolicyPeer[] {
        return namespacePeers(APP_ROUTING_NAMESPACE);
    }

    ingressSettings(plan: ServicesPlan): IngressSettings {
        const hosts = [...plan.edge.tlsHosts];
        const keyVault = plan.edge.keyVaultCertificateUri !== "";
        return {
            ingressClassName: APP_ROUTING_CLASS,
            annotations: {
                ...(keyVault ? { [KEY_VAULT_ANNOTATION]: plan.edge.keyVaultCertificateUri } : {}),
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            },
            // With a Key Vault certificate the add-on writes the Secret `keyvault-<ingress name>`.
            tls: [{ hosts, secretName: keyVault ? `keyvault-${INGRESS_NAME}` : plan.edge.tlsSecretName }],
        };
    }

    publicServiceAnnotations(): Record<string, string> {
        return {};
    }

    forwardCache(parent: pulumi.Resource, plan: ServicesPlan, inputs: ServicesEdgeInputs, ingress: k8s.networking.v1.Ingress): ForwardCacheResources {
        const cache = plan.edge.forwardCache!;
        const entry = plan.services.find((s) => s.name === plan.entryServices[0])!;
        const opts = { parent };
        const resourceGroupName = inputs.resourceGroupName!;
        const tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name });
        const profile = new cdn.Profile(childName(plan.name, "cdn"), {
            resourceGroupName, location: "Global", sku: { name: "Standard_AzureFrontDoor" }, tags,
        }, opts);
        const scope = { resourceGroupName, profileName: profile.name };
        const endpoint = new cdn.AFDEndpoint(childName(plan.name, "cdn-endpoint"), { ...scope, location: "Global", enabledState: "Enabled", tags }, opts);
        const group = new cdn.AFDOriginGroup(childName(plan.name, "cdn-origins"), {
            ...scope,
            loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
            healthProbeSettings: { probePath: this.probePath(plan, entry), probeProtocol: "Https", probeRequestType: "HEAD", probeIntervalInSeconds: 100 },
            sessionAffinityState: "Disabled",
        }, opts);
        const origin = new cdn.AFDOrigin(childName(plan.name, "cdn-origin"), {
            ...scope, originGroupName: group.name,
            // The ingress certificate covers the origin host name, so Front Door can verify it.
            hostName: cache.originHostname, originHostHeader: cache.originHostname,
            httpPort: 80, httpsPort: 443, priority: 1, weight: 1000, enabledState: "Enabled", enforceCertificateNameCheck: true,
        }, { ...opts, dependsOn: [ingress] });
        const rules = new cdn.RuleSet(childName(plan.name, "cdn-rules"), { ...scope, ruleSetName: "cachettl" }, opts);
        new cdn.Rule(childName(plan.name, "cdn-cache-gets"), {
            ...scope, ruleSetName: rules.name, ruleName: "cachegets", order: 1,
            conditions: [{ name: "RequestMethod", parameters: { typeName: "DeliveryRuleRequestMethodConditionParameters", operator: "Equal", matchValues: ["GET", "HEAD"] } }],
            actions: [{
                name: "RouteConfigurationOverride",
                parameters: {
                    typeName: "DeliveryRuleRouteConfigurationOverrideActionParameters",
                    cacheConfiguration: {
                        cacheBehavior: "OverrideIfOriginMissing", cacheDuration: frontDoorDuration(cache.defaultTtlSeconds),
                        queryStringCachingBehavior: "UseQueryString", isCompressionEnabled: "Enabled",
                    },
                },
            }],
        }, opts);
        // The service host itself is served by Front Door (its DNS name is a CNAME to the endpoint), so the
        // route needs it as a custom domain, or Front Door answers that host with 404. A managed certificate
        // needs the domain validated: a TXT record `_dnsauth.<host>` with the domain's validation token
        // (https://learn.microsoft.com/azure/frontdoor/domain#domain-validation).
        const domain = new cdn.AFDCustomDomain(childName(plan.name, "cdn-domain"), {
            ...scope,
            customDomainName: frontDoorDomainName(plan.edge.host),
            hostName: plan.edge.host,
            tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" },
        }, opts);
        new cdn.Route(childName(plan.name, "cdn-route"), {
            ...scope, endpointName: endpoint.name, originGroup: { id: group.id }, ruleSets: [{ id: rules.id }],
            customDomains: [{ id: domain.id }],
            supportedProtocols: ["Http", "Https"], httpsRedirect: "Enabled", forwardingProtocol: "HttpsOnly",
            linkToDefaultDomain: "Enabled", patternsToMatch: ["/*"],
            cacheConfiguration: { queryStringCachingBehavior: "UseQueryString" },
        }, { ...opts, dependsOn: [origin] });
        const dnsRecords = pulumi.all([endpoint.hostName, domain.validationProperties]).apply(([target, validation]) => [
            { name: plan.edge.host, type: "CNAME", value: target },
            { name: `_dnsauth.${plan.edge.host}`, type: "TXT", value: validation?.validationToken ?? "" },
        ]);
        return { host: endpoint.hostName, dnsRecords };
    }

    private probePath(plan: ServicesPlan, entry: ServicePlan): string {
        return plan.entryServices.length === 1 ? entry.readinessPath : `/${entry.name}${entry.readinessPath}`;
    }
}
