/**
 * IAM of an EKS cluster: the cluster and node roles with the AWS-managed
 * policies EKS documents for them, the cluster's OIDC provider, and roles for
 * Kubernetes service accounts (IRSA) trusted only by one service account.
 */
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { Tags } from "../common/tags";

/** Options every child gets, and the tags function of the cluster. */
export interface EksContext {
    readonly name: string;
    readonly opts: pulumi.CustomResourceOptions;
    readonly tags: (name: string) => Tags;
    /** `aws`, `aws-cn` or `aws-us-gov`, for managed policy ARNs. */
    readonly partition: pulumi.Output<string>;
}

const managedPolicy = (ctx: EksContext, policy: string) => pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${policy}`;

/** A role and the policy attachments that must exist before the role is used (and be removed after). */
export interface RoleWithPolicies {
    readonly role: iam.Role;
    readonly policies: readonly pulumi.Resource[];
}

function serviceRole(ctx: EksContext, role: string, service: string, policies: readonly string[]): RoleWithPolicies {
    const name = childName(ctx.name, role);
    const iamRole = new iam.Role(name, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: service } }],
        }),
        tags: ctx.tags(name),
    }, ctx.opts);
    const attachments = policies.map((policy) =>
        new iam.RolePolicyAttachment(childName(name, policy), { role: iamRole.name, policyArn: managedPolicy(ctx, policy) }, ctx.opts));
    return { role: iamRole, policies: attachments };
}

/** The role the EKS control plane assumes. */
export function clusterRole(ctx: EksContext): RoleWithPolicies {
    return serviceRole(ctx, "cluster-role", "eks.amazonaws.com", ["AmazonEKSClusterPolicy"]);
}

/**
 * Lets the cluster role use the secrets-encryption key: envelope encryption of secrets calls KMS as
 * the cluster role, and the managed policy grants no KMS access. The key's own policy names the role
 * too (a key policy is needed whatever IAM says; https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html).
 */
export function clusterKeyAccess(ctx: EksContext, role: iam.Role, kmsKeyArn: pulumi.Output<string>): iam.RolePolicy {
    return new iam.RolePolicy(childName(ctx.name, "cluster-kms"), {
        role: role.id,
        policy: kmsKeyArn.apply((arn) => JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: arn }],
        })),
    }, ctx.opts);
}

/**
 * The role of the worker nodes. It has no CNI policy: the VPC CNI gets its own
 * IRSA role, so pods cannot borrow network permissions from the node.
 */
export function nodeRole(ctx: EksContext): RoleWithPolicies {
    return serviceRole(ctx, "node-role", "ec2.amazonaws.com", ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"]);
}

/** The cluster's OIDC identity provider in IAM, for IRSA. */
export function oidcProvider(ctx: EksContext, issuerUrl: pulumi.Output<string>): iam.OpenIdConnectProvider {
    const name = childName(ctx.name, "oidc");
    // IAM verifies the EKS issuer against its trusted CA store, so no thumbprint is needed.
    return new iam.OpenIdConnectProvider(name, {
        url: issuerUrl,
        clientIdLists: ["sts.amazonaws.com"],
        tags: ctx.tags(name),
    }, ctx.opts);
}

/** A role only the given Kubernetes service account can assume, through the cluster's OIDC provider. */
export function serviceAccountRole(
    ctx: EksContext, role: string, provider: iam.OpenIdConnectProvider, namespace: string, serviceAccount: string,
): iam.Role {
    const name = childName(ctx.name, role);
    return new iam.Role(name, {
        assumeRolePolicy: pulumi.all([provider.arn, provider.url]).apply(([arn, url]) => {
            const issuer = url.replace(/^https:\/\//, "");
            return JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Principal: { Federated: arn },
                    Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
                }],
            });
        }),
        tags: ctx.tags(name),
    }, ctx.opts);
}

/** Attaches an AWS-managed policy to a role. */
export function attachManagedPolicy(ctx: EksContext, role: iam.Role, roleName: string, policy: string): iam.RolePolicyAttachment {
    return new iam.RolePolicyAttachment(childName(ctx.name, roleName, policy), { role: role.name, policyArn: managedPolicy(ctx, policy) }, ctx.opts);
}
