import * as assert from "assert";
import { InvalidArgumentsError } from "../common/validation";
import { EntryPlanInput, planGlobalEntry } from "./entryPlan";

const ORIGINS = [{ region: "eu-west-1" }, { region: "us-east-1" }];
const AWS: EntryPlanInput = { cloud: "aws", host: "cookies.example.com", origins: ORIGINS, hostedZoneId: "Z0123456789ABCDEFGHIJ" };
const AZURE: EntryPlanInput = { cloud: "azure", host: "cookies.example.com", origins: [{ region: "northeurope" }, { region: "eastus2" }], hasResourceGroup: true };

function problemsOf(input: EntryPlanInput): string[] {
    try {
        planGlobalEntry("entry", input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError);
        return [...err.problems];
    }
    return [];
}

describe("planGlobalEntry", () => {
    it("plans one origin per region, named by the region, probing the readiness path by default", () => {
        const plan = planGlobalEntry("entry", AWS);
        assert.deepStrictEqual(plan.origins.map((o) => o.key), ["eu-west-1", "us-east-1"]);
        assert.deepStrictEqual([plan.healthPath, plan.probeIntervalSeconds, plan.failureThreshold], ["/ready", 30, 3]);
    });

    it("refuses one region, a repeated region, a bad host and a relative probe path, naming each arg", () => {
        assert.ok(problemsOf({ ...AWS, origins: ORIGINS.slice(0, 1) }).some((p) => p.startsWith('origins: ["eu-west-1"] must name at least two regions')));
        assert.ok(problemsOf({ ...AWS, origins: [...ORIGINS, ORIGINS[0]] }).some((p) => p.startsWith('origins[2].region: "eu-west-1" is listed twice')));
        assert.ok(problemsOf({ ...AWS, host: "not a host" }).some((p) => p.startsWith('host: "not a host"')));
        assert.ok(problemsOf({ ...AWS, healthPath: "ready" }).some((p) => p.startsWith('healthPath: "ready"')));
        // Route 53's ResourcePath holds at most 255 characters (API_HealthCheckConfig).
        assert.ok(problemsOf({ ...AWS, healthPath: `/${"a".repeat(255)}` }).some((p) => p.includes("must be an absolute URL path of at most 255 characters")));
        assert.deepStrictEqual(problemsOf({ ...AWS, healthPath: `/${"a".repeat(254)}` }), []);
    });

    it("needs the Route 53 zone on AWS and refuses it on Azure, where the profile's resource group is needed", () => {
        assert.ok(problemsOf({ ...AWS, hostedZoneId: undefined }).some((p) => p.startsWith("aws.hostedZoneId: undefined is required on aws")));
        assert.deepStrictEqual(problemsOf(AZURE), []);
        assert.ok(problemsOf({ ...AZURE, hostedZoneId: "Z0123" }).some((p) => p.startsWith('aws.hostedZoneId: "Z0123" is for aws only')));
        assert.ok(problemsOf({ ...AZURE, hasResourceGroup: false }).some((p) => p.startsWith("azure.resourceGroupName: undefined is required on azure")));
    });
});
