/**
 * Mocked computed attributes of the BastionHost's resources, in the formats
 * AWS and Azure return them.
 */
import { awsArn } from "./aws";
import { ComputedTable } from "./types";

const uuid = (hash: string) => `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;

export const bastionComputed: ComputedTable = {
    // An ASG's id is its name; its ARN carries a generated UUID.
    "aws:autoscaling/group:Group": (ctx) => ({
        arn: awsArn(ctx, `autoScalingGroup:${uuid(ctx.hash)}:autoScalingGroupName/${ctx.physicalName}`),
        availabilityZones: [],
        defaultCooldown: 300,
    }),
    // A key pair is named by `keyName`, not `name`, so the mocks' generic naming misses it.
    "aws:ec2/keyPair:KeyPair": (ctx) => ({
        keyName: ctx.inputs.keyName ?? ctx.physicalName,
        keyPairId: `key-${ctx.hash.slice(0, 17)}`,
        keyType: String(ctx.inputs.publicKey ?? "").startsWith("ssh-ed25519") ? "ed25519" : "rsa",
        fingerprint: ctx.hash.slice(0, 32).replace(/(..)(?!$)/g, "$1:"),
    }),
    "azure-native:network:BastionHost": (ctx) => ({ dnsName: `bst-${uuid(ctx.hash)}.bastion.azure.com` }),
    "azure-native:compute:VirtualMachine": (ctx) => ({ vmId: uuid(ctx.hash) }),
    "azure-native:network:NetworkInterface": (ctx) => ({ macAddress: ctx.hash.slice(0, 12).toUpperCase().replace(/(..)(?!$)/g, "$1-") }),
};
