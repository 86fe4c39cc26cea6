/**
 * The deployability rules, as data: for every resource type the stacks create,
 * what must exist before the cloud accepts it (creation readiness) and what
 * must still exist while it is deleted (destroy order). The engine creates a
 * resource after its dependencies and deletes it before them, so both come to
 * one requirement on the plan graph: every gate must be among the resource's
 * transitive dependencies. How each gate is found is in `gates.ts`.
 *
 * A type with nothing to wait for still has an entry (`needs: []`) with the
 * reason, so a new type is a decision, not an oversight: the analysis reports
 * any type this table does not know.
 */

/** The gates a rule can name; each is resolved per resource by `gates.ts`. */
export const Gate = {
    /** The Kubernetes cluster (EKS or AKS) the object's provider deploys to. */
    KubernetesCluster: "kubernetes-cluster",
    /** A network path from the deployer to the API server: a public endpoint limited to declared ranges, and the endpoint's access rules. */
    ApiReachable: "api-reachable",
    /** The deployer's Kubernetes authorisation: EKS access entries and policies, or the AKS Azure RBAC role assignment. */
    ApiIdentity: "api-identity",
    /** Worker nodes that take ordinary pods: EKS managed node groups, AKS user pools. */
    SchedulableNodes: "schedulable-nodes",
    /** Cluster DNS, so pods resolve services and data stores (EKS CoreDNS add-on; AKS runs it on the system pools). */
    ClusterDns: "cluster-dns",
    /** The controller that serves the Ingress's class. */
    IngressController: "ingress-controller",
    /** Charts that register admission webhooks with failure policy Fail on the same cluster. */
    AdmissionWebhooks: "admission-webhooks",
    /** The IAM policies of the role a service assumes. */
    RolePermissions: "role-permissions",
    /** Siblings whose operations the cloud serialises on a shared parent: they must be ordered one after another. */
    SerialSiblings: "serial-siblings",
    /** Every subnet of the virtual network the resource joins, so the network is not being written while it starts. */
    VnetSubnets: "vnet-subnets",
    /** The role assignments that let the cluster's own identity join its subnets. */
    ClusterIdentityRights: "cluster-identity-rights",
    /** The internet gateway of the VPC a public NAT gateway is in. */
    InternetGateway: "internet-gateway",
    /** AKS with authorized IP ranges: the public addresses its nodes leave from must be among them. */
    NodeEgressAuthorized: "node-egress-authorized",
    /** The secret versions (values) of the secrets an association links. */
    SecretValues: "secret-values",
    /** The private endpoints connected to a locked scope: the lock is deleted before them. */
    LockedEndpoints: "locked-endpoints",
    /** The databases and collections written on a private endpoint's target (a Cosmos DB account, a Redis cluster). */
    StoreWrites: "store-writes",
    /** EKS add-ons that run as Deployments (CoreDNS, metrics-server): the node groups of their cluster. */
    AddonNodes: "add-on-nodes",
    /** EKS node groups: the cluster's VPC CNI add-on, which gives nodes their pod network. */
    NodeNetworking: "node-networking",
    /** EKS node groups with nodes: a way out of their subnets (a default route to a NAT gateway, or ECR interface endpoints). */
    NodeEgress: "node-egress",
    /** An EKS cluster with control-plane logs: the log group EKS would otherwise create itself. */
    ControlPlaneLogGroup: "control-plane-log-group",
    /** An Azure Front Door route: an enabled origin in the origin group it forwards to. */
    OriginInGroup: "origin-in-group",
    /** An ALB Ingress naming an ACM certificate of the plan: that certificate's validation, so it is issued first. */
    CertificateIssued: "certificate-issued",
    /** A route through a VPC peering: the accepter of that peering, which makes the connection active. */
    PeeringActive: "peering-active",
} as const;
export type Gate = (typeof Gate)[keyof typeof Gate];

/** One thing a resource needs, why, and where that is documented. */
export interface Need {
    readonly gate: Gate;
    /** Why it is needed on create. */
    readonly create: string;
    /** Why it must outlive the resource while it is deleted; absent when only creation needs it. */
    readonly destroy?: string;
    /** A doc URL or `owner/repo#issue`. */
    readonly source: string;
}

