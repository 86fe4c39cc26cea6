import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, ofType, planSnippet, rejection } from "../../engine/testing/plan";
import { CookieServices, CookieServicesArgs } from "./cookieServices";
import { cookiePipeline } from "./cookiePipeline";
import { writerStringData } from "./wiring";
import {
    CLOUDFRONT_CERTIFICATE, DATA_CIDRS, FAKE_PASSWORD, LOAD_BALANCER_CIDRS, Manifest,
    assertConsistent, awsArgs, fakeStore, testProvider, kubernetesResources, manifestOf, manifests, typeMetaOf, validateManifest, withoutStackTraces,
} from "./fixtures.test";

type Obj = Record<string, any>;
const SERVICES = ["get-cookie", "prepare-cookie", "mix", "bake", "pack"];
const planServices = (extra: Partial<CookieServicesArgs> = {}) =>
    withoutStackTraces(() => planSnippet(() => new CookieServices("cookies", awsArgs(extra), { providers: { kubernetes: testProvider() } })));
const byName = (plan: Plan, kind: string) => new Map(manifests(plan, kind).map((m) => [m.metadata.name, m]));
const podOf = (d: Manifest) => (d.spec as Obj).template.spec as Obj;
// One plan of the defaults, shared by the describes that only read it: each plan takes most of a second.
let defaultPlan: Promise<Plan> | undefined;
const planDefaults = () => (defaultPlan ??= planServices());

describe("CookieServices on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planDefaults();
    });

    it("registers as intergalactic:index:CookieServices and parents every child to itself", () => {
        const component = named(plan, "intergalactic:index:CookieServices", "cookies");
        const children = plan.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes");
        assert.ok(children.length >= 5 * 6 + 6);
        for (const child of children) assert.strictEqual(child.parent, component.urn, child.name);
    });

    it("creates every Kubernetes object through the given cluster provider", () => {
        for (const r of kubernetesResources(plan)) assert.match(r.options.provider, /pulumi:providers:kubernetes::test-cluster::/, r.name);
    });

    it("records only Kubernetes objects that are valid against the Kubernetes API schema", () => {
        const all = kubernetesResources(plan);
        assert.ok(all.length > 30);
        for (const r of all) {
            assert.deepStrictEqual({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind }, typeMetaOf(r.type), r.name);
            validateManifest(manifestOf(r));
        }
    });

    it("keeps every selector and reference pointing at objects that exist", () => {
        assertConsistent(plan);
    });

    it("gives every service a Deployment, autoscaler, disruption budget, Service, service account and network policy", () => {
        for (const kind of ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "ServiceAccount"]) {
            assert.deepStrictEqual([...byName(plan, kind).keys()].sort(), [...SERVICES].sort(), kind);
        }
        const policies = [...byName(plan, "NetworkPolicy").keys()].sort();
        assert.deepStrictEqual(policies, ["allow-dns", "default-deny", ...SERVICES.map((s) => `${s}-flows`)].sort());
    });

    it("runs at least two replicas at all times and scales on CPU and memory with autoscaling/v2", () => {
        const deployments = byName(plan, "Deployment");
        for (const hpa of manifests(plan, "HorizontalPodAutoscaler")) {
            const spec = hpa.spec as Obj;
            assert.strictEqual(hpa.apiVersion, "autoscaling/v2");
            assert.ok(spec.minReplicas >= 2 && spec.maxReplicas >= spec.minReplicas, hpa.metadata.name);
            assert.deepStrictEqual(spec.metrics.map((m: Obj) => [m.resource.name, m.resource.target.type]), [["cpu", "Utilization"], ["memory", "Utilization"]]);
            const deployment = deployments.get(hpa.metadata.name)!.spec as Obj;
            assert.deepStrictEqual(deployment.strategy.rollingUpdate.maxUnavailable, 0);
        }
    });

    it("leaves the replica count to the autoscaler: no spec.replicas an update would apply again, none kept from the state", () => {
        // Server-side apply takes spec.replicas back from the HPA on every update (pulumi/pulumi-kubernetes#2491), and
        // ignoreChanges sends the value from the state; the HPA docs say to remove the field (kubernetes/website#29739).
        const scaled = new Set(manifests(plan, "HorizontalPodAutoscaler").map((h) => `${(h.spec as Obj).scaleTargetRef.kind}/${(h.spec as Obj).scaleTargetRef.name}`));
        const deployments = ofType(plan, "kubernetes:apps/v1:Deployment");
        assert.ok(deployments.length > 0);
        for (const r of deployments) {
            const name = (r.inputs.metadata as Obj).name;
            assert.ok(scaled.has(`Deployment/${name}`), `${name} has no autoscaler`);
            assert.strictEqual((r.inputs.spec as Obj).replicas, undefined, `${r.name} sets spec.replicas`);
            assert.ok(!(r.options.ignoreChanges ?? []).includes("spec.replicas"), `${r.name} keeps spec.replicas from the state`);
        }
    });

    it("lets drains take one pod of a service at a time", () => {
        for (const pdb of manifests(plan, "PodDisruptionBudget")) {
            assert.strictEqual((pdb.spec as Obj).maxUnavailable, 1);
            assert.strictEqual((pdb.spec as Obj).minAvailable, undefined);
        }
    });

    it("spreads each service's pods over zones (hard) and hosts (soft)", () => {
        for (const d of manifests(plan, "Deployment")) {
            const spread = podOf(d).topologySpreadConstraints.map((c: Obj) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew]);
            assert.deepStrictEqual(spread, [["topology.kubernetes.io/zone", "DoNotSchedule", 1], ["kubernetes.io/hostname", "ScheduleAnyway", 1]]);
        }
    });

    it("hardens every pod to the restricted pod security level with probes and resource limits", () => {
        for (const d of manifests(plan, "Deployment")) {
            const pod = podOf(d);
            const container = pod.containers[0];
            assert.deepStrictEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.strictEqual(pod.securityContext.runAsNonRoot, true);
            assert.strictEqual(pod.automountServiceAccountToken, false);
            assert.deepStrictEqual(container.securityContext, {
                runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false,
                capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
            });
            assert.ok(container.readinessProbe.httpGet && container.livenessProbe.httpGet, d.metadata.name);
            assert.deepStrictEqual(Object.keys(container.resources.requests).sort(), ["cpu", "memory"]);
            assert.deepStrictEqual(Object.keys(container.resources.limits).sort(), ["cpu", "memory"]);
            assert.match(container.image, /^ghcr\.io\/intergalactic-cookies\/[a-z-]+:1\.4\.2$/);
        }
        for (const sa of manifests(plan, "ServiceAccount")) assert.strictEqual(sa.automountServiceAccountToken, false);
    });

    it("labels the namespace for the restricted pod security level and leaves the mesh off by default", () => {
        const [ns] = manifests(plan, "Namespace");
        assert.strictEqual(ns.metadata.name, "cookies");
        for (const mode of ["enforce", "audit", "warn"]) assert.strictEqual(ns.metadata.labels![`pod-security.kubernetes.io/${mode}`], "restricted");
        assert.strictEqual(ns.metadata.labels!["istio-injection"], undefined);
        assert.strictEqual(plan.resources.filter((r) => r.type.includes("istio")).length, 0);
    });
});

