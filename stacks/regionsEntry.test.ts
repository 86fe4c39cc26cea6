/**
 * The prod stacks' global entry: one public host in front of every stamp, each region's endpoint
 * behind it with its health judged, and TLS for the host.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { loadStackFiles } from "../engine/stackFiles";
import { stackPlan } from "../engine/testing/plan";
import { parseStackConfig } from "./config";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);
const stampOutputs = (plan: Plan) => plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs as Record<string, any>;

describe("the prod stack's global entry (Route 53 latency records)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod");
    });

    it("has one latency record per region for the public host, aliasing that region's load balancer with its target health evaluated", () => {
        const records = ofType(plan, "aws:route53/record:Record").filter((r) => r.name.startsWith("entry-latency-"));
        assert.deepStrictEqual(records.map((r) => r.inputs.setIdentifier), ["eu-west-1", "us-east-1"]);
        const outputs = stampOutputs(plan);
        const addresses = [outputs.loadBalancerAddress, outputs.stamps["us-east-1"].loadBalancerAddress];
        records.forEach((r, i) => {
            assert.deepStrictEqual([r.inputs.name, r.inputs.type, r.inputs.zoneId], ["cookies.intergalactic.example", "A", "Z00000000000000000000"]);
            assert.deepStrictEqual(r.inputs.latencyRoutingPolicies, [{ region: r.inputs.setIdentifier }]);
            const [alias] = r.inputs.aliases as { name: string; zoneId: string; evaluateTargetHealth: boolean }[];
            assert.strictEqual(alias.evaluateTargetHealth, true);
            assert.strictEqual(alias.name, addresses[i]);
            assert.match(alias.zoneId, /^Z[A-Z0-9]+$/);
        });
        assert.notStrictEqual((records[0].inputs.aliases as { zoneId: string }[])[0].zoneId, (records[1].inputs.aliases as { zoneId: string }[])[0].zoneId);
    });

    it("checks each region's services through its load balancer: HTTPS to the ALB's own name on the entry's readiness path, attached to its latency record", () => {
        const checks = ofType(plan, "aws:route53/healthCheck:HealthCheck");
        assert.deepStrictEqual(checks.map((c) => c.name), ["entry-health-eu-west-1", "entry-health-us-east-1"]);
        const outputs = stampOutputs(plan);
        const addresses = [outputs.loadBalancerAddress, outputs.stamps["us-east-1"].loadBalancerAddress];
        const records = ofType(plan, "aws:route53/record:Record").filter((r) => r.name.startsWith("entry-latency-"));
        checks.forEach((c, i) => {
            // Type and interval are fixed at creation and an interval left out is replaced on the next up (hashicorp/terraform-provider-aws#23514).
            assert.deepStrictEqual([c.inputs.type, c.inputs.fqdn, c.inputs.port, c.inputs.enableSni, c.inputs.requestInterval, c.inputs.failureThreshold],
                ["HTTPS", addresses[i], 443, false, 30, 3]);
            assert.strictEqual(c.inputs.regions, undefined, "once set, removing the checker regions changes nothing");
            assert.ok(records[i].dependencies.includes(c.urn), `${records[i].name} depends on ${c.name}`);
            assert.strictEqual(typeof records[i].inputs.healthCheckId, "string");
        });
    });

    it("leaves every checked ALB reachable by Route 53's checkers over a TLS version they speak", () => {
        assert.ok(ofType(plan, "aws:route53/healthCheck:HealthCheck").every((c) => c.inputs.type === "HTTPS"));
        for (const ingress of ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress")) {
            const a = (ingress.inputs.metadata as { annotations: Record<string, string> }).annotations;
            // An HTTPS check needs TLS 1.0, 1.1 or 1.2 on the endpoint (API_HealthCheckConfig, Type): a TLS 1.3-only policy fails every check.
            assert.match(a["alb.ingress.kubernetes.io/ssl-policy"], /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2|FS-1-2)-/, ingress.name);
            // Without inbound-cidrs the controller opens the listeners to 0.0.0.0/0, Route 53's checkers included; a narrower list would need ROUTE53_HEALTHCHECKS.
            assert.strictEqual(a["alb.ingress.kubernetes.io/inbound-cidrs"], undefined, ingress.name);
        }
    });

    it("serves the checked path for any Host in every stamp's Ingress, exactly and to the entry service; the rest only for the public host", () => {
        const checks = ofType(plan, "aws:route53/healthCheck:HealthCheck");
        const ingresses = ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress");
        assert.strictEqual(ingresses.length, 2);
        for (const ingress of ingresses) {
            const rules = (ingress.inputs.spec as { rules: { host?: string; http: { paths: { path: string; pathType: string; backend: unknown }[] } }[] }).rules;
            const anyHost = rules.filter((r) => r.host === undefined);
            assert.deepStrictEqual(anyHost.map((r) => r.http.paths.map((p) => [p.path, p.pathType])), [[[checks[0].inputs.resourcePath, "Exact"]]]);
            const hostBackends = rules.filter((r) => r.host !== undefined).flatMap((r) => r.http.paths.map((p) => JSON.stringify(p.backend)));
            assert.ok(hostBackends.includes(JSON.stringify(anyHost[0].http.paths[0].backend)), "the checked path goes to an entry service of the public host");
        }
    });

    it("refuses a multi-region prod stack without the hosted zone, naming the key", () => {
        const config = { ...loadStackFiles(ROOT, "prod").config };
        delete config["intergalactic:globalEntry"];
        assert.throws(() => parseStackConfig(config, "prod"), /intergalactic:globalEntry\.hostedZoneId: undefined is required with 2 regions/);
        const one: Record<string, string> = { ...config, "intergalactic:regions": JSON.stringify(["eu-west-1"]), "intergalactic:globalEntry": JSON.stringify({ hostedZoneId: "Z0123" }) };
        const services = JSON.parse(one["intergalactic:services"]);
        delete services.regionCertificateArns;
        assert.throws(() => parseStackConfig({ ...one, "intergalactic:services": JSON.stringify(services) }, "prod"), /intergalactic:globalEntry\.hostedZoneId: "Z0123" does nothing here/);
    });
});

describe("the prod-azure stack's global entry (Front Door)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod-azure");
    });

    it("has one origin per region in one probed origin group, all at one priority", () => {
        const [group] = ofType(plan, "azure-native:cdn:AFDOriginGroup").filter((r) => r.name === "entry-origins");
        const probe = group.inputs.healthProbeSettings as Record<string, unknown>;
        assert.deepStrictEqual([probe.probeProtocol, typeof probe.probePath, probe.probeIntervalInSeconds], ["Https", "string", 30]);
        assert.match(String(probe.probePath), /^\/[a-z-]*\/?ready$|^\/ready$/);
        const origins = ofType(plan, "azure-native:cdn:AFDOrigin").filter((r) => r.name.startsWith("entry-origin-"));
        assert.deepStrictEqual(origins.map((o) => o.name), ["entry-origin-northeurope", "entry-origin-eastus2"]);
        const outputs = stampOutputs(plan);
        assert.deepStrictEqual(origins.map((o) => o.inputs.hostName), [outputs.loadBalancerAddress, outputs.stamps.eastus2.loadBalancerAddress]);
        for (const o of origins) {
            assert.deepStrictEqual([o.inputs.originHostHeader, o.inputs.priority, o.inputs.enforceCertificateNameCheck], ["cookies.azure.intergalactic.example", 1, true]);
        }
    });

    it("serves the public host with a managed certificate over HTTPS only and names the DNS records the domain needs", () => {
        const [domain] = ofType(plan, "azure-native:cdn:AFDCustomDomain").filter((r) => r.name === "entry-domain");
        assert.deepStrictEqual(domain.inputs.tlsSettings, { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" });
        const [route] = ofType(plan, "azure-native:cdn:Route").filter((r) => r.name === "entry-route");
        assert.deepStrictEqual([route.inputs.httpsRedirect, route.inputs.forwardingProtocol], ["Enabled", "HttpsOnly"]);
        const records = stampOutputs(plan).globalEntry.dnsRecords as { name: string; type: string }[];
        assert.deepStrictEqual(records.map((r) => `${r.type} ${r.name}`), ["CNAME cookies.azure.intergalactic.example", "TXT _dnsauth.cookies.azure.intergalactic.example"]);
    });
});
