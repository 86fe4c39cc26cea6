import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { attemptPlan } from "../engine/runPlan";
import { loadStackFiles, knownStacks } from "../engine/stackFiles";
import { program } from "./program";
import { parseStackConfig } from "./config";
import { checkDeployerReach } from "./config/cluster";
import { findPlaceholders } from "./config/placeholders";
import { projectStacks } from "../engine/testing/plan";

const ROOT = path.resolve(__dirname, "..");
type Step = { name?: string; uses?: string; if?: string; run?: string; with?: Record<string, unknown> };
const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github/workflows/dev-schedule.yml"), "utf8")) as
    { jobs: { reconcile: { "runs-on": unknown; "timeout-minutes": number; steps: Step[] } } };

describe("a first up and the scheduled spin-up reach the Kubernetes API from outside the network", () => {
    for (const stack of knownStacks(ROOT)) {
        it(`${stack} declares its deployers' ranges (and on AWS their IAM roles) for the Kubernetes objects it deploys`, () => {
            const config = parseStackConfig(loadStackFiles(ROOT, stack).config);
            assert.doesNotThrow(() => checkDeployerReach(config.cloud, config.cluster, config.services.enabled));
            assert.ok(config.cluster.publicEndpointCidrs.every((c) => !c.endsWith("/0")));
        });
    }

    it("refuses, before registering anything, a stack whose Kubernetes objects its deployer cannot reach, naming the key to set", async () => {
        for (const { stack } of projectStacks().filter((s) => s.environment === "dev")) {
            const files = loadStackFiles(ROOT, stack);
            const cluster = { ...JSON.parse(files.config["intergalactic:cluster"]) };
            delete cluster.publicEndpointCidrs;
            const attempt = await attemptPlan({ project: files.project, stack, program, config: { ...files.config, "intergalactic:cluster": JSON.stringify(cluster) } });
            assert.match(String((attempt.error as Error)?.message), /intergalactic:cluster.publicEndpointCidrs: \[\] must list the deployers' public egress ranges/);
            assert.deepStrictEqual(attempt.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
        }
    });

    it("marks the stack files' deployer ranges and roles as placeholders, which a real up refuses", () => {
        const config = parseStackConfig(loadStackFiles(ROOT, "dev").config);
        const keys = findPlaceholders(config).map((p) => p.key);
        assert.ok(keys.includes("intergalactic:cluster.publicEndpointCidrs[0]") && keys.includes("intergalactic:cluster.adminPrincipalArns[0]"), keys.join(", "));
    });

    it("runs the schedule on the deployer runner, whose fixed egress range the stacks admit, not on a hosted runner of unknown address", () => {
        const runsOn = workflow.jobs.reconcile["runs-on"];
        assert.strictEqual(runsOn, "intergalactic-deployer");
    });

    it("signs the Azure CLI in before reconciling, since the AKS kubeconfig takes its token from it through kubelogin", () => {
        const steps = workflow.jobs.reconcile.steps;
        const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
        const login = index((s) => s.uses?.startsWith("azure/login@") === true);
        const kubelogin = index((s) => s.uses?.startsWith("azure/use-kubelogin@") === true);
        const reconcile = index((s) => s.name === "Reconcile");
        assert.ok(login >= 0 && kubelogin >= 0 && login < reconcile && kubelogin < reconcile, "azure/login and kubelogin run before the reconciler");
    });

    it("asks AWS for credentials that last as long as the job may run, not the one-hour default", () => {
        const job = workflow.jobs.reconcile;
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
        assert.ok(aws, "the AWS credentials step");
        assert.ok(Number(aws.with?.["role-duration-seconds"]) >= job["timeout-minutes"] * 60, `role-duration-seconds ${aws.with?.["role-duration-seconds"]}`);
    });

    it("fetches the AKS API token right after the OIDC sign-in, before the assertion expires mid-run", () => {
        // The AKS server application's id, the audience kubelogin asks the Azure CLI for.
        const aksServerApp = "6dae42f8-4368-4678-94ff-3960e28e3630";
        const steps = workflow.jobs.reconcile.steps;
        const login = steps.findIndex((s) => s.uses?.startsWith("azure/login@") === true);
        const prefetch = steps.findIndex((s) => s.run?.includes(`az account get-access-token --resource ${aksServerApp}`) === true);
        const reconcile = steps.findIndex((s) => s.name === "Reconcile");
        assert.ok(prefetch > login && prefetch < reconcile, "the token is fetched between the sign-in and the reconciler");
        assert.strictEqual(steps[prefetch].if, "matrix.cloud == 'azure'");
    });
});
