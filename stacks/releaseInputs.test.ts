/**
 * What a release is deployed from, on the real stack files: images pinned by digest (required in
 * prod), placeholder values refused by a real update, and ACM certificates in the load balancer's region.
 */
import * as assert from "assert";
import * as path from "path";
import { Plan } from "../engine/format";
import { attemptPlan } from "../engine/runPlan";
import { loadStackFiles } from "../engine/stackFiles";
import { ofType, planSnippet, stackNames, stackPlan } from "../engine/testing/plan";
import { parseStackConfig } from "./config";
import { RunMode, currentRunMode, findPlaceholders, refusePlaceholders } from "./config/placeholders";
import { program } from "./program";

const ROOT = path.resolve(__dirname, "..");
const DIGEST = (n: number) => `sha256:${n.toString(16).padStart(2, "0").repeat(32)}`;

/** The stack file's config with whole sections replaced or merged. */
function configWith(stack: string, merge: Record<string, Record<string, unknown>>): Record<string, string> {
    const config = { ...loadStackFiles(ROOT, stack).config };
    for (const [key, value] of Object.entries(merge)) config[key] = JSON.stringify({ ...JSON.parse(config[key] ?? "{}"), ...value });
    return config;
}

/** The error message of planning `stack` with `config`; "" when it plans. */
async function planOrError(stack: string, config: Record<string, string>): Promise<{ message: string }> {
    const attempt = await attemptPlan({ ...loadStackFiles(ROOT, stack), config, program });
    return { message: attempt.error === undefined ? "" : (attempt.error as Error).message };
}

/** The image of each service's Deployment, by service name. */
function deploymentImages(plan: Plan): Record<string, string> {
    return Object.fromEntries(ofType(plan, "kubernetes:apps/v1:Deployment").map((d) => {
        const spec = d.inputs.spec as { template: { spec: { containers: { name: string; image: string }[] } } };
        const [container] = spec.template.spec.containers;
        return [container.name, container.image];
    }));
}

