import * as assert from "assert";
import { awsNetwork } from "../../components/services/fixtures.test";
import { InvalidArgumentsError } from "../../components/common/validation";
import { cookiePipeline } from "../../components/services/cookiePipeline";
import { planServices } from "../../components/services/servicesPlan";
import { parseStackConfig } from "./index";

const base = { "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1" };
const withServices = (services: unknown) => ({ ...base, "intergalactic:services": JSON.stringify(services) });
const problemsOf = (raw: Record<string, string>): string[] => {
    try {
        parseStackConfig(raw);
    } catch (err) {
        if (err instanceof InvalidArgumentsError) return [...err.problems];
        throw err;
    }
    return [];
};

describe("intergalactic:services", () => {
    it("leaves the services out of a stack without the key", () => {
        assert.strictEqual(parseStackConfig(base).services.enabled, false);
    });

    it("defaults to the cookie pipeline in the cookies namespace, with mesh and forward cache off", () => {
        const services = parseStackConfig(withServices({ host: "cookies.example.com", imageTag: "1.2.3" })).services;
        assert.deepStrictEqual(
            [services.enabled, services.name, services.namespace, services.host, services.imageTag, services.mesh, services.forwardCache],
            [true, "cookies", "cookies", "cookies.example.com", "1.2.3", { enabled: false }, { enabled: false }]);
        assert.deepStrictEqual(services.services, cookiePipeline());
    });

    it("takes the default pipeline's images from the registry", () => {
        const services = parseStackConfig(withServices({ host: "cookies.example.com", registry: "registry.example.com/cookies" })).services;
        assert.ok(services.services.every((s) => s.image.startsWith("registry.example.com/cookies/")));
    });

    it("reads a service list entry by entry, keeping omitted fields out", () => {
        const services = parseStackConfig(withServices({
            host: "cookies.example.com",
            services: [{ name: "web", image: "nginxinc/nginx-unprivileged", tag: "1.27", public: true, port: 8080, minReplicas: 3, dataStores: ["redis"], env: { MODE: "fast" } }],
            forwardCache: { enabled: true, defaultTtlSeconds: 30, originHostname: "origin.cookies.example.com" },
            mesh: { enabled: true },
        })).services;
        assert.deepStrictEqual(services.services, [{ name: "web", image: "nginxinc/nginx-unprivileged", tag: "1.27", public: true, port: 8080, minReplicas: 3, dataStores: ["redis"], env: { MODE: "fast" } }]);
        assert.deepStrictEqual(services.forwardCache, { enabled: true, defaultTtlSeconds: 30, originHostname: "origin.cookies.example.com" });
        assert.deepStrictEqual(services.mesh, { enabled: true });
    });

    it("requires a host when enabled and names every bad key, value and rule", () => {
        const problems = problemsOf(withServices({ services: [{ image: "x", port: "80", dataStores: ["postgres"], replicas: 2 }], mesh: { on: true } }));
        const expected = [
            /^intergalactic:services\.host: missing/,
            /^intergalactic:services\.services\[0\]\.name: missing/,
            /^intergalactic:services\.services\[0\]\.port: "80" must be a number/,
            /^intergalactic:services\.services\[0\]\.dataStores\[0\]: "postgres" is not allowed: use one of redis, mongo, kafka/,
            /^intergalactic:services\.services\[0\]\.replicas: unknown key/,
            /^intergalactic:services\.mesh\.on: unknown key/,
        ];
        for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} among:\n${problems.join("\n")}`);
    });

    it("needs no host when disabled", () => {
        assert.deepStrictEqual(problemsOf(withServices({ enabled: false })), []);
    });

    it("turns sixty config entries into sixty planned services without code changes", () => {
        const entries = Array.from({ length: 60 }, (_, i) => ({
            name: `svc-${i}`, image: `registry.example.com/svc-${i}`, public: i === 0, ...(i > 0 ? { callers: [`svc-${i - 1}`] } : {}),
        }));
        const services = parseStackConfig(withServices({ host: "cookies.example.com", imageTag: "2.0.0", services: entries })).services;
        const plan = planServices("cookies", {
            cloud: "aws", kubernetesProvider: {}, services: [...services.services], imageTag: services.imageTag,
            ingress: { host: services.host, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", },
            network: awsNetwork(),
        });
        assert.strictEqual(plan.services.length, 60);
        assert.deepStrictEqual(plan.services[59].callers, ["svc-58"]);
    });
});
