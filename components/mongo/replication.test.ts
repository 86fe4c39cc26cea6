/** HaMongo's regional copies: what each cloud's replication allows, checked before anything is created. */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { planSnippet } from "../../engine/testing/plan";
import { factsOfPlan } from "../network/facts";
import { planNetwork } from "../network/networkPlan";
import { HaMongo } from "./haMongo";
import { MongoPlanInput, planMongo } from "./mongoPlan";
import { mongoProblems } from "./fixtures.test";

const AWS: MongoPlanInput = { cloud: "aws", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], subnetCount: 3, allowedClientCidrs: ["10.0.0.0/20"] };
const AZURE: MongoPlanInput = { cloud: "azure", location: "northeurope", zones: ["1", "2", "3"], subnetCount: 1, allowedClientCidrs: ["10.0.0.0/20"] };

const problemsOf = (input: MongoPlanInput): string[] => mongoProblems(input);

describe("HaMongo replication across regions", () => {
    it("names a DocumentDB global cluster after the project, the stack and the store when it has replica regions, and none without", () => {
        // One name per account across regions: a second stack's store "users" must get another name.
        assert.strictEqual(planMongo("users", { ...AWS, replicaRegions: ["us-east-1"], accountScope: "intergalactic-prod" }).globalClusterIdentifier, "intergalactic-prod-users-global");
        assert.strictEqual(planMongo("users", { ...AWS, replicaRegions: ["us-east-1"], accountScope: "Shop_Infra-prod.eu" }).globalClusterIdentifier, "shop-infra-prod-eu-users-global");
        assert.ok(problemsOf({ ...AWS, replicaRegions: ["us-east-1"], accountScope: "a".repeat(60) }).some((p) => /^replicaRegions: .*needs a global cluster named .*at most 63/.test(p)));
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

    it("gives the DocumentDB global cluster 30 minutes to create, not the provider's 5, and leaves the clusters' 120", async () => {
        // terraform-provider-aws internal/service/docdb/global_cluster.go Timeouts (5 min) against cluster.go (120 min):
        // turning a live cluster into a primary can outlast 5 minutes, leaving the global cluster made and the up failed.
        const seen = new Map<string, pulumi.CustomTimeouts | undefined>();
        const capture: pulumi.ResourceTransformation = (a) => { seen.set(a.type, a.opts.customTimeouts); return undefined; };
        const network = factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneCount: 3 }),
            { networkId: "vpc-0123", subnetId: (name) => `subnet-${name}` });
        await planSnippet(() => new HaMongo("users", { cloud: "aws", network, allowedClientCidrs: ["10.0.0.0/20"], replicaRegions: ["us-east-1"] }, { transformations: [capture] }));
        assert.ok(seen.has("aws:docdb/globalCluster:GlobalCluster"), [...seen.keys()].join(", "));
        assert.strictEqual(seen.get("aws:docdb/globalCluster:GlobalCluster")?.create, "30m");
        assert.strictEqual(seen.get("aws:docdb/cluster:Cluster"), undefined);
    });
});
