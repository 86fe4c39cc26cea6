/**
 * The pack inside this process answers exactly as the pack in a `run-policy-pack` process of its own,
 * the way `pulumi preview --policy-pack` starts it: the same four reports, byte for byte, for every
 * stack, every policy's passing and failing fixture, remediations, secrets and unknown values.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan } from "../../engine/format";
import { stackNames, stackPlan } from "../../engine/testing/plan";
import { resource, planOf } from "../fixtures/build";
import { casePlan, stackConfig, usePolicySession } from "../fixtures/harness";
import { REDUNDANCY_CASES } from "../fixtures/cases/redundancy";
import { SECURITY_CASES } from "../fixtures/cases/security";
import { TEARDOWN_CASES } from "../fixtures/cases/teardown";
import { AnalyzerInProcess } from "./inProcess";
import { jsonReport, junitReport, sarifReport, textReport } from "./report";
import { PackHost, PolicySession } from "./session";

/** Every report the runner writes, for one run. */
async function reports(session: PolicySession, config: Record<string, unknown>, plan: Plan): Promise<string[]> {
    await session.configure(config);
    const result = await session.run(plan);
    return [textReport(result), jsonReport(result), sarifReport(result), junitReport(result)];
}

describe("the pack in this process", function () {
    this.timeout(120_000);
    const inProcess = usePolicySession();
    const ownProcess = usePolicySession(PackHost.OwnProcess);

    const sameReports = async (config: Record<string, unknown>, plan: Plan) => {
        const [mine, theirs] = [await reports(inProcess(), config, plan), await reports(ownProcess(), config, plan)];
        for (let i = 0; i < mine.length; i++) assert.strictEqual(mine[i], theirs[i]);
        return JSON.parse(mine[1]) as { findings: unknown[]; remediations: unknown[] };
    };

    it("reads the same pack: name, version, policies, levels and config schemas", () => {
        assert.deepStrictEqual(inProcess().info.toObject(), ownProcess().info.toObject());
    });

    for (const stack of stackNames()) {
        it(`writes the same reports as the pack's own process for ${stack}`, async () => {
            await sameReports(stackConfig(stack), await stackPlan(stack));
        });
    }

    it("writes the same reports for every policy's passing and failing fixture", async () => {
        let findings = 0;
        for (const c of [...REDUNDANCY_CASES, ...SECURITY_CASES, ...TEARDOWN_CASES]) {
            for (const fixture of [c.pass, c.fail]) {
                findings += (await sameReports(stackConfig(c.stack, c.overrides), await casePlan(c, fixture()))).findings.length;
            }
        }
        assert.ok(findings > 0, "the failing fixtures report violations");
    });

    it("writes the same reports for remediations, secrets and values unknown at preview time", async () => {
        const listener = (name: string, props: Record<string, unknown>) => resource("aws:lb/listener:Listener", name, props);
        const listeners = [listener("web-https", { protocol: "HTTPS", port: 443 }), listener("web-http", { protocol: "HTTP", port: 80 })];
        const remediated = await sameReports(stackConfig("prod", { "tls-listeners": "remediate" }), planOf("aws", listeners));
        assert.strictEqual(remediated.remediations.length, 1);
        await sameReports(stackConfig("dev"), planOf("aws", [resource("aws:s3/bucket:Bucket", "assets", {})], "dev"));
        await sameReports(stackConfig("prod"), planOf("aws", [resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg", {
            authToken: "[secret]", automaticFailoverEnabled: "[unknown]", multiAzEnabled: true, numCacheClusters: 2,
        })]));
    });

    it("fails with the same error as the pack's own process when a policy throws, its stack included", async () => {
        // deployment-ha reads each topology spread constraint's key: a null constraint makes it throw a TypeError.
        const deployment = resource("kubernetes:apps/v1:Deployment", "web", {
            metadata: { name: "web", namespace: "app" },
            spec: { replicas: 2, template: { metadata: { labels: { app: "web" } }, spec: { topologySpreadConstraints: [null], containers: [] } } },
        });
        const failure = async (session: PolicySession) => {
            await session.configure(stackConfig("prod"));
            const error = await session.run(planOf("aws", [deployment])).then(() => undefined, (err: Error) => err);
            assert.ok(error, "the run fails");
            // The bottom frame is where the event loop ran the policy's turn: the pack's own process has Node's task queue there.
            return error.message.replace(/\n\s+at processTicksAndRejections \(node:internal[^)]*\)$/, "");
        };
        const limit = Error.stackTraceLimit;
        const [mine, theirs] = [await failure(inProcess()), await failure(ownProcess())];
        assert.match(mine, /policy 'deployment-ha'[\s\S]*TypeError[\s\S]*\n\s+at /);
        assert.strictEqual(mine, theirs);
        assert.strictEqual(Error.stackTraceLimit, limit, "the run leaves stack traces as it found them");
    });

    it("refuses a second pack in one process, as @pulumi/policy serves one pack per process", () => {
        const other = fs.mkdtempSync(path.join(os.tmpdir(), "other-pack-"));
        try {
            assert.throws(() => AnalyzerInProcess.start(other, other), /cannot be loaded: this process already runs .*@pulumi\/policy serves one pack per process/);
        } finally {
            fs.rmSync(other, { recursive: true, force: true });
        }
    });
});