describe("CookieServices network policies", () => {
    let plan: Plan;
    let policies: Map<string, Manifest>;
    before(async () => {
        plan = await planDefaults();
        policies = byName(plan, "NetworkPolicy");
    });
    const specOf = (name: string) => policies.get(name)!.spec as Obj;
    const podNames = (peers: Obj[]) => peers.map((p) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"]);

    it("denies all ingress and egress in the namespace by default", () => {
        assert.deepStrictEqual(specOf("default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    it("lets every pod reach only the cluster DNS in kube-system on port 53", () => {
        const [rule] = specOf("allow-dns").egress;
        assert.deepStrictEqual(rule.to[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "kube-system" });
        assert.deepStrictEqual(rule.ports, [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
    });

    it("admits only the load balancer's subnets to get-cookie and only the listed callers to the others", () => {
        const get = specOf("get-cookie-flows");
        assert.deepStrictEqual(get.ingress, [{ from: LOAD_BALANCER_CIDRS.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 8080 }] }]);
        assert.deepStrictEqual(specOf("prepare-cookie-flows").ingress.map((r: Obj) => podNames(r.from)), [["get-cookie"]]);
        assert.deepStrictEqual(specOf("mix-flows").ingress.map((r: Obj) => podNames(r.from)), [["prepare-cookie"]]);
        assert.deepStrictEqual(specOf("bake-flows").ingress, []);
        assert.deepStrictEqual(specOf("pack-flows").ingress, []);
    });

    it("lets each service call only its callees and reach the data tier only on its own stores' ports", () => {
        const egress = (name: string) => specOf(`${name}-flows`).egress.map((r: Obj) =>
            r.to[0].ipBlock ? `data:${r.ports.map((p: Obj) => p.port).join("+")}` : `pod:${podNames(r.to)[0]}`);
        assert.deepStrictEqual(egress("get-cookie"), ["pod:prepare-cookie", "data:27017"]);
        assert.deepStrictEqual(egress("prepare-cookie"), ["pod:mix", "data:6379", "data:9096"]);
        assert.deepStrictEqual(egress("bake"), ["data:9096"]);
        for (const rule of specOf("bake-flows").egress) assert.deepStrictEqual(rule.to.map((p: Obj) => p.ipBlock.cidr), DATA_CIDRS);
    });

    it("opens nothing to or from the whole internet", () => {
        const text = JSON.stringify([...policies.values()]);
        assert.doesNotMatch(text, /0\.0\.0\.0\/0|::\/0/);
        for (const policy of policies.values()) assert.deepStrictEqual((policy.spec as Obj).policyTypes.includes("Egress"), true);
    });
});

describe("CookieServices data store wiring", () => {
    let plan: Plan;
    before(async () => {
        plan = await planDefaults();
    });

    it("keeps each store's connection in a Secret whose data the plan shows only as [secret]", () => {
        const secrets = ofType(plan, "kubernetes:core/v1:Secret");
        assert.deepStrictEqual(secrets.map((s) => (s.inputs.metadata as Obj).name).sort(), ["kafka-connection", "mongo-connection", "redis-connection"]);
        for (const s of secrets) {
            assert.strictEqual(s.inputs.stringData, "[secret]");
            assert.strictEqual(s.outputs.stringData, "[secret]");
        }
    });

    it("never writes a credential into any recorded manifest, output or stack output", () => {
        const text = JSON.stringify(plan);
        assert.ok(!text.includes(FAKE_PASSWORD));
        assert.ok(!text.includes("redis-user"), "even user names stay inside the Secret");
    });

    it("passes store settings to containers only as secretKeyRef, and only for the stores a service uses", () => {
        const deployments = byName(plan, "Deployment");
        const storeVars = (name: string) => (podOf(deployments.get(name)!).containers[0].env as Obj[])
            .filter((e) => /^(REDIS|MONGO|KAFKA)_/.test(e.name) && !/TOPICS$/.test(e.name));
        for (const name of SERVICES) for (const env of storeVars(name)) {
            assert.strictEqual(env.value, undefined, env.name);
            assert.ok(env.valueFrom.secretKeyRef.name.endsWith("-connection"), env.name);
        }
        assert.deepStrictEqual([...new Set(storeVars("get-cookie").map((e) => e.valueFrom.secretKeyRef.name))], ["mongo-connection"]);
        assert.deepStrictEqual([...new Set(storeVars("prepare-cookie").map((e) => e.valueFrom.secretKeyRef.name))], ["redis-connection", "kafka-connection"]);
    });

    it("tells each stage its topics and each caller its callees' in-cluster URLs", () => {
        const env = (name: string) => Object.fromEntries((podOf(byName(plan, "Deployment").get(name)!).containers[0].env as Obj[])
            .filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        assert.strictEqual(env("bake").KAFKA_CONSUME_TOPICS, "cookie-mixed");
        assert.strictEqual(env("bake").KAFKA_PRODUCE_TOPICS, "cookie-baked");
        assert.strictEqual(env("get-cookie").SERVICE_PREPARE_COOKIE_URL, "http://prepare-cookie.cookies.svc.cluster.local");
        assert.strictEqual(env("prepare-cookie").KAFKA_CONSUME_TOPICS, "cookie-packed");
    });

    it("exports the topics the services use, for KafkaQuorum", async () => {
        const component = named(plan, "intergalactic:index:CookieServices", "cookies");
        assert.deepStrictEqual(component.outputs.kafkaTopics, ["cookie-baked", "cookie-mixed", "cookie-packed"]);
    });
});

describe("CookieServices ingress on AWS", () => {
    let plan: Plan;
    let ingress: Manifest;
    before(async () => {
        plan = await planDefaults();
        [ingress] = manifests(plan, "Ingress");
    });

    it("makes an internet-facing ALB over the public subnets of every zone with pods as IP targets", () => {
        const a = ingress.metadata.annotations!;
        assert.strictEqual((ingress.spec as Obj).ingressClassName, "alb");
        assert.strictEqual(a["alb.ingress.kubernetes.io/scheme"], "internet-facing");
        assert.strictEqual(a["alb.ingress.kubernetes.io/target-type"], "ip");
        assert.deepStrictEqual(a["alb.ingress.kubernetes.io/subnets"].split(","), ["subnet-0a", "subnet-0b", "subnet-0c"]);
    });

    it("terminates TLS 1.2+ with the ACM certificate and redirects HTTP to HTTPS", () => {
        const a = ingress.metadata.annotations!;
        assert.deepStrictEqual(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }, { HTTPS: 443 }]);
        assert.strictEqual(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
        assert.match(a["alb.ingress.kubernetes.io/ssl-policy"], /^ELBSecurityPolicy-TLS13-1-2-/);
        assert.match(a["alb.ingress.kubernetes.io/certificate-arn"], /^arn:aws:acm:eu-west-1:/);
        assert.deepStrictEqual((ingress.spec as Obj).tls, [{ hosts: ["cookies.example.com"] }]);
    });

    it("routes the public host to get-cookie only, health-checked on its readiness path", () => {
        const rules = (ingress.spec as Obj).rules;
        assert.deepStrictEqual(rules.map((r: Obj) => [r.host, r.http.paths.map((p: Obj) => [p.path, p.backend.service.name])]),
            [["cookies.example.com", [["/", "get-cookie"]]]]);
        const service = byName(plan, "Service").get("get-cookie")!;
        assert.strictEqual(service.metadata.annotations!["alb.ingress.kubernetes.io/healthcheck-path"], "/ready");
        for (const s of manifests(plan, "Service")) assert.strictEqual((s.spec as Obj).type, "ClusterIP");
    });

    it("creates no forward cache unless asked", () => {
        assert.strictEqual(plan.resources.filter((r) => r.type.startsWith("aws:")).length, 0);
    });
});

describe("CookieServices ingress with a certificate resource's ARN", () => {
    it("puts the certificate's output on the Ingress, which then waits for the certificate's validation", async () => {
        const ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555";
        const plan = await withoutStackTraces(() => planSnippet(() => {
            // Required lazily, as the component does: a snippet that builds an ACM certificate the way a stack would.
            const acm: typeof import("@pulumi/aws/acm") = require("@pulumi/aws/acm");
            const validation = new acm.CertificateValidation("host", { certificateArn: ARN });
            return new CookieServices("cookies", awsArgs({ ingress: { host: "cookies.example.com", aws: { certificateArn: validation.certificateArn } } }),
                { providers: { kubernetes: testProvider() } });
        }));
        const [ingress] = ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress");
        const annotations = (ingress.inputs.metadata as Obj).annotations;
        assert.strictEqual(annotations["alb.ingress.kubernetes.io/certificate-arn"], ARN);
        const validation = ofType(plan, "aws:acm/certificateValidation:CertificateValidation")[0];
        assert.ok(ingress.dependencies.includes(validation.urn), JSON.stringify(ingress.dependencies));
    });

    it("checks an output's ARN once it is known, naming the arg, the value and the rule", async () => {
        const error = await rejection(withoutStackTraces(() => planSnippet(() => {
            const acm: typeof import("@pulumi/aws/acm") = require("@pulumi/aws/acm");
            // An IAM server certificate where an ACM one belongs: the validation passes it through, as the provider does.
            const validation = new acm.CertificateValidation("host", { certificateArn: "arn:aws:iam::123456789012:server-certificate/cookies" });
            return new CookieServices("cookies", awsArgs({ ingress: { host: "cookies.example.com", aws: { certificateArn: validation.certificateArn } } }),
                { providers: { kubernetes: testProvider() } });
        })));
        assert.match(error.message, /CookieServices "cookies".*ingress\.aws\.certificateArn: "arn:aws:iam::123456789012:server-certificate\/cookies" must be an ACM certificate ARN/s);
    });

    it("still checks an ARN given as text", async () => {
        await assert.rejects(planServices({ ingress: { host: "cookies.example.com", aws: { certificateArn: "not-an-arn" } } }),
            /ingress\.aws\.certificateArn: "not-an-arn" must be an ACM certificate ARN/);
    });
});

describe("CookieServices forward cache and mesh on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planServices({
            forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", defaultTtlSeconds: 30, aws: { certificateArn: CLOUDFRONT_CERTIFICATE, maxTtlSeconds: 120 } },
            mesh: { enabled: true },
        });
    });

    it("puts CloudFront in front of the ALB: HTTPS-only to the origin host, TLS 1.2+ to viewers, GET and HEAD cached", () => {
        const cdn = named(plan, "aws:cloudfront/distribution:Distribution", "cookies-cdn").inputs as Obj;
        assert.deepStrictEqual(cdn.aliases, ["cookies.example.com"]);
        assert.strictEqual(cdn.origins[0].domainName, "origin.cookies.example.com");
        assert.strictEqual(cdn.origins[0].customOriginConfig.originProtocolPolicy, "https-only");
        assert.deepStrictEqual(cdn.origins[0].customOriginConfig.originSslProtocols, ["TLSv1.2"]);
        assert.strictEqual(cdn.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
        assert.deepStrictEqual(cdn.defaultCacheBehavior.cachedMethods, ["GET", "HEAD"]);
        assert.strictEqual(cdn.viewerCertificate.acmCertificateArn, CLOUDFRONT_CERTIFICATE);
        assert.strictEqual(cdn.viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
        const policy = named(plan, "aws:cloudfront/cachePolicy:CachePolicy", "cookies-cdn");
        assert.strictEqual(cdn.defaultCacheBehavior.cachePolicyId, policy.id);
        assert.deepStrictEqual([policy.inputs.minTtl, policy.inputs.defaultTtl, policy.inputs.maxTtl], [0, 30, 120]);
    });

    it("keys cached responses by caller so one user's answer is never served to another", () => {
        const params = named(plan, "aws:cloudfront/cachePolicy:CachePolicy", "cookies-cdn").inputs.parametersInCacheKeyAndForwardedToOrigin as Obj;
        assert.deepStrictEqual(params.headersConfig, { headerBehavior: "whitelist", headers: { items: ["Authorization"] } });
    });

    it("serves the origin host name on the ALB with the same certificate", () => {
        const [ingress] = manifests(plan, "Ingress");
        assert.deepStrictEqual((ingress.spec as Obj).rules.map((r: Obj) => r.host), ["cookies.example.com", "origin.cookies.example.com"]);
        assert.deepStrictEqual((ingress.spec as Obj).tls[0].hosts, ["cookies.example.com", "origin.cookies.example.com"]);
    });

    it("serves the any-host health path exactly, for any Host, to the entry service under whose path it falls", async () => {
        const one = await planServices({ ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, anyHostHealthPath: "/ready" } } });
        const rulesOf = (p: Plan) => (manifests(p, "Ingress")[0].spec as Obj).rules as Obj[];
        assert.deepStrictEqual(rulesOf(one).filter((r) => r.host === undefined), [{ http: { paths: [{ path: "/ready", pathType: "Exact", backend: { service: { name: "get-cookie", port: { name: "http" } } } }] } }]);
        assert.deepStrictEqual(rulesOf(await planDefaults()).map((r) => r.host), ["cookies.example.com"], "no rule without a host unless asked");
        const two = await planServices({
            services: cookiePipeline().map((s) => (s.name === "mix" ? { ...s, public: true } : s)), entryServices: ["get-cookie", "mix"],
            ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, anyHostHealthPath: "/mix/ready" } },
        });
        assert.deepStrictEqual(rulesOf(two).filter((r) => r.host === undefined).map((r) => r.http.paths[0].backend.service.name), ["mix"]);
    });

    it("requires mTLS in the namespace but keeps the public port open to the load balancer outside the mesh", () => {
        const peer = ofType(plan, "kubernetes:security.istio.io/v1:PeerAuthentication").map((r) => r.inputs as Obj);
        const strict = peer.find((p) => p.metadata.name === "default")!;
        assert.deepStrictEqual(strict.spec, { mtls: { mode: "STRICT" } });
        const entry = peer.find((p) => p.metadata.name === "get-cookie")!;
        assert.deepStrictEqual(entry.spec.portLevelMtls, { 8080: { mode: "PERMISSIVE" } });
        assert.deepStrictEqual(entry.spec.selector.matchLabels, { "app.kubernetes.io/name": "get-cookie", "app.kubernetes.io/instance": "cookies" });
        assert.strictEqual(peer.length, 2);
        const [ns] = manifests(plan, "Namespace");
        assert.strictEqual(ns.metadata.labels!["istio-injection"], "enabled");
    });

    it("lets sidecars reach istiod and nothing else new", () => {
        const flows = byName(plan, "NetworkPolicy").get("bake-flows")!.spec as Obj;
        const istio = flows.egress.filter((r: Obj) => r.to[0].namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "istio-system");
        assert.deepStrictEqual(istio.map((r: Obj) => r.ports), [[{ protocol: "TCP", port: 15012 }]]);
        for (const r of kubernetesResources(plan).filter((x) => !x.type.includes("istio"))) validateManifest(manifestOf(r));
    });
});

