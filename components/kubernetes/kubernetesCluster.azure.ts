/**
 * KubernetesCluster on Azure: an AKS cluster (Standard tier) with Entra ID
 * authentication and Azure RBAC only (no local accounts), a user-assigned
 * control-plane identity, Azure CNI Overlay with Cilium in the app subnets, one system pool and
 * one autoscaled user pool per zone, OIDC issuer and workload identity, and
 * the managed NGINX ingress (application routing add-on).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { resourceGroupOfId } from "../common/dataStore";
import { childName, zoneLabel } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { ClusterPlan, NodeGroupSpec, PrincipalType } from "./clusterPlan";
import { KEY_VAULT_ID, KEY_VAULT_SECRETS_PROVIDER, KeyVaultReadRoles } from "./ingressKeyVaults";
import { aksKubeconfig, clusterOfAksKubeconfig } from "./kubeconfig";
import { gatedOn } from "../common/gates";
import { KubernetesClusterImplementation, KubernetesClusterInputs, KubernetesClusterResources } from "./kubernetesCluster";
import { AKS_MAX_PODS, AKS_POD_CIDR, AKS_SYSTEM_POOL, DNS_SERVICE_IP, SERVICE_CIDR } from "./layout";

/** Built-in Azure role definitions (fixed ids in every tenant). */
export const AzureRoles = {
    /** Lets the cluster identity join nodes and internal load balancers to the app subnets. */
    NetworkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
    /** Full Kubernetes access through Azure RBAC; given to the deploying identity so it can manage the cluster. */
    AksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
} as const;

/** The Azure CLI's public client id: a deployer signed in through `az login` is a user (Azure/azure-cli `_profile.py`). */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** The principal type of the signed-in client: `User` through the Azure CLI, otherwise a service principal (OIDC, secret, managed identity). */
export function principalTypeOfClient(clientId: string): PrincipalType {
    return clientId === "" || clientId.toLowerCase() === AZURE_CLI_CLIENT_ID ? PrincipalType.User : PrincipalType.ServicePrincipal;
}

