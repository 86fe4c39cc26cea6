/**
 * The runner talks to the pack exactly as the engine does: configured
 * enforcement levels, not-applicable answers, remediations applied before
 * analysis (and reported as mandatory when they cannot fix the resource),
 * secrets and unknowns on the wire, and config checked against the schemas.
 */
import * as assert from "assert";
import { resource, planOf } from "../fixtures/build";
import { findingsOf, runWith, stackConfig, usePolicySession } from "../fixtures/harness";
import { awsNetwork } from "../fixtures/networks";
import { PolicyConfigError } from "./config";
import { parsePolicyArgs } from "../../tools/policy/cli";
import { jsonReport, junitReport, sarifReport, textReport } from "./report";
import { hasMandatoryViolation, inOrder } from "./session";

const weakListener = () => resource("aws:lb/listener:Listener", "web-https", { protocol: "HTTPS", port: 443 });
const plainHttp = () => resource("aws:lb/listener:Listener", "web-http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "tg" }] });

describe("the offline policy runner", () => {
    const session = usePolicySession();

    it("lists every policy of the pack with its kind", () => {
        const names = session().info.getPoliciesList().map((p) => p.getName());
        assert.ok(names.includes("network-zone-count") && names.includes("redis-failover") && names.includes("deletion-protection"));
    });

    it("reports policies that do not apply to a resource as not applicable, with the reason", async () => {
        const result = await runWith(session(), stackConfig("prod"), planOf("aws", [weakListener()]));
        assert.ok(result.notApplicable["redis-failover"]?.includes("not a Redis resource"));
        assert.ok(result.notApplicable["mongo-replica-set"]?.includes("the stack has no Mongo-compatible database"));
    });

    it("reports a violation at the configured advisory level without failing the run", async () => {
        const result = await runWith(session(), stackConfig("prod", { "tls-listeners": "advisory" }), planOf("aws", [weakListener()]));
        assert.deepStrictEqual(findingsOf(result, "tls-listeners").map((f) => f.level), ["advisory"]);
        assert.strictEqual(hasMandatoryViolation(result), false);
    });

    it("skips a disabled policy", async () => {
        const result = await runWith(session(), stackConfig("prod", { "tls-listeners": "disabled" }), planOf("aws", [weakListener()]));
        assert.deepStrictEqual(findingsOf(result, "tls-listeners"), []);
    });

    it("applies a remediation before analysing, so the fixed resource passes", async () => {
        const result = await runWith(session(), stackConfig("prod", { "tls-listeners": "remediate" }), planOf("aws", [weakListener()]));
        assert.deepStrictEqual(findingsOf(result, "tls-listeners"), []);
        assert.deepStrictEqual(result.remediations.map((r) => [r.policy, r.properties]), [["tls-listeners", ["sslPolicy"]]]);
    });

    it("reports a violation a remediation cannot fix as mandatory", async () => {
        const result = await runWith(session(), stackConfig("prod", { "tls-listeners": "remediate" }), planOf("aws", [plainHttp()]));
        assert.deepStrictEqual(findingsOf(result, "tls-listeners").map((f) => [f.level, f.message]), [["mandatory", "an HTTP listener may only redirect to HTTPS"]]);
    });

    it("remediates dev buckets to forceDestroy with the dev stack's own config", async () => {
        const result = await runWith(session(), stackConfig("dev"), planOf("aws", [resource("aws:s3/bucket:Bucket", "assets", {})], "dev"));
        assert.deepStrictEqual(findingsOf(result, "buckets-force-destroy"), []);
        assert.deepStrictEqual(result.remediations.map((r) => r.properties), [["forceDestroy"]]);
    });

    it("uses the configured policy properties, e.g. a stack's minimum zone count", async () => {
        const twoZones = planOf("aws", awsNetwork(["us-east-1a", "us-east-1b"]).all);
        const strict = await runWith(session(), stackConfig("prod"), twoZones);
        const relaxed = await runWith(session(), stackConfig("prod", { "network-zone-count": { minZones: 2 } }), twoZones);
        assert.strictEqual(findingsOf(strict, "network-zone-count").length, 1);
        assert.strictEqual(findingsOf(relaxed, "network-zone-count").length, 0);
    });

    it("sends redacted secrets as secrets, which policies read as values", async () => {
        const rg = resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg", {
            authToken: "[secret]", automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2,
        });
        const result = await runWith(session(), stackConfig("prod"), planOf("aws", [rg]));
        assert.deepStrictEqual(findingsOf(result, "redis-failover"), []);
    });

    it("reports a policy that reads a value unknown at preview time as advisory, as a preview does", async () => {
        const rg = resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg", { automaticFailoverEnabled: "[unknown]" });
        const result = await runWith(session(), stackConfig("prod"), planOf("aws", [rg]));
        const found = findingsOf(result, "redis-failover");
        assert.strictEqual(found[0]?.level, "advisory");
        assert.match(found[0].message, /can't run policy 'redis-failover'.* during preview/);
    });

    it("still judges the network during a preview, when subnet ids are not known yet", async () => {
        const net = awsNetwork(["us-east-1a", "us-east-1b"]);
        for (const subnet of net.all) subnet.outputs.id = "[unknown]";
        const result = await runWith(session(), stackConfig("prod"), planOf("aws", net.all));
        assert.deepStrictEqual(findingsOf(result, "network-zone-count").map((f) => f.level), ["mandatory"]);
    });

    it("flags retainOnDelete in dev stacks from the plan, as the protocol does not carry it", async () => {
        const bucket = resource("aws:s3/bucket:Bucket", "assets", { forceDestroy: true }, { retainOnDelete: true });
        const dev = await runWith(session(), stackConfig("dev"), planOf("aws", [bucket], "dev"));
        const prod = await runWith(session(), stackConfig("prod"), planOf("aws", [bucket]));
        assert.deepStrictEqual(findingsOf(dev, "no-retain-on-delete").map((f) => [f.level, f.resourceName]), [["mandatory", "assets"]]);
        assert.deepStrictEqual(findingsOf(prod, "no-retain-on-delete"), []);
    });

    it("lets a dev stack retain a KMS key, which snapshots need after the teardown and which has no name to collide", async () => {
        const key = resource("aws:kms/key:Key", "users-key", { enableKeyRotation: true }, { retainOnDelete: true });
        const dev = await runWith(session(), stackConfig("dev"), planOf("aws", [key], "dev"));
        assert.deepStrictEqual(findingsOf(dev, "no-retain-on-delete"), []);
    });

    it("rejects config that breaks the pack's schemas, listing every problem", async () => {
        const err = await session().configure({ all: "strict", "no-such-policy": "advisory", "network-zone-count": { minZones: "three", zones: 3 }, "nat-per-zone": { environment: "staging" } })
            .then(() => undefined, (e: Error) => e);
        assert.ok(err instanceof PolicyConfigError);
        const expected = [
            'all: "strict" is not an enforcement level: use one of advisory, mandatory, remediate, disabled',
            "no-such-policy: no such policy in the pack",
            'network-zone-count.minZones: "three" must be of type integer',
            "network-zone-count.zones: not a config property of the policy (it has: minZones)",
            'nat-per-zone.environment: "staging" is not allowed: use one of dev, prod',
        ];
        for (const problem of expected) assert.ok(err.problems.includes(problem), `missing "${problem}" in ${JSON.stringify(err.problems)}`);
    });

    describe("reports", () => {
        let result: Awaited<ReturnType<typeof runWith>>;
        before(async () => {
            result = await runWith(session(), stackConfig("prod"), planOf("aws", [weakListener()], "prod"));
        });

        it("prints a readable report that names the policy and the resource and says FAILED", () => {
            const text = textReport(result);
            assert.match(text, /\[tls-listeners\] aws:lb\/listener:Listener "web-https": sslPolicy/);
            assert.match(text, /FAILED: 1 mandatory violation/);
        });

        it("writes SARIF 2.1.0 with one rule per policy and an error result located at the stack file", () => {
            const sarif = JSON.parse(sarifReport(result));
            assert.strictEqual(sarif.version, "2.1.0");
            const run = sarif.runs[0];
            assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === "tls-listeners"));
            assert.strictEqual(run.results.length, 1);
            assert.strictEqual(run.results[0].level, "error");
            assert.strictEqual(run.results[0].locations[0].physicalLocation.artifactLocation.uri, "Pulumi.prod.yaml");
            assert.strictEqual(run.tool.driver.rules[run.results[0].ruleIndex].id, "tls-listeners");
        });

        it("writes JUnit XML with a failing test case for the violated policy", () => {
            const xml = junitReport(result);
            assert.match(xml, /<testcase classname="policy.prod" name="tls-listeners"><failure message="1 mandatory violation\(s\)">/);
            assert.ok(xml.includes(`<testsuite name="policy prod" tests="${session().info.getPoliciesList().length}" failures="1"`));
        });

        it("writes JSON with the findings and whether the run passed", () => {
            const json = JSON.parse(jsonReport(result));
            assert.strictEqual(json.passed, false);
            assert.strictEqual(json.findings[0].policy, "tls-listeners");
        });
    });
});

