import * as assert from "assert";
import { planFailure } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { CookieServices, CookieServicesArgs } from "./cookieServices";
import { cookiePipeline, pipelineTopics } from "./cookiePipeline";
import { ServiceSpec } from "./serviceSpec";
import { planServices } from "./servicesPlan";
import { selectSubnets } from "../network/facts";
import { placeServices } from "./placement";
import { CLOUDFRONT_CERTIFICATE, DATA_CIDRS, LOAD_BALANCER_CIDRS, awsArgs, fakeStore, awsNetwork, azureArgs, azureNetwork, testProvider, withoutStackTraces } from "./fixtures.test";

/** The cookie pipeline with `patch` applied to the service called `name`. */
function withService(name: string, patch: Partial<ServiceSpec>): ServiceSpec[] {
    return cookiePipeline().map((s) => (s.name === name ? { ...s, ...patch } : s));
}
/** A writer's connection and credentials (the store's own fake ones). */
const writerArgs = () => ({ connection: fakeStore("mongo", 27017).connection, credentials: fakeStore("mongo", 27017).credentials });
const withProvider = <T extends object>(input: T) => ({ ...input, kubernetesProvider: {} });

interface BadCase {
    /** What is wrong, as the test name says it. */
    readonly title: string;
    readonly args: () => CookieServicesArgs;
    /** The expected problem line: the arg, the value, the rule. */
    readonly problem: RegExp;
}

