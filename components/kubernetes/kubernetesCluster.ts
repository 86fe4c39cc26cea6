/**
 * KubernetesCluster: a managed Kubernetes cluster (EKS on AWS, AKS on Azure)
 * with workers in the app subnets of every zone, behind one cloud-neutral
 * interface.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, PerCloud, implementationFor } from "../common/cloud";
import { Size } from "../common/size";
import { Problems } from "../common/validation";
import { NetworkFacts, SubnetFacts, SubnetTier, subnetIdBeforeRoutes } from "../network/facts";
import { checkNetworkFacts, chooseSubnets, placementZones } from "../network/wiring";
import { resolveCloudArgs } from "../common/cloudArgs";
import { CLUSTER_CLOUD_ARGS, ClusterPlan, PrincipalType, planCluster } from "./clusterPlan";
import { MIN_ZONES, NodeCounts, PoolPower } from "./layout";

/** Arguments of {@link KubernetesCluster}. Structural fields are plain values: the cluster is planned before anything is created. */
export interface KubernetesClusterArgs {
    /** The cloud to build on: `aws` or `azure`. */
    cloud: Cloud;
    /**
     * The network the cluster goes into, e.g. `vpc.facts()` of a Vpc3Az: the workers take its app subnets,
     * one node group per zone, and on Azure the cluster goes into the first subnet's resource group.
     */
    network: NetworkFacts;
    /**
     * The app subnets the workers (and, with Azure CNI/VPC CNI, their pods) take addresses in, one per
     * zone, e.g. `vpc.selectSubnets({ tier: "app", zones })`. Only the network's own app subnets.
     * @default - the network's app subnets, in every zone
     */
    subnets?: SubnetFacts[];
    /**
     * The Kubernetes minor version, e.g. `1.35`; each cloud runs its latest patch. It must be in the
     * cloud's standard support on the day of the plan.
     * @default "1.35"
     */
    kubernetesVersion?: string;
    /**
     * The worker capacity tier: `small` (2 vCPU), `medium` (4 vCPU) or `large` (8 vCPU), 4 GiB per vCPU.
     * @default "medium"
     */
    nodeSize?: Size;
    /**
     * The fewest workers each zone keeps.
     * @default 1
     */
    minNodesPerZone?: number;
    /**
     * The most workers the autoscaler may run in each zone.
     * @default 5
     */
    maxNodesPerZone?: number;
    /**
     * Public ranges allowed to reach the API server's public endpoint (CI runners, operators).
     * Empty keeps the API server private: reachable only from inside the network.
     * `0.0.0.0/0` and private ranges are rejected.
     * @default []
     */
    publicEndpointCidrs?: string[];
    /**
     * Tags for every resource of the cluster.
     * @default {}
     */
    tags?: Record<string, string>;
    /**
     * What only EKS uses: the private endpoint's extra ranges, access entries, control-plane log retention and the
     * node groups' counts. Giving it on Azure is an error.
     * @default {}
     */
    aws?: KubernetesClusterAwsArgs;
    /**
     * What only AKS uses: the nodes' egress addresses, the deployer's principal type and the ingress's Key Vaults.
     * Giving it on AWS is an error.
     * @default {}
     */
    azure?: KubernetesClusterAzureArgs;
    /**
     * Deprecated: give it as `aws.privateEndpointCidrs`. An error on Azure.
     * @default []
     * @deprecated Use `aws.privateEndpointCidrs`.
     */
    privateEndpointCidrs?: string[];
    /**
     * Deprecated: give it as `aws.adminPrincipalArns`. An error on Azure.
     * @default []
     * @deprecated Use `aws.adminPrincipalArns`.
     */
    adminPrincipalArns?: string[];
    /**
     * Deprecated: give it as `aws.logRetentionDays`. An error on Azure.
     * @default 90
     * @deprecated Use `aws.logRetentionDays`.
     */
    logRetentionDays?: number;
    /**
     * Deprecated: give it as `aws.nodeCounts`. An error on Azure.
     * @default "autoscaled"
     * @deprecated Use `aws.nodeCounts`.
     */
    nodeCounts?: NodeCounts;
    /**
     * Deprecated: give it as `azure.nodeEgressIps`. An error on AWS.
     * @default - the network's `egressIps` on Azure; none on AWS
     * @deprecated Use `azure.nodeEgressIps`.
     */
    nodeEgressIps?: pulumi.Input<string>[];
    /**
     * Deprecated: give it as `azure.deployerPrincipalType`. An error on AWS.
     * @default - derived from the signed-in client: `User` for an Azure CLI login, else `ServicePrincipal`
     * @deprecated Use `azure.deployerPrincipalType`.
     */
    deployerPrincipalType?: PrincipalType;
    /**
     * Deprecated: give it as `azure.ingressKeyVaultIds`. An error on AWS.
     * @default []
     * @deprecated Use `azure.ingressKeyVaultIds`.
     */
    ingressKeyVaultIds?: string[];
}

