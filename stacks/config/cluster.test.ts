import * as assert from "assert";
import { checkDeployerReach } from "./cluster";
import { parseStackConfig } from "./index";
import { BASE_CONFIG, configProblems } from "./testing";

const base = BASE_CONFIG;
const withCluster = (cluster: unknown) => ({ ...base, "intergalactic:cluster": JSON.stringify(cluster) });

describe("intergalactic:cluster", () => {
    it("defaults to an enabled private cluster named cluster with the component's defaults", () => {
        assert.deepStrictEqual(parseStackConfig(base).cluster, {
            enabled: true, name: "cluster", kubernetesVersion: "1.35", nodeSize: "medium", minNodesPerZone: 1, maxNodesPerZone: 5,
            publicEndpointCidrs: [], privateEndpointCidrs: undefined, adminPrincipalArns: [], deployerPrincipalType: undefined, logRetentionDays: 90,
        });
    });

    it("reads every setting", () => {
        const config = parseStackConfig(withCluster({
            enabled: false, name: "k8s", kubernetesVersion: "1.33", nodeSize: "large", minNodesPerZone: 0, maxNodesPerZone: 20,
            publicEndpointCidrs: ["203.0.113.0/24"], privateEndpointCidrs: ["10.10.16.0/22"], logRetentionDays: 365,
            adminPrincipalArns: ["arn:aws:iam::123456789012:role/deployer"], deployerPrincipalType: "ServicePrincipal",
        }));
        assert.deepStrictEqual(config.cluster, {
            enabled: false, name: "k8s", kubernetesVersion: "1.33", nodeSize: "large", minNodesPerZone: 0, maxNodesPerZone: 20,
            publicEndpointCidrs: ["203.0.113.0/24"], privateEndpointCidrs: ["10.10.16.0/22"], logRetentionDays: 365,
            adminPrincipalArns: ["arn:aws:iam::123456789012:role/deployer"], deployerPrincipalType: "ServicePrincipal",
        });
    });

    const cases: [string, unknown, RegExp][] = [
        ["an unknown size", { nodeSize: "xl" }, /intergalactic:cluster.nodeSize: "xl" is not allowed: use one of small, medium, large/],
        ["a negative minimum", { minNodesPerZone: -1 }, /intergalactic:cluster.minNodesPerZone: -1 must be an integer from 0 to 1000/],
        ["a zero maximum", { maxNodesPerZone: 0 }, /intergalactic:cluster.maxNodesPerZone: 0 must be an integer from 1 to 1000/],
        ["endpoint ranges that are not a list", { publicEndpointCidrs: "203.0.113.0/24" }, /intergalactic:cluster.publicEndpointCidrs: "203.0.113.0\/24" must be a list of strings/],
        ["an unknown principal type", { deployerPrincipalType: "Robot" }, /intergalactic:cluster.deployerPrincipalType: "Robot" is not allowed: use one of User, ServicePrincipal, Group/],
        ["admins that are not a list", { adminPrincipalArns: "arn:aws:iam::123456789012:role/x" }, /intergalactic:cluster.adminPrincipalArns: "arn:aws:iam::123456789012:role\/x" must be a list of strings/],
        ["a misspelt key", { nodeCount: 3 }, /intergalactic:cluster.nodeCount: unknown key: allowed keys are/],
        ["a misspelt key, listing the keys read only when present", { privateEndpointCidr: [] }, /intergalactic:cluster.privateEndpointCidr: unknown key: allowed keys are .*deployerPrincipalType.*privateEndpointCidrs/],
    ];
    for (const [what, cluster, expected] of cases) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => assert.match(configProblems(withCluster(cluster)), expected));
    }
});

describe("the deployer's way to the Kubernetes API", () => {
    const reach = (raw: Record<string, string>) => {
        const config = parseStackConfig(raw);
        try {
            checkDeployerReach(config.cloud, config.cluster, config.services.enabled);
        } catch (err) {
            return (err as Error).message;
        }
        return "";
    };
    const services = { "intergalactic:services": JSON.stringify({ host: "cookies.example.com" }) };

    it("refuses an AWS stack without deployer ranges or admins: its cluster always gets Kubernetes charts", () => {
        const message = reach(base);
        assert.match(message, /intergalactic:cluster.publicEndpointCidrs: \[\] must list the deployers' public egress ranges/);
        assert.match(message, /intergalactic:cluster.adminPrincipalArns: \[\] must list the IAM roles that deploy/);
    });

    it("refuses an Azure stack with services but no deployer ranges", () => {
        const azure = { "intergalactic:cloud": "azure", "intergalactic:environment": "dev", "azure-native:location": "westeurope", ...services };
        assert.match(reach(azure), /intergalactic:cluster.publicEndpointCidrs: \[\] must list the deployers' public egress ranges/);
        assert.doesNotMatch(reach(azure), /adminPrincipalArns/);
    });

    it("accepts a private cluster when nothing is deployed into it, and declared ranges and admins otherwise", () => {
        const azure = { "intergalactic:cloud": "azure", "intergalactic:environment": "dev", "azure-native:location": "westeurope" };
        assert.strictEqual(reach(azure), "");
        assert.strictEqual(reach(withCluster({ enabled: false })), "");
        assert.strictEqual(reach(withCluster({ publicEndpointCidrs: ["203.0.113.0/28"], adminPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] })), "");
    });
});
