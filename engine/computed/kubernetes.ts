/**
 * Mocked computed attributes of the KubernetesCluster resources: EKS endpoints,
 * OIDC issuers and cluster security groups in AWS's formats, AKS FQDNs and
 * issuer URLs, Helm release status, and the AKS user-credentials invoke with
 * a kubeconfig shaped like the one AKS returns.
 */
import { InvokeEnvironment, registerInvoke } from "../invokes";
import { ComputedTable, MockContext } from "./types";

/** A stand-in for a PEM CA bundle, base64-encoded like the real `certificate-authority-data`. */
const MOCK_CA_DATA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIplannerCA\n-----END CERTIFICATE-----\n").toString("base64");

const upperHex = (ctx: MockContext, length: number) => ctx.hash.slice(0, length).toUpperCase();
const guid = (hash: string) => `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;

function eksCluster(ctx: MockContext): Record<string, unknown> {
    const region = ctx.aws.region;
    return {
        endpoint: `https://${upperHex(ctx, 32)}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: MOCK_CA_DATA },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${upperHex(ctx, 32)}` }] }],
        vpcConfig: { ...(ctx.inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${ctx.hash.slice(3, 20)}`, vpcId: `vpc-${ctx.hash.slice(5, 22)}` },
        platformVersion: "eks.1",
        status: "ACTIVE",
        clusterId: guid(ctx.hash),
    };
}

function aksCluster(ctx: MockContext): Record<string, unknown> {
    const location = ctx.inputs.location ?? ctx.azure.location;
    const prefix = `${ctx.inputs.dnsPrefix ?? ctx.physicalName}-${ctx.hash.slice(0, 8)}`;
    return {
        fqdn: `${prefix}.hcp.${location}.azmk8s.io`,
        privateFQDN: ctx.inputs.apiServerAccessProfile?.enablePrivateCluster ? `${prefix}.${guid(ctx.hash)}.privatelink.${location}.azmk8s.io` : "",
        oidcIssuerProfile: { enabled: true, issuerURL: `https://${location}.oic.prod-aks.azure.com/${ctx.azure.tenantId}/${guid(ctx.hash)}/` },
        nodeResourceGroup: `MC_${ctx.inputs.resourceGroupName}_${ctx.physicalName}_${location}`,
        currentKubernetesVersion: `${ctx.inputs.kubernetesVersion ?? "1.34"}.2`,
        powerState: { code: "Running" },
        // AKS creates the application routing add-on's identity and reports it on the profile.
        ...(ctx.inputs.ingressProfile?.webAppRouting?.enabled ? {
            ingressProfile: {
                ...ctx.inputs.ingressProfile,
                webAppRouting: {
                    ...ctx.inputs.ingressProfile.webAppRouting,
                    identity: {
                        clientId: guid(ctx.hash.split("").reverse().join("")), objectId: guid(`${ctx.hash.slice(16)}${ctx.hash.slice(0, 16)}`),
                        resourceId: `/subscriptions/${ctx.azure.subscriptionId}/resourceGroups/MC_${ctx.inputs.resourceGroupName}_${ctx.physicalName}_${location}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/webapprouting-${ctx.physicalName}`,
                    },
                },
            },
        } : {}),
    };
}

/** The kubeconfig AKS returns for a user: the cluster's server and CA, and a kubelogin exec user. */
function aksUserKubeconfig(clusterName: string): string {
    const server = `https://${clusterName}-dns.hcp.westeurope.azmk8s.io:443`;
    return [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        `    certificate-authority-data: ${MOCK_CA_DATA}`,
        `    server: ${server}`,
        `  name: ${clusterName}`,
        "contexts: []",
        "kind: Config",
        "users: []",
        "",
    ].join("\n");
}

