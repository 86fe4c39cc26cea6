/**
 * Teardown hygiene. Dev stacks are destroyed and recreated by the scheduler,
 * so nothing may block `pulumi destroy` or the next `pulumi up`: no deletion
 * protection, final snapshot names unique per teardown, buckets emptied on
 * delete, no names held by soft-deleted resources. Prod stacks are the
 * opposite: their data stores must be protected and keep a final snapshot.
 * Each policy takes the stack's `environment` from the pack's per-stack config.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { DATA_STORE_TYPES, Environment, Types, configOf, environmentSchema } from "../common";

const envSchema: PolicyConfigSchema = { properties: { environment: environmentSchema } };
const protectionSchema: PolicyConfigSchema = {
    properties: {
        environment: environmentSchema,
        includeStreams: { type: "boolean", default: false, description: "Also require prod Kafka (MSK, Event Hubs) to be protected; its data is bounded by topic retention." },
    },
};
/** Stores whose loss loses data for good; Kafka streams only hold data for their retention period. */
const STREAM_TYPES: readonly string[] = [Types.AwsKafka, Types.AzureEventHubNamespace];
const environmentOf = (args: { getConfig<C extends object>(): C }) => configOf<{ environment: Environment }>(args, envSchema).environment;

/** Cloud-side deletion protection flags, per type. */
const PROTECTION_FLAGS: Readonly<Record<string, string>> = {
    [Types.AwsDocDbCluster]: "deletionProtection",
    [Types.AwsLoadBalancer]: "enableDeletionProtection",
    [Types.AwsAlbLoadBalancer]: "enableDeletionProtection",
    [Types.AwsEksCluster]: "deletionProtection",
};

export const deletionProtection: ResourceValidationPolicy = {
    name: "deletion-protection",
    description: "Prod data stores (Kafka only with includeStreams) are protected (Pulumi protect, cloud deletion protection, a final snapshot); dev stacks have no deletion protection anywhere, so the scheduler can destroy them.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["teardown", "backup"],
    configSchema: protectionSchema,
    validateResource: (args, report) => {
        const p = args.props;
        const flag = PROTECTION_FLAGS[args.type];
        const { environment, includeStreams } = configOf<{ environment: Environment; includeStreams: boolean }>(args, protectionSchema);
        if (environment === Environment.Dev) {
            if (args.opts.protect) report("is `protect`ed; a dev stack must be destroyable by the scheduler");
            if (flag && p[flag] === true) report(`${flag} is true; a dev stack must be destroyable by the scheduler`);
            return;
        }
        if (!DATA_STORE_TYPES.includes(args.type) || (!includeStreams && STREAM_TYPES.includes(args.type))) return args.notApplicable("prod protection applies to data stores");
        if (!args.opts.protect) report("a prod data store must be `protect`ed against an accidental `pulumi destroy`");
        if (flag && p[flag] !== true) report(`${flag} must be true in prod`);
        if (args.type === Types.AwsDocDbCluster && p.skipFinalSnapshot === true) report("skipFinalSnapshot must be false in prod");
        if (args.type === Types.AwsRedis && !p.finalSnapshotIdentifier) report("finalSnapshotIdentifier must be set in prod");
    },
};

const snapshotSchema: PolicyConfigSchema = {
    properties: {
        environment: environmentSchema,
        fixedSuffixes: { type: "array", items: { type: "string" }, default: ["final"], description: "Suffixes that mark a fixed (not per-teardown) final snapshot name." },
    },
};

export const finalSnapshotNames: ResourceValidationPolicy = {
    name: "final-snapshot-names",
    description: "In dev, final snapshot names are unique per teardown: a snapshot name exists only once, so a fixed name fails the second teardown.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["teardown"],
    configSchema: snapshotSchema,
    validateResource: (args, report) => {
        const { environment, fixedSuffixes } = configOf<{ environment: Environment; fixedSuffixes: string[] }>(args, snapshotSchema);
        if (environment !== Environment.Dev) return args.notApplicable("only stacks the scheduler tears down");
        if (args.type !== Types.AwsDocDbCluster && args.type !== Types.AwsRedis) return args.notApplicable("no final snapshot");
        const name = args.props.finalSnapshotIdentifier;
        if (args.type === Types.AwsDocDbCluster && args.props.skipFinalSnapshot !== true && !name) report("finalSnapshotIdentifier must be set when skipFinalSnapshot is false");
        if (typeof name === "string" && fixedSuffixes.some((s) => name === s || name.endsWith(`-${s}`))) {
            report(`finalSnapshotIdentifier ${JSON.stringify(name)} is fixed; append the teardown's own suffix (intergalactic:snapshots.finalSnapshotSuffix)`);
        }
    },
};

export const bucketsForceDestroy: ResourceValidationPolicy = {
    name: "buckets-force-destroy",
    description: "In dev, buckets are deleted with their objects (forceDestroy) and storage accounts hold no immutability that blocks deletion; remediation sets forceDestroy.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["teardown"],
    configSchema: envSchema,
    validateResource: (args, report) => {
        if (environmentOf(args) !== Environment.Dev) return args.notApplicable("only stacks the scheduler tears down");
        if (args.type === Types.AwsBucket || args.type === Types.AwsBucketV2) {
            if (args.props.forceDestroy !== true) report("forceDestroy must be true: deleting a non-empty bucket fails and blocks the teardown");
        } else if (args.type === "azure-native:storage:StorageAccount") {
            if (args.props.immutableStorageWithVersioning?.enabled === true) report("immutableStorageWithVersioning blocks deleting the account while blobs are retained");
        } else {
            args.notApplicable("not a bucket");
        }
    },
    remediateResource: (args) => {
        if (environmentOf(args) !== Environment.Dev) return undefined;
        if ((args.type !== Types.AwsBucket && args.type !== Types.AwsBucketV2) || args.props.forceDestroy === true) return undefined;
        return { ...args.props, forceDestroy: true };
    },
};

export const softDeleteNameTraps: ResourceValidationPolicy = {
    name: "soft-delete-name-traps",
    description: "In dev, nothing keeps its name after deletion: Key Vaults have no purge protection and no fixed name; Secrets Manager secrets with a fixed name are deleted without a recovery window.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["teardown"],
    configSchema: envSchema,
    validateResource: (args, report) => {
        if (environmentOf(args) !== Environment.Dev) return args.notApplicable("only stacks the scheduler tears down");
        const p = args.props;
        if (args.type === Types.AzureKeyVault) {
            // A deleted vault keeps its name for the soft-delete retention period; purge protection forbids purging it.
            if (p.properties?.enablePurgeProtection === true) report("properties.enablePurgeProtection is true: the vault cannot be purged, so its name stays taken for the retention period");
            if (typeof p.vaultName === "string") report(`vaultName ${JSON.stringify(p.vaultName)} is fixed: the soft-deleted vault holds it and the next spin-up fails; let Pulumi autoname the vault`);
        } else if (args.type === Types.AwsSecret) {
            // A secret scheduled for deletion keeps its name for the recovery window (30 days by default).
            if (typeof p.name === "string" && Number(p.recoveryWindowInDays ?? 30) !== 0) report(`name ${JSON.stringify(p.name)} is fixed and recoveryWindowInDays is not 0: the next spin-up cannot reuse the name`);
        } else {
            args.notApplicable("no soft-deleted name");
        }
    },
};
