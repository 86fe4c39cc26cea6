/**
 * How each gate of the rules is found in a plan: which resources must be among
 * a resource's dependencies, or what prevents the gate from being met at all.
 * Everything is read from the recorded inputs and the mocks' outputs, the way
 * the engine's graph links them.
 */
import { DependencyGraph, providerUrn } from "../dependencies";
import { PlannedResource } from "../format";
import { DEPLOYER_RANGES_KEY, Gate, INGRESS_CONTROLLERS, WEBHOOK_CHARTS } from "./rules";

/** What a gate asks of one resource. */
export interface GateDemand {
    /** Resources that must be among the resource's transitive dependencies. */
    readonly required: readonly PlannedResource[];
    /** Siblings that must be ordered with the resource, one way or the other. */
    readonly orderedWith?: readonly PlannedResource[];
    /** A reason the gate cannot be met whatever the order, e.g. nothing provides it. */
    readonly problem?: string;
}

export const Types = {
    EksCluster: "aws:eks/cluster:Cluster",
    AcmCertificate: "aws:acm/certificate:Certificate",
    CertificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    NodeGroup: "aws:eks/nodeGroup:NodeGroup",
    Addon: "aws:eks/addon:Addon",
    LogGroup: "aws:cloudwatch/logGroup:LogGroup",
    AccessEntry: "aws:eks/accessEntry:AccessEntry",
    AccessPolicyAssociation: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    IngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    Role: "aws:iam/role:Role",
    RolePolicy: "aws:iam/rolePolicy:RolePolicy",
    RolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    AwsSubnet: "aws:ec2/subnet:Subnet",
    InternetGateway: "aws:ec2/internetGateway:InternetGateway",
    Route: "aws:ec2/route:Route",
    RouteTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    VpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    SecretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    Secret: "aws:secretsmanager/secret:Secret",
    ManagedCluster: "azure-native:containerservice:ManagedCluster",
    AgentPool: "azure-native:containerservice:AgentPool",
    RoleAssignment: "azure-native:authorization:RoleAssignment",
    AzureSubnet: "azure-native:network:Subnet",
    Identity: "azure-native:managedidentity:UserAssignedIdentity",
    HelmRelease: "kubernetes:helm.sh/v3:Release",
    NatGateway: "azure-native:network:NatGateway",
    PublicIp: "azure-native:network:PublicIPAddress",
    PrivateEndpoint: "azure-native:network:PrivateEndpoint",
    AfdOriginGroup: "azure-native:cdn:AFDOriginGroup",
    AfdOrigin: "azure-native:cdn:AFDOrigin",
    PeeringConnection: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    PeeringAccepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
} as const;

/** Children written through a data store's control plane, which serialises them with its private endpoint's connection. */
const STORE_CHILD_TYPES: readonly string[] = [
    "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase",
    "azure-native:cosmosdb:MongoDBResourceMongoDBCollection",
    "azure-native:redisenterprise:Database",
];

/**
 * The built-in Azure roles that grant Kubernetes data-plane access with Azure RBAC for Kubernetes
 * (https://learn.microsoft.com/azure/aks/manage-azure-rbac): RBAC Cluster Admin, Admin, Writer.
 */
export const AKS_DATA_PLANE_ROLES = [
    "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    "3498e952-d568-435e-9b2c-8d77e338d7f7",
    "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
] as const;

const CLUSTER_TYPES: readonly string[] = [Types.EksCluster, Types.ManagedCluster];
/** EKS add-ons that run as Deployments on the workers (the others are DaemonSets that come up with each node). */
const WORKLOAD_ADDONS: readonly string[] = ["coredns", "metrics-server"];

type Input = Record<string, unknown>;
const get = (value: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Input)[key] : undefined), value);
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Finds gates in one plan. */
export class GateFinder {
    constructor(readonly graph: DependencyGraph) {}

    private ofType(type: string): PlannedResource[] {
        return this.graph.ordered().filter((r) => r.type === type);
    }

    /** The EKS or AKS cluster a Kubernetes object's provider deploys to, if the graph links it to one. */
    clusterOf(resource: PlannedResource): PlannedResource | undefined {
        if (!resource.options.provider) return undefined;
        const provider = providerUrn(resource.options.provider);
        const reach = [provider, ...this.graph.closure(provider)];
        return reach.map((u) => this.graph.byUrn.get(u)!).find((r) => r && CLUSTER_TYPES.includes(r.type));
    }

