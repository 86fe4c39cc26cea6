/**
 * Answers to provider functions (invokes) under the mocks, with the values the
 * real clouds return: zones per region, the latest Amazon Linux AMI, identities.
 */

/** Availability zones per AWS region as a typical account sees them (us-west-1 offers two). */
export const AWS_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
    "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
    "us-west-1": ["us-west-1a", "us-west-1c"],
    "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
    "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    "ap-southeast-2": ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
};

/** AWS zone ids are per account; a fixed mapping keeps plans reproducible. */
const zoneId = (region: string, index: number) => `${region.replace(/-/g, "").replace(/(\d)$/, "$1")}-az${index + 1}`;

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
}

type InvokeHandler = (inputs: Record<string, any>, env: InvokeEnvironment) => Record<string, unknown>;

const handlers: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, env) => {
        const names = AWS_REGION_ZONES[env.awsRegion];
        if (!names) throw new Error(`the offline plan knows no zones for AWS region "${env.awsRegion}": known regions are ${Object.keys(AWS_REGION_ZONES).join(", ")}`);
        return { id: env.awsRegion, names: [...names], zoneIds: names.map((_, i) => zoneId(env.awsRegion, i)), groupNames: names.map(() => env.awsRegion), region: env.awsRegion };
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
    if (!handler) throw new Error(`the offline plan has no answer for the invoke "${token}": add one in tools/plan/invokes.ts`);
    return handler(inputs, env);
}
