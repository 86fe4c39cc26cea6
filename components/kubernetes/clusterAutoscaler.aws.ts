/**
 * The Kubernetes Cluster Autoscaler on EKS: it grows a zone's node group when
 * pods cannot be scheduled there and shrinks idle ones, within each group's
 * min/max. EKS tags the Auto Scaling groups of managed node groups for its
 * auto-discovery; with one group per zone and balance-similar-node-groups it
 * keeps the zones even.
 */
import * as iam from "@pulumi/aws/iam";
import type * as k8s from "@pulumi/kubernetes";
// The chart Release alone: the helm/v3 index also loads the Chart component and, through it, the YAML and
// kustomize support (about 30 ms of every AWS program's start-up, tools/bench/PROFILE.md), which nothing here uses.
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { EksContext, serviceAccountRole } from "./eksIam.aws";
import { CLUSTER_AUTOSCALER_CHART, clusterAutoscalerImageTag, pinnedRelease } from "./layout";

/**
 * The autoscaler's IAM policy: reads are account-wide; resizing and terminating are limited to
 * Auto Scaling groups tagged as owned by this cluster, which EKS does for its managed node groups.
 * Without `scaleUp` it may not set a group's desired capacity, the call it grows a group with
 * (kubernetes/autoscaler, cluster-autoscaler/cloudprovider/aws/README.md, "IAM Policy"): while the
 * groups go to zero for a hibernation it would otherwise grow one from 0 for the pods the drain
 * evicts (it scales from 0 in ASGs, kubernetes/autoscaler#4439).
 */
export function clusterAutoscalerPolicy(clusterName: string, scaleUp = true): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow", Resource: "*",
                Action: [...scaleUp ? ["autoscaling:SetDesiredCapacity"] : [], "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
            {
                Effect: "Allow", Resource: "*",
                Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"],
            },
        ],
    });
}

/** The autoscaler's service-account role and its policy. */
export interface AutoscalerAccess {
    readonly role: iam.Role;
    readonly policy: iam.RolePolicy;
}

/**
 * Made before the node groups, so a hibernating plan can take the scale-up away first (the groups'
 * update to zero depends on it: the release itself depends on the groups, so it cannot go first).
 */
export function clusterAutoscalerAccess(
    ctx: EksContext, clusterName: pulumi.Output<string>, oidc: iam.OpenIdConnectProvider, scaleUp: boolean,
): AutoscalerAccess {
    const chart = CLUSTER_AUTOSCALER_CHART;
    const role = serviceAccountRole(ctx, "autoscaler-role", oidc, chart.namespace, chart.serviceAccount);
    const policyName = childName(ctx.name, "autoscaler");
    const policy = new iam.RolePolicy(policyName, { role: role.id, policy: clusterName.apply((n) => clusterAutoscalerPolicy(n, scaleUp)) }, ctx.opts);
    return { role, policy };
}

/** Where the autoscaler runs and what it scales. */
export interface AutoscalerTarget {
    readonly clusterName: pulumi.Output<string>;
    readonly kubernetesVersion: string;
    readonly region: pulumi.Output<string>;
    readonly access: AutoscalerAccess;
    readonly provider: k8s.Provider;
    readonly dependsOn: pulumi.Resource[];
}

export function clusterAutoscaler(ctx: EksContext, target: AutoscalerTarget): k8s.helm.v3.Release {
    const chart = CLUSTER_AUTOSCALER_CHART;
    const { role, policy } = target.access;

    return new Release(childName(ctx.name, "autoscaler"), {
        ...pinnedRelease(chart),
        values: {
            cloudProvider: "aws",
            // Given explicitly: pods cannot reach the instance metadata service to look it up.
            awsRegion: target.region,
            autoDiscovery: { clusterName: target.clusterName },
            image: { tag: clusterAutoscalerImageTag(target.kubernetesVersion) },
            // Two replicas with leader election: scaling survives the loss of a zone.
            replicaCount: 2,
            rbac: { serviceAccount: { create: true, name: chart.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": role.arn } } },
            extraArgs: {
                // The per-zone node groups are alike: keep them within one node of each other.
                "balance-similar-node-groups": true,
                "skip-nodes-with-system-pods": false,
                expander: "least-waste",
            },
        },
    }, { ...ctx.opts, provider: target.provider, dependsOn: [policy, ...target.dependsOn] });
}