    /** The cluster's name in the cloud, as other resources reference it. */
    private clusterName(cluster: PlannedResource): string {
        return str(cluster.outputs.name) || str(cluster.inputs.name) || str(cluster.inputs.resourceName);
    }

    demand(gate: Gate, resource: PlannedResource): GateDemand {
        switch (gate) {
            case Gate.KubernetesCluster: return this.kubernetesCluster(resource);
            case Gate.ApiReachable: return this.onCluster(resource, (c) => this.apiReachable(c));
            case Gate.ApiIdentity: return this.onCluster(resource, (c) => this.apiIdentity(c));
            case Gate.SchedulableNodes: return this.onCluster(resource, (c) => this.schedulableNodes(c));
            case Gate.ClusterDns: return this.onCluster(resource, (c) => this.clusterDns(c));
            case Gate.IngressController: return this.onCluster(resource, (c) => this.ingressController(resource, c));
            case Gate.AdmissionWebhooks: return this.onCluster(resource, (c) => this.admissionWebhooks(resource, c));
            case Gate.RolePermissions: return this.rolePermissions(resource);
            case Gate.SerialSiblings: return this.serialSiblings(resource);
            case Gate.VnetSubnets: return this.vnetSubnets(resource);
            case Gate.ClusterIdentityRights: return this.clusterIdentityRights(resource);
            case Gate.InternetGateway: return this.internetGateway(resource);
            case Gate.SecretValues: return this.secretValues(resource);
            case Gate.LockedEndpoints: return { required: this.endpointsTo(str(resource.inputs.scope)) };
            case Gate.StoreWrites: return this.storeWrites(resource);
            case Gate.NodeEgressAuthorized: return this.nodeEgressAuthorized(resource);
            case Gate.AddonNodes: return this.addonNodes(resource);
            case Gate.NodeNetworking: return { required: this.addonsOf(str(resource.inputs.clusterName), ["vpc-cni"]) };
            case Gate.NodeEgress: return this.nodeEgress(resource);
            case Gate.ControlPlaneLogGroup: return this.controlPlaneLogGroup(resource);
            case Gate.OriginInGroup: return this.originInGroup(resource);
            case Gate.CertificateIssued: return this.certificateIssued(resource);
            case Gate.PeeringActive: return this.peeringActive(resource);
        }
    }

    private nodeGroupsOf(clusterName: string): PlannedResource[] {
        return this.ofType(Types.NodeGroup).filter((r) => str(r.inputs.clusterName) === clusterName);
    }

    private addonsOf(clusterName: string, addonNames: readonly string[]): PlannedResource[] {
        return this.ofType(Types.Addon).filter((r) => str(r.inputs.clusterName) === clusterName && addonNames.includes(str(r.inputs.addonName)));
    }

    /**
     * A node group with nodes needs, in each of its subnets, a default route to a NAT gateway, or else the
     * VPC's ECR interface endpoints (the private-cluster set, whose image pulls need no internet).
     */
    private nodeEgress(group: PlannedResource): GateDemand {
        if (!(Number(get(group.inputs, "scalingConfig", "desiredSize") ?? 0) > 0)) return { required: [] };
        const natRoutes = this.ofType(Types.Route).filter((r) => str(r.inputs.destinationCidrBlock) === "0.0.0.0/0" && str(r.inputs.natGatewayId) !== "");
        const associations = this.ofType(Types.RouteTableAssociation);
        const routes: PlannedResource[] = [];
        const without: string[] = [];
        for (const subnet of list(group.inputs.subnetIds).map(str)) {
            const tables = new Set(associations.filter((a) => str(a.inputs.subnetId) === subnet).map((a) => str(a.inputs.routeTableId)));
            const found = natRoutes.filter((r) => tables.has(str(r.inputs.routeTableId)));
            routes.push(...found);
            if (found.length === 0) without.push(subnet);
        }
        if (without.length === 0) return { required: routes };
        const endpoints = this.ofType(Types.VpcEndpoint).filter((e) => e.inputs.vpcEndpointType === "Interface" && str(e.inputs.serviceName).includes(".ecr."));
        return endpoints.length > 0 ? { required: [...routes, ...endpoints] }
            : { required: [], problem: `it has nodes, and its subnet(s) ${without.join(", ")} have no default route to a NAT gateway and the VPC no ECR interface endpoint` };
    }

