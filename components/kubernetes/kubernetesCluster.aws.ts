/**
 * KubernetesCluster on AWS: an EKS cluster with KMS-encrypted secrets, all
 * control-plane logs, a private API endpoint (public only for listed ranges),
 * access entries for authentication, one managed node group per zone, the
 * OIDC provider for service-account roles, the EKS add-ons, the AWS Load
 * Balancer Controller and the Cluster Autoscaler.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as vpc from "@pulumi/aws/vpc";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { keyScope, projectKey } from "../common/kms.aws";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { clusterAutoscaler, clusterAutoscalerAccess } from "./clusterAutoscaler.aws";
import { ClusterPlan } from "./clusterPlan";
import { addonsAfterNodes, addonsBeforeNodes, lbController } from "./eksAddons.aws";
import { EksContext, clusterKeyAccess, clusterRole, nodeRole, oidcProvider } from "./eksIam.aws";
import { eksKubeconfig } from "./kubeconfig";
import { KubernetesClusterImplementation, KubernetesClusterInputs, KubernetesClusterResources } from "./kubernetesCluster";
import { EKS_LOG_TYPES, EKS_NAME_SUFFIX_LENGTH, NodeCounts, SERVICE_CIDR } from "./layout";
import { gatedOn } from "../common/gates";
import { kubernetesProvider } from "./provider";

/** Root volume of every worker: encrypted gp3, big enough for images of the platform's services. */
export const NODE_ROOT_VOLUME = { deviceName: "/dev/xvda", sizeGiB: 50, type: "gp3" } as const;

/**
 * IMDSv2 only, with a hop limit of 1: pods (one network hop further) cannot reach
 * the node's metadata service and so cannot take the node role's credentials.
 * Pods get AWS access through their own service-account roles instead.
 */
export const NODE_METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } as const;