const roleDefinitionId = (scopeId: pulumi.Input<string>, role: string) => pulumi.output(scopeId).apply((id) => {
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
    if (!subscription) throw new Error(`not an Azure resource id: ${id}`);
    return `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
});

/** Pool settings shared by system and user pools. */
function poolSettings(plan: ClusterPlan, pool: NodeGroupSpec, subnetId: pulumi.Input<string>, vmSize: string) {
    return {
        availabilityZones: [pool.zone],
        vnetSubnetID: subnetId,
        vmSize,
        enableAutoScaling: true,
        minCount: pool.minSize,
        maxCount: pool.maxSize,
        count: pool.desiredSize,
        maxPods: AKS_MAX_PODS,
        osType: "Linux",
        osSKU: "AzureLinux",
        osDiskType: "Managed",
        type: "VirtualMachineScaleSets",
        enableNodePublicIP: false,
        orchestratorVersion: plan.kubernetesVersion,
        upgradeSettings: { maxSurge: "1" },
    };
}

export class AzureKubernetesCluster implements KubernetesClusterImplementation {
    build(parent: pulumi.Resource, plan: ClusterPlan, inputs: KubernetesClusterInputs): KubernetesClusterResources {
        const opts = { parent };
        const tags = (extra: Tags = {}) => mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, ...extra });
        const resourceGroupName = resourceGroupOfId(inputs.subnetIds[0]);

        const identity = new managedidentity.UserAssignedIdentity(childName(plan.name, "identity"), { resourceGroupName, tags: tags() }, opts);
        const networkContributor = (name: string, scope: pulumi.Input<string>) => new authorization.RoleAssignment(name, {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(scope, AzureRoles.NetworkContributor),
            scope,
        }, opts);
        const subnetAccess = inputs.subnetIds.map((subnetId, i) => networkContributor(childName(plan.name, "subnet-access", zoneLabel(plan.zones[i])), subnetId));
        // A private cluster links its API server's private DNS zone to the VNet, which takes
        // rights on the VNet itself, not only on the subnets the nodes join.
        if (plan.publicEndpointCidrs.length === 0) subnetAccess.push(networkContributor(childName(plan.name, "vnet-access"), inputs.networkId));

        const cluster = this.managedCluster(plan, inputs, resourceGroupName, identity, tags, { ...opts, dependsOn: subnetAccess });
        // AKS runs one agent pool operation per cluster at a time ("Another agentpool operation ... in
        // progress", Azure/AKS#1913): each user pool waits for the one before it.
        const pools: containerservice.AgentPool[] = [];
        for (const pool of plan.nodeGroups) {
            const previous = pools[pools.length - 1];
            pools.push(new containerservice.AgentPool(pool.name, {
                resourceGroupName,
                resourceName: cluster.name,
                agentPoolName: pool.poolName,
                mode: "User",
                ...poolSettings(plan, pool, inputs.subnetIds[pool.subnetIndex], plan.machineType),
                // Hibernated: stopped (no compute charges, its autoscaler stopped too), or left running
                // (stoppedUserPools); waking: started again.
                ...(pool.power ? { powerState: { code: pool.power } } : {}),
                tags: tags({ [TagKeys.Tier]: "app", [TagKeys.Zone]: pool.zone }),
            }, { ...opts, ignoreChanges: ["count"], dependsOn: previous ? [previous] : [] }));
        }

        this.ingressKeyVaultAccess(plan, cluster, opts);

        // With local accounts disabled, only Azure RBAC grants Kubernetes access: give it to whoever deploys.
        // ARM checks principalType against the principal (a service principal sent as User fails with
        // UnmatchedPrincipalType), and CI signs in as a service principal while people use the Azure CLI.
        const deployer = authorization.getClientConfigOutput(opts);
        const deployerAdmin = new authorization.RoleAssignment(childName(plan.name, "deployer-admin"), {
            principalId: deployer.objectId,
            principalType: plan.deployerPrincipalType ?? deployer.clientId.apply(principalTypeOfClient),
            roleDefinitionId: roleDefinitionId(cluster.id, AzureRoles.AksRbacClusterAdmin),
            scope: cluster.id,
        }, opts);

        const credentials = containerservice.listManagedClusterUserCredentialsOutput({ resourceGroupName, resourceName: cluster.name }, opts);
        const kubeconfig = pulumi.secret(pulumi.all([cluster.name, credentials.kubeconfigs]).apply(([clusterName, kubeconfigs]) => {
            const { server, caData } = clusterOfAksKubeconfig(kubeconfigs[0].value);
            return aksKubeconfig(clusterName, server, caData);
        }));

        return {
            clusterName: cluster.name,
            // Objects deployed with it wait for the user pools (the system pools are tainted) and the
            // deployer's grant, and are deleted before them. Azure RBAC assignments take minutes to
            // propagate (https://learn.microsoft.com/azure/aks/manage-azure-rbac); the grant is made
            // right after the cluster, while the user pools are still being created one by one.
            kubeconfig: gatedOn(kubeconfig, [...pools, deployerAdmin]),
            oidcIssuerUrl: cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? ""),
            // From the pools' state: it resolves only when their update succeeded (pulumi/pulumi#15754).
            nodeGroupsAtZero: pulumi.all(pools.map((p) => p.powerState)).apply((states) => states.some((s) => s?.code === "Stopped")),
        };
    }

    /**
     * Read access for the application routing add-on's identity (AKS creates it; its object id is an
     * output of the cluster) to each ingress Key Vault, as `az aks approuting update --attach-kv` grants.
     */
    private ingressKeyVaultAccess(plan: ClusterPlan, cluster: containerservice.ManagedCluster, opts: pulumi.CustomResourceOptions): void {
        const principalId = cluster.ingressProfile.apply((profile) => {
            const id = profile?.webAppRouting?.identity?.objectId;
            if (!id) throw new Error(`AKS cluster ${plan.name} reported no application routing identity: is the add-on enabled?`);
            return id;
        });
        for (const vaultId of plan.ingressKeyVaultIds) {
            const vault = KEY_VAULT_ID.exec(vaultId)![1];
            for (const [role, roleId] of Object.entries(KeyVaultReadRoles)) {
                new authorization.RoleAssignment(childName(plan.name, `ingress-kv-${vault}-${role === "secretsUser" ? "secrets" : "certs"}`), {
                    principalId,
                    // A managed identity is a service principal; without the type ARM assumes User and the
                    // assignment fails right after the identity is created (UnmatchedPrincipalType).
                    principalType: "ServicePrincipal",
                    roleDefinitionId: roleDefinitionId(vaultId, roleId),
                    scope: vaultId,
                }, opts);
            }
        }
    }

    private managedCluster(
        plan: ClusterPlan, inputs: KubernetesClusterInputs, resourceGroupName: pulumi.Output<string>,
        identity: managedidentity.UserAssignedIdentity, tags: (extra?: Tags) => Tags, opts: pulumi.CustomResourceOptions,
    ): containerservice.ManagedCluster {
        const publicAccess = plan.publicEndpointCidrs.length > 0;
        return new containerservice.ManagedCluster(childName(plan.name, "aks"), {
            resourceGroupName,
            dnsPrefix: plan.baseName,
            kubernetesVersion: plan.kubernetesVersion,
            // Standard tier: the financially backed uptime SLA across zones.
            sku: { name: "Base", tier: "Standard" },
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
            enableRBAC: true,
            aadProfile: { managed: true, enableAzureRBAC: true },
            disableLocalAccounts: true,
            oidcIssuerProfile: { enabled: true },
            securityProfile: { workloadIdentity: { enabled: true } },
            // Private cluster unless public ranges are listed (AKS allows authorized ranges only on a public endpoint).
            // The nodes reach a public API server from their NAT gateways' addresses, which must be
            // authorized too (MicrosoftDocs/azure-docs#97437, #111834).
            apiServerAccessProfile: publicAccess
                ? { authorizedIPRanges: pulumi.all([...inputs.nodeEgressIps]).apply((ips) => [...plan.publicEndpointCidrs, ...ips.map((ip) => `${ip}/32`)]) }
                : { enablePrivateCluster: true, privateDNSZone: "system" },
            networkProfile: {
                // Azure CNI powered by Cilium: Azure Network Policy Manager is being retired in favour of
                // Cilium, which needs Azure CNI in overlay (or pod subnet) mode and enforces NetworkPolicy
                // itself (networkPolicy must be cilium with the cilium dataplane;
                // https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium). Overlay pods leave
                // the cluster with their node's address, which the data tier admits.
                networkPlugin: "azure",
                networkPluginMode: "overlay",
                networkDataplane: "cilium",
                networkPolicy: "cilium",
                podCidr: AKS_POD_CIDR,
                loadBalancerSku: "standard",
                // Egress through each zone's NAT gateway the network attached to the app subnets.
                outboundType: "userAssignedNATGateway",
                serviceCidr: SERVICE_CIDR,
                dnsServiceIP: DNS_SERVICE_IP,
            },
            // The managed NGINX behind a public Standard load balancer, zone-redundant in zonal regions: the
            // public entry of the services. The app subnets' NSG admits the internet on 80/443 only.
            ingressProfile: { webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: "External" } } },
            // The managed NGINX syncs Key Vault certificates through the Key Vault secrets provider add-on.
            addonProfiles: plan.ingressKeyVaultIds.length > 0
                ? { [KEY_VAULT_SECRETS_PROVIDER.name]: { enabled: true, config: { ...KEY_VAULT_SECRETS_PROVIDER.config } } }
                : undefined,
            // Per-zone pools are "similar": the autoscaler keeps them balanced across zones.
            autoScalerProfile: { balanceSimilarNodeGroups: "true", expander: "least-waste" },
            autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
            // AKS requires a system pool at creation; application pools are separate AgentPool resources.
            agentPoolProfiles: plan.systemPools.map((pool) => ({
                name: pool.poolName,
                mode: "System",
                ...poolSettings(plan, pool, inputs.subnetIds[pool.subnetIndex], AKS_SYSTEM_POOL.vmSize),
                // Keep application pods off the system pools.
                nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
                tags: tags({ [TagKeys.Zone]: pool.zone }),
            })),
            tags: tags(),
        }, {
            ...opts,
            // The autoscaler owns the system pools' current size; a deployment must not reset it.
            ignoreChanges: ["agentPoolProfiles[*].count"],
        });
    }
}
