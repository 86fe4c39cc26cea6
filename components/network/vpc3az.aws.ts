/**
 * Vpc3Az on AWS: VPC, subnets per tier and AZ, internet gateway, NAT gateways,
 * one route table per tier and AZ, an S3 gateway endpoint and VPC flow logs.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { gatedOn } from "../common/gates";
import { childName, zoneLabel } from "../common/naming";
import { keyScope, projectKey } from "../common/kms.aws";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { Tier } from "./layout";
import { NetworkPlan, SubnetSpec } from "./networkPlan";
import { PrivateRouteTable, Vpc3AzImplementation, Vpc3AzInputs, Vpc3AzResources } from "./vpc3az";

/** Subnet tags the AWS Load Balancer Controller uses to discover where to put load balancers. */
const LOAD_BALANCER_ROLE_TAGS: Partial<Record<string, Tags>> = {
    [Tier.Public]: { "kubernetes.io/role/elb": "1" },
    [Tier.App]: { "kubernetes.io/role/internal-elb": "1" },
};

export class AwsVpc3Az implements Vpc3AzImplementation {
    build(parent: pulumi.Resource, plan: NetworkPlan, _inputs: Vpc3AzInputs): Vpc3AzResources {
        const opts = { parent };
        const tags = (name: string, extra: Tags = {}) => mergeTags(name, plan.tags, { [TagKeys.Component]: plan.name, ...extra });

        const vpc = new ec2.Vpc(childName(plan.name, "vpc"), {
            cidrBlock: plan.cidrBlock,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: tags(plan.name),
        }, opts);
        // Take every rule off the default security group so nothing can use it by accident (CIS AWS 5.4).
        new ec2.DefaultSecurityGroup(childName(plan.name, "default-sg"), {
            vpcId: vpc.id, ingress: [], egress: [], tags: tags(childName(plan.name, "default-sg")),
        }, opts);
        const igw = new ec2.InternetGateway(childName(plan.name, "igw"), { vpcId: vpc.id, tags: tags(childName(plan.name, "igw")) }, opts);

        const subnets = new Map<string, ec2.Subnet>();
        for (const spec of plan.subnets) {
            subnets.set(spec.name, new ec2.Subnet(spec.name, {
                vpcId: vpc.id,
                cidrBlock: spec.cidr,
                availabilityZone: spec.zone,
                // Nothing gets a public address by default; the few things that need one ask for it.
                mapPublicIpOnLaunch: false,
                tags: tags(spec.name, { [TagKeys.Tier]: spec.tier, [TagKeys.Zone]: spec.zone ?? "", ...LOAD_BALANCER_ROLE_TAGS[spec.tier] }),
            }, opts));
        }

        const natIds = new Map<string, pulumi.Output<string>>();
        for (const nat of plan.nats) {
            const eip = new ec2.Eip(childName(plan.name, "nat-eip", zoneLabel(nat.zone)), {
                domain: "vpc", tags: tags(childName(plan.name, "nat-eip", zoneLabel(nat.zone))),
            }, opts);
            const publicSubnet = subnets.get(childName(plan.name, Tier.Public, zoneLabel(nat.zone)))!;
            const gateway = new ec2.NatGateway(nat.name, {
                allocationId: eip.id,
                subnetId: publicSubnet.id,
                connectivityType: "public",
                tags: tags(nat.name, { [TagKeys.Zone]: nat.zone }),
            }, { ...opts, dependsOn: [igw] });
            for (const served of nat.serves) natIds.set(served, gateway.id);
        }

        const privateRouteTables: PrivateRouteTable[] = [];
        // What each subnet's traffic takes out of it: its route table association and default route (and
        // through that route the NAT or internet gateway). See the subnet ids returned below.
        const egressPath = new Map<string, pulumi.Resource[]>();
        for (const spec of plan.subnets) {
            const { routeTable, association } = this.routeTableFor(plan, spec, vpc, subnets.get(spec.name)!, tags, opts);
            const path: pulumi.Resource[] = [association];
            if (spec.tier === Tier.Public) {
                path.push(new ec2.Route(childName(spec.name, "default-route"), {
                    routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id,
                }, opts));
            } else {
                privateRouteTables.push({ name: routeTableName(plan, spec), tier: spec.tier, zone: spec.zone!, id: routeTable.id });
                const natId = natIds.get(spec.name);
                if (spec.tier === Tier.App && natId) {
                    path.push(new ec2.Route(childName(spec.name, "default-route"), {
                        routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natId,
                    }, opts));
                }
            }
            egressPath.set(spec.name, path);
        }

        // S3 traffic from the app and data tiers stays on the AWS network and costs no NAT processing. The
        // endpoint admits only this account's buckets and the AWS-owned ones the nodes read from, not every bucket.
        const region = getRegionOutput({}, opts);
        const scope = keyScope(opts);
        new ec2.VpcEndpoint(childName(plan.name, "s3-endpoint"), {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRouteTables.map((t) => t.id),
            policy: scope.apply((s) => s3EndpointPolicy(s.partition, s.region, s.account)),
            tags: tags(childName(plan.name, "s3-endpoint")),
        }, opts);

        this.flowLogs(plan, vpc, tags, opts);

        return {
            networkId: vpc.id,
            // A subnet's id resolves only once its way out exists, so whatever is placed in the subnet (nodes,
            // the load balancer controller's ALB, data stores) is created after its routes and deleted before
            // them. Otherwise a destroy removes the routes and NAT gateways in its first wave, beside the
            // Ingress: the controller, whose pods reach the ELB and STS APIs through the NAT, can no longer
            // delete the ALB, the Ingress's finalizer hangs and the ALB's interfaces block the VPC's deletion
            // (kubernetes-sigs/aws-load-balancer-controller#1629, hashicorp/terraform#21850). Nodes need it on
            // create as well: they join the cluster and pull images through it.
            subnetIds: Object.fromEntries([...subnets].map(([name, subnet]) => [name, gatedOn(subnet.id, egressPath.get(name)!)])),
            // The EKS control plane's interfaces take addresses in the app subnets and need no way out
            // (only nodes do: the node-egress gate of the deployability rules), so it reads these.
            subnetIdsBeforeRoutes: Object.fromEntries([...subnets].map(([name, subnet]) => [name, subnet.id])),
            privateRouteTables,
        };
    }

