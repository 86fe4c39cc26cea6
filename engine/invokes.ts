/**
 * Answers to provider functions (invokes) under the mocks, with the values the
 * real clouds return: zones per region, the latest Amazon Linux AMI, identities.
 */

import type { PlannedResource } from "./format";

/**
 * Availability zones per AWS region as a typical account sees them (us-west-1 offers two), each
 * with its zone ID. Names map to physical zones per account; IDs are the same for everyone
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html). This account's
 * us-east-1c is use1-az3, which EKS rejects, so the offline plan exercises choosing by zone ID.
 */
export const AWS_REGION_ZONES: Readonly<Record<string, readonly (readonly [name: string, id: string])[]>> = {
    "us-east-1": [["us-east-1a", "use1-az6"], ["us-east-1b", "use1-az1"], ["us-east-1c", "use1-az3"], ["us-east-1d", "use1-az2"], ["us-east-1e", "use1-az4"], ["us-east-1f", "use1-az5"]],
    "us-east-2": [["us-east-2a", "use2-az1"], ["us-east-2b", "use2-az2"], ["us-east-2c", "use2-az3"]],
    "us-west-1": [["us-west-1a", "usw1-az1"], ["us-west-1c", "usw1-az3"]],
    "us-west-2": [["us-west-2a", "usw2-az2"], ["us-west-2b", "usw2-az1"], ["us-west-2c", "usw2-az3"], ["us-west-2d", "usw2-az4"]],
    "eu-west-1": [["eu-west-1a", "euw1-az3"], ["eu-west-1b", "euw1-az1"], ["eu-west-1c", "euw1-az2"]],
    "eu-central-1": [["eu-central-1a", "euc1-az2"], ["eu-central-1b", "euc1-az3"], ["eu-central-1c", "euc1-az1"]],
    "ap-southeast-2": [["ap-southeast-2a", "apse2-az1"], ["ap-southeast-2b", "apse2-az3"], ["ap-southeast-2c", "apse2-az2"]],
};

/** The zone ID of a zone name in the offline plan's account. */
export function awsZoneId(name: string): string | undefined {
    return Object.values(AWS_REGION_ZONES).flat().find(([n]) => n === name)?.[1];
}

/** The account and tenant the offline plan pretends to be. */
export const MOCK_IDENTITY = {
    awsAccountId: "123456789012",
    azureSubscriptionId: "00000000-0000-4000-8000-000000000001",
    azureTenantId: "00000000-0000-4000-8000-000000000002",
    azureClientId: "00000000-0000-4000-8000-000000000003",
    azureObjectId: "00000000-0000-4000-8000-000000000004",
} as const;

export interface InvokeEnvironment {
    readonly awsRegion: string;
    /** What the cloud holds (an earlier plan's resources), for invokes that read live resources; none: nothing deployed. */
    readonly deployed: readonly PlannedResource[];
}

/** Application Load Balancers' canonical hosted zone ids of the regions the offline plan knows. */
const ALB_HOSTED_ZONES: Readonly<Record<string, string>> = {
    "us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-1": "Z368ELLRRE2KJ0", "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2", "eu-central-1": "Z215JYRZR1TBD5", "ap-southeast-2": "Z1GM3OXH4ZPM65",
};

type InvokeHandler = (inputs: Record<string, any>, env: InvokeEnvironment) => Record<string, unknown>;

const handlers: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, env) => {
        const all = AWS_REGION_ZONES[env.awsRegion];
        if (!all) throw new Error(`the offline plan knows no zones for AWS region "${env.awsRegion}": known regions are ${Object.keys(AWS_REGION_ZONES).join(", ")}`);
        // As the provider does: drop the excluded names and IDs (every zone here is available and needs no opt-in).
        const zones = all.filter(([name, id]) => !(inputs.excludeNames ?? []).includes(name) && !(inputs.excludeZoneIds ?? []).includes(id));
        return {
            id: env.awsRegion, names: zones.map(([name]) => name), zoneIds: zones.map(([, id]) => id),
            groupNames: zones.map(() => env.awsRegion), region: env.awsRegion,
        };
    },
    "aws:index/getRegion:getRegion": (_inputs, env) => ({
        id: env.awsRegion, name: env.awsRegion, region: env.awsRegion, endpoint: `ec2.${env.awsRegion}.amazonaws.com`, description: env.awsRegion,
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: MOCK_IDENTITY.awsAccountId, accountId: MOCK_IDENTITY.awsAccountId,
        arn: `arn:aws:iam::${MOCK_IDENTITY.awsAccountId}:user/planner`, userId: "AIDAPLANNER",
    }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:ec2/getAmi:getAmi": (_inputs, env) => ({
        id: "ami-0c02fb55956c7d316", imageId: "ami-0c02fb55956c7d316", architecture: "x86_64",
        name: "al2023-ami-2023.9.20251110.0-kernel-6.1-x86_64", ownerId: "137112412989", imageOwnerAlias: "amazon",
        rootDeviceName: "/dev/xvda", virtualizationType: "hvm", bootMode: "uefi-preferred", imdsSupport: "v2.0", region: env.awsRegion,
        creationDate: "2025-11-10T00:00:00.000Z", state: "available",
    }),
    // The canonical hosted zone of Application Load Balancers per region, which a Route 53 alias names
    // (https://docs.aws.amazon.com/general/latest/gr/elb.html); the real provider answers from its own table.
    "aws:lb/getHostedZoneId:getHostedZoneId": (inputs, env) => {
        const region = String(inputs.region ?? env.awsRegion);
        const id = ALB_HOSTED_ZONES[region];
        if (!id) throw new Error(`the offline plan knows no ALB hosted zone for AWS region "${region}": known regions are ${Object.keys(ALB_HOSTED_ZONES).join(", ")}`);
        return { id, region, loadBalancerType: inputs.loadBalancerType ?? "application" };
    },
    "azure-native:authorization:getClientConfig": () => ({
        clientId: MOCK_IDENTITY.azureClientId, objectId: MOCK_IDENTITY.azureObjectId,
        subscriptionId: MOCK_IDENTITY.azureSubscriptionId, tenantId: MOCK_IDENTITY.azureTenantId,
    }),
};

/** Registers more invoke answers (used by component folders that need their own). */
const extraHandlers = new Map<string, InvokeHandler>();
export function registerInvoke(token: string, handler: InvokeHandler): void {
    extraHandlers.set(token, handler);
}

/** Answers an invoke, or fails loudly: a silently empty answer would hide a missing mock. */
export function answerInvoke(token: string, inputs: Record<string, any>, env: InvokeEnvironment): Record<string, unknown> {
    const handler = handlers[token] ?? extraHandlers.get(token);
    if (!handler) throw new Error(`the offline plan has no answer for the invoke "${token}": add one in engine/invokes.ts`);
    return handler(inputs, env);
}