describe("release inputs of the stacks", () => {
    for (const stack of stackNames(undefined, "prod")) {
        it(`${stack} runs every service by the digest its stack file pins`, async () => {
            const digests = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:services"]).imageDigests as Record<string, string>;
            const images = deploymentImages(await stackPlan(stack));
            assert.deepStrictEqual(Object.keys(images).sort(), Object.keys(digests).sort());
            for (const [name, image] of Object.entries(images)) assert.strictEqual(image, `ghcr.io/intergalactic-cookies/${name}@${digests[name]}`);
        });
    }

    it("refuses a prod stack whose images are pinned only by tag, naming the config key per service", async () => {
        const config = configWith("prod", { "intergalactic:services": { imageDigests: {} } });
        const { message } = await planOrError("prod", config);
        for (const name of ["get-cookie", "prepare-cookie", "mix", "bake", "pack"]) {
            assert.match(message, new RegExp(`intergalactic:services.imageDigests.${name}: missing: a prod stack runs every image by digest`));
        }
    });

    it("deploys a listed service whose image is given as repository@sha256:<digest>, in dev too", async () => {
        const services = [
            { name: "get-cookie", image: `ghcr.io/intergalactic-cookies/get-cookie@${DIGEST(0xab)}`, public: true },
        ];
        const config = configWith("dev", { "intergalactic:services": { services, imageTag: "1.0.0" } });
        const files = loadStackFiles(ROOT, "dev");
        const attempt = await attemptPlan({ ...files, config, program });
        assert.strictEqual(attempt.error, undefined, String(attempt.error));
        const deployment = attempt.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
        const image = (deployment?.inputs.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;
        assert.strictEqual(image, `ghcr.io/intergalactic-cookies/get-cookie@${DIGEST(0xab)}`);
    });

    it("refuses a malformed digest and a digest for a service that does not exist, naming the keys", async () => {
        const config = configWith("dev", { "intergalactic:services": { imageDigests: { "get-cookie": "sha256:abc", brew: DIGEST(1) } } });
        const { message } = await planOrError("dev", config);
        assert.match(message, /intergalactic:services.imageDigests.get-cookie: "sha256:abc" must be an image digest/);
        assert.match(message, /intergalactic:services.imageDigests.brew: "sha256:0101[0-9]*" names no service/);
    });

    it("refuses an ALB certificate from another region than the stack's, naming the key", async () => {
        const config = configWith("dev", { "intergalactic:services": { certificateArn: "arn:aws:acm:eu-west-1:210987654321:certificate/5d2b8a4e-1f3c-4e5a-9b7d-2c6e8f0a1b3d" } });
        const { message } = await planOrError("dev", config);
        assert.match(message, /intergalactic:services.certificateArn: "arn:aws:acm:eu-west-1:[^"]+" is in eu-west-1, but the ALB is in us-east-1 \(aws:region\)/);
    });

    describe("placeholders", () => {
        const AWS_DEPLOYERS = ["intergalactic:cluster.publicEndpointCidrs[0]", "intergalactic:cluster.adminPrincipalArns[0]"];
        const AZURE_DEPLOYERS = ["intergalactic:cluster.publicEndpointCidrs[0]"];
        const expected: Record<string, string[]> = {
            dev: [...AWS_DEPLOYERS, "intergalactic:services.host", "intergalactic:services.certificateArn"],
            prod: [...AWS_DEPLOYERS, "intergalactic:services.host", "intergalactic:services.certificateArn", "intergalactic:services.regionCertificateArns.us-east-1",
                "intergalactic:globalEntry.hostedZoneId",
                ...["get-cookie", "prepare-cookie", "mix", "bake", "pack"].map((n) => `intergalactic:services.imageDigests.${n}`)],
            "dev-azure": [...AZURE_DEPLOYERS, "intergalactic:services.host", "intergalactic:services.keyVaultId"],
            "prod-azure": [...AZURE_DEPLOYERS, "intergalactic:services.host", "intergalactic:services.keyVaultId",
                ...["get-cookie", "prepare-cookie", "mix", "bake", "pack"].map((n) => `intergalactic:services.imageDigests.${n}`)],
        };
        for (const [stack, keys] of Object.entries(expected)) {
            it(`finds ${stack}'s placeholders, which its offline plan still runs with`, async () => {
                const config = parseStackConfig(loadStackFiles(ROOT, stack).config);
                assert.deepStrictEqual(findPlaceholders(config).map((p) => p.key), keys);
                assert.ok((await stackPlan(stack)).resources.length > 50);
            });
        }

        it("are refused by a real update naming each key, only warned about in a preview, and ignored offline", () => {
            const config = parseStackConfig(loadStackFiles(ROOT, "prod").config);
            assert.throws(() => refusePlaceholders(config, RunMode.Update),
                /intergalactic:services.host: "cookies.intergalactic.example" is under a domain reserved for examples[\s\S]*intergalactic:services.certificateArn: .* account 123456789012/);
            const warnings: string[] = [];
            refusePlaceholders(config, RunMode.Preview, (m) => warnings.push(m));
            assert.match(warnings.join("\n"), /pulumi up will refuse this stack's placeholders:[\s\S]*intergalactic:services.imageDigests.pack/);
            refusePlaceholders(config, RunMode.Offline, (m) => warnings.push(m));
            assert.strictEqual(warnings.length, 1);
        });

        it("are not found in real values", () => {
            const config = parseStackConfig(configWith("prod", {
                "intergalactic:cluster": { nodeSize: "medium", minNodesPerZone: 2, maxNodesPerZone: 10, logRetentionDays: 365,
                    publicEndpointCidrs: ["198.18.7.0/28"], adminPrincipalArns: ["arn:aws:iam::210987654321:role/intergalactic-deployer"] },
                "intergalactic:services": {
                host: "cookies.intergalactic.space",
                certificateArn: "arn:aws:acm:eu-west-1:210987654321:certificate/5d2b8a4e-1f3c-4e5a-9b7d-2c6e8f0a1b3d",
                regionCertificateArns: { "us-east-1": "arn:aws:acm:us-east-1:210987654321:certificate/7a1c9e3b-2d4f-4b6a-8c0e-1f3a5b7d9e2c" },
                imageDigests: Object.fromEntries(["get-cookie", "prepare-cookie", "mix", "bake", "pack"].map((n, i) => [n, DIGEST(i + 0x10)])),
            }, "intergalactic:globalEntry": { hostedZoneId: "Z1D633PJN98FT9" } }));
            assert.deepStrictEqual(findPlaceholders(config), []);
            assert.doesNotThrow(() => refusePlaceholders(config, RunMode.Update));
        });

        it("knows the offline plan from a real run by its mock monitor", async () => {
            let mode = "";
            await planSnippet(() => {
                mode = currentRunMode();
            });
            assert.strictEqual(mode, RunMode.Offline);
        });
    });
});