    private routeTableFor(
        plan: NetworkPlan, spec: SubnetSpec, vpc: ec2.Vpc, subnet: ec2.Subnet,
        tags: (name: string, extra?: Tags) => Tags, opts: pulumi.CustomResourceOptions,
    ): { routeTable: ec2.RouteTable; association: ec2.RouteTableAssociation } {
        const name = routeTableName(plan, spec);
        const routeTable = new ec2.RouteTable(name, {
            vpcId: vpc.id, tags: tags(name, { [TagKeys.Tier]: spec.tier, [TagKeys.Zone]: spec.zone! }),
        }, opts);
        const association = new ec2.RouteTableAssociation(childName(spec.name, "rta"), { subnetId: subnet.id, routeTableId: routeTable.id }, opts);
        return { routeTable, association };
    }

    private flowLogs(plan: NetworkPlan, vpc: ec2.Vpc, tags: (name: string) => Tags, opts: pulumi.CustomResourceOptions): void {
        const name = childName(plan.name, "flow-logs");
        const scope = keyScope(opts);
        const keyName = childName(plan.name, "logs-key");
        // The group's name is generated (`<logical name>-<suffix>`), so the key admits that prefix.
        const key = projectKey(keyName, {
            description: `Encrypts the VPC flow logs of ${plan.name}`, scope, use: { logGroups: [`${name}-*`] }, tags: tags(keyName),
        }, opts);
        const logGroup = new cloudwatch.LogGroup(name, {
            retentionInDays: plan.flowLogRetentionDays, kmsKeyId: key.arn, tags: tags(name),
        }, opts);
        const role = new iam.Role(name, {
            assumeRolePolicy: scope.apply((s) => flowLogTrustPolicy(s.partition, s.region, s.account)),
            tags: tags(name),
        }, opts);
        new iam.RolePolicy(name, {
            role: role.id,
            policy: logGroup.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                    Resource: [arn, `${arn}:*`],
                }],
            })),
        }, opts);
        new ec2.FlowLog(name, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: tags(name),
        }, opts);
    }
}

/** A subnet's route table: one per tier and zone (`net-rt-app-a`). */
const routeTableName = (plan: NetworkPlan, spec: SubnetSpec): string => childName(plan.name, "rt", `${spec.tier}-${zoneLabel(spec.zone!)}`);

/**
 * The S3 gateway endpoint's policy. The default ("full access") lets anything in the private subnets
 * reach any bucket of any account in the region, a path out that no NAT or flow log destination shows
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). A request the policy
 * denies fails: S3 in the endpoint's region is routed only through it. So it admits:
 * - this account's buckets (`aws:ResourceAccount`);
 * - reads of the AWS-owned buckets the nodes pull from: ECR image layers
 *   (`prod-<region>-starport-layer-bucket`, https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-setting-up-s3-gateway),
 *   the Amazon Linux 2023 package repositories (`al2023-repos-<region>-<id>`, what dnf on the nodes and
 *   bastion resolves), and registry.k8s.io's layer copy in the region (`prod-registry-k8s-io-<region>`:
 *   registry.k8s.io redirects pulls from AWS to it, and an endpoint policy without it fails those pulls
 *   with 403, prometheus-community/helm-charts#2421; the Cluster Autoscaler image comes from there).
 */
export function s3EndpointPolicy(partition: string, region: string, account: string): string {
    const bucket = (name: string) => `arn:${partition}:s3:::${name}/*`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ThisAccountsBuckets", Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*",
                Condition: { StringEquals: { "aws:ResourceAccount": account } },
            },
            {
                Sid: "ReadTheAwsOwnedBucketsNodesUse", Effect: "Allow", Principal: "*", Action: "s3:GetObject",
                Resource: [
                    bucket(`prod-${region}-starport-layer-bucket`), bucket(`al2023-repos-${region}-*`), bucket(`prod-registry-k8s-io-${region}`),
                ],
            },
        ],
    });
}

/**
 * The flow-log role's trust: only the flow-logs service, and only for flow logs of this account
 * in this region, so another account's flow log cannot make the service act with this role
 * (confused deputy; https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
 */
export function flowLogTrustPolicy(partition: string, region: string, account: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Condition: {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` },
            },
        }],
    });
}
