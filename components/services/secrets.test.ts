import * as assert from "assert";
import { cookiePipeline } from "./cookiePipeline";
import { secretLooking } from "./secrets";
import { ServiceSpec } from "./serviceSpec";
import { planServices } from "./servicesPlan";
import { awsArgs } from "./fixtures.test";
import { containerEnv } from "./wiring";

const withEnv = (patch: Partial<ServiceSpec>): ServiceSpec[] => cookiePipeline().map((s) => (s.name === "mix" ? { ...s, ...patch } : s));
const problemsOf = (patch: Partial<ServiceSpec>): string => {
    try {
        planServices("cookies", { ...awsArgs({ services: withEnv(patch) }), kubernetesProvider: {} });
    } catch (err) {
        return (err as Error).message;
    }
    return "";
};

describe("service secrets", () => {
    const secretLike: [string, string][] = [
        ["DB_PASSWORD", "hunter2"], ["STRIPE_API_KEY", "x"], ["githubToken", "x"], ["CLIENT_SECRET", "x"], ["MONGODB_CONNECTION_STRING", "x"],
        ["UPSTREAM", "https://app:hunter2@api.example.com/"], ["AWS_ID", "AKIAIOSFODNN7EXAMPLE"], ["SIGNER", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"],
        ["SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
        ["BLOB", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc=="], ["SEED", "q8Zt3xV1pL9mR2kW7yN4bH6cJ0dF5gS8aE1uI3oP"],
    ];
    for (const [name, value] of secretLike) {
        it(`refuses ${name} as a plain env value, without repeating the value`, () => {
            const message = problemsOf({ env: { [name]: value } });
            assert.match(message, new RegExp(`services\\[2\\]\\.env\\.${name}: a plain value that looks like a secret .*secretEnv`));
            assert.ok(!message.includes(value), message);
        });
    }

    it("accepts ordinary settings", () => {
        for (const [name, value] of [["LOG_LEVEL", "debug"], ["MODE", "fast"], ["AUTHOR", "cookie team"], ["CALLBACK_URL", "https://api.example.com/callback"], ["IMAGE", "sha256"], ["TOKENIZER", "ascii"]]) {
            assert.strictEqual(secretLooking(name, value), undefined, `${name}=${value}`);
        }
    });

    it("passes a secret by reference to a Kubernetes Secret key, never by value", () => {
        const plan = planServices("cookies", { ...awsArgs({ services: withEnv({ secretEnv: [{ name: "PAYMENT_API_KEY", secretName: "payment-provider", key: "api-key" }] }) }), kubernetesProvider: {} });
        const mix = plan.services.find((s) => s.name === "mix")!;
        const env = containerEnv(mix, "cookies").find((e) => e.name === "PAYMENT_API_KEY");
        assert.deepStrictEqual(env, { name: "PAYMENT_API_KEY", valueFrom: { secretKeyRef: { name: "payment-provider", key: "api-key", optional: false } } });
    });

    it("refuses a secret reference with a bad Secret name, key or a variable set twice", () => {
        const message = problemsOf({ env: { MODE: "x" }, secretEnv: [{ name: "MODE", secretName: "Bad_Name", key: "a b" }] });
        assert.match(message, /services\[2\]\.secretEnv\[0\]\.name: "MODE" is also set in env/);
        assert.match(message, /services\[2\]\.secretEnv\[0\]\.secretName: "Bad_Name" is not a Kubernetes Secret name/);
        assert.match(message, /services\[2\]\.secretEnv\[0\]\.key: "a b" is not a Secret key/);
    });
});