export const kubernetesComputed: ComputedTable = {
    "aws:eks/cluster:Cluster": eksCluster,
    "aws:eks/nodeGroup:NodeGroup": (ctx) => ({
        status: "ACTIVE",
        resources: [{ autoscalingGroups: [{ name: `eks-${ctx.physicalName}-${guid(ctx.hash)}` }], remoteAccessSecurityGroupId: "" }],
    }),
    "aws:eks/addon:Addon": (ctx) => ({ addonVersion: `v1.0.0-eksbuild.${parseInt(ctx.hash.slice(0, 1), 16) + 1}` }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (ctx) => ({
        arn: `arn:aws:iam::${ctx.aws.accountId}:oidc-provider/${String(ctx.inputs.url ?? "").replace(/^https:\/\//, "")}`,
    }),
    "azure-native:containerservice:ManagedCluster": aksCluster,
    "kubernetes:helm.sh/v3:Release": (ctx) => ({
        status: {
            name: ctx.inputs.name ?? ctx.physicalName, namespace: ctx.inputs.namespace ?? "default", chart: ctx.inputs.chart,
            version: ctx.inputs.version, status: "deployed", revision: 1,
        },
    }),
    "random:index/randomString:RandomString": (ctx) => {
        const alphabet = `abcdefghijklmnopqrstuvwxyz0123456789${ctx.inputs.upper === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}`;
        const length = Number(ctx.inputs.length ?? 16);
        return { result: Array.from({ length }, (_, i) => alphabet[parseInt(ctx.hash.slice(i * 2, i * 2 + 2), 16) % alphabet.length]).join("") };
    },
};

/**
 * The live EKS clusters and node groups: what `deployed` (an earlier plan's resources) holds. As EKS does,
 * listing or reading the groups of a cluster that does not exist fails (ResourceNotFoundException,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_ListNodegroups.html); a group is known by its logical name.
 */
const eksClusters = (env: InvokeEnvironment) => env.deployed.filter((r) => r.type === "aws:eks/cluster:Cluster");
function eksGroups(inputs: Record<string, any>, env: InvokeEnvironment) {
    const cluster = eksClusters(env).find((c) => c.inputs.name === inputs.clusterName);
    if (!cluster) throw new Error(`ResourceNotFoundException: No cluster found for name: ${String(inputs.clusterName)}.`);
    return env.deployed.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.dependencies.includes(cluster.urn));
}
registerInvoke("aws:eks/getClusters:getClusters", (_inputs, env) => ({ id: env.awsRegion, names: eksClusters(env).map((c) => String(c.inputs.name)) }));
registerInvoke("aws:eks/getNodeGroups:getNodeGroups", (inputs, env) => ({ id: String(inputs.clusterName), clusterName: inputs.clusterName, names: eksGroups(inputs, env).map((g) => g.name) }));
registerInvoke("aws:eks/getNodeGroup:getNodeGroup", (inputs, env) => {
    const group = eksGroups(inputs, env).find((g) => g.name === inputs.nodeGroupName);
    if (!group) throw new Error(`ResourceNotFoundException: No node group found for name: ${String(inputs.nodeGroupName)}.`);
    return { id: `${String(inputs.clusterName)}:${group.name}`, clusterName: inputs.clusterName, nodeGroupName: group.name, status: "ACTIVE", scalingConfigs: [group.inputs.scalingConfig] };
});

/** EKS's default add-on version for a Kubernetes version, in EKS's `v<version>-eksbuild.<n>` format. */
registerInvoke("aws:eks/getAddonVersion:getAddonVersion", (inputs, env) => ({
    id: String(inputs.addonName), addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion, region: env.awsRegion,
    version: `v${String(inputs.kubernetesVersion)}.0-eksbuild.1`,
}));

registerInvoke("azure-native:containerservice:listManagedClusterUserCredentials", (inputs) => ({
    kubeconfigs: [{ name: "clusterUser", value: Buffer.from(aksUserKubeconfig(String(inputs.resourceName))).toString("base64") }],
}));
