/**
 * What an EKS cluster runs besides the workloads: the EKS add-ons (VPC CNI,
 * kube-proxy, Pod Identity agent, CoreDNS, metrics-server) and the AWS Load
 * Balancer Controller, each with only the AWS permissions it needs.
 */
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import type * as k8s from "@pulumi/kubernetes";
// The chart Release alone: the helm/v3 index also loads the Chart component and, through it, the YAML and
// kustomize support (about 30 ms of every AWS program's start-up, tools/bench/PROFILE.md), which nothing here uses.
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { EksContext, attachManagedPolicy, serviceAccountRole } from "./eksIam.aws";
import { AWS_LB_CONTROLLER_CHART, pinnedRelease } from "./layout";
import { LB_CONTROLLER_ADDONS, lbControllerPolicy } from "./lbControllerPolicy.aws";

/**
 * Add-ons nodes need before they can become Ready (networking and identity), and
 * those that need Ready nodes to run (their pods schedule on workers).
 */
export const EKS_ADDONS_BEFORE_NODES: readonly string[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
export const EKS_ADDONS_AFTER_NODES: readonly string[] = ["coredns", "metrics-server"];

/**
 * Addon settings: the VPC CNI enforces Kubernetes NetworkPolicies, so services can be isolated from each other, and
 * takes the cluster's MTU when one is given (`env.AWS_VPC_ENI_MTU` of the add-on's configuration schema,
 * `aws eks describe-addon-configuration --addon-name vpc-cni`), which the pods' MTU follows.
 */
function addonConfiguration(addonName: string, target: AddonTarget): object | undefined {
    if (addonName !== "vpc-cni") return undefined;
    return {
        enableNetworkPolicy: "true",
        ...(target.networkMtu !== undefined ? { env: { AWS_VPC_ENI_MTU: String(target.networkMtu) } } : {}),
    };
}

/** The cluster an add-on goes into. */
export interface AddonTarget {
    readonly clusterName: pulumi.Output<string>;
    readonly kubernetesVersion: string;
    /** The VPC CNI's MTU for the nodes' ENIs and the pods; undefined keeps its default. */
    readonly networkMtu?: number;
}

function addon(
    ctx: EksContext, target: AddonTarget, addonName: string, dependsOn: pulumi.Resource[], serviceAccountRoleArn?: pulumi.Output<string>,
): eks.Addon {
    const name = childName(ctx.name, addonName);
    const configuration = addonConfiguration(addonName, target);
    // EKS's default version for the cluster's Kubernetes version, looked up so that an upgrade of
    // the cluster also moves its add-ons (EKS itself never upgrades an installed add-on).
    const version = eks.getAddonVersionOutput({ addonName, kubernetesVersion: target.kubernetesVersion }, ctx.opts);
    return new eks.Addon(name, {
        clusterName: target.clusterName,
        addonName,
        addonVersion: version.version,
        // EKS installs these at cluster creation; taking them over must not fail on its defaults.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        serviceAccountRoleArn,
        configurationValues: configuration ? JSON.stringify(configuration) : undefined,
        tags: ctx.tags(name),
    }, { ...ctx.opts, dependsOn });
}

/** The add-ons nodes need to join; the VPC CNI gets its own IRSA role so the node role needs no network permissions. */
export function addonsBeforeNodes(ctx: EksContext, target: AddonTarget, oidc: iam.OpenIdConnectProvider): eks.Addon[] {
    const cniRole = serviceAccountRole(ctx, "vpc-cni-role", oidc, "kube-system", "aws-node");
    const cniPolicy = attachManagedPolicy(ctx, cniRole, "vpc-cni-role", "AmazonEKS_CNI_Policy");
    return EKS_ADDONS_BEFORE_NODES.map((name) =>
        name === "vpc-cni" ? addon(ctx, target, name, [cniPolicy], cniRole.arn) : addon(ctx, target, name, []));
}

/** The add-ons whose pods run on workers; created once the node groups exist so they become active. */
export function addonsAfterNodes(ctx: EksContext, target: AddonTarget, nodeGroups: pulumi.Resource[]): eks.Addon[] {
    return EKS_ADDONS_AFTER_NODES.map((name) => addon(ctx, target, name, nodeGroups));
}

/** Where the controller runs and what it manages. */
export interface LbControllerTarget {
    readonly clusterName: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly oidc: iam.OpenIdConnectProvider;
    readonly provider: k8s.Provider;
    /** The controller's pods need workers and cluster DNS. */
    readonly dependsOn: pulumi.Resource[];
    /** Hibernated (node groups at zero): upgraded without waiting for pods no node runs, so the wake-up upgrades it back. */
    readonly hibernated?: boolean;
}

/** The controller pods' annotation while the node groups are at zero: its removal on the wake-up is an upgrade that waits for them. */
export const HIBERNATED_POD_ANNOTATION = "intergalactic.dev/hibernated";

/**
 * The AWS Load Balancer Controller, which turns Ingresses into ALBs (and LoadBalancer
 * Services into NLBs). Its region and VPC are passed in, so it never needs the
 * instance metadata service, which the nodes keep out of pods' reach.
 */
export function lbController(ctx: EksContext, target: LbControllerTarget): k8s.helm.v3.Release {
    const chart = AWS_LB_CONTROLLER_CHART;
    const role = serviceAccountRole(ctx, "lb-controller-role", target.oidc, chart.namespace, chart.serviceAccount);
    const policyName = childName(ctx.name, "lb-controller");
    const policy = new iam.Policy(policyName, {
        description: "AWS Load Balancer Controller of one EKS cluster",
        policy: ctx.partition.apply(lbControllerPolicy),
        tags: ctx.tags(policyName),
    }, ctx.opts);
    const attachment = new iam.RolePolicyAttachment(policyName, { role: role.name, policyArn: policy.arn }, ctx.opts);

    // Hibernated: the controller's webhooks (failure policy Fail, kubernetes-sigs/aws-load-balancer-controller#4140)
    // reject Service and Pod writes until its pods run again, so the wake-up must wait for them before the services'
    // objects: the hibernated release differs (a pod annotation, applied without await and not atomic, since atomic
    // forces Helm's wait), and the wake-up's upgrade back is atomic, which waits for the pods
    // (https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/).
    const asleep = target.hibernated === true;
    return new Release(childName(ctx.name, "lb-controller"), {
        ...pinnedRelease(chart),
        ...(asleep ? { atomic: false, skipAwait: true } : {}),
        values: {
            ...(asleep ? { podAnnotations: { [HIBERNATED_POD_ANNOTATION]: "true" } } : {}),
            clusterName: target.clusterName,
            region: target.region,
            vpcId: target.vpcId,
            // No WAF, WAFv2 or Shield: the policy grants none of their APIs, which the controller calls by default.
            ...LB_CONTROLLER_ADDONS,
            // Two replicas in different zones: Ingress changes keep working through a zone loss.
            replicaCount: 2,
            topologySpreadConstraints: [{
                maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": chart.chart } },
            }],
            serviceAccount: { create: true, name: chart.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": role.arn } },
        },
    }, { ...ctx.opts, provider: target.provider, dependsOn: [attachment, ...target.dependsOn] });
}
