import * as assert from "assert";
import { Plan } from "../../engine/format";
import { MOCK_IDENTITY } from "../../engine/invokes";
import { named, ofType, planFailure, planSnippet } from "../../engine/testing/plan";
import { KubernetesCluster, KubernetesClusterArgs } from "./kubernetesCluster";
import { factsOfPlan } from "../network/facts";
import { planNetwork } from "../network/networkPlan";
import { AZURE_CLI_CLIENT_ID, AzureRoles, principalTypeOfClient } from "./kubernetesCluster.azure";

const VNET = `/subscriptions/${MOCK_IDENTITY.azureSubscriptionId}/resourceGroups/net-rg1234/providers/Microsoft.Network/virtualNetworks/net-vnet`;
const SUBNETS = ["1", "2", "3"].map((z) => `${VNET}/subnets/app-z${z}`);
const NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure", cidrBlock: "10.30.0.0/16" }), {
    networkId: VNET, subnetId: (name) => `${VNET}/subnets/${name.replace(/^net-/, "")}`,
});
const args = (extra: Partial<KubernetesClusterArgs> = {}): KubernetesClusterArgs => ({
    cloud: "azure", network: NETWORK, minNodesPerZone: 1, maxNodesPerZone: 6, nodeSize: "large", tags: { team: "platform" }, ...extra,
});

