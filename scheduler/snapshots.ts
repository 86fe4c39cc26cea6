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
import { ConfigMap, OutputMap, UpdateSummary } from "@pulumi/pulumi/automation";
import { ConfigEntries, DELETION_TIME } from "./record";

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
