import * as assert from "assert";
import { InvalidArgumentsError } from "../../components/common/validation";
import { parseStackConfig } from "./index";

const base = { "intergalactic:cloud": "aws", "intergalactic:environment": "dev", "aws:region": "us-east-1" };
const withCluster = (cluster: unknown) => ({ ...base, "intergalactic:cluster": JSON.stringify(cluster) });

function problems(raw: Record<string, string>): string {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, String(err));
        return err.message;
    }
    return assert.fail("expected the config to be rejected");
}

describe("intergalactic:cluster", () => {
    it("defaults to an enabled private cluster named cluster with the component's defaults", () => {
        assert.deepStrictEqual(parseStackConfig(base).cluster, {
            enabled: true, name: "cluster", kubernetesVersion: "1.34", nodeSize: "medium", minNodesPerZone: 1, maxNodesPerZone: 5,
            publicEndpointCidrs: [], privateEndpointCidrs: undefined, logRetentionDays: 90,
        });
    });

    it("reads every setting", () => {
        const config = parseStackConfig(withCluster({
            enabled: false, name: "k8s", kubernetesVersion: "1.33", nodeSize: "large", minNodesPerZone: 0, maxNodesPerZone: 20,
            publicEndpointCidrs: ["203.0.113.0/24"], privateEndpointCidrs: ["10.10.16.0/22"], logRetentionDays: 365,
        }));
        assert.deepStrictEqual(config.cluster, {
            enabled: false, name: "k8s", kubernetesVersion: "1.33", nodeSize: "large", minNodesPerZone: 0, maxNodesPerZone: 20,
            publicEndpointCidrs: ["203.0.113.0/24"], privateEndpointCidrs: ["10.10.16.0/22"], logRetentionDays: 365,
        });
    });

    const cases: [string, unknown, RegExp][] = [
        ["an unknown size", { nodeSize: "xl" }, /intergalactic:cluster.nodeSize: "xl" is not allowed: use one of small, medium, large/],
        ["a negative minimum", { minNodesPerZone: -1 }, /intergalactic:cluster.minNodesPerZone: -1 must be an integer >= 0/],
        ["a zero maximum", { maxNodesPerZone: 0 }, /intergalactic:cluster.maxNodesPerZone: 0 must be an integer >= 1/],
        ["endpoint ranges that are not a list", { publicEndpointCidrs: "203.0.113.0/24" }, /intergalactic:cluster.publicEndpointCidrs: "203.0.113.0\/24" must be a list of strings/],
        ["a misspelt key", { nodeCount: 3 }, /intergalactic:cluster.nodeCount: unknown key: allowed keys are/],
    ];
    for (const [what, cluster, expected] of cases) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => assert.match(problems(withCluster(cluster)), expected));
    }
});