/** The args of {@link KubernetesCluster} that only EKS (AWS) uses; each is an error on Azure, where it would do nothing. */
export interface KubernetesClusterAwsArgs {
    /**
     * In-network ranges allowed to reach the private API endpoint besides the workers, e.g. the
     * Bastion's or in-network CI runners' subnets. EKS guards its private endpoint with the
     * cluster security group; on Azure the private endpoint is reachable from the whole VNet.
     * @default []
     */
    privateEndpointCidrs?: string[];
    /**
     * IAM role or user ARNs given cluster-admin Kubernetes access through EKS access entries
     * (the deployer and the operators). When set, the creator gets no implicit admin, so list the
     * Identity `pulumi up` runs as; empty keeps EKS's bootstrap admin for the creator only. Whether
     * the creator is a bootstrap admin is fixed when the cluster is created (changing it would replace
     * the cluster): on a cluster created with this list empty, do not list the creator later, since it
     * already has an entry.
     * @default []
     */
    adminPrincipalArns?: string[];
    /**
     * Days to keep the control-plane logs (a CloudWatch Logs retention period).
     * @default 90
     */
    logRetentionDays?: number;
    /**
     * Who sets the app node groups' counts on this `up`: `autoscaled` (the plan's counts on
     * create, then the cluster autoscaler's), `zero` (hibernated: minimum and desired 0) or `reset`
     * (waking: the minimum and desired counts written again). The scheduler's hibernation sets it;
     * @default "autoscaled"
     */
    nodeCounts?: NodeCounts;
    /**
     * The MTU of the nodes' ENIs and the pods (the VPC CNI's `AWS_VPC_ENI_MTU`, which its `POD_MTU` follows), 576 to
     * 9001. Lower it to 8500 when pods reach a network across an inter-region VPC peering, which carries at most 8500
     * bytes and drops larger packets that may not be fragmented
     * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html): a pod's TCP then offers segments that fit,
     * in both directions, without relying on path MTU discovery. A change reaches only pods created after the VPC CNI's
     * `aws-node` pods restart with it (the MTU is set on a pod's interface when its network is set up:
     * aws/amazon-vpc-cni-k8s#2951, #2791), and never the node's primary interface (#665): restart the workloads after it.
     * @default - the VPC CNI's default, 9001
     */
    networkMtu?: number;
}

/** The args of {@link KubernetesCluster} that only AKS (Azure) uses; each is an error on AWS, where it would do nothing. */
export interface KubernetesClusterAzureArgs {
    /**
     * The public addresses the nodes leave from (the app subnets' NAT gateways).
     * With a public endpoint, AKS admits only the authorized ranges, nodes included: these are
     * authorized as /32 besides `publicEndpointCidrs`, or the nodes never join
     * (MicrosoftDocs/azure-docs#97437).
     * @default - the network's `egressIps` on Azure; none on AWS
     */
    nodeEgressIps?: pulumi.Input<string>[];
    /**
     * The principal type of the deploying identity for its AKS RBAC Cluster Admin role
     * assignment: `User`, `ServicePrincipal` or `Group`.
     * @default - derived from the signed-in client: `User` for an Azure CLI login, else `ServicePrincipal`
     */
    deployerPrincipalType?: PrincipalType;
    /**
     * Resource ids of the Key Vaults whose certificates the managed ingress serves. Turns on
     * the Key Vault secrets provider add-on and gives the application routing add-on's identity read
     * access to their secrets and certificates (the vaults must use Azure RBAC), as
     * `az aks approuting update --enable-kv --attach-kv` does. Without it NGINX serves a fake certificate.
     * @default []
     */
    ingressKeyVaultIds?: string[];
    /**
     * The user pools' power state this `up` writes: `Stopped` (hibernated: their VMs stopped, no compute
     * charges, https://learn.microsoft.com/azure/aks/start-stop-nodepools) or `Running` (the wake-up).
     * The system pools always run. The scheduler's hibernation sets it.
     * @default - not written: the pools run as created
     */
    userPoolPower?: PoolPower;
    /**
     * With `userPoolPower: Stopped`, how many user pools stop, counted from the last zone; the others keep
     * running. AKS runs one agent pool operation per cluster at a time ("Another agentpool operation ... is in
     * progress", cilium/cilium#25944, Azure/AKS#1913), so a wake-up starts the stopped pools one after another:
     * stopping fewer shortens it by one pool start each. An error with any other `userPoolPower`.
     * @default - every user pool
     */
    stoppedUserPools?: number;
}

