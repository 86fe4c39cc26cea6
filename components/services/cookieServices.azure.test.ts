import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, ofType, planSnippet } from "../../engine/testing/plan";
import { frontDoorDuration } from "./cookieServices.azure";
import { CookieServices, CookieServicesArgs } from "./cookieServices";
import { KEY_VAULT_CERTIFICATE, Manifest, assertConsistent, azureArgs, kubernetesResources, manifestOf, manifests, testProvider, validateManifest, withoutStackTraces } from "./fixtures.test";

type Obj = Record<string, any>;
const planAzure = (extra: Partial<CookieServicesArgs> = {}) =>
    withoutStackTraces(() => planSnippet(() => new CookieServices("cookies", azureArgs(extra), { providers: { kubernetes: testProvider() } })));

describe("CookieServices on Azure", () => {
    let plan: Plan;
    let ingress: Manifest;
    before(async () => {
        plan = await planAzure();
        [ingress] = manifests(plan, "Ingress");
    });

    it("records only schema-valid, consistent Kubernetes objects", () => {
        for (const r of kubernetesResources(plan)) validateManifest(manifestOf(r));
        assertConsistent(plan);
    });

    it("exposes get-cookie through the application routing nginx with the Key Vault certificate", () => {
        assert.strictEqual((ingress.spec as Obj).ingressClassName, "webapprouting.kubernetes.azure.com");
        assert.strictEqual(ingress.metadata.annotations!["kubernetes.azure.com/tls-cert-keyvault-uri"], KEY_VAULT_CERTIFICATE);
        assert.deepStrictEqual((ingress.spec as Obj).tls, [{ hosts: ["cookies.example.com"], secretName: "keyvault-public" }]);
    });

    it("redirects HTTP to HTTPS", () => {
        assert.strictEqual(ingress.metadata.annotations!["nginx.ingress.kubernetes.io/force-ssl-redirect"], "true");
        assert.strictEqual(ingress.metadata.annotations!["nginx.ingress.kubernetes.io/ssl-redirect"], "true");
    });

    it("admits only the ingress controller's namespace to get-cookie", () => {
        const policy = manifests(plan, "NetworkPolicy").find((p) => p.metadata.name === "get-cookie-flows")!;
        assert.deepStrictEqual((policy.spec as Obj).ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "app-routing-system" } } }]);
    });

    it("uses a TLS Secret instead of Key Vault when given one", async () => {
        const withSecret = await planAzure({ ingress: { host: "cookies.example.com", azure: { tlsSecretName: "cookies-tls" } } });
        const [ing] = manifests(withSecret, "Ingress");
        assert.deepStrictEqual((ing.spec as Obj).tls, [{ hosts: ["cookies.example.com"], secretName: "cookies-tls" }]);
        assert.strictEqual(ing.metadata.annotations!["kubernetes.azure.com/tls-cert-keyvault-uri"], undefined);
    });

    it("loads no cloud SDK resources and no Front Door unless the forward cache is on", () => {
        assert.strictEqual(plan.resources.filter((r) => r.type.startsWith("azure-native:") || r.type.startsWith("aws:")).length, 0);
    });
});

describe("CookieServices forward cache on Azure", () => {
    let plan: Plan;
    before(async () => {
        plan = await planAzure({
            forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", defaultTtlSeconds: 90 },
            azure: { resourceGroupName: "rg-cookies" },
        });
    });

    it("creates a Standard Front Door whose origin is the ingress' origin host over HTTPS with a checked certificate", () => {
        assert.deepStrictEqual(named(plan, "azure-native:cdn:Profile", "cookies-cdn").inputs.sku, { name: "Standard_AzureFrontDoor" });
        const origin = named(plan, "azure-native:cdn:AFDOrigin", "cookies-cdn-origin").inputs as Obj;
        assert.deepStrictEqual([origin.hostName, origin.originHostHeader, origin.enforceCertificateNameCheck], ["origin.cookies.example.com", "origin.cookies.example.com", true]);
        const route = named(plan, "azure-native:cdn:Route", "cookies-cdn-route").inputs as Obj;
        assert.deepStrictEqual([route.httpsRedirect, route.forwardingProtocol], ["Enabled", "HttpsOnly"]);
    });

    it("caches GET and HEAD responses for the configured TTL when the origin sets none", () => {
        const rule = named(plan, "azure-native:cdn:Rule", "cookies-cdn-cache-gets").inputs as Obj;
        assert.deepStrictEqual(rule.conditions[0].parameters.matchValues, ["GET", "HEAD"]);
        const cache = rule.actions[0].parameters.cacheConfiguration;
        assert.deepStrictEqual([cache.cacheBehavior, cache.cacheDuration], ["OverrideIfOriginMissing", "0.00:01:30"]);
        assert.match(String(named(plan, "azure-native:cdn:RuleSet", "cookies-cdn-rules").inputs.ruleSetName), /^[a-zA-Z][a-zA-Z0-9]*$/);
    });

    it("puts every Front Door resource in the given resource group", () => {
        for (const r of ofType(plan, "azure-native:cdn:Profile").concat(plan.resources.filter((x) => x.type.startsWith("azure-native:cdn:")))) {
            assert.strictEqual(r.inputs.resourceGroupName, "rg-cookies", r.name);
        }
    });
});

describe("frontDoorDuration", () => {
    it("writes seconds as d.hh:mm:ss", () => {
        assert.deepStrictEqual([0, 59, 90, 3600, 86399, 86400 * 3 + 61].map(frontDoorDuration),
            ["0.00:00:00", "0.00:00:59", "0.00:01:30", "0.01:00:00", "0.23:59:59", "3.00:01:01"]);
    });
});
