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
import { ConfigMap, OutputMap, Stack, UpdateSummary } from "@pulumi/pulumi/automation";

export const SNAPSHOTS_KEY = "intergalactic:snapshots";
export const SUFFIX_PATH = `${SNAPSHOTS_KEY}.finalSnapshotSuffix`;
export const RESTORE_PATH = `${SNAPSHOTS_KEY}.restore`;
export const FINAL_SNAPSHOTS_OUTPUT = "finalSnapshots";

/**
 * A suffix unique per run, from its time and kind: `td-20261128t1000z` for a
 * teardown, `up-...` for a spin-up (fits `finalSnapshotSuffix`'s rule). Every
 * `up` the scheduler runs sets one, so a store deleted later (by a teardown
 * that cannot run `up` first, or by a person) takes a snapshot no other
 * deletion took.
 */
export function runSuffix(kind: "td" | "up", now: Date): string {
    const iso = now.toISOString(); // 2026-11-28T10:00:00.000Z
    return `${kind}-${iso.slice(0, 10).replace(/-/g, "")}t${iso.slice(11, 16).replace(":", "")}z`;
}

export const teardownSuffix = (now: Date): string => runSuffix("td", now);

function stringMap(value: unknown): Record<string, string> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
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

/** A config path segment: plain when it can be, quoted otherwise (names with dots would split). */
function pathSegment(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Replaces the stack's `restore` map. */
export async function setRestore(stack: Stack, restore: Readonly<Record<string, string>>): Promise<void> {
    try {
        await stack.removeConfig(RESTORE_PATH, true);
    } catch {
        // Nothing to remove the first time.
    }
    const entries = Object.entries(restore);
    if (entries.length === 0) return;
    await stack.setAllConfig(Object.fromEntries(entries.map(([name, id]) => [`${RESTORE_PATH}${pathSegment(name)}`, { value: id }])), true);
}