const AKS = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const roleId = (role: string) => `/subscriptions/${MOCK_IDENTITY.azureSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;

describe("KubernetesCluster on Azure", () => {
    let plan: Plan;
    let aks: Record<string, any>;
    before(async () => {
        plan = await planSnippet(() => new KubernetesCluster("cluster", args()));
        aks = named(plan, AKS, "cluster-aks").inputs;
    });

    it("creates a Standard tier cluster in the network's resource group at the requested version", () => {
        assert.deepStrictEqual(aks.sku, { name: "Base", tier: "Standard" });
        assert.strictEqual(aks.resourceGroupName, "net-rg1234");
        assert.strictEqual(aks.kubernetesVersion, "1.35");
        assert.strictEqual(aks.dnsPrefix, "cluster");
    });

    it("disables local accounts and authorizes through Entra ID and Azure RBAC only", () => {
        assert.strictEqual(aks.disableLocalAccounts, true);
        assert.strictEqual(aks.enableRBAC, true);
        assert.deepStrictEqual(aks.aadProfile, { managed: true, enableAzureRBAC: true });
        const admin = named(plan, ROLE_ASSIGNMENT, "cluster-deployer-admin").inputs;
        assert.strictEqual(admin.principalId, MOCK_IDENTITY.azureObjectId);
        assert.strictEqual(admin.roleDefinitionId, roleId(AzureRoles.AksRbacClusterAdmin));
        assert.strictEqual(admin.scope, named(plan, AKS, "cluster-aks").id);
    });

    it("gives the deployer's role assignment the principal type ARM checks: derived from the signed-in client, or as configured", async () => {
        // The mock client is a service principal (the CI's OIDC sign-in); the SDK's default, User, fails for it.
        assert.strictEqual(named(plan, ROLE_ASSIGNMENT, "cluster-deployer-admin").inputs.principalType, "ServicePrincipal");
        assert.strictEqual(principalTypeOfClient(AZURE_CLI_CLIENT_ID), "User");
        assert.strictEqual(principalTypeOfClient("00000000-0000-4000-8000-000000000003"), "ServicePrincipal");
        const configured = await planSnippet(() => new KubernetesCluster("cluster", args({ deployerPrincipalType: "Group" })));
        assert.strictEqual(named(configured, ROLE_ASSIGNMENT, "cluster-deployer-admin").inputs.principalType, "Group");
        const wrong = await planFailure(() => new KubernetesCluster("cluster", args({ deployerPrincipalType: "Robot" as "User" })));
        assert.match(wrong.error.message, /deployerPrincipalType: "Robot" is not allowed: use one of User, ServicePrincipal, Group/);
    });

    it("rejects EKS access entries on Azure, naming the arg", async () => {
        const { error } = await planFailure(() => new KubernetesCluster("cluster", args({ adminPrincipalArns: ["arn:aws:iam::123456789012:role/x"] })));
        assert.match(error.message, /adminPrincipalArns: .* does nothing on azure \(only aws uses it\)/);
    });

    it("creates the user pools one after another: AKS runs one agent pool operation per cluster at a time", () => {
        const [first, second, third] = ofType(plan, POOL);
        assert.ok(!first.dependencies.some((d) => d.includes("AgentPool")));
        assert.ok(second.dependencies.includes(first.urn) && third.dependencies.includes(second.urn));
    });

    it("runs the control plane as a user-assigned identity with Network Contributor on each app subnet", () => {
        const identity = named(plan, "azure-native:managedidentity:UserAssignedIdentity", "cluster-identity");
        assert.deepStrictEqual(aks.identity, { type: "UserAssigned", userAssignedIdentities: [identity.id] });
        const access = ofType(plan, ROLE_ASSIGNMENT).filter((r) => r.name.startsWith("cluster-subnet-access-") || r.name === "cluster-vnet-access");
        // The VNet too, because the private cluster links its private DNS zone to it.
        assert.deepStrictEqual(access.map((r) => r.inputs.scope).sort(), [...SUBNETS, VNET].sort());
        for (const assignment of access) {
            assert.strictEqual(assignment.inputs.principalId, identity.outputs.principalId);
            assert.strictEqual(assignment.inputs.roleDefinitionId, roleId(AzureRoles.NetworkContributor));
        }
        const cluster = named(plan, AKS, "cluster-aks");
        for (const assignment of access) assert.ok(cluster.dependencies.includes(assignment.urn), "roles exist before AKS uses the subnets");
    });

    it("uses Azure CNI Overlay powered by Cilium in the app subnets, egress through their NAT gateways and service and pod ranges outside the network", () => {
        assert.deepStrictEqual(aks.networkProfile, {
            networkPlugin: "azure", networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium", podCidr: "10.244.0.0/16",
            loadBalancerSku: "standard", outboundType: "userAssignedNATGateway", serviceCidr: "172.20.0.0/16", dnsServiceIP: "172.20.0.10",
        });
    });

    it("turns on the OIDC issuer and workload identity", () => {
        assert.deepStrictEqual(aks.oidcIssuerProfile, { enabled: true });
        assert.deepStrictEqual(aks.securityProfile, { workloadIdentity: { enabled: true } });
        const component = named(plan, "intergalactic:index:KubernetesCluster", "cluster");
        assert.match(String(component.outputs.oidcIssuerUrl), /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
    });

    it("serves Ingresses through the managed NGINX on an internal load balancer", () => {
        assert.deepStrictEqual(aks.ingressProfile, { webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: "External" } } });
    });

    it("keeps the API server private by default and restricts a public one to the listed ranges", async () => {
        assert.deepStrictEqual(aks.apiServerAccessProfile, { enablePrivateCluster: true, privateDNSZone: "system" });
        const restricted = await planSnippet(() => new KubernetesCluster("cluster", args({ publicEndpointCidrs: ["203.0.113.0/24"] })));
        assert.deepStrictEqual(named(restricted, AKS, "cluster-aks").inputs.apiServerAccessProfile, { authorizedIPRanges: ["203.0.113.0/24"] });
        assert.ok(!ofType(restricted, ROLE_ASSIGNMENT).some((r) => r.name === "cluster-vnet-access"), "a public cluster needs only the subnets");
    });

    it("pins a tainted, autoscaled system pool to each zone and its own zone's subnet", () => {
        assert.deepStrictEqual(aks.agentPoolProfiles.map((p: Record<string, any>) => [p.name, p.mode, p.availabilityZones, p.vnetSubnetID]), [
            ["sysz1", "System", ["1"], SUBNETS[0]], ["sysz2", "System", ["2"], SUBNETS[1]], ["sysz3", "System", ["3"], SUBNETS[2]],
        ]);
        for (const pool of aks.agentPoolProfiles) {
            assert.deepStrictEqual([pool.enableAutoScaling, pool.minCount, pool.maxCount], [true, 1, 3]);
            assert.deepStrictEqual(pool.nodeTaints, ["CriticalAddonsOnly=true:NoSchedule"]);
        }
        assert.deepStrictEqual(named(plan, AKS, "cluster-aks").options.ignoreChanges, ["agentPoolProfiles[*].count"]);
    });

    it("runs one autoscaled user pool per zone in that zone's app subnet", () => {
        const pools = ofType(plan, POOL);
        assert.deepStrictEqual(pools.map((p) => [p.name, p.inputs.agentPoolName, p.inputs.availabilityZones, p.inputs.vnetSubnetID]), [
            ["cluster-nodes-z1", "appz1", ["1"], SUBNETS[0]], ["cluster-nodes-z2", "appz2", ["2"], SUBNETS[1]], ["cluster-nodes-z3", "appz3", ["3"], SUBNETS[2]],
        ]);
        const cluster = named(plan, AKS, "cluster-aks");
        for (const pool of pools) {
            assert.deepStrictEqual([pool.inputs.mode, pool.inputs.enableAutoScaling, pool.inputs.minCount, pool.inputs.count, pool.inputs.maxCount], ["User", true, 1, 1, 6]);
            assert.strictEqual(pool.inputs.vmSize, "Standard_D8s_v5");
            assert.strictEqual(pool.inputs.enableNodePublicIP, false);
            assert.strictEqual(pool.inputs.resourceName, cluster.outputs.name);
            assert.deepStrictEqual(pool.options.ignoreChanges, ["count"]);
        }
        assert.strictEqual(aks.autoScalerProfile.balanceSimilarNodeGroups, "true");
    });

    it("exports a secret kubeconfig, no worker security group, and the app ranges", () => {
        const component = named(plan, "intergalactic:index:KubernetesCluster", "cluster");
        assert.strictEqual(component.outputs.kubeconfig, "[secret]");
        assert.strictEqual(component.outputs.workerSecurityGroupId, "");
        assert.deepStrictEqual(component.outputs.workerCidrs, ["10.30.0.0/20", "10.30.32.0/20", "10.30.64.0/20"]);
    });

    it("parents every resource to the component and tags it", () => {
        const component = named(plan, "intergalactic:index:KubernetesCluster", "cluster");
        for (const resource of plan.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, resource.name);
            if ("tags" in resource.inputs) assert.strictEqual((resource.inputs.tags as Record<string, string>)["intergalactic:component"], "cluster");
        }
    });

    it("registers nothing but the stack when the args are invalid", async () => {
        const { error, registered } = await planFailure(() => new KubernetesCluster("cluster", args({ subnets: NETWORK.subnets.filter((s) => s.tier === "app").slice(0, 1) })));
        assert.match(error.message, /subnets: 1 subnet\(s\) in zones \["1"\] must span at least 2 zones: EKS requires subnets in two zones/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
});