    /** Add-ons that run as Deployments need the cluster's node groups; the DaemonSet ones (CNI, kube-proxy) do not. */
    private addonNodes(addon: PlannedResource): GateDemand {
        if (!WORKLOAD_ADDONS.includes(str(addon.inputs.addonName))) return { required: [] };
        const nodes = this.nodeGroupsOf(str(addon.inputs.clusterName));
        return nodes.length > 0 ? { required: nodes } : { required: [], problem: `${str(addon.inputs.addonName)} runs pods, but its cluster has no node group` };
    }

    private controlPlaneLogGroup(cluster: PlannedResource): GateDemand {
        if (list(cluster.inputs.enabledClusterLogTypes).length === 0) return { required: [] };
        const name = `/aws/eks/${this.clusterName(cluster)}/cluster`;
        const groups = this.ofType(Types.LogGroup).filter((r) => str(r.inputs.name) === name);
        return groups.length > 0 ? { required: groups } : { required: [], problem: `${cluster.name} logs its control plane, but the plan creates no ${name} log group for it` };
    }

    private kubernetesCluster(resource: PlannedResource): GateDemand {
        if (!resource.options.provider) {
            return { required: [], problem: "has no explicit Kubernetes provider, so it would go to whatever cluster the ambient kubeconfig names" };
        }
        const cluster = this.clusterOf(resource);
        return cluster ? { required: [cluster] } : { required: [], problem: "its provider depends on no EKS or AKS cluster of the plan" };
    }

    /** Cluster-relative gates need the cluster; without one the kubernetes-cluster gate reports it. */
    private onCluster(resource: PlannedResource, demand: (cluster: PlannedResource) => GateDemand): GateDemand {
        const cluster = this.clusterOf(resource);
        return cluster ? demand(cluster) : { required: [] };
    }

    private apiReachable(cluster: PlannedResource): GateDemand {
        if (cluster.type === Types.EksCluster) {
            const vpc = get(cluster.inputs, "vpcConfig");
            const ranges = list(get(vpc, "publicAccessCidrs"));
            const problem = get(vpc, "endpointPublicAccess") !== true || ranges.length === 0
                ? `${cluster.name} has only a private API endpoint, which a deployer outside the network cannot reach: set ${DEPLOYER_RANGES_KEY} to the deployer's egress ranges`
                : undefined;
            // The endpoint's access rules: ingress rules on the groups EKS puts on the API's network interfaces.
            const groups = new Set([str(get(cluster.outputs, "vpcConfig", "clusterSecurityGroupId")), ...list(get(vpc, "securityGroupIds")).map(str)]);
            groups.delete("");
            const rules = this.ofType(Types.IngressRule).filter((r) => groups.has(str(r.inputs.securityGroupId)) && Number(r.inputs.toPort) >= 443 && Number(r.inputs.fromPort) <= 443);
            return { required: rules, problem };
        }
        const profile = get(cluster.inputs, "apiServerAccessProfile");
        const ranges = list(get(profile, "authorizedIPRanges"));
        const problem = get(profile, "enablePrivateCluster") === true || ranges.length === 0
            ? `${cluster.name} ${get(profile, "enablePrivateCluster") === true ? "is a private cluster" : "authorizes no ranges"}, which a deployer outside the network cannot reach: set ${DEPLOYER_RANGES_KEY} to the deployer's egress ranges`
            : undefined;
        return { required: [], problem };
    }

    private apiIdentity(cluster: PlannedResource): GateDemand {
        if (cluster.type === Types.EksCluster) {
            const name = this.clusterName(cluster);
            const grants = [...this.ofType(Types.AccessEntry), ...this.ofType(Types.AccessPolicyAssociation)].filter((r) => str(r.inputs.clusterName) === name);
            const associations = grants.filter((r) => r.type === Types.AccessPolicyAssociation);
            return associations.length > 0 ? { required: grants } : {
                required: grants,
                problem: `no access policy association grants anyone Kubernetes permissions on ${cluster.name}: the creator's bootstrap admin covers only the identity that happened to create it`,
            };
        }
        const id = cluster.id.toLowerCase();
        const grants = this.ofType(Types.RoleAssignment).filter((r) =>
            AKS_DATA_PLANE_ROLES.some((role) => str(r.inputs.roleDefinitionId).toLowerCase().endsWith(`/${role}`))
            && id.startsWith(str(r.inputs.scope).toLowerCase()) && str(r.inputs.scope) !== "");
        return grants.length > 0 ? { required: grants } : {
            required: [], problem: `no Azure RBAC for Kubernetes role is assigned on ${cluster.name}; with Azure RBAC an Owner has no data-plane rights`,
        };
    }

