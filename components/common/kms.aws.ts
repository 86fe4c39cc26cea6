/**
 * Customer managed KMS keys with a policy of their own (see `keyPolicy.ts`),
 * yearly rotation and KMS's longest deletion window.
 */
import * as kms from "@pulumi/aws/kms";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { KeyScope, KeyUse, keyPolicy } from "./keyPolicy";
import { Tags } from "./tags";

/** KMS's longest waiting period before a scheduled deletion (7-30 days): time to notice and cancel. */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** The partition, region and account a key is created in, looked up once per caller. */
export function keyScope(opts: pulumi.InvokeOptions): pulumi.Output<KeyScope> {
    const partition = getPartitionOutput({}, opts);
    return pulumi.all([partition.partition, partition.dnsSuffix, getRegionOutput({}, opts).region, getCallerIdentityOutput({}, opts).accountId])
        .apply(([p, dnsSuffix, region, account]) => ({ partition: p, dnsSuffix, region, account }));
}

export interface ProjectKeyArgs {
    readonly description: string;
    readonly scope: pulumi.Output<KeyScope>;
    /** Who uses the key; Outputs (role ARNs, generated names) are resolved before the key is created. */
    readonly use: pulumi.Input<KeyUse>;
    readonly tags: Tags;
}

/** A symmetric key with automatic yearly rotation and its own key policy. */
export function projectKey(name: string, args: ProjectKeyArgs, opts: pulumi.CustomResourceOptions): kms.Key {
    return new kms.Key(name, {
        description: args.description,
        enableKeyRotation: true,
        deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
        policy: pulumi.all([args.scope, pulumi.output(args.use)]).apply(([scope, use]) => keyPolicy(scope, use as KeyUse)),
        tags: args.tags,
    }, opts);
}