const CASES: readonly BadCase[] = [
    { title: "a writer without the store it writes", args: () => awsArgs({ mongo: undefined, services: cookiePipeline().map((s) => ({ ...s, dataStores: (s.dataStores ?? []).filter((k) => k !== "mongo") })), mongoWriter: { ...writerArgs(), cidrs: ["10.21.20.0/22"] } }), problem: /^mongoWriter: "given" needs mongo/ },
    { title: "a writer without ranges", args: () => awsArgs({ mongoWriter: { ...writerArgs(), cidrs: [] } }), problem: /^mongoWriter\.cidrs: \[\] must name the writer's ranges/ },
    { title: "a writer reached over the internet", args: () => awsArgs({ mongoWriter: { ...writerArgs(), cidrs: ["0.0.0.0/0"] } }), problem: /^mongoWriter\.cidrs\[0\]: "0\.0\.0\.0\/0" is not private address space/ },
    { title: "an unknown cloud", args: () => awsArgs({ cloud: "gcp" as never }), problem: /^cloud: "gcp" is not a supported cloud/ },
    { title: "a system namespace", args: () => awsArgs({ namespace: "kube-system" }), problem: /^namespace: "kube-system" must be a DNS-1123 label .* not a system namespace/ },
    { title: "an empty service list", args: () => awsArgs({ services: [] }), problem: /^services: \[\] must list at least one service/ },
    { title: "a service name that is not a DNS-1035 label", args: () => awsArgs({ services: withService("mix", { name: "Mix_Dough", callers: [] }) }), problem: /^services\[2\]\.name: "Mix_Dough" must be a DNS-1035 label/ },
    { title: "a service name longer than 63 characters", args: () => awsArgs({ services: withService("bake", { name: `b${"a".repeat(63)}` }) }), problem: /^services\[3\]\.name: "ba{63}" must be a DNS-1035 label.*at most 63/ },
    { title: "a service name starting with a digit", args: () => awsArgs({ services: withService("bake", { name: "1bake" }) }), problem: /^services\[3\]\.name: "1bake" must be a DNS-1035 label/ },
    { title: "two services with the same name", args: () => awsArgs({ services: [...cookiePipeline(), { ...cookiePipeline()[3] }] }), problem: /^services\[5\]\.name: "bake" is already used by services\[3\]: names must be unique/ },
    { title: "an image with a tag in the repository", args: () => awsArgs({ services: withService("pack", { image: "ghcr.io/x/pack:1.0" }) }), problem: /^services\[4\]\.image: "ghcr.io\/x\/pack:1.0" must be an image repository without tag/ },
    { title: "no tag anywhere", args: () => awsArgs({ imageTag: undefined }), problem: /^services\[0\]\.tag: undefined must be an image tag or sha256 digest/ },
    { title: "the latest tag", args: () => awsArgs({ imageTag: "latest" }), problem: /^services\[0\]\.tag: "latest" must be an image tag .*not latest/ },
    { title: "port 0", args: () => awsArgs({ services: withService("mix", { port: 0 }) }), problem: /^services\[2\]\.port: 0 must be an integer from 1 to 65535/ },
    { title: "port 65536", args: () => awsArgs({ services: withService("mix", { port: 65536 }) }), problem: /^services\[2\]\.port: 65536 must be an integer from 1 to 65535/ },
    { title: "a single replica", args: () => awsArgs({ services: withService("bake", { minReplicas: 1 }) }), problem: /^services\[3\]\.minReplicas: 1 must be an integer >= 2/ },
    { title: "fewer maximum than minimum replicas", args: () => awsArgs({ services: withService("bake", { minReplicas: 4, maxReplicas: 3 }) }), problem: /^services\[3\]\.maxReplicas: 3 must be an integer >= minReplicas \(4\)/ },
    { title: "a CPU request that is not a quantity", args: () => awsArgs({ services: withService("bake", { cpuRequest: "lots" }) }), problem: /^services\[3\]\.cpuRequest: "lots" is not a Kubernetes quantity/ },
    { title: "memory in millibytes", args: () => awsArgs({ services: withService("bake", { memoryLimit: "512m" }) }), problem: /^services\[3\]\.memoryLimit: "512m" is below 1Mi/ },
    { title: "a CPU request above its limit", args: () => awsArgs({ services: withService("bake", { cpuRequest: "2", cpuLimit: "1500m" }) }), problem: /^services\[3\]\.cpuRequest: "2" must not exceed cpuLimit \(1500m\)/ },
    { title: "a memory request above its limit", args: () => awsArgs({ services: withService("bake", { memoryRequest: "1Gi", memoryLimit: "512Mi" }) }), problem: /^services\[3\]\.memoryRequest: "1Gi" must not exceed memoryLimit \(512Mi\)/ },
    { title: "a CPU target of 0 percent", args: () => awsArgs({ services: withService("bake", { cpuTargetPercent: 0 }) }), problem: /^services\[3\]\.cpuTargetPercent: 0 must be an integer from 1 to 100/ },
    { title: "an unknown data store", args: () => awsArgs({ services: withService("bake", { dataStores: ["kafka", "postgres" as never] }) }), problem: /^services\[3\]\.dataStores\[1\]: "postgres" is not allowed: use one of redis, mongo, kafka/ },
    { title: "a data store listed twice", args: () => awsArgs({ services: withService("bake", { dataStores: ["kafka", "kafka"] }) }), problem: /^services\[3\]\.dataStores\[1\]: "kafka" is listed twice/ },
    { title: "a caller that is not a service", args: () => awsArgs({ services: withService("mix", { callers: ["prepare-cookie", "oven"] }) }), problem: /^services\[2\]\.callers\[1\]: "oven" is not a service in the list/ },
    { title: "a service calling itself", args: () => awsArgs({ services: withService("mix", { callers: ["mix"] }) }), problem: /^services\[2\]\.callers\[0\]: "mix" is the service itself/ },
    { title: "an invalid topic name", args: () => awsArgs({ services: withService("pack", { produces: ["cookie packed!"] }) }), problem: /^services\[4\]\.produces\[0\]: "cookie packed!" is not a Kafka topic name/ },
    { title: "a topic nobody produces", args: () => awsArgs({ services: withService("bake", { consumes: ["cookie-dough"] }), kafkaTopics: undefined }), problem: /^services\[3\]\.consumes\[0\]: "cookie-dough" is produced by no service/ },
    { title: "a topic nobody consumes", args: () => awsArgs({ services: withService("pack", { produces: ["cookie-packed", "cookie-crumbs"] }), kafkaTopics: undefined }), problem: /^services\[4\]\.produces\[1\]: "cookie-crumbs" is consumed by no service/ },
    { title: "topics without kafka in the data stores", args: () => awsArgs({ services: withService("bake", { dataStores: [] }) }), problem: /^services\[3\]\.dataStores: \[\] must include kafka/ },
    { title: "Kafka topics that lack one the services use", args: () => awsArgs({ kafkaTopics: ["cookie-mixed", "cookie-baked"] }), problem: /^kafkaTopics: \["cookie-mixed","cookie-baked"\] lacks cookie-packed/ },
    { title: "Mongo collections that lack one the services use", args: () => awsArgs({ mongoCollections: ["sessions"] }), problem: /^mongoCollections: \["sessions"\] lacks users: declare every collection/ },
    { title: "collections without mongo", args: () => awsArgs({ services: withService("mix", { collections: ["users"] }) }), problem: /^services\[2\]\.dataStores: \["kafka"\] must include mongo: the service uses collections/ },
    { title: "no public service", args: () => awsArgs({ services: withService("get-cookie", { public: false }) }), problem: /^services: "0 public service\(s\)" must mark exactly one service public/ },
    { title: "two public services without an entry list", args: () => awsArgs({ services: withService("mix", { public: true }) }), problem: /^services: "2 public service\(s\)" must mark exactly one service public/ },
    { title: "an entry list that differs from the public services", args: () => awsArgs({ entryServices: ["get-cookie", "mix"] }), problem: /^entryServices: \["get-cookie","mix"\] must equal the services marked public \(get-cookie\)/ },
    { title: "a used store without its connection", args: () => awsArgs({ redis: undefined }), problem: /^redis: undefined is required: prepare-cookie use redis/ },
    { title: "no network", args: () => awsArgs({ network: undefined as never }), problem: /^network: undefined is required: pass the network's facts/ },
    { title: "a network of the other cloud", args: () => awsArgs({ network: azureNetwork() }), problem: /^network\.cloud: "azure" is not this component's cloud \(aws\)/ },
    { title: "a network without data subnets", args: () => awsArgs({ network: { ...awsNetwork(), subnets: awsNetwork().subnets.filter((s) => s.tier !== "data") } }), problem: /^network\.subnets: "no data subnets" must hold data subnets/ },
    { title: "a data subnet range outside the network", args: () => awsArgs({ network: { ...awsNetwork(), subnets: awsNetwork().subnets.map((s) => (s.tier === "data" && s.zone.endsWith("c") ? { ...s, cidr: "10.99.0.0/22" } : s)) } }), problem: /^network\.subnets\[8\]\.cidr: "10.99.0.0\/22" is outside the network's 10.20.0.0\/16/ },
    { title: "the removed dataCidrs (a caller without types)", args: () => awsArgs({ dataCidrs: ["10.20.20.0/22"] } as never), problem: /^dataCidrs: "set" is no longer an arg: the data tier's ranges come from network/ },
    { title: "the removed ingress.loadBalancerCidrs", args: () => awsArgs({ ingress: { ...awsArgs().ingress, loadBalancerCidrs: ["10.20.16.0/22"] } as never }), problem: /^ingress\.loadBalancerCidrs: "set" is no longer an arg/ },
    { title: "an environment variable the wiring owns", args: () => awsArgs({ services: withService("mix", { env: { REDIS_PASSWORD: "x" } }) }), problem: /^services\[2\]\.env: "REDIS_PASSWORD" is not a usable variable name/ },
    { title: "a relative probe path", args: () => awsArgs({ services: withService("mix", { readinessPath: "ready" }) }), problem: /^services\[2\]\.readinessPath: "ready" must be an absolute HTTP path/ },
    { title: "running as root", args: () => awsArgs({ services: withService("mix", { runAsUser: 0 }) }), problem: /^services\[2\]\.runAsUser: 0 must be an integer from 1/ },
    { title: "a host name that is not fully qualified", args: () => awsArgs({ ingress: { ...awsArgs().ingress, host: "cookies" } }), problem: /^ingress\.host: "cookies" is not a fully qualified host name/ },
    { title: "an ALB certificate that is not an ACM ARN", args: () => awsArgs({ ingress: { ...awsArgs().ingress, aws: { certificateArn: "cert-123" } } }), problem: /^ingress\.aws\.certificateArn: "cert-123" must be an ACM certificate ARN/ },
    { title: "an ALB in one zone", args: () => awsArgs({ ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, loadBalancerSubnets: selectSubnets(awsNetwork(), { tier: "public", zones: ["eu-west-1a"] }) } } }), problem: /^ingress\.aws\.loadBalancerSubnets: 1 subnet\(s\) in zones \["eu-west-1a"\] must span at least 2 zones: an ALB needs subnets in at least two zones/ },
    { title: "an ALB in app subnets", args: () => awsArgs({ ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, loadBalancerSubnets: selectSubnets(awsNetwork(), { tier: "app" }) } } }), problem: /^ingress\.aws\.loadBalancerSubnets\[0\]: \{"tier":"app","zone":"eu-west-1a","cidr":"10.20.0.0\/20"\} is in the app tier: an internet-facing load balancer belongs in the public tier/ },
    { title: "an ALB in a subnet of another network", args: () => awsArgs({ ingress: { host: "cookies.example.com", certificateArn: (awsArgs().ingress.aws!.certificateArn as string), loadBalancerSubnets: [{ id: "subnet-x", tier: "public", zone: "eu-west-1a", cidr: "10.30.16.0/22" }, ...selectSubnets(awsNetwork(), { tier: "public" }).slice(1)] } }), problem: /^ingress\.loadBalancerSubnets\[0\]: \{"tier":"public","zone":"eu-west-1a","cidr":"10.30.16.0\/22"\} is not a subnet of the network 10.20.0.0\/16/ },
    { title: "load balancer subnets on Azure", args: () => azureArgs({ ingress: { ...azureArgs().ingress, aws: { loadBalancerSubnets: selectSubnets(azureNetwork(), { tier: "public" }) } } }), problem: /^ingress\.aws\.loadBalancerSubnets: \[\{.*\}\] does nothing on azure \(only aws uses it\): the application routing add-on places the load balancer/ },
    { title: "deprecated load balancer subnets on Azure", args: () => azureArgs({ ingress: { ...azureArgs().ingress, loadBalancerSubnets: selectSubnets(azureNetwork(), { tier: "public" }) } }), problem: /^ingress\.loadBalancerSubnets: \[\{.*\}\] does nothing on azure \(only aws uses it\)/ },
    { title: "an Azure certificate on AWS", args: () => awsArgs({ ingress: { ...awsArgs().ingress, azure: { tlsSecretName: "tls" } } }), problem: /^ingress\.azure\.tlsSecretName: "tls" does nothing on aws \(only azure uses it\): the ALB terminates TLS with an ACM certificate: set ingress\.aws\.certificateArn/ },
    { title: "a deprecated Azure certificate on AWS", args: () => awsArgs({ ingress: { ...awsArgs().ingress, tlsSecretName: "tls" } }), problem: /^ingress\.tlsSecretName: "tls" does nothing on aws \(only azure uses it\)/ },
    { title: "a certificate given both grouped and ungrouped", args: () => awsArgs({ ingress: { ...awsArgs().ingress, certificateArn: CLOUDFRONT_CERTIFICATE } }), problem: /^ingress\.certificateArn: "arn:aws:acm:.*" is also given as ingress\.aws\.certificateArn: give it only as ingress\.aws\.certificateArn \(the ungrouped ingress\.certificateArn is deprecated\)/ },
    { title: "an unknown key of the Ingress' AWS group", args: () => awsArgs({ ingress: { host: "cookies.example.com", aws: { certificateARN: CLOUDFRONT_CERTIFICATE } } } as never), problem: /^ingress\.aws\.certificateARN: "arn:aws:acm:.*" is not an arg of ingress\.aws: did you mean ingress\.aws\.certificateArn\?/ },
    { title: "an unknown key of the Ingress", args: () => awsArgs({ ingress: { ...awsArgs().ingress, hots: "x" } } as never), problem: /^ingress\.hots: "x" is not an arg of ingress: did you mean ingress\.host\?/ },
    { title: "a readiness switch that is no boolean (a caller without types)", args: () => awsArgs({ awaitReadiness: "no" } as never), problem: /^awaitReadiness: "no" must be true or false/ },
    { title: "an unknown top-level key", args: () => awsArgs({ namespaces: "x" } as never), problem: /^namespaces: "x" is not an arg: did you mean namespace\?/ },
    { title: "no certificate on Azure", args: () => azureArgs({ ingress: { host: "cookies.example.com" } }), problem: /^ingress\.azure\.keyVaultCertificateUri: null and ingress\.azure\.tlsSecretName: set exactly one/ },
    { title: "a Key Vault URI of another service", args: () => azureArgs({ ingress: { host: "cookies.example.com", keyVaultCertificateUri: "https://example.com/cert" } }), problem: /^ingress\.keyVaultCertificateUri: "https:\/\/example.com\/cert" is not a Key Vault certificate URI/ },
    { title: "an ALB setting on Azure", args: () => azureArgs({ ingress: { ...azureArgs().ingress, aws: { certificateArn: CLOUDFRONT_CERTIFICATE } } }), problem: /^ingress\.aws\.certificateArn: "arn:aws:acm:.*" does nothing on azure \(only aws uses it\): the application routing add-on serves a Key Vault certificate or a TLS Secret/ },
    { title: "a relative any-host health path", args: () => awsArgs({ ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, anyHostHealthPath: "ready" } } }), problem: /^ingress\.aws\.anyHostHealthPath: "ready" must be an absolute URL path of at most 255 characters/ },
    { title: "an any-host health path under no entry service's path", args: () => awsArgs({ services: withService("mix", { public: true }), entryServices: ["get-cookie", "mix"], ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, anyHostHealthPath: "/bake/ready" } } }), problem: /^ingress\.aws\.anyHostHealthPath: "\/bake\/ready" must fall under an entry service's path \(\/get-cookie, \/mix\)/ },
    { title: "an any-host health path on Azure", args: () => azureArgs({ ingress: { ...azureArgs().ingress, aws: { anyHostHealthPath: "/ready" } } }), problem: /^ingress\.aws\.anyHostHealthPath: "\/ready" does nothing on azure \(only aws uses it\): Front Door's health probes send the origin host header/ },
    { title: "a forward cache without an origin host", args: () => awsArgs({ forwardCache: { enabled: true, certificateArn: CLOUDFRONT_CERTIFICATE } }), problem: /^forwardCache\.originHostname: undefined must be a host name that resolves to the load balancer/ },
    { title: "a forward cache whose origin is the public host", args: () => awsArgs({ forwardCache: { enabled: true, originHostname: "cookies.example.com", certificateArn: CLOUDFRONT_CERTIFICATE } }), problem: /^forwardCache\.originHostname: "cookies.example.com" must differ from ingress\.host/ },
    { title: "a CloudFront certificate outside us-east-1", args: () => awsArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", certificateArn: (awsArgs().ingress.aws!.certificateArn as string) } }), problem: /^forwardCache\.certificateArn: "arn:aws:acm:eu-west-1:.*" must be an ACM certificate ARN in us-east-1/ },
    { title: "a maximum TTL below the default TTL", args: () => awsArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", certificateArn: CLOUDFRONT_CERTIFICATE, defaultTtlSeconds: 600, maxTtlSeconds: 60 } }), problem: /^forwardCache\.maxTtlSeconds: 60 must be at least forwardCache\.defaultTtlSeconds \(600\)/ },
    { title: "a negative TTL", args: () => awsArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", certificateArn: CLOUDFRONT_CERTIFICATE, defaultTtlSeconds: -1 } }), problem: /^forwardCache\.defaultTtlSeconds: -1 must be an integer from 0 to 31536000/ },
    { title: "a cache that caches nothing", args: () => awsArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", certificateArn: CLOUDFRONT_CERTIFICATE, defaultTtlSeconds: 0, maxTtlSeconds: 0 } }), problem: /^forwardCache\.maxTtlSeconds: 0 must be an integer from 1 to 31536000/ },
    { title: "a maximum TTL for Front Door, which cannot cap the origin's max-age", args: () => azureArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", aws: { maxTtlSeconds: 300 } }, azure: { resourceGroupName: "rg" } }), problem: /^forwardCache\.aws\.maxTtlSeconds: 300 does nothing on azure \(only aws uses it\): Azure Front Door keeps a response for the origin's Cache-Control max-age and cannot cap it/ },
    { title: "a deprecated maximum TTL for Front Door", args: () => azureArgs({ forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", maxTtlSeconds: 300 }, resourceGroupName: "rg" }), problem: /^forwardCache\.maxTtlSeconds: 300 does nothing on azure \(only aws uses it\)/ },
    { title: "a Front Door resource group on AWS", args: () => awsArgs({ azure: { resourceGroupName: "rg" } }), problem: /^azure\.resourceGroupName: "rg" does nothing on aws \(only azure uses it\): CloudFront is a global resource outside any resource group/ },
    { title: "a Front Door without a resource group", args: () => azureArgs({ network: { ...azureNetwork(), resourceGroupName: undefined }, forwardCache: { enabled: true, originHostname: "origin.cookies.example.com" } }), problem: /^azure\.resourceGroupName: undefined is required on azure when forwardCache is enabled and the network's facts name no resource group/ },
];

describe("CookieServices' cloud groups", () => {
    it("plan the deprecated ungrouped keys exactly as the grouped ones, on their own cloud", () => {
        const cache = { enabled: true, originHostname: "origin.cookies.example.com" };
        const grouped = awsArgs({ forwardCache: { ...cache, aws: { certificateArn: CLOUDFRONT_CERTIFICATE, maxTtlSeconds: 120 } } });
        const flat = awsArgs({
            ingress: { host: "cookies.example.com", certificateArn: (awsArgs().ingress.aws!.certificateArn as string) },
            forwardCache: { ...cache, certificateArn: CLOUDFRONT_CERTIFICATE, maxTtlSeconds: 120 },
        });
        assert.deepStrictEqual(planServices("cookies", withProvider(flat)), planServices("cookies", withProvider(grouped)));
        const azureFlat = azureArgs({ ingress: { host: "cookies.example.com", tlsSecretName: "tls" }, forwardCache: cache, resourceGroupName: "rg" });
        const azureGrouped = azureArgs({ ingress: { host: "cookies.example.com", azure: { tlsSecretName: "tls" } }, forwardCache: cache, azure: { resourceGroupName: "rg" } });
        assert.deepStrictEqual(planServices("cookies", withProvider(azureFlat)), planServices("cookies", withProvider(azureGrouped)));
        assert.strictEqual(planServices("cookies", withProvider(grouped)).edge.forwardCache?.maxTtlSeconds, 120);
    });
});

describe("CookieServices with bad input", () => {
    for (const c of CASES) {
        it(`rejects ${c.title} before registering anything`, async () => {
            const { error, registered } = await withoutStackTraces(() =>
                planFailure(() => new CookieServices("cookies", c.args(), { providers: { kubernetes: testProvider() } })));
            assert.ok(error instanceof InvalidArgumentsError, error.message);
            assert.ok(error.problems.some((p) => c.problem.test(p)), `expected ${c.problem} among:\n${error.problems.join("\n")}`);
            // The test's own provider is registered by the test itself; the component registers nothing.
            assert.deepStrictEqual(registered.filter((t) => t !== "pulumi:providers:kubernetes"), ["pulumi:pulumi:Stack"]);
        });
    }

    it("rejects a missing Kubernetes provider, so nothing can land in the ambient kubeconfig's cluster", async () => {
        const { error, registered } = await planFailure(() => new CookieServices("cookies", awsArgs()));
        assert.match(error.message, /opts\.providers: undefined has no kubernetes provider/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("reports every problem of the input in one error", () => {
        const bad = withProvider(awsArgs({ namespace: "Cookies", imageTag: "latest", services: withService("mix", { port: 0, minReplicas: 1 }) }));
        assert.throws(() => planServices("cookies", bad), (e: unknown) => {
            assert.ok(e instanceof InvalidArgumentsError);
            assert.match(e.message, /^Invalid arguments for CookieServices "cookies":/);
            for (const arg of ["namespace", "services[0].tag", "services[2].port", "services[2].minReplicas"]) {
                assert.ok(e.problems.some((p) => p.startsWith(`${arg}: `)), arg);
            }
            return true;
        });
    });
});

describe("planServices", () => {
    it("takes images pinned by digest, with or without a tag, and refuses tag-only images when digests are required", () => {
        const digest = "sha256:abababababababababababababababababababababababababababababababab";
        const services = withService("mix", { image: `ghcr.io/intergalactic-cookies/mix@${digest}` });
        const plan = planServices("cookies", withProvider(awsArgs({ services: withService("bake", { tag: digest }).map((s, i) => services[i].name === "mix" ? services[i] : s) })));
        const image = (name: string) => plan.services.find((s) => s.name === name)!.image;
        assert.deepStrictEqual([image("mix"), image("bake"), image("pack")],
            [`ghcr.io/intergalactic-cookies/mix@${digest}`, `ghcr.io/intergalactic-cookies/bake@${digest}`, "ghcr.io/intergalactic-cookies/pack:1.4.2"]);
        const labelled = planServices("cookies", withProvider(awsArgs({ services: withService("mix", { image: `ghcr.io/intergalactic-cookies/mix@${digest}`, tag: "1.4.2" }) })));
        assert.strictEqual(labelled.services.find((s) => s.name === "mix")!.image, `ghcr.io/intergalactic-cookies/mix:1.4.2@${digest}`);
        assert.throws(() => planServices("cookies", withProvider(awsArgs({ services, requireDigests: true }))),
            (err: InvalidArgumentsError) => err.problems.some((p) => /^services\[0\]\.image: "ghcr.io\/intergalactic-cookies\/get-cookie" must be pinned by digest/.test(p)) &&
                !err.problems.some((p) => p.startsWith("services[2]")));
    });

    it("plans the cookie pipeline with every default resolved", () => {
        const plan = planServices("cookies", withProvider(awsArgs()));
        assert.deepStrictEqual(plan.services.map((s) => s.name), ["get-cookie", "prepare-cookie", "mix", "bake", "pack"]);
        assert.deepStrictEqual(plan.entryServices, ["get-cookie"]);
        assert.deepStrictEqual(plan.topics, ["cookie-baked", "cookie-mixed", "cookie-packed"]);
        assert.deepStrictEqual(plan.dataStores, ["redis", "mongo", "kafka"]);
        const bake = plan.services.find((s) => s.name === "bake")!;
        assert.deepStrictEqual([bake.minReplicas, bake.maxReplicas, bake.cpuRequest, bake.memoryLimit, bake.image], [2, 6, "100m", "256Mi", "ghcr.io/intergalactic-cookies/bake:1.4.2"]);
    });

    it("plans the hosts the Ingress certificate covers: the public host, and the forward cache's origin when it is on", () => {
        const host = planServices("cookies", withProvider(awsArgs())).edge.host;
        assert.deepStrictEqual(planServices("cookies", withProvider(awsArgs())).edge.tlsHosts, [host]);
        const cached = planServices("cookies", withProvider(awsArgs({
            forwardCache: { enabled: true, originHostname: "origin.cookies.example.com", certificateArn: CLOUDFRONT_CERTIFICATE },
        })));
        assert.deepStrictEqual(cached.edge.tlsHosts, [host, "origin.cookies.example.com"]);
        assert.deepStrictEqual(planServices("cookies", withProvider(awsArgs({ tags: { team: "cookies" } }))).tags, { team: "cookies" });
    });

    it("derives each service's callees from the other services' callers", () => {
        const plan = planServices("cookies", withProvider(awsArgs()));
        const callees = Object.fromEntries(plan.services.map((s) => [s.name, s.callees]));
        assert.deepStrictEqual(callees, { "get-cookie": ["prepare-cookie"], "prepare-cookie": ["mix"], mix: [], bake: [], pack: [] });
    });

    it("pins an image by digest when the tag is a sha256 digest", () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const plan = planServices("cookies", withProvider(awsArgs({ services: withService("mix", { tag: digest }) })));
        assert.strictEqual(plan.services[2].image, `ghcr.io/intergalactic-cookies/mix@${digest}`);
    });

    it("needs no connections, topics or data ranges for services that use no store", () => {
        const services: ServiceSpec[] = [{ name: "web", image: "nginxinc/nginx-unprivileged", public: true, port: 8080 }];
        const plan = planServices("site", withProvider({ ...awsArgs({ services }), redis: undefined, mongo: undefined, kafka: undefined, kafkaTopics: undefined,
            network: { ...awsNetwork(), subnets: awsNetwork().subnets.filter((s) => s.tier !== "data") } }));
        assert.deepStrictEqual([plan.dataStores, plan.topics, plan.dataCidrs], [[], [], []]);
    });

    it("takes the data tier's ranges and, on AWS, the public subnets for the ALB from the network's facts", () => {
        const placement = placeServices(awsArgs());
        assert.deepStrictEqual(placement.problems, []);
        assert.deepStrictEqual([...placement.dataCidrs], DATA_CIDRS);
        assert.deepStrictEqual([...placement.loadBalancerCidrs], LOAD_BALANCER_CIDRS);
        assert.deepStrictEqual(placement.loadBalancerSubnetIds.slice(0, 2), ["subnet-0a", "subnet-0b"]);
        const plan = planServices("cookies", withProvider(awsArgs()));
        assert.deepStrictEqual([plan.dataCidrs, plan.edge.loadBalancerCidrs, plan.edge.loadBalancerSubnetCount], [DATA_CIDRS, LOAD_BALANCER_CIDRS, 3]);
    });

    it("spans only the public subnets given, and admits only their ranges", () => {
        const two = selectSubnets(awsNetwork(), { tier: "public", zones: ["eu-west-1a", "eu-west-1b"] });
        const plan = planServices("cookies", withProvider(awsArgs({ ingress: { ...awsArgs().ingress, aws: { ...awsArgs().ingress.aws, loadBalancerSubnets: two } } })));
        assert.deepStrictEqual([plan.edge.loadBalancerCidrs, plan.edge.loadBalancerSubnetCount], [LOAD_BALANCER_CIDRS.slice(0, 2), 2]);
    });

    it("on Azure, puts no subnet under the load balancer and the forward cache in the network's resource group", () => {
        const placement = placeServices(azureArgs());
        assert.deepStrictEqual([placement.problems, placement.loadBalancerCidrs, placement.loadBalancerSubnetIds, placement.resourceGroupName], [[], [], [], "cookies-rg"]);
        assert.strictEqual(placeServices(azureArgs({ azure: { resourceGroupName: "edge-rg" } })).resourceGroupName, "edge-rg");
        assert.strictEqual(placeServices(azureArgs({ resourceGroupName: "edge-rg" })).resourceGroupName, "edge-rg", "the deprecated key on its own cloud");
    });

    it("lists the pipeline's topics sorted and once each, for KafkaQuorum", () => {
        assert.deepStrictEqual(pipelineTopics(cookiePipeline()), ["cookie-baked", "cookie-mixed", "cookie-packed"]);
        assert.deepStrictEqual(pipelineTopics([{ consumes: ["b", "a"] }, { produces: ["a"] }]), ["a", "b"]);
    });

    it("accepts several public services when they are listed as entry services", () => {
        const plan = planServices("cookies", withProvider(awsArgs({ services: withService("mix", { public: true }), entryServices: ["get-cookie", "mix"] })));
        assert.deepStrictEqual(plan.entryServices, ["get-cookie", "mix"]);
    });
});
