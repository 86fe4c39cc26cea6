/**
 * `intergalactic:snapshots`: how the stateful data stores are torn down and
 * brought back. The scheduler writes these keys before a teardown (a suffix
 * unique to that teardown) and before a spin-up (the snapshots to restore).
 */
import { ConfigObject } from "./reader";

export interface SnapshotsConfig {
    /** Appended to every final snapshot name; unique per teardown so names never collide. */
    readonly finalSnapshotSuffix: string;
    /** Snapshot to restore per data component name (e.g. `{ "cache": "...", "users": "..." }`). */
    readonly restore: Readonly<Record<string, string>>;
    /**
     * AWS: per data component name, the retained KMS key (id or ARN) its restore snapshot is encrypted
     * with; the component adopts it instead of creating a key (the stack's `restoreSources.<name>.encryptionKeyArn`).
     */
    readonly encryptionKeys: Readonly<Record<string, string>>;
    /**
     * Data components whose data a scheduled teardown may drop: it deletes them
     * without a final snapshot. Any other data store without a final snapshot
     * makes the teardown refuse.
     * @default []
     */
    readonly dropDataOnTeardown: readonly string[];
}

/** Snapshot names allow letters, digits and hyphens, start with a letter, and AWS caps them at 255. */
const SUFFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function parseSnapshots(obj: ConfigObject): SnapshotsConfig {
    const suffix = obj.string("finalSnapshotSuffix", "final");
    obj.problems.check(SUFFIX_PATTERN.test(suffix), `${obj.path}.finalSnapshotSuffix`, suffix,
        "must be 1-40 lowercase letters, digits or hyphens, starting with a letter or digit");
    const drop = obj.stringList("dropDataOnTeardown", []);
    for (const name of drop) obj.problems.check(name.trim() !== "", `${obj.path}.dropDataOnTeardown`, name, "must name a data component (e.g. cache)");
    const config: SnapshotsConfig = {
        finalSnapshotSuffix: suffix, restore: obj.stringMap("restore"), encryptionKeys: obj.stringMap("encryptionKeys"), dropDataOnTeardown: drop,
    };
    obj.rejectUnknownKeys();
    return config;
}