describe("CookieServices module loading", () => {
    const fs = require("fs") as typeof import("fs");
    const path = require("path") as typeof import("path");
    const sources = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    const importsOf = (file: string) => [...fs.readFileSync(path.join(__dirname, file), "utf8").matchAll(/(?:from|require\()\s*"(@pulumi\/[^"]+)"/g)].map((m) => m[1]);

    it("imports a cloud SDK only in that cloud's implementation file, and each SDK only by submodule", () => {
        for (const file of sources) {
            const sdks = importsOf(file).filter((m) => m.startsWith("@pulumi/aws") || m.startsWith("@pulumi/azure-native"));
            const allowed = file.endsWith(".aws.ts") ? /^@pulumi\/aws\/[a-z]+$/ : file.endsWith(".azure.ts") ? /^@pulumi\/azure-native\/[a-z]+$/ : /^$/;
            for (const sdk of sdks) assert.match(sdk, allowed, `${file} imports ${sdk}`);
        }
    });
});

describe("CookieServices with the user database's writer elsewhere (mongoWriter)", () => {
    // A global cluster's primary in another region's network, reached across a peering.
    const WRITER_CIDRS = ["10.21.20.0/22", "10.21.52.0/22"];
    const writer = () => {
        const store = fakeStore("mongo", 27017);
        const connection = { host: "writer.other-region.internal", endpoints: ["writer.other-region.internal:27017"], port: 27017, tls: true, authMechanism: "password" };
        return { connection, credentials: store.credentials, cidrs: WRITER_CIDRS };
    };
    let plan: Plan;
    before(async () => {
        plan = await planServices({ mongoWriter: writer() });
    });

    it("gives the services that use mongo the writer's keys of the same Secret, and no one else", () => {
        const deployments = byName(plan, "Deployment");
        const writerVars = (name: string) => (podOf(deployments.get(name)!).containers[0].env as Obj[])
            .filter((e) => /^MONGO_WRITER_/.test(e.name)).map((e) => `${e.name}=${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
        assert.deepStrictEqual(writerVars("get-cookie"), [
            "MONGO_WRITER_HOST=mongo-connection/writer-host", "MONGO_WRITER_ENDPOINTS=mongo-connection/writer-endpoints", "MONGO_WRITER_URL=mongo-connection/writer-connection-string",
        ]);
        assert.deepStrictEqual(writerVars("bake"), []);
        assertConsistent(plan);
        assert.ok(!JSON.stringify(plan).includes(FAKE_PASSWORD));
    });

    it("opens the writer's port to the writer's ranges only, for the services that use mongo", () => {
        const policies = byName(plan, "NetworkPolicy");
        const egress = (name: string) => (policies.get(`${name}-flows`)!.spec as Obj).egress as Obj[];
        const toWriter = egress("get-cookie").filter((r) => r.to.some((p: Obj) => WRITER_CIDRS.includes(p.ipBlock?.cidr)));
        assert.deepStrictEqual(toWriter, [{ to: WRITER_CIDRS.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 27017 }] }]);
        assert.strictEqual(JSON.stringify(egress("bake")).includes("10.21."), false);
    });

    it("names only the writer's host in writer-endpoints, not the store's other endpoints (a DocumentDB reader endpoint)", () => {
        const connection = { ...writer().connection, endpoints: ["writer.other-region.internal:27017", "reader.other-region.internal:27017"] };
        const data = writerStringData(connection, { username: "u", password: "p", connectionString: "mongodb://u:p@writer.other-region.internal:27017/db" });
        assert.strictEqual(data["writer-endpoints"], "writer.other-region.internal:27017");
        assert.strictEqual(data["writer-host"], "writer.other-region.internal");
    });

    it("rolls the pods when the writer moves: the credentials digest covers its host", async () => {
        const digest = (p: Plan) => ((byName(p, "Deployment").get("get-cookie")!.spec as Obj).template.metadata.annotations as Obj)["intergalactic.io/credentials-digest"];
        const moved = await planServices({ mongoWriter: { ...writer(), connection: { ...writer().connection, host: "writer.third-region.internal" } } });
        assert.notStrictEqual(digest(moved), digest(plan));
        assert.notStrictEqual(digest(plan), digest(await planDefaults()));
    });
});