export class AwsKubernetesCluster implements KubernetesClusterImplementation {
    build(parent: pulumi.Resource, plan: ClusterPlan, inputs: KubernetesClusterInputs): KubernetesClusterResources {
        const opts = { parent };
        const ctx: EksContext = {
            name: plan.name, opts,
            tags: (name: string) => mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name }),
            partition: getPartitionOutput({}, opts).partition,
        };
        const region = getRegionOutput({}, opts).region;

        const api = this.apiAccess(ctx, plan, inputs);
        const cluster = this.controlPlane(ctx, plan, inputs, api.group);
        const clusterName = cluster.name;
        const oidc = oidcProvider(ctx, cluster.identities.apply((ids) => ids[0].oidcs[0].issuer));
        const addonTarget = { clusterName, kubernetesVersion: plan.kubernetesVersion, networkMtu: plan.networkMtu };
        const early = addonsBeforeNodes(ctx, addonTarget, oidc);
        // Hibernating: the autoscaler loses its scale-up before the groups go to zero (clusterAutoscalerPolicy),
        // so its policy is made first and the groups wait for it. The other modes make it after the groups,
        // where it always was (the order of the running plan stays as it is).
        const hibernating = plan.nodeCounts === NodeCounts.Zero;
        const scaleUpFirst = hibernating ? clusterAutoscalerAccess(ctx, clusterName, oidc, false) : undefined;
        const nodeGroups = this.nodeGroups(ctx, plan, inputs, cluster, early, scaleUpFirst ? [scaleUpFirst.policy] : []);
        const late = addonsAfterNodes(ctx, addonTarget, nodeGroups);
        const admins = this.adminAccess(ctx, plan, cluster);

        const kubeconfig = pulumi.secret(pulumi.all([clusterName, cluster.endpoint, cluster.certificateAuthority, region])
            .apply(([n, endpoint, ca, r]) => eksKubeconfig(n, endpoint, ca.data, r)));
        const provider = kubernetesProvider(childName(plan.name, "k8s"), kubeconfig, opts);
        // In-cluster installs wait for the workers, cluster DNS, the endpoint's access rules and the
        // deployer's access entries; the engine deletes them before any of those.
        const ready: pulumi.Resource[] = [...nodeGroups, ...late, ...api.rules, ...admins];
        const controller = lbController(ctx, { clusterName, region, vpcId: inputs.networkId, oidc, provider, dependsOn: ready, hibernated: hibernating });
        // The controller's Service/Pod webhooks (failure policy Fail) reject other charts' objects until
        // its pods are ready (kubernetes-sigs/aws-load-balancer-controller#4140): install it first.
        const autoscalerAccess = scaleUpFirst ?? clusterAutoscalerAccess(ctx, clusterName, oidc, true);
        clusterAutoscaler(ctx, {
            clusterName, kubernetesVersion: plan.kubernetesVersion, region, access: autoscalerAccess, provider, dependsOn: [...ready, controller],
        });

        return {
            clusterName,
            // What apps deploy with: it resolves after everything they need, so every object made through
            // it waits for nodes, DNS, access and the ingress controller, and is deleted before them (an
            // Ingress's finalizer needs the controller alive: kubernetes-sigs/aws-load-balancer-controller#1629).
            // Not the cluster autoscaler's release: its chart registers no admission webhook (at the pinned chart its templates
            // on by default are RBAC, a ServiceAccount, a Deployment, a Service, a PDB and config: kubernetes/autoscaler
            // cluster-autoscaler/charts/cluster-autoscaler/templates at tag cluster-autoscaler-chart-9.52.1), and the
            // node groups run their minimum without it, so no object an app deploys needs it to be admitted; it is deleted
            // with them. Replicas beyond what the minimum nodes hold stay Pending until it runs, which it then does beside them.
            kubeconfig: gatedOn(kubeconfig, [...ready, controller]),
            oidcIssuerUrl: oidc.url,
            workerSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
            // From the groups' state, not the plan. Informational only: a failed update keeps the previous outputs
            // (pulumi/pulumi#15754), so it can be stale; the stack program decides waking from the live groups.
            nodeGroupsAtZero: pulumi.all(nodeGroups.map((g) => g.scalingConfig)).apply((configs) => configs.some((c) => c.desiredSize === 0)),
        };
    }

    private controlPlane(ctx: EksContext, plan: ClusterPlan, inputs: KubernetesClusterInputs, apiGroup: ec2.SecurityGroup): eks.Cluster {
        // EKS writes control-plane logs to /aws/eks/<name>/cluster; creating the group first sets its
        // retention (EKS's own group keeps logs forever), so the name must be known before the cluster.
        const suffix = new random.RandomString(childName(plan.name, "name-suffix"), { length: EKS_NAME_SUFFIX_LENGTH, special: false, upper: false }, ctx.opts);
        const eksName = pulumi.interpolate`${plan.baseName}-${suffix.result}`;
        const logGroupName = pulumi.interpolate`/aws/eks/${eksName}/cluster`;
        const role = clusterRole(ctx);
        // One key for the secrets (used by the cluster role; EKS creates its grant with the creator's permissions, for the
        // cluster only) and the control-plane logs (by CloudWatch Logs, for that group only).
        const keyName = childName(plan.name, "secrets-key");
        const key = projectKey(keyName, {
            description: `Envelope encryption of the Kubernetes secrets and control-plane logs of ${plan.name}`,
            scope: keyScope(ctx.opts),
            use: pulumi.all([role.role.arn, logGroupName]).apply(([roleArn, group]) => ({ roles: [roleArn], logGroups: [group], attachToAwsResources: true })),
            tags: ctx.tags(keyName),
        }, ctx.opts);
        const keyAccess = clusterKeyAccess(ctx, role.role, key.arn);
        const logsName = childName(plan.name, "control-plane-logs");
        const logGroup = new cloudwatch.LogGroup(logsName, {
            name: logGroupName,
            retentionInDays: plan.logRetentionDays,
            kmsKeyId: key.arn,
            tags: ctx.tags(logsName),
        }, ctx.opts);

        const publicAccess = plan.publicEndpointCidrs.length > 0;
        return new eks.Cluster(childName(plan.name, "eks"), {
            name: eksName,
            version: plan.kubernetesVersion,
            roleArn: role.role.arn,
            vpcConfig: {
                // The subnets' ids before their routes: the control plane's interfaces need no way out, so it is
                // not held up by the NAT gateway (the node groups, which do, take the route-gated ids). That holds
                // because controlPlaneEgressMode stays unset, AWS_MANAGED by default: with CUSTOMER_ROUTED the control
                // plane's own egress (webhooks, OIDC providers) would use these subnets' routes, and going back
                // replaces the cluster (docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html).
                subnetIds: [...inputs.controlPlaneSubnetIds],
                // Nodes and in-network clients always use the private endpoint.
                endpointPrivateAccess: true,
                endpointPublicAccess: publicAccess,
                publicAccessCidrs: publicAccess ? [...plan.publicEndpointCidrs] : undefined,
                // Only on the control plane's network interfaces, never on the nodes: the API rules open nothing on pods.
                securityGroupIds: [apiGroup.id],
            },
            // Access entries only: IAM principals are granted access through the EKS API, not the aws-auth ConfigMap.
            // With declared admins the creator gets no implicit admin: listing it too would make its entry conflict
            // with the bootstrap one (ResourceInUseException), and access must not depend on who ran the first up.
            // The bootstrap flag is decided once, at creation: changing it replaces the cluster
            // (hashicorp/terraform-provider-aws#35824, pulumi/pulumi-aws#3997), so later admin lists leave it alone.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: plan.adminAccess.length === 0 },
            // EKS's default (EXTENDED) silently moves a cluster past standard support to six times the
            // hourly price; STANDARD upgrades it at the end of standard support instead
            // (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpgradePolicyRequest.html).
            upgradePolicy: { supportType: "STANDARD" },
            encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: [...EKS_LOG_TYPES],
            kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: SERVICE_CIDR },
            // Lets ARC zonal shift move traffic away from an impaired zone.
            zonalShiftConfig: { enabled: true },
            tags: ctx.tags(childName(plan.name, "eks")),
        }, { ...ctx.opts, dependsOn: [logGroup, ...role.policies, keyAccess], ignoreChanges: ["accessConfig.bootstrapClusterCreatorAdminPermissions"] });
    }

    /**
     * A security group of the API server's own network interfaces (the cluster's additional security
     * group: EKS attaches it only to the control plane's cross-account interfaces, not to nodes or pods;
     * https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html), admitting HTTPS to
     * the private endpoint from the listed in-network ranges. The cluster security group, which managed
     * nodes and their pods carry, gets no rule from outside its members.
     */
    private apiAccess(ctx: EksContext, plan: ClusterPlan, inputs: KubernetesClusterInputs): { group: ec2.SecurityGroup; rules: vpc.SecurityGroupIngressRule[] } {
        const groupName = childName(plan.name, "api");
        const group = new ec2.SecurityGroup(groupName, {
            vpcId: inputs.networkId,
            description: `Kubernetes API endpoint of ${plan.name}: HTTPS from the listed in-network ranges`,
            tags: ctx.tags(groupName),
        }, ctx.opts);
        const rules = plan.privateEndpointCidrs.map((cidr) => {
            const name = childName(plan.name, "api-from", cidr.replace(/[./]/g, "-"));
            return new vpc.SecurityGroupIngressRule(name, {
                securityGroupId: group.id,
                description: `Kubernetes API from ${cidr}`,
                ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr,
                tags: ctx.tags(name),
            }, ctx.opts);
        });
        return { group, rules };
    }

    /** One access entry with the cluster-admin access policy per declared principal. */
    private adminAccess(ctx: EksContext, plan: ClusterPlan, cluster: eks.Cluster): pulumi.Resource[] {
        return plan.adminAccess.flatMap((admin) => {
            const entry = new eks.AccessEntry(admin.name, {
                clusterName: cluster.name, principalArn: admin.principalArn, type: "STANDARD", tags: ctx.tags(admin.name),
            }, ctx.opts);
            const policy = new eks.AccessPolicyAssociation(admin.name, {
                clusterName: cluster.name,
                principalArn: entry.principalArn,
                policyArn: pulumi.interpolate`arn:${ctx.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                accessScope: { type: "cluster" },
            }, ctx.opts);
            return [entry, policy];
        });
    }

    private nodeGroups(
        ctx: EksContext, plan: ClusterPlan, inputs: KubernetesClusterInputs, cluster: eks.Cluster, addons: eks.Addon[],
        after: pulumi.Resource[],
    ): eks.NodeGroup[] {
        const role = nodeRole(ctx);
        const templateName = childName(plan.name, "nodes");
        const nodeTags = (extra: Tags = {}) => ({ ...ctx.tags(templateName), ...extra });
        const template = new ec2.LaunchTemplate(templateName, {
            description: `Workers of ${plan.name}: IMDSv2 only, encrypted root volume`,
            metadataOptions: { ...NODE_METADATA_OPTIONS },
            blockDeviceMappings: [{
                deviceName: NODE_ROOT_VOLUME.deviceName,
                ebs: { volumeSize: NODE_ROOT_VOLUME.sizeGiB, volumeType: NODE_ROOT_VOLUME.type, encrypted: "true", deleteOnTermination: "true" },
            }],
            tagSpecifications: [{ resourceType: "instance", tags: nodeTags() }, { resourceType: "volume", tags: nodeTags() }],
            updateDefaultVersion: true,
            tags: nodeTags(),
        }, ctx.opts);

        return plan.nodeGroups.map((group) => new eks.NodeGroup(group.name, {
            clusterName: cluster.name,
            // Follows the control plane, so changing kubernetesVersion upgrades the nodes after it.
            version: plan.kubernetesVersion,
            nodeRoleArn: role.role.arn,
            subnetIds: [inputs.subnetIds[group.subnetIndex]],
            amiType: "AL2023_x86_64_STANDARD",
            capacityType: "ON_DEMAND",
            instanceTypes: [plan.machineType],
            launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => `${v}`) },
            scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
            updateConfig: { maxUnavailable: 1 },
            tags: { ...ctx.tags(group.name), [TagKeys.Tier]: "app", [TagKeys.Zone]: group.zone },
        }, {
            ...ctx.opts,
            dependsOn: [...role.policies, ...addons, ...after],
            // The cluster autoscaler owns the current size; a deployment must not reset it, except when
            // hibernating (0) or waking (the plan's size), which must write it (see NodeCounts).
            ignoreChanges: plan.nodeCounts === NodeCounts.Autoscaled ? ["scalingConfig.desiredSize"] : [],
        }));
    }
}