describe("the policy command line", () => {
    it("parses the stack and the report files", () => {
        assert.deepStrictEqual(parsePolicyArgs(["--stack", "prod", "--sarif", "p.sarif", "--junit", "p.xml", "--json", "p.json"]),
            { stack: "prod", sarif: "p.sarif", junit: "p.xml", json: "p.json" });
    });

    it("rejects unknown options and a missing stack with the usage", () => {
        assert.throws(() => parsePolicyArgs(["--stack", "prod", "--html", "x"]), /unknown option --html; usage: npm run policy/);
        assert.throws(() => parsePolicyArgs([]), /missing --stack <name>/);
        assert.throws(() => parsePolicyArgs(["--stack"]), /--stack needs a value/);
    });
});

describe("the analysis window", () => {
    it("keeps at most the window's number of resources in flight and returns their results in plan order", async () => {
        let running = 0;
        let most = 0;
        const results = await inOrder([50, 40, 30, 20, 10, 0, 5], 3, async (delay) => {
            most = Math.max(most, ++running);
            await new Promise((resolve) => setTimeout(resolve, delay));
            running--;
            return delay;
        });
        assert.deepStrictEqual(results, [50, 40, 30, 20, 10, 0, 5]);
        assert.strictEqual(most, 3);
    });
});
