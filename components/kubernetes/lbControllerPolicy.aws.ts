/**
 * The IAM policy of the AWS Load Balancer Controller, as a plain function.
 *
 * It follows the controller's published policy for the pinned chart
 * (kubernetes-sigs/aws-load-balancer-controller `docs/install/iam_policy.json`
 * at v2.13.0, chart 1.13.0), minus what this platform never uses: no WAF,
 * WAFv2, Shield or Cognito (the chart is told so, see `LB_CONTROLLER_ADDONS`).
 *
 * Reads are account-wide (the controller discovers subnets, certificates and
 * existing load balancers). Every write to a load balancer, target group,
 * listener, listener rule or security group is limited to resources that carry
 * the controller's `elbv2.k8s.aws/cluster` tag, which it sets when it creates
 * them, so the controller cannot touch load balancers and security groups it
 * does not own.
 */

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
/** A resource tag condition: the tag is present (the controller created the resource). */
const owned = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
/** A request tag condition: the create call tags the new resource as the controller's. */
const tagging = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };

/** Tag changes on an owned resource must not move it to another cluster (or disown it). */
const ownedNotRetagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false", [`aws:RequestTag/${CLUSTER_TAG}`]: "true" } };

const LB_RESOURCES = (partition: string) => [
    `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
    `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
    `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
];

/**
 * Listener and listener rule ARNs: `listener/app/<lb>/<lb-id>/<listener-id>` and
 * `listener-rule/app/<lb>/<lb-id>/<listener-id>/<rule-id>`. The controller tags both when it
 * creates them (feature gate ListenerRulesTagging, on by default since v2.7), and ELB requires
 * `elasticloadbalancing:AddTags` for tags passed to a Create call; without it the ALB gets no
 * listener and the Ingress no address (aws-ia/terraform-aws-eks-blueprints#717).
 */
const LISTENER_RESOURCES = (partition: string) => [
    `arn:${partition}:elasticloadbalancing:*:*:listener/app/*/*/*`,
    `arn:${partition}:elasticloadbalancing:*:*:listener/net/*/*/*`,
    `arn:${partition}:elasticloadbalancing:*:*:listener-rule/app/*/*/*/*`,
    `arn:${partition}:elasticloadbalancing:*:*:listener-rule/net/*/*/*/*`,
];

/**
 * Controller flags (chart values) for the add-ons this platform does not use. The controller
 * enables WAF, WAFv2 and Shield by default and then calls their APIs for every ALB; with those
 * permissions dropped from the policy it must be told not to (controller docs,
 * deploy/configurations.md "waf-addons").
 */
export const LB_CONTROLLER_ADDONS = { enableWaf: false, enableWafv2: false, enableShield: false } as const;

const READS = [
    "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables",
    "ec2:DescribeCoipPools", "ec2:GetCoipPoolUsage", "ec2:DescribeIpamPools", "ec2:GetSecurityGroupsForVpc",
    "elasticloadbalancing:Describe*",
    "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
];

/** The controller's policy document as JSON, for the given AWS partition. */
export function lbControllerPolicy(partition: string): string {
    const lbResources = LB_RESOURCES(partition);
    const listeners = LISTENER_RESOURCES(partition);
    const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*",
                Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
            },
            { Effect: "Allow", Action: READS, Resource: "*" },
            { Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
            {
                Effect: "Allow", Action: "ec2:CreateTags", Resource: securityGroups,
                Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...tagging },
            },
            { Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: securityGroups, Condition: ownedNotRetagged },
            // Rules on the workers' security group let the load balancers reach the pods.
            { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: "*" },
            { Effect: "Allow", Action: "ec2:DeleteSecurityGroup", Resource: "*", Condition: owned },
            {
                Effect: "Allow", Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
                Resource: "*", Condition: tagging,
            },
            {
                Effect: "Allow", Resource: "*",
                Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule",
                    "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
                    "elasticloadbalancing:ModifyListenerAttributes"],
            },
            { Effect: "Allow", Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], Resource: [...lbResources, ...listeners], Condition: ownedNotRetagged },
            {
                Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: lbResources,
                Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...tagging },
            },
            {
                Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: listeners,
                Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateListener", "CreateRule"] }, ...tagging },
            },
            {
                Effect: "Allow", Resource: "*", Condition: owned,
                Action: ["elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
                    "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools"],
            },
            {
                Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
            },
        ],
    });
}
