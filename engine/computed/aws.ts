/**
 * Mocked ids and computed attributes of AWS resources: ids in AWS's own
 * formats, ARNs, and the attributes later components read.
 */
import { createHash } from "crypto";
import { ComputedTable, MockContext } from "./types";

/** AWS id prefixes per type token; other types use their physical name as id. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
    "aws:ec2/route:Route": "r-rtb-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
    "aws:ec2/instance:Instance": "i-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx-",
    "aws:kms/key:Key": "",
};

/** A version-4-shaped UUID from a mock hash, as KMS keys and ACM certificates are named. */
const uuidOf = (hash: string): string => `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;

/**
 * The id an AWS resource gets under the mocks. A peering's accepter takes the id of the connection it accepts, as the
 * provider sets it (terraform-provider-aws internal/service/ec2/vpc_peering_connection_accepter.go: `d.SetId(vpcPeeringConnectionID)`),
 * so the routes through it name the connection.
 */
export function awsId(type: string, physicalName: string, hash: string, inputs: Readonly<Record<string, unknown>> = {}): string {
    if (type === "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter" && typeof inputs.vpcPeeringConnectionId === "string") return inputs.vpcPeeringConnectionId;
    const prefix = ID_PREFIXES[type];
    if (prefix === undefined) return physicalName;
    if (type === "aws:kms/key:Key") return uuidOf(hash);
    return `${prefix}${hash.slice(0, 17)}`;
}

/** `arn:aws:<service>:<region>:<account>:<resource>`; IAM is global and has no region. */
export function awsArn(ctx: MockContext, resource: string): string {
    const service = ctx.type.split(":")[1].split("/")[0];
    const region = service === "iam" ? "" : ctx.aws.region;
    return `arn:aws:${service}:${region}:${ctx.aws.accountId}:${resource}`;
}

const resourceKind = (type: string) => type.split(":")[2].replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();

/** Attributes every AWS resource gets: `arn`, `name` (when autonamed), tags echoed as `tagsAll`. */
export function awsCommon(ctx: MockContext): Record<string, unknown> {
    const service = ctx.type.split(":")[1].split("/")[0];
    const resource = service === "iam" ? `${resourceKind(ctx.type)}/${ctx.physicalName}` : `${resourceKind(ctx.type)}/${ctx.id}`;
    return { arn: awsArn(ctx, resource), name: ctx.inputs.name ?? ctx.physicalName, tagsAll: ctx.inputs.tags ?? {} };
}

/** Network, bastion and shared AWS types. */
export const awsComputed: ComputedTable = {
    "aws:ec2/vpc:Vpc": (ctx) => ({ defaultSecurityGroupId: `sg-${ctx.hash.slice(0, 17)}`, mainRouteTableId: `rtb-${ctx.hash.slice(1, 18)}`, ownerId: ctx.aws.accountId }),
    "aws:ec2/eip:Eip": (ctx) => ({ allocationId: ctx.id, publicIp: `203.0.113.${parseInt(ctx.hash.slice(0, 2), 16) % 250 + 1}` }),
    "aws:ec2/natGateway:NatGateway": (ctx) => ({ privateIp: "10.0.0.10", publicIp: "203.0.113.10", networkInterfaceId: `eni-${ctx.hash.slice(0, 17)}` }),
    "aws:iam/role:Role": (ctx) => ({ uniqueId: `AROA${ctx.hash.slice(0, 17).toUpperCase()}` }),
    "aws:iam/instanceProfile:InstanceProfile": (ctx) => ({ uniqueId: `AIPA${ctx.hash.slice(0, 17).toUpperCase()}` }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    // Log groups belong to the `logs` service, not `cloudwatch`: arn:aws:logs:<region>:<account>:log-group:<name>.
    // A `namePrefix` gets a 26-character unique suffix, as the provider generates it.
    "aws:cloudwatch/logGroup:LogGroup": (ctx) => {
        const name = ctx.inputs.name ?? (ctx.inputs.namePrefix ? `${ctx.inputs.namePrefix}${ctx.hash.slice(0, 26)}` : ctx.physicalName);
        return { name, arn: `arn:aws:logs:${ctx.aws.region}:${ctx.aws.accountId}:log-group:${name}` };
    },
    "aws:kms/key:Key": (ctx) => ({ keyId: ctx.id, arn: awsArn(ctx, `key/${ctx.id}`) }),
    // An inter-region request waits for its accepter (status pending-acceptance); the accepter's create accepts it,
    // which makes it active (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionStateReason.html: pending-acceptance, provisioning, active).
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": (ctx) => ({ acceptStatus: "pending-acceptance", peerOwnerId: ctx.inputs.peerOwnerId ?? ctx.aws.accountId }),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": () => ({ acceptStatus: "active" }),
    // ACM names a certificate by a UUID: arn:aws:acm:<region>:<account>:certificate/<uuid>.
    "aws:acm/certificate:Certificate": (ctx) => ({ arn: awsArn(ctx, `certificate/${uuidOf(ctx.hash)}`), domainValidationOptions: acmValidationOptions(ctx) }),
};

/**
 * A DNS-validated ACM certificate's `domainValidationOptions`: one per name (the domain name, then the
 * SANs), each a CNAME whose name and value ACM derives from the account and the name only, so two
 * certificates of one name in one account get the same record whatever their region
 * (hashicorp/terraform-provider-aws#13653 and #9666; pulumi/pulumi-cloudflare#264), and `*.x` shares
 * x's. Both come back fully qualified with a trailing dot, as the API returns them
 * (`_<hex>.cookies.example.com.`, `_<hex>.<random>.acm-validations.aws.`).
 */
function acmValidationOptions(ctx: MockContext): Record<string, string>[] {
    if (ctx.inputs.validationMethod !== "DNS" || typeof ctx.inputs.domainName !== "string") return [];
    const names = [ctx.inputs.domainName as string, ...((ctx.inputs.subjectAlternativeNames ?? []) as string[])];
    return [...new Set(names)].map((domainName) => {
        const base = domainName.replace(/^\*\./, "").toLowerCase();
        const digest = createHash("sha256").update(`${ctx.aws.accountId}/${base}`).digest("hex");
        return {
            domainName,
            resourceRecordName: `_${digest.slice(0, 32)}.${base}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${digest.slice(32, 64)}.mockvalidat.acm-validations.aws.`,
        };
    });
}
