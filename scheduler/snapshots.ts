/**
 * Final snapshots across a teardown and the restore on the next spin-up.
 *
 * Contract with the stack program: it exports `finalSnapshots`, a map from
 * data component name to the snapshot its deletion will take (built from
 * `intergalactic:snapshots.finalSnapshotSuffix`), and its data components
 * restore from `intergalactic:snapshots.restore.<name>`.
 *
 * The working copy only carries these keys into one `up`; what to restore is
 * kept in the backend (record.ts). Earlier versions kept it in the config of
 * the last `destroy` in the stack history; `latestTeardownRecord` still reads
 * that once, to start the record of a stack that has none.
 */
import { createHash } from "crypto";
import { ConfigMap, OutputMap, UpdateSummary } from "@pulumi/pulumi/automation";
import { ConfigEntries, DELETION_TIME } from "./record";
import { shortStackName } from "./stackName";

export const SNAPSHOTS_KEY = "intergalactic:snapshots";
export const SUFFIX_PATH = `${SNAPSHOTS_KEY}.finalSnapshotSuffix`;
export const RESTORE_PATH = `${SNAPSHOTS_KEY}.restore`;
export const FINAL_SNAPSHOTS_OUTPUT = "finalSnapshots";

/** The longest suffix `finalSnapshotSuffix` accepts (stacks/config/snapshots.ts). */
const SUFFIX_MAX = 40;
/** `td-20261128t1000z-`: what a run suffix holds before the stack's label. */
const STAMP_LENGTH = "td-20261128t1000z-".length;
/** A run suffix: its kind, minute and, since the stack is part of it, the stack's label. */
const RUN_SUFFIX = /^(td|up)-(\d{8}t\d{4}z)(?:-([a-z0-9-]+))?$/;
/**
 * A label for the stack that fits a snapshot identifier: DocumentDB's FinalDBSnapshotIdentifier takes letters,
 * digits and hyphens, first a letter, no two hyphens in a row, no hyphen last, 1-255 characters
 * (https://docs.aws.amazon.com/documentdb/latest/developerguide/API_DeleteDBCluster.html); ElastiCache's
 * DeleteReplicationGroup FinalSnapshotIdentifier documents no pattern, and HaRedis keeps its names to letters,
 * digits and hyphens, 1-255 (components/redis/redisPlan.ts). A stack name that already fits (lower case) is
 * its own label; another (capitals, `.`, `_`, too long) is shortened and ends in 8 hex digits of its hash, so
 * two stacks never share one. A qualified name (`myorg/dev`) is labelled by its stack alone (stackName.ts).
 */
export function stackLabel(qualified: string): string {
    const stack = shortStackName(qualified);
    const room = SUFFIX_MAX - STAMP_LENGTH;
    if (stack.length <= room && /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/.test(stack)) return stack;
    const hash = createHash("sha256").update(stack).digest("hex").slice(0, 8);
    const slug = stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, room - hash.length - 1).replace(/^-+|-+$/g, "");
    return slug ? `${slug}-${hash}` : hash;
}

/**
 * The project earlier versions took every stack for: they tagged and labelled a stack by its own name alone,
 * whatever project and organisation it was in (`intergalactic/<stack>`).
 */
export const LEGACY_PROJECT = "intergalactic";

/**
 * The label of a stack whose fully qualified name (`owner`: `<org>/<project>/<stack>`, `organization/...` on a
 * self-managed backend, as `pulumi stack --show-name --fully-qualify-stack-names` prints it) is known: its
 * stack's own label (`stackLabel`) for the one identity earlier versions assumed (the `intergalactic` project on
 * a self-managed backend), so the names they armed stay this stack's; for any other, the stack shortened and 8
 * hex digits of the owner's hash, so two projects' or organisations' stacks of one name in an account and region
 * never arm one name. It fits the same room as `stackLabel`'s.
 */
export function ownerLabel(owner: string, stack: string): string {
    if (!owner || owner === `organization/${LEGACY_PROJECT}/${shortStackName(stack)}`) return stackLabel(stack);
    const hash = createHash("sha256").update(owner).digest("hex").slice(0, OWNER_HASH_LENGTH);
    const slug = ownerSlug(stack);
    return slug ? `${slug}-${hash}` : hash;
}

/** How many hex digits of the owner's hash `ownerLabel` takes. */
const OWNER_HASH_LENGTH = 8;

/** The stack's part of `ownerLabel`'s label, before the owner's hash ("" when nothing of the stack's name fits). */
const ownerSlug = (stack: string): string =>
    shortStackName(stack).toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, SUFFIX_MAX - STAMP_LENGTH - OWNER_HASH_LENGTH - 1).replace(/^-+|-+$/g, "");

/**
 * Whether `suffix` is a run suffix any owner of a stack named `stack` arms (`isRunSuffixOf` for every owner at
 * once: the stack's own label, or its slug and any 8 hex digits): what a stack moved to another organisation or
 * backend armed under its earlier qualified name, which it can no longer compute. Never proof of whose it is.
 */