/** What a cloud implementation returns after creating the cluster. */
export interface KubernetesClusterResources {
    readonly clusterName: pulumi.Output<string>;
    /**
     * A kubeconfig with no embedded credentials (it execs the cloud's token helper); still kept secret.
     * It resolves only once the cluster is ready for workloads (nodes, cluster DNS, API access, the
     * deployer's grant, the ingress controller), so a provider built from it makes every object wait
     * for them on create and outlive them on destroy.
     */
    readonly kubeconfig: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    /** AWS: the cluster security group EKS attaches to managed nodes. */
    readonly workerSecurityGroupId?: pulumi.Output<string>;
    /** Whether an app node group, as this `up` left it, has no nodes running (AWS: desired size 0; Azure: a stopped user pool). */
    readonly nodeGroupsAtZero?: pulumi.Output<boolean>;
}

/** The resource references a cloud implementation of KubernetesCluster needs besides the plan. */
export interface KubernetesClusterInputs {
    readonly networkId: pulumi.Input<string>;
    /** One app subnet per zone, in zone order (`NodeGroupSpec.subnetIndex` points into it). */
    readonly subnetIds: readonly pulumi.Input<string>[];
    /**
     * AWS: the same subnets for the EKS control plane, without waiting for their routes: its network interfaces
     * need no way out of the subnets, only the nodes do (they keep `subnetIds`). Azure does not read it.
     */
    readonly controlPlaneSubnetIds: readonly pulumi.Input<string>[];
    /** Azure: the nodes' egress addresses, authorized on a public API endpoint; empty on AWS. */
    readonly nodeEgressIps: readonly pulumi.Input<string>[];
}

/**
 * The API server's default admitted egress per cloud: AKS with authorized ranges must admit the nodes'
 * NAT addresses (the network's); EKS nodes reach the API through the cluster's security group.
 */
const DEFAULT_EGRESS_IPS: PerCloud<(network: NetworkFacts | undefined) => readonly pulumi.Input<string>[]> = {
    aws: () => [],
    azure: (network) => network?.egressIps ?? [],
};

/** A cloud implementation of KubernetesCluster. */
export type KubernetesClusterImplementation = CloudImplementation<ClusterPlan, KubernetesClusterInputs, KubernetesClusterResources>;

