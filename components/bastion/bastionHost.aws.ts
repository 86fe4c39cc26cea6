/**
 * BastionHost on AWS: one Amazon Linux 2023 instance kept alive by an auto
 * scaling group that spans the public subnets of every zone, managed through
 * SSM Session Manager. The instance has a public IP so it reaches the SSM
 * endpoints from a public subnet without NAT or interface endpoints; its
 * security group admits nothing unless SSH ranges are given.
 */
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { Size } from "../common/size";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { BastionHostImplementation, BastionHostInputs, BastionHostResources } from "./bastionHost";
import { BastionPlan } from "./bastionPlan";

/** Instance type per size: burstable x86_64 types, matching the AMI architecture looked up below. */
export const AWS_INSTANCE_TYPES: Readonly<Record<Size, string>> = {
    small: "t3.micro",
    medium: "t3.small",
    large: "t3.medium",
};

/** The latest Amazon Linux 2023 AMI name pattern (excludes the `al2023-ami-minimal-*` images, which lack the SSM agent). */
export const AL2023_AMI_NAME = "al2023-ami-2023.*-x86_64";

/** AWS's managed policy for the SSM agent: Session Manager, Run Command and patching. */
const SSM_POLICY = "AmazonSSMManagedInstanceCore";

const ANYWHERE_IPV4 = "0.0.0.0/0";

export class AwsBastionHost implements BastionHostImplementation {
    build(parent: pulumi.Resource, plan: BastionPlan, inputs: BastionHostInputs): BastionHostResources {
        const opts = { parent };
        const tags = (name: string) => mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: "public" });

        const securityGroup = this.securityGroup(plan, inputs.networkId, tags, opts);
        const profile = this.instanceProfile(plan, tags, opts);
        const keyName = plan.sshPublicKey === undefined ? undefined : new ec2.KeyPair(childName(plan.name, "key"), {
            publicKey: plan.sshPublicKey, tags: tags(childName(plan.name, "key")),
        }, opts).keyName;

        const ami = ec2.getAmiOutput({
            owners: ["amazon"],
            mostRecent: true,
            filters: [
                { name: "name", values: [AL2023_AMI_NAME] },
                { name: "architecture", values: ["x86_64"] },
                { name: "state", values: ["available"] },
            ],
        }, opts);

        const templateName = childName(plan.name, "lt");
        const template = new ec2.LaunchTemplate(templateName, {
            description: `Bastion ${plan.name}: Amazon Linux 2023, SSM-managed`,
            imageId: ami.id,
            instanceType: AWS_INSTANCE_TYPES[plan.size],
            keyName,
            iamInstanceProfile: { arn: profile.arn },
            // The instance needs a public address to reach SSM from a public subnet; the security group admits nothing by default.
            networkInterfaces: [{
                deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [securityGroup.id],
            }],
            // IMDSv2 only, and a hop limit of 1 so containers on the host cannot reach the instance role's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            blockDeviceMappings: [{
                deviceName: ami.rootDeviceName,
                // The size is left to the AMI's snapshot; encryption uses the account's default EBS key.
                ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            updateDefaultVersion: true,
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: tags(childName(plan.name, "instance")) })),
            tags: tags(templateName),
        }, opts);

        const group = this.autoScalingGroup(plan, inputs, template, tags, opts);
        const region = getRegionOutput({}, opts).region;
        return {
            hostId: group.arn,
            autoScalingGroupName: group.name,
            securityGroupId: securityGroup.id,
            connectionHint: pulumi.interpolate`aws ssm start-session --region ${region} --target $(aws ec2 describe-instances --region ${region} --filters Name=tag:aws:autoscaling:groupName,Values=${group.name} Name=instance-state-name,Values=running --query 'Reservations[0].Instances[0].InstanceId' --output text)`,
        };
    }

    /** No ingress unless SSH ranges are given; egress only HTTPS (SSM, package repositories) and SSH into the network. */
    private securityGroup(plan: BastionPlan, vpcId: pulumi.Input<string>, tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions): ec2.SecurityGroup {
        const name = childName(plan.name, "sg");
        // No inline rules: the provider then removes the default allow-all egress rule AWS adds to a new group.
        const group = new ec2.SecurityGroup(name, {
            vpcId, description: `Bastion ${plan.name}: SSH from allowed ranges only`, tags: tags(name),
        }, opts);
        const rule = (role: string) => ({ securityGroupId: group.id, ipProtocol: "tcp", tags: tags(childName(name, role)) });
        new vpc.SecurityGroupEgressRule(childName(name, "https-out"), {
            ...rule("https-out"), fromPort: 443, toPort: 443, cidrIpv4: ANYWHERE_IPV4, description: "HTTPS to SSM and package repositories",
        }, opts);
        new vpc.SecurityGroupEgressRule(childName(name, "ssh-out"), {
            ...rule("ssh-out"), fromPort: 22, toPort: 22, cidrIpv4: plan.networkCidr, description: "SSH to hosts in the network",
        }, opts);
        for (const { name: ruleName, cidr } of plan.sshIngress) {
            new vpc.SecurityGroupIngressRule(ruleName, {
                ...rule(ruleName), fromPort: 22, toPort: 22, cidrIpv4: cidr, description: `SSH from ${cidr}`,
            }, opts);
        }
        return group;
    }

    private instanceProfile(plan: BastionPlan, tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions): iam.InstanceProfile {
        const name = childName(plan.name, "role");
        const role = new iam.Role(name, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
            }),
            tags: tags(name),
        }, opts);
        const partition = getPartitionOutput({}, opts).partition;
        new iam.RolePolicyAttachment(childName(plan.name, "ssm"), {
            role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${SSM_POLICY}`,
        }, opts);
        return new iam.InstanceProfile(childName(plan.name, "profile"), { role: role.name, tags: tags(childName(plan.name, "profile")) }, opts);
    }

    /** Exactly one instance over every public subnet: when its zone fails, the group launches the replacement in another. */
    private autoScalingGroup(
        plan: BastionPlan, inputs: BastionHostInputs, template: ec2.LaunchTemplate,
        tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions,
    ): autoscaling.Group {
        const name = childName(plan.name, "asg");
        return new autoscaling.Group(name, {
            minSize: 1,
            maxSize: 1,
            desiredCapacity: 1,
            vpcZoneIdentifiers: [...inputs.subnetIds],
            launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
            healthCheckType: "EC2",
            healthCheckGracePeriod: 120,
            // Launch the replacement before terminating the old instance, for refreshes and health replacements alike.
            instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
            // A new launch template version (e.g. a newer AMI) rolls the instance.
            instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
            tags: Object.entries(tags(name)).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
        }, opts);
    }
}