/** The rule of one resource type. */
export interface TypeRule {
    readonly needs: readonly Need[];
    /** For `needs: []`: why the type waits for nothing beyond the references it already holds. */
    readonly none?: string;
}

/** Pulumi's own source for the ordering model every rule relies on. */
export const ORDERING_SOURCE = "https://www.pulumi.com/docs/iac/concepts/options/dependson/";

const API_REACHABLE: Need = {
    gate: Gate.ApiReachable,
    create: "every Kubernetes call of a first up comes from the deployer outside the network: the API needs a public endpoint limited to the deployer's declared ranges, and the endpoint's access rules must exist",
    destroy: "deleting the object is a call to the API server too",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html; https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
};
const API_IDENTITY: Need = {
    gate: Gate.ApiIdentity,
    create: "the deployer needs Kubernetes permissions: EKS grants them only through access entries (the creator's bootstrap admin covers no one else); with AKS Azure RBAC an Owner has no data-plane rights and assignments take minutes to propagate",
    destroy: "without the grant the delete is refused (401/403) and the object stays",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html; https://learn.microsoft.com/azure/aks/manage-azure-rbac",
};
const CLUSTER: Need = {
    gate: Gate.KubernetesCluster,
    create: "the object is created in the cluster its provider points at",
    destroy: "the cluster must exist to delete the object from it",
    source: ORDERING_SOURCE,
};
const WEBHOOKS: Need = {
    gate: Gate.AdmissionWebhooks,
    create: "the AWS Load Balancer Controller registers a Service/Pod mutating webhook with failure policy Fail: until its pods are ready the API server rejects what the webhook matches, and an atomic chart install rolls back",
    source: "kubernetes-sigs/aws-load-balancer-controller#4140",
};
const NODES_FOR_PODS: Need = {
    gate: Gate.SchedulableNodes,
    create: "its pods stay Pending without untainted workers, and the provider waits for them to become ready (10 minutes by default)",
    destroy: "pods are drained and terminated on the nodes; deleted nodes first leave pods terminating and the delete waiting",
    source: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/",
};
const DNS_FOR_PODS: Need = {
    gate: Gate.ClusterDns,
    create: "its containers resolve services and data stores through cluster DNS before they report ready",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
};

/** Every Kubernetes object: a reachable API, an authorised deployer, its cluster, and the admission webhooks before it. */
const KUBERNETES_OBJECT: readonly Need[] = [CLUSTER, API_REACHABLE, API_IDENTITY, WEBHOOKS];

const noNeeds = (why: string): TypeRule => ({ needs: [], none: why });
const API_ONLY = "an API object whose references (ids, ARNs, names) already order it after what it names";