/** A highly available managed Kubernetes cluster with one autoscaled node group per zone. */
export class KubernetesCluster extends pulumi.ComponentResource {
    /** The cluster's name in the cloud. */
    public readonly clusterName: pulumi.Output<string>;
    /**
     * A kubeconfig for the cluster (secret). It holds no credentials: EKS runs `aws eks get-token`, AKS `kubelogin`.
     * It depends on everything workloads need (nodes, cluster DNS, API access rules, the deployer's
     * Kubernetes grant, the ingress controller): objects deployed through a provider made from it are
     * created after those and deleted before them.
     */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The OIDC issuer for workload identities (IRSA on AWS, workload identity on Azure). */
    public readonly oidcIssuerUrl: pulumi.Output<string>;
    /** AWS: the security group on every worker, for the data tier to admit; empty on Azure. */
    public readonly workerSecurityGroupId: pulumi.Output<string>;
    /** The app-tier ranges workers and pods take addresses from: what the data tier admits. */
    public readonly workerCidrs: pulumi.Output<string[]>;
    /** The zones the workers span, in order. */
    public readonly zones: pulumi.Output<string[]>;
    /** The Kubernetes minor version. */
    public readonly kubernetesVersion: pulumi.Output<string>;
    /**
     * Whether an app node group, as the cloud reports it after this `up`, runs no nodes (hibernated: an EKS group's
     * desired size 0, `nodeCounts: zero`; a stopped AKS user pool, `userPoolPower: Stopped`). The next `up` reads it
     * to write them back (`reset`, `Running`): EKS refuses a minimum above the current desired size. Resolves only
     * once every node group is written.
     */
    public readonly nodeGroupsAtZero: pulumi.Output<boolean>;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const wiring = new Problems("network wiring");
        checkNetworkFacts(wiring, "network", args.cloud, args.network);
        const subnets = chooseSubnets(wiring, "subnets", args.network, args.subnets, [SubnetTier.App], "each node group of the cluster");
        placementZones(wiring, "subnets", args.network, subnets, MIN_ZONES, "EKS requires subnets in two zones, and three keep the cluster available when one fails");
        const cloudArgs = resolveCloudArgs(args.cloud, args, CLUSTER_CLOUD_ARGS);
        const aws: KubernetesClusterAwsArgs = cloudArgs.groups.aws;
        const azure: KubernetesClusterAzureArgs = cloudArgs.groups.azure;
        cloudArgs.problems.forEach((p) => wiring.add(p));
        const nodeEgressIps = azure.nodeEgressIps ?? (DEFAULT_EGRESS_IPS[args.cloud]?.(args.network) ?? []);
        const plan = planCluster(name, {
            wiringProblems: wiring.all,
            argPaths: cloudArgs.paths,
            cloud: args.cloud, zones: subnets.map((s) => s.zone), subnetCount: subnets.length, subnetCidrs: subnets.map((s) => s.cidr),
            kubernetesVersion: args.kubernetesVersion, nodeSize: args.nodeSize, minNodesPerZone: args.minNodesPerZone,
            maxNodesPerZone: args.maxNodesPerZone, publicEndpointCidrs: args.publicEndpointCidrs,
            privateEndpointCidrs: aws.privateEndpointCidrs, adminPrincipalArns: aws.adminPrincipalArns, nodeEgressIpCount: nodeEgressIps.length,
            deployerPrincipalType: azure.deployerPrincipalType, logRetentionDays: aws.logRetentionDays,
            ingressKeyVaultIds: azure.ingressKeyVaultIds, nodeCounts: aws.nodeCounts, networkMtu: aws.networkMtu, userPoolPower: azure.userPoolPower,
            stoppedUserPools: azure.stoppedUserPools, tags: args.tags,
        });
        super("intergalactic:index:KubernetesCluster", name, {}, opts);
        for (const warning of plan.warnings) void pulumi.log.warn(warning, this);

        const implementation = implementationFor<KubernetesClusterImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./kubernetesCluster.aws").AwsKubernetesCluster)(),
            [Cloud.Azure]: () => new (require("./kubernetesCluster.azure").AzureKubernetesCluster)(),
        });
        // Each id resolves once every subnet of the network is written: AKS fails while the VNet is
        // Updating (Azure/AKS#4522), and Azure writes a VNet's subnets one at a time.
        const everySubnet = (args.network.subnets ?? []).map((s) => s.id);
        const afterEverySubnet = (own: pulumi.Input<string>, all: readonly pulumi.Input<string>[]) => pulumi.all([own, ...all]).apply(([id]) => id);
        const built = implementation.build(this, plan, {
            networkId: args.network.networkId,
            subnetIds: subnets.map((s) => afterEverySubnet(s.id, everySubnet)),
            controlPlaneSubnetIds: subnets.map((s) => afterEverySubnet(subnetIdBeforeRoutes(s.id), everySubnet.map(subnetIdBeforeRoutes))),
            nodeEgressIps: [...nodeEgressIps],
        });

        this.clusterName = built.clusterName;
        this.kubeconfig = pulumi.secret(built.kubeconfig);
        this.oidcIssuerUrl = built.oidcIssuerUrl;
        this.workerSecurityGroupId = built.workerSecurityGroupId ?? pulumi.output("");
        this.workerCidrs = pulumi.output([...plan.subnetCidrs]);
        this.zones = pulumi.output([...plan.zones]);
        this.kubernetesVersion = pulumi.output(plan.kubernetesVersion);
        this.nodeGroupsAtZero = built.nodeGroupsAtZero ?? pulumi.output(false);

        this.registerOutputs({
            clusterName: this.clusterName, kubeconfig: this.kubeconfig, oidcIssuerUrl: this.oidcIssuerUrl,
            workerSecurityGroupId: this.workerSecurityGroupId, workerCidrs: this.workerCidrs, zones: this.zones,
            kubernetesVersion: this.kubernetesVersion, nodeGroupsAtZero: this.nodeGroupsAtZero,
        });
    }
}