    private schedulableNodes(cluster: PlannedResource): GateDemand {
        const name = this.clusterName(cluster);
        const pools = cluster.type === Types.EksCluster
            ? this.nodeGroupsOf(name)
            : this.ofType(Types.AgentPool).filter((r) => str(r.inputs.resourceName) === name && r.inputs.mode !== "System");
        return pools.length > 0 ? { required: pools } : { required: [], problem: `${cluster.name} has no node group that takes ordinary pods` };
    }

    private clusterDns(cluster: PlannedResource): GateDemand {
        // AKS runs CoreDNS on the system pools the ManagedCluster itself creates.
        if (cluster.type !== Types.EksCluster) return { required: [cluster] };
        const name = this.clusterName(cluster);
        const dns = this.addonsOf(name, ["coredns"]);
        return dns.length > 0 ? { required: dns } : { required: [], problem: `${cluster.name} has no CoreDNS add-on` };
    }

    private releasesOn(cluster: PlannedResource): PlannedResource[] {
        return this.ofType(Types.HelmRelease).filter((r) => this.clusterOf(r)?.urn === cluster.urn);
    }

    private ingressController(ingress: PlannedResource, cluster: PlannedResource): GateDemand {
        const className = str(get(ingress.inputs, "spec", "ingressClassName"));
        const controller = INGRESS_CONTROLLERS[className];
        if (!controller) return { required: [], problem: `its ingress class "${className}" has no known controller` };
        if (controller.chart) {
            const releases = this.releasesOn(cluster).filter((r) => r.inputs.chart === controller.chart);
            if (releases.length === 0) return { required: [], problem: `no ${controller.chart} chart is installed on ${cluster.name}` };
            // The controller's pods remove the finalizer; with every node group at zero they have nowhere to run, so a
            // destroy from this state would wait on it. Protected, a destroy with a preview is refused before it deletes anything (a --skip-preview one is not, pulumi/pulumi#18396).
            const groups = this.nodeGroupsOf(this.clusterName(cluster));
            const nodes = groups.reduce((n, g) => n + Number(get(g.inputs, "scalingConfig", "desiredSize") ?? 0), 0);
            if (groups.length > 0 && nodes === 0 && !ingress.options.protect) {
                return { required: [], problem: `no node group of ${cluster.name} has nodes for the ${controller.chart} pods that remove its finalizer on delete, and it is not protect-ed (a protected resource's delete is refused in the destroy's preview, pulumi/pulumi#8158)` };
            }
            return { required: releases };
        }
        const enabled = get(cluster.inputs, "ingressProfile", controller.managedClusterAddon!, "enabled") === true;
        return enabled ? { required: [cluster] } : { required: [], problem: `${cluster.name} does not enable ${controller.managedClusterAddon}` };
    }

    private admissionWebhooks(resource: PlannedResource, cluster: PlannedResource): GateDemand {
        const webhooks = this.releasesOn(cluster).filter((r) =>
            WEBHOOK_CHARTS[str(r.inputs.chart)] !== undefined && r.urn !== resource.urn && !this.graph.dependsOn(r.urn, resource.urn));
        return { required: webhooks };
    }

    private rolePermissions(resource: PlannedResource): GateDemand {
        const arn = str(resource.inputs.roleArn) || str(resource.inputs.nodeRoleArn) || str(resource.inputs.serviceAccountRoleArn);
        const role = arn ? this.ofType(Types.Role).find((r) => str(r.outputs.arn) === arn) : undefined;
        if (!role) return { required: [] };
        const names = new Set([role.id, str(role.outputs.name), str(role.inputs.name)].filter((n) => n !== ""));
        const policies = [...this.ofType(Types.RolePolicyAttachment), ...this.ofType(Types.RolePolicy)].filter((p) => names.has(str(p.inputs.role)));
        return { required: policies };
    }

