import * as assert from "assert";
import { parseStackConfig } from "./index";
import { BASE_CONFIG, configProblems } from "./testing";

const base = BASE_CONFIG;
const withCluster = (cluster: unknown) => ({ ...base, "intergalactic:cluster": JSON.stringify(cluster) });

describe("intergalactic:cluster", () => {
    it("defaults to an enabled private cluster named cluster with the component's defaults", () => {
        assert.deepStrictEqual(parseStackConfig(base).cluster, {
            enabled: true, name: "cluster", kubernetesVersion: "1.35", nodeSize: "medium", minNodesPerZone: 1, maxNodesPerZone: 5,
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
        ["a negative minimum", { minNodesPerZone: -1 }, /intergalactic:cluster.minNodesPerZone: -1 must be an integer from 0 to 1000/],
        ["a zero maximum", { maxNodesPerZone: 0 }, /intergalactic:cluster.maxNodesPerZone: 0 must be an integer from 1 to 1000/],
        ["endpoint ranges that are not a list", { publicEndpointCidrs: "203.0.113.0/24" }, /intergalactic:cluster.publicEndpointCidrs: "203.0.113.0\/24" must be a list of strings/],
        ["a misspelt key", { nodeCount: 3 }, /intergalactic:cluster.nodeCount: unknown key: allowed keys are/],
    ];
    for (const [what, cluster, expected] of cases) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => assert.match(configProblems(withCluster(cluster)), expected));
    }
});