export function isRunSuffixOfAnyOwner(suffix: string, stack: string): boolean {
    const m = RUN_SUFFIX.exec(suffix.toLowerCase());
    if (m === null || m[3] === undefined || m[3] === stackLabel(stack)) return m !== null;
    const slug = ownerSlug(stack);
    return new RegExp(`^${slug ? `${slug}-` : ""}[0-9a-f]{${OWNER_HASH_LENGTH}}$`).test(m[3]);
}

/**
 * A suffix unique per run and stack, from its time, kind and stack: `td-20261128t1000z-dev` for a teardown
 * of `dev`, `up-...` for a spin-up (fits `finalSnapshotSuffix`'s rule). Every `up` the scheduler runs sets
 * one, so a store deleted later (by a teardown that cannot run `up` first, or by a person) takes a snapshot
 * no other deletion took, and no other stack in the account and region either: snapshot names are unique
 * per account and region, and two dev stacks' teardowns in the same minute would otherwise take one name.
 * With the stack's fully qualified name (`owner`), the label is `ownerLabel`'s, so that holds across projects.
 */
export function runSuffix(kind: "td" | "up", now: Date, stack: string, owner = ""): string {
    return `${runStamp(kind, now)}-${ownerLabel(owner, stack)}`;
}

/** A run's kind and minute, `td-20261128t1000z`: the whole suffix earlier versions armed. */
export function runStamp(kind: "td" | "up", now: Date): string {
    const iso = now.toISOString(); // 2026-11-28T10:00:00.000Z
    return `${kind}-${iso.slice(0, 10).replace(/-/g, "")}t${iso.slice(11, 16).replace(":", "")}z`;
}

/**
 * Whether `suffix` is one the scheduler armed for `stack`: `runSuffix`'s (with `owner`, the stack's fully
 * qualified name, when known), or the forms earlier versions armed: by the stack's name alone, or without the
 * stack (`td-20261128t1000z`), which records and snapshots of that time still carry. Those forms say nothing of
 * the project, so a name alone never proves a snapshot this stack's (inventory/aws.ts).
 */
export function isRunSuffixOf(suffix: string, stack: string, owner = ""): boolean {
    const m = RUN_SUFFIX.exec(suffix.toLowerCase());
    return m !== null && (m[3] === undefined || m[3] === stackLabel(stack) || m[3] === ownerLabel(owner, stack));
}

function stringMap(value: unknown): Record<string, string> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export const RESTORE_SOURCES_OUTPUT = "restoreSources";

/**
 * Per store, the config besides `restore.<store>` its next creation needs to
 * come back from the snapshot (the outputs' `restoreSources.<store>.config`,
 * e.g. the retained KMS key), with the point-in-time key set to
 * DELETION_TIME when the restore goes back to the moment of deletion.
 */
export function restoreConfigsFromOutputs(outputs: OutputMap): Record<string, ConfigEntries> {
    const sources = outputs[RESTORE_SOURCES_OUTPUT]?.value;
    if (sources === null || typeof sources !== "object" || Array.isArray(sources)) return {};
    const out: Record<string, ConfigEntries> = {};
    for (const [store, source] of Object.entries(sources as Record<string, unknown>)) {
        const s = (source ?? {}) as { config?: unknown; needsPointInTime?: unknown; pointInTimeConfigKey?: unknown };
        const config = Object.fromEntries(Object.entries(stringMap(s.config)).filter(([key]) => key !== `${RESTORE_PATH}.${store}`));
        if (s.needsPointInTime === true && typeof s.pointInTimeConfigKey === "string" && s.pointInTimeConfigKey !== "") config[s.pointInTimeConfigKey] = DELETION_TIME;
        out[store] = config;
    }
    return out;
}

/** The snapshots the data stores will take on deletion, from the stack outputs. */
export function finalSnapshotsFromOutputs(outputs: OutputMap): Record<string, string> {
    return stringMap(outputs[FINAL_SNAPSHOTS_OUTPUT]?.value);
}

/** The `restore` map recorded in a config map (structured values arrive as JSON text or as an object). */
export function restoreFromConfig(config: ConfigMap | undefined): Record<string, string> {
    const entry = config?.[SNAPSHOTS_KEY] as { value?: unknown; objectValue?: unknown } | undefined;
    if (!entry) return {};
    let value: unknown = entry.objectValue ?? entry.value;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return {};
        }
    }
    return stringMap((value as { restore?: unknown } | null)?.restore);
}

/** The restore map of the latest teardown, from the stack history; empty when there was none. */
export function latestTeardownRecord(history: readonly UpdateSummary[]): Record<string, string> {
    const lastDestroy = history.find((h) => h.kind === "destroy");
    return restoreFromConfig(lastDestroy?.config);
}
