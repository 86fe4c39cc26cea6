/** HaMongo's regional copies: what each cloud's replication allows, checked before anything is created. */
import * as assert from "assert";
import { InvalidArgumentsError } from "../common/validation";
import { MongoPlanInput, planMongo } from "./mongoPlan";

const AWS: MongoPlanInput = { cloud: "aws", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], subnetCount: 3, allowedClientCidrs: ["10.0.0.0/20"] };
const AZURE: MongoPlanInput = { cloud: "azure", location: "northeurope", zones: ["1", "2", "3"], subnetCount: 1, allowedClientCidrs: ["10.0.0.0/20"] };

function problemsOf(input: MongoPlanInput): string[] {
    try {
        planMongo("users", input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError);
        return [...err.problems];
    }
    return [];
}

describe("HaMongo replication across regions", () => {
    it("names a DocumentDB global cluster after the store when it has replica regions, and none without", () => {
        assert.strictEqual(planMongo("users", { ...AWS, replicaRegions: ["us-east-1"] }).globalClusterIdentifier, "users-global");
        assert.strictEqual(planMongo("users", AWS).globalClusterIdentifier, undefined);
        assert.strictEqual(planMongo("users", { ...AZURE, replicaRegions: ["eastus2"] }).globalClusterIdentifier, undefined);
    });

    it("refuses a global cluster on t4g instances (size small), the primary and the copy alike", () => {
        for (const input of [{ ...AWS, size: "small", replicaRegions: ["us-east-1"] }, { ...AWS, size: "small", replica: true }]) {
            assert.ok(problemsOf(input).some((p) => /size: "small".*db\.t4g\.medium.*global cluster/.test(p)), problemsOf(input).join("\n"));
        }
        assert.deepStrictEqual(problemsOf({ ...AWS, size: "small" }), []);
    });

    it("refuses a region without DocumentDB global clusters, a repeated region and both roles at once", () => {
        assert.ok(problemsOf({ ...AWS, replicaRegions: ["sa-east-1"] }).some((p) => p.startsWith('replicaRegions[0]: "sa-east-1"')));
        assert.ok(problemsOf({ ...AWS, replicaRegions: ["us-east-1", "us-east-1"] }).some((p) => p.startsWith('replicaRegions[1]: "us-east-1" is listed twice')));
        assert.ok(problemsOf({ ...AWS, replicaRegions: ["us-east-1"], replica: true }).some((p) => /are exclusive/.test(p)));
        assert.ok(problemsOf({ ...AWS, replica: true, restoreFromSnapshot: "users-final" }).some((p) => p.startsWith('restoreFromSnapshot: "users-final" is for a primary')));
    });

    it("on Azure refuses replicaOf, the account's own location as a replica, and an endpoint in a region the account is not in", () => {
        assert.ok(problemsOf({ ...AZURE, replica: true }).some((p) => /^replicaOf: .*is for aws/.test(p)));
        assert.ok(problemsOf({ ...AZURE, replicaRegions: ["northeurope"] }).some((p) => /^replicaRegions\[0\]: "northeurope" is the account's own location/.test(p)));
        assert.ok(problemsOf({ ...AZURE, replicaRegions: ["eastus2"], replicaAccessRegions: ["westus2"] })
            .some((p) => /^azure\.replicaAccess\[0\]\.region: "westus2" must be one of replicaRegions \(eastus2\)/.test(p)));
        assert.deepStrictEqual(problemsOf({ ...AZURE, replicaRegions: ["eastus2"], replicaAccessRegions: ["eastus2"] }), []);
    });
});
