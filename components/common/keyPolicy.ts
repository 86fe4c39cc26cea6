/**
 * KMS key policies of the project's customer managed keys, as plain functions.
 *
 * A key without a policy of its own gets KMS's default (`kms:*` for the account), which lets any
 * principal the account's IAM allows decrypt with the key directly. Each project key instead says
 * who uses it and how:
 * - the account administers it through IAM (so it can never become unmanageable, and the
 *   lockout safety check passes), but administration includes no cryptographic use. The actions
 *   are listed one by one: the documented default's `kms:Create*` matches `kms:CreateGrant`
 *   (IAM wildcards match by name), and a grant lets its grantee decrypt directly, past every
 *   `kms:ViaService` condition (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html);
 * - grants are created only for AWS resources (`kms:GrantIsForAWSResource`: an integrated service
 *   asks on the principal's behalf, as RDS, MSK, ElastiCache and EKS do when they attach the key),
 *   the default policy's "Allow attachment of persistent resources" statement
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html);
 * - data keys are used only through the services that store the data (`kms:ViaService`) by
 *   principals of this account (`kms:CallerAccount`): the pattern of AWS's own service keys
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service);
 * - named roles (the EKS cluster role) use it directly;
 * - CloudWatch Logs encrypts only the listed log groups: it needs the regional service principal
 *   and the `kms:EncryptionContext:aws:logs:arn` condition, or it refuses to associate the key
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */

/** Where a key lives: its partition, region, account and the partition's DNS suffix (`amazonaws.com`). */
export interface KeyScope {
    readonly partition: string;
    readonly region: string;
    readonly account: string;
    readonly dnsSuffix: string;
}

/** Who uses a key. */
export interface KeyUse {
    /** Services that use the key for this account's principals, by endpoint prefix: `rds`, `kafka`, `secretsmanager`, `elasticache`. */
    readonly viaServices?: readonly string[];
    /** IAM role ARNs that use the key directly. */
    readonly roles?: readonly string[];
    /** Names (or `name-*` patterns) of the log groups CloudWatch Logs may encrypt with the key. */
    readonly logGroups?: readonly string[];
    /**
     * Principals of this account may have an AWS service create a grant for the resource it attaches the key to
     * (`kms:GrantIsForAWSResource`), with no service named: EKS does so with the cluster creator's permissions
     * (the creator needs `kms:CreateGrant` and `kms:DescribeKey` on the secrets key).
     */
    readonly attachToAwsResources?: boolean;
}

/**
 * The key administrator actions on a symmetric key, one by one: those of KMS's documented default
 * administrator statement without `kms:CreateGrant` (which its `kms:Create*` includes). `kms:PutKeyPolicy`
 * stays: "administered through IAM" means the account can rewrite the policy, a visible change that
 * CloudTrail and Config record, unlike a grant.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
    "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
    "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
    "kms:RevokeGrant", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/** What a principal (or a service for it) needs to encrypt and decrypt with a key; grants are apart (`GRANT_ACTIONS`). */
export const KEY_USE_ACTIONS: readonly string[] = [
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:ListGrants",
];

/** Creating grants: allowed only with `kms:GrantIsForAWSResource`, for the services that attach the key to a resource. */
export const GRANT_ACTIONS: readonly string[] = ["kms:CreateGrant"];

/** The condition every grant-creating statement carries: an integrated AWS service asks on the principal's behalf. */
const FOR_AWS_RESOURCE = { "kms:GrantIsForAWSResource": "true" };

/** What CloudWatch Logs needs (the actions of its documented key policy). */
export const LOGS_ACTIONS: readonly string[] = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/** The endpoint a service calls KMS from, the value of `kms:ViaService`. */
export const viaService = (scope: KeyScope, service: string) => `${service}.${scope.region}.${scope.dnsSuffix}`;

/** The ARN CloudWatch Logs puts in the encryption context for a log group. */
export const logGroupArn = (scope: KeyScope, name: string) => `arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:${name}`;

/** The key policy document (JSON) for a key with the given uses. */
export function keyPolicy(scope: KeyScope, use: KeyUse): string {
    const root = `arn:${scope.partition}:iam::${scope.account}:root`;
    const statements: object[] = [
        { Sid: "AdministerThroughIam", Effect: "Allow", Principal: { AWS: root }, Action: [...KEY_ADMIN_ACTIONS], Resource: "*" },
    ];
    // CloudWatch Logs also calls KMS for the principals who read an encrypted group, through its own endpoint
    // ("CloudWatch Logs now supports kms:ViaService ... add this to your roles which call CloudWatch Logs").
    const via = [...(use.viaServices ?? []), ...(use.logGroups && use.logGroups.length > 0 ? ["logs"] : [])];
    if (via.length > 0) {
        statements.push({
            Sid: "UseThroughTheStoringServices", Effect: "Allow", Principal: { AWS: root }, Action: [...KEY_USE_ACTIONS], Resource: "*",
            Condition: {
                StringEquals: { "kms:ViaService": via.map((s) => viaService(scope, s)), "kms:CallerAccount": scope.account },
            },
        });
    }
    // DocumentDB (RDS), MSK and ElastiCache create grants for the resources they attach the key to; CloudWatch
    // Logs' readers need none, so `logs` is not among them.
    const storing = use.viaServices ?? [];
    if (storing.length > 0) {
        statements.push({
            Sid: "GrantsThroughTheStoringServices", Effect: "Allow", Principal: { AWS: root }, Action: [...GRANT_ACTIONS], Resource: "*",
            Condition: {
                StringEquals: { "kms:ViaService": storing.map((s) => viaService(scope, s)), "kms:CallerAccount": scope.account },
                Bool: FOR_AWS_RESOURCE,
            },
        });
    }
    if (use.roles && use.roles.length > 0) {
        statements.push({ Sid: "UseByRoles", Effect: "Allow", Principal: { AWS: [...use.roles] }, Action: [...KEY_USE_ACTIONS], Resource: "*" });
    }
    if (use.attachToAwsResources) {
        statements.push({
            Sid: "AttachToAwsResources", Effect: "Allow", Principal: { AWS: root }, Action: [...GRANT_ACTIONS], Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": scope.account }, Bool: FOR_AWS_RESOURCE },
        });
    }
    if (use.logGroups && use.logGroups.length > 0) {
        statements.push({
            Sid: "EncryptTheseLogGroups", Effect: "Allow", Principal: { Service: `logs.${scope.region}.${scope.dnsSuffix}` },
            Action: [...LOGS_ACTIONS], Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": use.logGroups.map((g) => logGroupArn(scope, g)) } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A KMS key id (UUID or multi-Region `mrk-` id) or its key ARN; group 1 is the bare id, which is a key's import id. */
export const KMS_KEY_ID = /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/)?((?:mrk-[0-9a-f]{32})|(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/;