    /** The private endpoints whose connections target the resource with this id. */
    private endpointsTo(id: string): PlannedResource[] {
        return this.ofType(Types.PrivateEndpoint).filter((e) => id !== "" && list(e.inputs.privateLinkServiceConnections).some((c) => str(get(c, "privateLinkServiceId")) === id));
    }

    /** What is written on the endpoint's target through its control plane: its databases and collections. */
    private storeWrites(endpoint: PlannedResource): GateDemand {
        const ids = new Set(list(endpoint.inputs.privateLinkServiceConnections).map((c) => str(get(c, "privateLinkServiceId"))));
        const targets = this.graph.ordered().filter((r) => r.custom && ids.has(r.id)).map((r) => r.urn);
        const writes = STORE_CHILD_TYPES.flatMap((t) => this.ofType(t)).filter((r) => targets.some((u) => r.dependencies.includes(u)));
        return { required: writes };
    }

    private serialSiblings(resource: PlannedResource): GateDemand {
        const key = (r: PlannedResource) => (r.type === Types.AgentPool
            ? `${str(r.inputs.resourceGroupName)}/${str(r.inputs.resourceName)}`
            : `${str(r.inputs.resourceGroupName)}/${str(r.inputs.virtualNetworkName)}`);
        const mine = key(resource);
        return { required: [], orderedWith: this.ofType(resource.type).filter((r) => r.urn !== resource.urn && key(r) === mine) };
    }

    private vnetSubnets(resource: PlannedResource): GateDemand {
        const joined = [str(resource.inputs.vnetSubnetID), ...list(resource.inputs.agentPoolProfiles).map((p) => str(get(p, "vnetSubnetID")))]
            .filter((id) => id !== "");
        const vnets = new Set(joined.map((id) => id.toLowerCase().replace(/\/subnets\/[^/]+$/, "")));
        const subnets = this.ofType(Types.AzureSubnet).filter((s) => vnets.has(s.id.toLowerCase().replace(/\/subnets\/[^/]+$/, "")));
        return { required: subnets };
    }

    private clusterIdentityRights(cluster: PlannedResource): GateDemand {
        const ids = Object.keys(get(cluster.inputs, "identity", "userAssignedIdentities") as Input ?? {})
            .concat(list(get(cluster.inputs, "identity", "userAssignedIdentities")).map(str));
        const identities = this.ofType(Types.Identity).filter((i) => ids.includes(i.id));
        const principals = new Set(identities.map((i) => str(i.outputs.principalId)).filter((p) => p !== ""));
        return { required: this.ofType(Types.RoleAssignment).filter((a) => principals.has(str(a.inputs.principalId))) };
    }

    private internetGateway(nat: PlannedResource): GateDemand {
        if (nat.inputs.connectivityType === "private") return { required: [] };
        const subnet = this.ofType(Types.AwsSubnet).find((s) => s.id === str(nat.inputs.subnetId));
        const vpc = str(subnet?.inputs.vpcId);
        const gateways = this.ofType(Types.InternetGateway).filter((g) => str(g.inputs.vpcId) === vpc && vpc !== "");
        return gateways.length > 0 ? { required: gateways } : { required: [], problem: "its VPC has no internet gateway in the plan" };
    }

    private nodeEgressAuthorized(cluster: PlannedResource): GateDemand {
        const profile = get(cluster.inputs, "apiServerAccessProfile");
        const ranges = list(get(profile, "authorizedIPRanges")).map(str);
        if (get(profile, "enablePrivateCluster") === true || ranges.length === 0) return { required: [] };
        const name = this.clusterName(cluster);
        const joined = new Set([
            ...list(cluster.inputs.agentPoolProfiles).map((p) => str(get(p, "vnetSubnetID"))),
            ...this.ofType(Types.AgentPool).filter((p) => str(p.inputs.resourceName) === name).map((p) => str(p.inputs.vnetSubnetID)),
        ].filter((id) => id !== ""));
        const natIds = new Set(this.ofType(Types.AzureSubnet).filter((s) => joined.has(s.id)).map((s) => str(get(s.inputs, "natGateway", "id"))));
        const ipIds = new Set(this.ofType(Types.NatGateway).filter((n) => natIds.has(n.id))
            .flatMap((n) => list(n.inputs.publicIpAddresses).map((ip) => str(get(ip, "id")))));
        const addresses = this.ofType(Types.PublicIp).filter((ip) => ipIds.has(ip.id));
        const missing = addresses.map((ip) => str(ip.outputs.ipAddress)).filter((a) => a !== "" && !ranges.some((r) => cidrContains(r, a)));
        return {
            required: addresses,
            problem: missing.length > 0 ? `${cluster.name} authorizes ${ranges.join(", ")} but not its nodes' NAT addresses ${missing.join(", ")}` : undefined,
        };
    }

