/**
 * Teardown hygiene. Dev stacks are destroyed and recreated by the scheduler,
 * so nothing may block `pulumi destroy` or the next `pulumi up`: no deletion
 * protection, final snapshot names unique per teardown, buckets emptied on
 * delete, no names held by soft-deleted resources. Prod stacks are the
 * opposite: their data stores must be protected and keep a final snapshot.
 * Each policy takes the stack's `environment` from the pack's per-stack config.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DATA_STORE_TYPES, Environment, Types, configOf, environmentSchema, reportOn } from "../common";
import { acceptHibernatedSchema, judgedAsHibernated } from "../hibernation";

const envSchema: PolicyConfigSchema = { properties: { environment: environmentSchema } };
const protectionSchema: PolicyConfigSchema = {
    properties: {
        environment: environmentSchema,
        includeStreams: { type: "boolean", default: false, description: "Also require prod Kafka (MSK, Event Hubs) to be protected; its data is bounded by topic retention." },
        acceptHibernated: acceptHibernatedSchema,
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

/**
 * What a dev stack's hibernated plan protects on purpose: the services' Ingress, whose finalizer only the load
 * balancer controller removes, with no node left to run it (kubernetes-sigs/aws-load-balancer-controller#1629). The
 * scheduler wakes the stack before any destroy, and the wake-up lifts the protection (stacks/hibernation.ts).
 */
const PROTECTED_WHEN_HIBERNATED: readonly string[] = [Types.K8sIngress];

/**
 * A stack policy, though it judges each resource on its own: only the stack's outputs say whether the plan is a
 * hibernated one (see `../hibernation.ts`), which a resource policy cannot see.
 */
export const deletionProtection: StackValidationPolicy = {
    name: "deletion-protection",
    description: "Prod data stores (Kafka only with includeStreams) are protected (Pulumi protect, cloud deletion protection, a final snapshot); dev stacks have no deletion protection anywhere, so the scheduler can destroy them (with `acceptHibernated`, a hibernated plan's Ingress may be protected).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["teardown", "backup"],
    configSchema: protectionSchema,
    validateStack: (args, report) => {
        const config = configOf<{ environment: Environment; includeStreams: boolean; acceptHibernated: boolean }>(args, protectionSchema);
        const hibernated = judgedAsHibernated(config, args.resources);
        const judged = args.resources.filter((r) => config.environment === Environment.Dev || (DATA_STORE_TYPES.includes(r.type) && (config.includeStreams || !STREAM_TYPES.includes(r.type))));
        if (judged.length === 0) args.notApplicable("prod protection applies to data stores");
        for (const r of judged) {
            const p = r.props;
            const flag = PROTECTION_FLAGS[r.type];
            const on = (message: string) => reportOn(report, r, message);
            if (config.environment === Environment.Dev) {
                if (r.opts.protect && !(hibernated && PROTECTED_WHEN_HIBERNATED.includes(r.type))) on("is `protect`ed; a dev stack must be destroyable by the scheduler");
                if (flag && p[flag] === true) on(`${flag} is true; a dev stack must be destroyable by the scheduler`);
                continue;
            }
            if (!r.opts.protect) on("a prod data store must be `protect`ed against an accidental `pulumi destroy`");
            if (flag && p[flag] !== true) on(`${flag} must be true in prod`);
            if (r.type === Types.AwsDocDbCluster && p.skipFinalSnapshot === true) on("skipFinalSnapshot must be false in prod");
            if (r.type === Types.AwsRedis && !p.finalSnapshotIdentifier) on("finalSnapshotIdentifier must be set in prod");
        }
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