/** The rules, by type token. */
export const RULES: Readonly<Record<string, TypeRule>> = {
    // Kubernetes objects.
    "kubernetes:apps/v1:Deployment": { needs: [...KUBERNETES_OBJECT, NODES_FOR_PODS, DNS_FOR_PODS] },
    "kubernetes:networking.k8s.io/v1:Ingress": {
        needs: [...KUBERNETES_OBJECT, {
            gate: Gate.IngressController,
            create: "the controller of the Ingress's class gives it its address; the provider waits 10 minutes for one",
            destroy: "the AWS controller's finalizer ingress.k8s.aws/resources holds the Ingress until the controller has deleted the ALB and its security groups; without the controller the delete hangs, the ALB leaks and the VPC delete fails",
            source: "kubernetes-sigs/aws-load-balancer-controller#1629; pulumi/pulumi-kubernetes#1812",
        }, {
            gate: Gate.CertificateIssued,
            create: "the controller makes the HTTPS listener with the certificate the Ingress names, and an ALB takes no ACM certificate still pending validation: an Ingress naming a certificate of the plan must come after that certificate's CertificateValidation, which waits until ACM has issued it",
            source: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html (and the provider's internal/service/acm/certificate_validation.go)",
        }],
    },
    "aws:acm/certificate:Certificate": noNeeds("requested at once; ACM issues it later, once its DNS validation record resolves (its CertificateValidation waits for that)"),
    "aws:acm/certificateValidation:CertificateValidation": noNeeds("creates nothing: waits until ACM has issued the certificate it names (75 min at most, the provider's create timeout) after the validation record it names exists; its delete does nothing"),
    "kubernetes:helm.sh/v3:Release": {
        needs: [...KUBERNETES_OBJECT, {
            ...NODES_FOR_PODS,
            create: "an atomic install waits for the chart's pods to become ready and rolls back otherwise",
            source: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/",
        }, DNS_FOR_PODS],
    },
    "kubernetes:core/v1:Namespace": { needs: KUBERNETES_OBJECT },
    "kubernetes:core/v1:Secret": { needs: KUBERNETES_OBJECT },
    "kubernetes:core/v1:Service": { needs: KUBERNETES_OBJECT },
    "kubernetes:core/v1:ServiceAccount": { needs: KUBERNETES_OBJECT },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": { needs: KUBERNETES_OBJECT },
    "kubernetes:policy/v1:PodDisruptionBudget": { needs: KUBERNETES_OBJECT },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { needs: KUBERNETES_OBJECT },
    "kubernetes:security.istio.io/v1:PeerAuthentication": { needs: KUBERNETES_OBJECT },
    "pulumi:providers:aws": noNeeds("a regional stamp's provider holds only its region; it calls AWS when a resource uses it, and the engine deletes its resources before it"),
    "pulumi:providers:azure-native": noNeeds("a regional stamp's provider holds only its location; it calls ARM when a resource uses it, and the engine deletes its resources before it"),
    "pulumi:providers:kubernetes": noNeeds("a provider connects only when an object uses it; the objects carry the gates, and the engine deletes them before the provider"),

    // AWS: Kubernetes.
    "aws:eks/cluster:Cluster": {
        needs: [{
            gate: Gate.RolePermissions,
            create: "EKS assumes the cluster role to create the control plane's network interfaces",
            destroy: "EKS needs the role's permissions to delete the security groups and interfaces it created",
            source: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster",
        }, {
            gate: Gate.ControlPlaneLogGroup,
            create: "with control-plane logging on, EKS creates /aws/eks/<cluster>/cluster itself (no retention, no key) unless it exists, and creating the group afterwards fails with ResourceAlreadyExistsException",
            source: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        }],
    },
    "aws:eks/nodeGroup:NodeGroup": {
        needs: [{
            gate: Gate.RolePermissions,
            create: "nodes join the cluster with the node role's policies (worker, CNI, ECR read)",
            destroy: "EKS needs the node role's permissions to terminate the instances and delete their network interfaces",
            source: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_node_group",
        }, {
            gate: Gate.NodeNetworking,
            create: "nodes report Ready only once the VPC CNI runs on them; managed with its own role, the add-on must be configured before the nodes start",
            destroy: "the CNI releases the pod addresses and network interfaces of the nodes being terminated",
            source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html",
        }, {
            gate: Gate.NodeEgress,
            create: "nodes in private subnets pull the VPC CNI, kube-proxy and workload images and reach the EKS API, STS and EC2 only through a NAT route or interface endpoints; without either they never become Ready and the group's create or scale-up times out (a group at zero nodes needs neither)",
            source: "https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html",
        }],
    },
    "aws:eks/addon:Addon": {
        needs: [{
            gate: Gate.RolePermissions,
            create: "an add-on with a service-account role (the VPC CNI) needs its policy before its pods start, or nodes never become Ready",
            destroy: "the add-on releases the network interfaces it owns with those permissions",
            source: "https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html",
        }, {
            gate: Gate.AddonNodes,
            create: "CoreDNS and metrics-server are Deployments: created before any node they cannot schedule, the add-on stays DEGRADED and its create times out",
            destroy: "their pods are drained from the nodes; nodes deleted first leave the add-on's delete waiting",
            source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
        }],
    },
    "aws:eks/accessEntry:AccessEntry": noNeeds(API_ONLY),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": noNeeds("an EKS API call naming the cluster and the access entry's principal, which it references"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": noNeeds(API_ONLY),

    // AWS: network.
    "aws:ec2/vpc:Vpc": noNeeds("the root of the network"),
    "aws:ec2/subnet:Subnet": noNeeds(API_ONLY),
    "aws:ec2/internetGateway:InternetGateway": noNeeds(API_ONLY),
    "aws:ec2/eip:Eip": noNeeds("an address allocated to the VPC domain, associated later by the NAT gateway that references it"),
    "aws:ec2/natGateway:NatGateway": {
        needs: [{
            gate: Gate.InternetGateway,
            create: "a public NAT gateway routes through the VPC's internet gateway, which must be attached first",
            destroy: "the gateway releases its public address through the internet gateway",
            source: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/nat_gateway",
        }],
    },
    "aws:ec2/route:Route": {
        needs: [{
            gate: Gate.PeeringActive,
            create: "a route through a VPC peering carries traffic only once the connection is active: AWS accepts a route to a connection still pending-acceptance but keeps it a blackhole until then, and an inter-region request stays pending until its accepter (the VpcPeeringConnectionAccepter in the other region) accepts it",
            destroy: "the route goes before the connection it names: the requester's delete removes the connection (the accepter's delete only forgets it)",
            source: "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html; hashicorp/terraform-provider-aws internal/service/ec2/vpc_peering_connection_accepter.go",
        }],
    },
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": noNeeds("a request naming both VPCs, which it references; it waits in pending-acceptance for its accepter"),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": noNeeds("accepts the request it references, in the peer VPC's region; its delete does nothing"),
    "aws:ec2/routeTable:RouteTable": noNeeds(API_ONLY),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": noNeeds(API_ONLY),
    "aws:ec2/securityGroup:SecurityGroup": noNeeds(API_ONLY),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": noNeeds("adopts the VPC's default group, which exists with the VPC"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": noNeeds(API_ONLY),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": noNeeds(API_ONLY),
    "aws:ec2/vpcEndpoint:VpcEndpoint": noNeeds(API_ONLY),
    "aws:ec2/flowLog:FlowLog": noNeeds("created against the log group and role it references; delivery errors do not fail creation"),
    "aws:ec2/launchTemplate:LaunchTemplate": noNeeds("a stored document; nothing is launched from it until a group references it"),
    "aws:autoscaling/group:Group": noNeeds("launches from the launch template and instance profile it references"),

    // AWS: identity, keys, logs, secrets.
    "aws:iam/role:Role": noNeeds(API_ONLY),
    "aws:iam/policy:Policy": noNeeds(API_ONLY),
    "aws:iam/rolePolicy:RolePolicy": noNeeds(API_ONLY),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": noNeeds(API_ONLY),
    "aws:iam/instanceProfile:InstanceProfile": noNeeds(API_ONLY),
    "aws:kms/key:Key": noNeeds("a key with its own policy; the services that use it reference its ARN"),
    "aws:cloudwatch/logGroup:LogGroup": noNeeds(API_ONLY),
    "aws:secretsmanager/secret:Secret": noNeeds(API_ONLY),
    "aws:secretsmanager/secretVersion:SecretVersion": noNeeds(API_ONLY),
    "aws:secretsmanager/secretPolicy:SecretPolicy": noNeeds(API_ONLY),

    // AWS: data stores.
    "aws:docdb/cluster:Cluster": noNeeds("waits for the subnet group, parameter group and key it references"),
    "aws:docdb/clusterInstance:ClusterInstance": noNeeds("references its cluster"),
    "aws:docdb/globalCluster:GlobalCluster": noNeeds("references its source cluster and waits for its instances; each secondary references it"),
    "aws:docdb/clusterParameterGroup:ClusterParameterGroup": noNeeds(API_ONLY),
    "aws:docdb/subnetGroup:SubnetGroup": noNeeds(API_ONLY),
    "aws:elasticache/replicationGroup:ReplicationGroup": noNeeds("waits for the subnet group, security group and key it references"),
    "aws:elasticache/subnetGroup:SubnetGroup": noNeeds(API_ONLY),
    "aws:msk/cluster:Cluster": noNeeds("waits for the configuration, subnets, security group and key it references"),
    "aws:msk/configuration:Configuration": noNeeds(API_ONLY),
    "aws:msk/topic:Topic": noNeeds("references its cluster, which MSK makes ACTIVE before the create returns"),
    "aws:msk/scramSecretAssociation:ScramSecretAssociation": {
        needs: [{
            gate: Gate.SecretValues,
            create: "MSK reads the username and password from each secret when it is associated: a secret without a value is rejected",
            source: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_scram_secret_association",
        }],
    },
    "aws:appautoscaling/target:Target": noNeeds("references the resource it scales"),
    "aws:appautoscaling/policy:Policy": noNeeds("references its scalable target"),

    // Azure: Kubernetes.
    "azure-native:containerservice:ManagedCluster": {
        needs: [{
            gate: Gate.VnetSubnets,
            create: "AKS writes to the virtual network it joins; while a subnet of it is still being written the VNet is Updating and the cluster create fails",
            source: "Azure/AKS#4522",
        }, {
            gate: Gate.NodeEgressAuthorized,
            create: "with authorized IP ranges the API server admits only them, nodes included: nodes leaving through a NAT gateway whose address is not authorized never join, and the cluster create fails",
            source: "MicrosoftDocs/azure-docs#97437; MicrosoftDocs/azure-docs#111834",
        }, {
            gate: Gate.ClusterIdentityRights,
            create: "a cluster with its own identity needs Network Contributor on its subnets before it joins nodes and load balancers to them",
            destroy: "AKS removes its load balancers and interfaces from the subnets with the same rights",
            source: "https://learn.microsoft.com/azure/aks/use-managed-identity",
        }],
    },
    "azure-native:containerservice:AgentPool": {
        needs: [{
            gate: Gate.SerialSiblings,
            create: "AKS runs one agent pool operation per cluster at a time: concurrent pool creates fail with OperationNotAllowed (Another agentpool operation is in progress)",
            destroy: "pool deletes serialise the same way",
            source: "Azure/AKS#1913",
        }, {
            gate: Gate.VnetSubnets,
            create: "a pool joins a subnet of the VNet, which must not be Updating",
            source: "Azure/AKS#4522",
        }],
    },
    "azure-native:managedidentity:UserAssignedIdentity": noNeeds(API_ONLY),
    "azure-native:authorization:RoleAssignment": noNeeds("references its principal and scope; readers of the grant wait for the assignment (see api-identity)"),
    "azure-native:authorization:ManagementLockByScope": {
        needs: [{
            gate: Gate.LockedEndpoints,
            create: "the lock is the last control-plane write on its scope, after the endpoints that write connections on it",
            destroy: "deleting a private endpoint deletes its privateEndpointConnectionProxies child on the locked scope, which a CanNotDelete lock refuses (ScopeLocked): the lock must go first",
            source: "hashicorp/terraform-provider-azurerm#17478",
        }],
    },

    // Azure: network.
    "azure-native:resources:ResourceGroup": noNeeds("the root of a deployment"),
    "azure-native:network:VirtualNetwork": noNeeds(API_ONLY),
    "azure-native:network:Subnet": {
        needs: [{
            gate: Gate.SerialSiblings,
            create: "subnet writes on one VNet serialise: a concurrent write fails with AnotherOperationInProgress",
            destroy: "subnet deletes on one VNet serialise the same way",
            source: "hashicorp/terraform-provider-azurerm#3780; Azure/terraform-provider-azapi#503",
        }],
    },
    "azure-native:network:NetworkSecurityGroup": noNeeds(API_ONLY),
    "azure-native:network:NatGateway": noNeeds("references its public addresses"),
    "azure-native:network:PublicIPAddress": noNeeds(API_ONLY),
    "azure-native:network:BastionHost": noNeeds("references its subnet and public address"),
    "azure-native:network:PrivateEndpoint": {
        needs: [{
            gate: Gate.StoreWrites,
            create: "the endpoint writes a private endpoint connection on its target, and Cosmos DB runs one control-plane operation per account at a time (PreconditionFailed: another user operation in progress requires an exclusive lock)",
            source: "hashicorp/terraform-provider-azurerm#15842",
        }],
    },
    "azure-native:network:PrivateDnsZoneGroup": noNeeds("references its private endpoint and zone"),
    "azure-native:privatedns:PrivateZone": noNeeds(API_ONLY),
    "azure-native:privatedns:VirtualNetworkLink": noNeeds("references its zone and virtual network"),

    // Azure: data stores.
    "azure-native:cosmosdb:DatabaseAccount": noNeeds("public access disabled; reached only through the private endpoint that references it"),
    "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase": noNeeds("references its account"),
    "azure-native:cosmosdb:MongoDBResourceMongoDBCollection": noNeeds("references its database"),
    "azure-native:eventhub:Namespace": noNeeds(API_ONLY),
    "azure-native:eventhub:EventHub": noNeeds("references its namespace"),
    "azure-native:eventhub:NamespaceAuthorizationRule": noNeeds("references its namespace"),
    "azure-native:redisenterprise:RedisEnterprise": noNeeds(API_ONLY),
    "azure-native:redisenterprise:Database": noNeeds("references its cluster"),

    // Azure: the global entry.
    "azure-native:cdn:Route": {
        needs: [{
            gate: Gate.OriginInGroup,
            create: "Front Door refuses a route whose origin group has no enabled origin yet (\"Please make sure that the originGroup is created successfully and at least one enabled origin is created under the origin group\"); one origin is enough, any other may come later",
            source: "Azure/bicep#12276; Azure/azure-quickstart-templates#8981",
        }],
    },

    // Engine-side.
    "pulumi:pulumi:StackReference": noNeeds("reads a stack's outputs from the backend; nothing is created in a cloud"),

    // Generated locally.
    "random:index/randomPassword:RandomPassword": noNeeds("generated by the engine, no cloud call"),
    "random:index/randomString:RandomString": noNeeds("generated by the engine, no cloud call"),
};

/**
 * Types of the edge that the stacks create only with some settings (forward cache, mesh), known
 * here so enabling them is covered too; everything is an API object ordered by its references.
 */
const EDGE_TYPES = [
    "aws:cloudfront/distribution:Distribution",
    "azure-native:cdn:Profile", "azure-native:cdn:AFDEndpoint", "azure-native:cdn:AFDOriginGroup", "azure-native:cdn:AFDOrigin",
    "azure-native:cdn:RuleSet", "azure-native:cdn:Rule",
    // The global entry's: a custom domain is created at once, its managed certificate issued once the domain's
    // owner has created the TXT record (learn.microsoft.com/azure/frontdoor/domain#domain-validation); Route 53
    // records reference their alias target's name and their health check's id; a health check names the ALB it
    // requests, and reports unhealthy until the ALB answers, which holds no create (API_HealthCheckConfig).
    "azure-native:cdn:AFDCustomDomain", "aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck",
];
export const ALL_RULES: Readonly<Record<string, TypeRule>> = {
    ...RULES,
    ...Object.fromEntries(EDGE_TYPES.map((t) => [t, noNeeds(API_ONLY)])),
};

/**
 * Charts that register admission webhooks with failure policy Fail, by chart name: every later
 * object on the cluster must wait for them to be installed (and ready, which `atomic` waits for).
 */
export const WEBHOOK_CHARTS: Readonly<Record<string, string>> = {
    "aws-load-balancer-controller": "kubernetes-sigs/aws-load-balancer-controller#4140",
};

/** The controller of each Ingress class the components use. */
export const INGRESS_CONTROLLERS: Readonly<Record<string, { readonly chart?: string; readonly managedClusterAddon?: string; readonly source: string }>> = {
    alb: { chart: "aws-load-balancer-controller", source: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/" },
    "webapprouting.kubernetes.azure.com": { managedClusterAddon: "webAppRouting", source: "https://learn.microsoft.com/azure/aks/app-routing" },
};

/** The config key that declares the deployer's ranges, named by the reachability finding. */
export const DEPLOYER_RANGES_KEY = "intergalactic:cluster.publicEndpointCidrs";