    /**
     * One enabled origin of the route's group is enough: the origins the route waits for, when it waits for one;
     * otherwise every candidate is reported missing (any of them would do). None at all cannot be met.
     */
    private originInGroup(route: PlannedResource): GateDemand {
        const groupId = str(get(route.inputs, "originGroup", "id"));
        const group = this.ofType(Types.AfdOriginGroup).find((g) => g.id === groupId || str(g.outputs.id) === groupId);
        const names = group ? [str(group.outputs.name), str(group.inputs.originGroupName)].filter((n) => n !== "") : [];
        const origins = this.ofType(Types.AfdOrigin)
            .filter((o) => names.includes(str(o.inputs.originGroupName)) && str(o.inputs.enabledState) !== "Disabled");
        if (origins.length === 0) return { required: [], problem: `${route.name}: its origin group has no enabled origin in the plan, and Front Door refuses the route until it has one` };
        const awaited = origins.filter((o) => this.graph.dependsOn(route.urn, o.urn));
        return { required: awaited.length > 0 ? awaited : origins };
    }

    /** An Ingress whose ALB certificate is one the plan requests needs that certificate's validation, which waits for its issue. */
    /**
     * A route through a peering of the plan: its accepter. A request to another region or account without an
     * accepter in the plan is never active, so the route cannot be made (a same-region `autoAccept` request is).
     */
    private peeringActive(route: PlannedResource): GateDemand {
        const id = str(route.inputs.vpcPeeringConnectionId);
        if (id === "") return { required: [] };
        const accepters = this.ofType(Types.PeeringAccepter).filter((a) => a.id === id || str(a.inputs.vpcPeeringConnectionId) === id);
        const request = this.ofType(Types.PeeringConnection).find((p) => p.id === id);
        if (request && accepters.length === 0 && request.inputs.autoAccept !== true) {
            return { required: [], problem: `${route.name}: its peering ${request.name} has no VpcPeeringConnectionAccepter in the plan, so it never becomes active` };
        }
        return { required: accepters };
    }

    private certificateIssued(ingress: PlannedResource): GateDemand {
        const arn = str(get(ingress.inputs, "metadata", "annotations", "alb.ingress.kubernetes.io/certificate-arn"));
        if (arn === "") return { required: [] };
        const certificate = this.ofType(Types.AcmCertificate).find((c) => str(c.outputs.arn) === arn || c.id === arn);
        const validations = this.ofType(Types.CertificateValidation).filter((v) => str(v.outputs.certificateArn) === arn || str(v.inputs.certificateArn) === arn);
        if (certificate && validations.length === 0) {
            return { required: [], problem: `${ingress.name}: its certificate ${certificate.name} has no CertificateValidation in the plan to wait for its issue` };
        }
        return { required: validations };
    }

    private secretValues(association: PlannedResource): GateDemand {
        const listed = new Set(list(association.inputs.secretArnLists).map(str));
        // A version names its secret by id or ARN; the association lists ARNs.
        const secrets = this.ofType(Types.Secret).filter((s) => listed.has(str(s.outputs.arn)) || listed.has(s.id));
        const names = new Set([...listed, ...secrets.flatMap((s) => [s.id, str(s.outputs.arn)])]);
        return { required: this.ofType(Types.SecretVersion).filter((v) => names.has(str(v.inputs.secretId))) };
    }
}

/** True when the IPv4 `address` lies in `cidr` (a bare address counts as /32). */
export function cidrContains(cidr: string, address: string): boolean {
    const toInt = (a: string) => a.split(".").reduce((n, part) => n * 256 + Number(part), 0);
    const [base, bits] = cidr.includes("/") ? [cidr.split("/")[0], Number(cidr.split("/")[1])] : [cidr, 32];
    const size = 2 ** (32 - bits);
    return Math.floor(toInt(address) / size) === Math.floor(toInt(base) / size);
}
