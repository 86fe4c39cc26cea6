/**
 * The cloud's own inventory of kept snapshots, the record of last resort: it
 * survives what the stack tags and history do not (a stack moved by
 * `stack export`/`import` or `stack migrate` keeps neither, pulumi/pulumi#10339),
 * and a fresh working copy knows nothing. Each snapshot a deletion keeps is
 * found by the stack and store it belongs to (tags copied from the store, or
 * the restorable account's name) and says when it was taken and what the
 * deleted store had been restored from.
 *
 * A spin-up asks it only when the record cannot say what to restore, and to
 * check that the snapshot the record names still exists. It restores from it
 * only what is provably the newest real data: the only snapshot there is, or
 * the newest when that one was restored from another kept snapshot (or from
 * the record's last known one). Otherwise it stops and names the candidates.
 */
import { CLOUDS, Cloud, PerCloud } from "../../components/common/cloud";
import { ExportedResource, sameSnapshot } from "../lineage";
import { ConfigEntries, UNKNOWN_LINEAGE } from "../record";

export interface KeptSnapshot {
    /** What `intergalactic:snapshots.restore.<store>` takes to restore it. */
    readonly id: string;
    /**
     * When the deletion took it; undefined when the cloud does not say (yet): such a snapshot is never
     * proven the newest of several.
     */
    readonly takenAt?: Date;
    /** What the deleted store had been restored from: "" created empty, `?` not said. */
    readonly from: string;
    /** Config besides the snapshot its restore needs (its KMS key, a point in time). */
    readonly config: ConfigEntries;
    /** The last moment it can be restored (ISO time); "" no limit. */
    readonly until: string;
    /**
     * Why the cloud cannot prove it is this stack's (only a name ties it to the store); absent or "" when
     * its tags say so. Never restored unasked unless the record names it.
     */
    readonly ownerUnproven?: string;
    /** The other owner (`<organization>/<project>/<stack>`) its tags name, for one `listOtherOwners` gives. @default none */
    readonly taggedFor?: string;
    /**
     * Why a restore from it fails now (it is still being created); absent or "" when it can be restored. It is
     * kept all the same: the deletion took it, so it names what the store held.
     */
    readonly notReady?: string;
}

export interface SnapshotInventory {
    /**
     * The snapshots the cloud keeps of data store `store` of stack `stack`. `dataTypes`: the types of the resources
     * that held its data, as the state it was deleted from held them (state.ts DATA_RESOURCE_TYPES); a teardown
     * passes them, since the stack config may no longer declare the store it deleted (turned off or renamed while
     * the stack was up), and they say what the store was. @default none: the stack config says
     */
    list(stack: string, store: string, dataTypes?: readonly string[]): Promise<readonly KeptSnapshot[]>;
    /**
     * The snapshots the cloud keeps of `store` tagged for another owner of a stack of this project and name (another
     * organisation, or a self-managed backend's `organization`), each with `taggedFor` and `ownerUnproven`: what this
     * stack left under its earlier qualified name when it was moved between backends or organisations while down, or
     * another organisation's stack of the same names in the account. Only a cloud whose snapshots say whose they are by
     * the owner the scheduler tags them with has such (AWS); a spin-up that cannot settle a store by its own snapshots
     * asks instead of starting it empty while any is kept (dataFlow.ts). @default none
     */
    listOtherOwners?(stack: string, store: string): Promise<readonly KeptSnapshot[]>;
    /**
     * Writes onto the kept snapshot `id` that it is `stack`'s and `store`'s, and what the deleted store had
     * been restored from (`from`: "" created empty, `?` not known), where the cloud does not copy that from
     * the store itself (inventory/aws.ts). A teardown calls it once the deletion took the snapshot, with the store's
     * `dataTypes` as `list` takes them. @default none
     */
    label?(stack: string, store: string, id: string, from: string, dataTypes?: readonly string[]): Promise<void>;
    /**
     * Waits until the backup of live store `store` holds every write made up to `since`, and returns the latest
     * point in time it proved restorable (at or after `since`): the point a restore of it goes back to. Only a
     * store whose deletion keeps a continuous backup needs it, since such a backup lags the live writes
     * (inventory/azureBackup.ts); a final snapshot taken at the deletion (AWS) holds every write and needs none. A
     * teardown calls it just before its destroy, with the store's data resources as the state holds them, and
     * refuses to delete the store when it rejects. It stops when `signal` is aborted (the bounded call gave up),
     * and waits between polls with `sleep`. @default none
     */
    awaitBackup?(request: BackupWait): Promise<Date>;
    /**
     * Polls kept snapshot `id` of `store` until it can be restored, and resolves then; rejects with a reason that follows the snapshot's id (`turned ...`), naming its state,
     * when it turns to one it will not leave for a restorable one (failed, deleting) or is no longer listed. A
     * spin-up calls it, bounded, for a snapshot it would restore that `list` gave as not ready. It calls `seen`
     * with each state it reads, stops when `signal` is aborted and waits between polls with `sleep`. @default none
     */
    awaitReady?(request: SnapshotWait): Promise<void>;
    /**
     * The same inventory for the stack whose fully qualified name (`<organization>/<project>/<stack>`, stackOps.ts
     * qualifiedName) is `owner`, for a cloud whose snapshots say whose they are only by what the scheduler writes
     * onto them (AWS tags): two projects' or organisations' stacks of one name in an account must not take each
     * other's. A run calls it once it has resolved the name, before anything else. @default none
     */
    forOwner?(owner: string): SnapshotInventory;
}

/** What SnapshotInventory.awaitReady waits for. */
export interface SnapshotWait {
    readonly stack: string;
    readonly store: string;
    readonly id: string;
    readonly seen: (state: string) => void;
    readonly signal: AbortSignal;
    readonly sleep: (ms: number) => Promise<void>;
}

/** What SnapshotInventory.awaitBackup waits for. */
export interface BackupWait {
    readonly stack: string;
    readonly store: string;
    /** The store's data resources as the state holds them (`stack export`). */
    readonly resources: readonly ExportedResource[];
    /** The moment up to which every write must be backed up, on `clock`: when the services were gone, or the teardown began. */
    readonly since: Date;
    /** The clock `since` was read on (this machine's), read again around a call that tells the cloud's own time. */
    readonly clock: () => Date;
    /** Where the wait says what it measured. @default none */
    readonly log?: (line: string) => void;
    readonly signal: AbortSignal;
    readonly sleep: (ms: number) => Promise<void>;
}

/** A listing or labelling the cloud refused or failed: the spin-up stops on it, naming the API and the error. */
export class InventoryError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InventoryError";
    }
}

/** A cloud inventory's SDK package is not installed: one sentence naming the npm install command. */
export class MissingInventorySdkError extends InventoryError {
    constructor(cloudName: string, packageName: string, install: readonly string[]) {
        super(`the ${cloudName} snapshot inventory needs ${packageName}, which is not installed: run npm install --save-dev ${install.join(" ")}`);
        this.name = "MissingInventorySdkError";
    }
}

/** A cloud inventory's SDK package declares a Node.js engine this process is below: one sentence naming both. */
export class InventorySdkEngineError extends InventoryError {
    constructor(cloudName: string, packageName: string, version: string, range: string, node: string) {
        super(`the ${cloudName} snapshot inventory needs Node.js ${range}, as ${packageName} ${version} declares (engines.node), and this is Node.js ${node}: run the scheduler on a Node.js in that range`);
        this.name = "InventorySdkEngineError";
    }
}

const versionParts = (v: string): number[] | undefined => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
};

/**
 * Whether Node.js `node` is in an `engines.node` range of the forms SDK packages declare (`>=22.0.0`,
 * `>=18 || >=20`); undefined for a form this does not read, which is then not checked.
 */
export function nodeSatisfies(range: string, node: string): boolean | undefined {
    const have = versionParts(node);
    const floors = range.split("||").map((alt) => /^\s*>=\s*(\S+)\s*$/.exec(alt)?.[1]).map((f) => (f === undefined ? undefined : versionParts(f)));
    if (!have || floors.some((f) => f === undefined)) return undefined;
    const atLeast = (f: number[]) => {
        for (let i = 0; i < 3; i++) if (have[i] !== f[i]) return have[i] > f[i];
        return true;
    };
    return floors.some((f) => atLeast(f!));
}

/**
 * Loads one SDK package of `cloudName`'s inventory (`install`: what to install, `<package>@<range>` each). That
 * package missing, not a module it requires, is MissingInventorySdkError; a package whose installed
 * `package.json` declares an `engines.node` this Node.js (`node`) is below is InventorySdkEngineError, before it
 * is loaded (the Azure SDK's packages declare `>=22.0.0` while the rest of the library runs on 20); anything
 * else is rethrown as it is.
 */
export function requireInventorySdk(packageName: string, cloudName: string, install: readonly string[], load: (name: string) => unknown = require, node: string = process.versions.node): unknown {
    try {
        const manifest = installedManifest(packageName);
        const range = manifest?.engines?.node;
        if (typeof range === "string" && nodeSatisfies(range, node) === false) throw new InventorySdkEngineError(cloudName, packageName, String(manifest?.version ?? "?"), range, node);
        return load(packageName);
    } catch (err) {
        const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
        if (code === "MODULE_NOT_FOUND" && typeof message === "string" && message.includes(`'${packageName}'`)) throw new MissingInventorySdkError(cloudName, packageName, install);
        throw err;
    }
}

/** The installed package's own `package.json`; undefined where it is not installed or does not export it (nothing to check then). */
function installedManifest(packageName: string): { version?: unknown; engines?: { node?: unknown } } | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        return require(`${packageName}/package.json`) as { version?: unknown; engines?: { node?: unknown } };
    } catch (err) {
        const code = (err as { code?: unknown } | undefined)?.code;
        if (code === "MODULE_NOT_FOUND" || code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return undefined;
        throw err;
    }
}

export type Verdict =
    | { readonly kind: "restore"; readonly snapshot: KeptSnapshot; readonly why: string }
    | { readonly kind: "none" }
    | { readonly kind: "ask"; readonly why: string };

/** When `s` was taken, as the refusals print it. */
export const takenAtText = (s: KeptSnapshot): string => s.takenAt?.toISOString() ?? "at a time the cloud does not say yet";

export const describeKept = (s: KeptSnapshot): string =>
    `${s.id} (taken ${takenAtText(s)}, ${s.from === UNKNOWN_LINEAGE ? "lineage not tagged" : s.from ? `restored from ${s.from}` : "created empty"}${s.notReady ? `, ${s.notReady}` : ""})`;

/** A snapshot `listOtherOwners` gave, with the owner it is tagged for. */
export const describeOtherOwner = (k: KeptSnapshot): string => `${describeKept(k)} tagged for ${k.taggedFor ?? "another owner"}`;

/** Kept snapshots newest first; one whose time is unknown first of all, since it may be the newest. */
export const newestFirst = (kept: readonly KeptSnapshot[]): KeptSnapshot[] =>
    [...kept].sort((a, b) => timeOf(b) - timeOf(a));

const timeOf = (s: KeptSnapshot): number => s.takenAt?.getTime() ?? Number.MAX_SAFE_INTEGER;

/**
 * Which kept snapshot holds the newest real data, when one provably does. `lastKnown` is the record's last
 * known final snapshot of the store ("" none): a candidate must be it, or have been restored from it.
 */
export function newestReal(candidates: readonly KeptSnapshot[], lastKnown: string): Verdict {
    if (candidates.length === 0) return { kind: "none" };
    // Among several, one whose time the cloud does not say may be the newest or not: nothing is proven.
    const untimed = candidates.length > 1 ? candidates.find((c) => c.takenAt === undefined) : undefined;
    if (untimed) return { kind: "ask", why: `the cloud does not say when ${untimed.id}${untimed.notReady ? ` (${untimed.notReady})` : ""} was taken, so which of the ${candidates.length} kept snapshots is the newest is not known` };
    const sorted = newestFirst(candidates);
    const [newest] = sorted;
    if (lastKnown) {
        if (sameSnapshot(newest.id, lastKnown)) return { kind: "restore", snapshot: newest, why: "it is the record's last known snapshot, and nothing newer is kept" };
        if (sameSnapshot(newest.from, lastKnown)) return { kind: "restore", snapshot: newest, why: `it is the newest, taken from a store restored from the record's ${lastKnown}` };
        return { kind: "ask", why: `the newest kept snapshot, ${describeKept(newest)}, does not continue the record's ${lastKnown}` };
    }
    if (newest.ownerUnproven) return { kind: "ask", why: `the newest kept snapshot, ${describeKept(newest)}, may be another stack's: ${newest.ownerUnproven}` };
    if (sorted.length === 1) return { kind: "restore", snapshot: newest, why: "it is the only snapshot the cloud keeps of it" };
    if (sorted.slice(1).some((c) => sameSnapshot(c.id, newest.from))) {
        return { kind: "restore", snapshot: newest, why: `it is the newest, taken from a store restored from the older ${newest.from}` };
    }
    return { kind: "ask", why: `${sorted.length} snapshots are kept and the newest, ${describeKept(newest)}, was not restored from any of the others` };
}

/**
 * Which of the snapshots tagged for another owner of this project's stack of this name (`listOtherOwners`) stop a spin-up
 * whose own kept snapshots gave `verdict`; none of them is ever restored unasked. The owner tag is what makes a snapshot
 * this stack's, and a stack moved between backends or organisations while down lost both its record and its qualified
 * name; its earlier snapshots then look exactly like those of another organisation's stack of the same project and name
 * in the account (both tag `<organization>/<project>/<stack>`, and a restored-from tag says only what a store came
 * from), and nothing the cloud or the backend keeps tells the two apart. Restoring one unasked could hand a stack another
 * organisation's data; starting the store empty would drop this stack's. So the spin-up stops and names them:
 * - with none of its own (`none`) or its own unsettled (`ask`): every one of them (the store would start empty, or a
 *   person chooses anyway);
 * - with its own settling it (`restore`): those that continue its own lineage (restored, directly or through each other,
 *   from one of its own snapshots) and are newer than what it would restore, or whose time is not known: its data went on
 *   under the other owner (a move away and back). Another organisation's snapshots, restored from its own, stop nothing.
 */
export function otherOwnersStopping(verdict: Verdict, own: readonly KeptSnapshot[], others: readonly KeptSnapshot[]): KeptSnapshot[] {
    if (verdict.kind !== "restore") return [...others];
    const lineage = own.map((k) => k.id);
    const continuing: KeptSnapshot[] = [];
    for (let grew = true; grew;) {
        grew = false;
        for (const k of others) {
            if (continuing.includes(k) || !lineage.some((id) => sameSnapshot(id, k.from))) continue;
            continuing.push(k);
            lineage.push(k.id);
            grew = true;
        }
    }
    const restored = verdict.snapshot.takenAt?.getTime();
    return continuing.filter((k) => restored === undefined || k.takenAt === undefined || k.takenAt.getTime() > restored);
}

/**
 * The library's config namespace (`intergalactic:` keys, stacks/config), whatever the project using it is named.
 * It is not the project: a stack's snapshots are armed and tagged for its fully qualified name (`forOwner`).
 */
export const CONFIG_NAMESPACE = "intergalactic";

/** What a cloud's inventory is built from: the stack's flattened config (`Pulumi.<stack>.yaml`) and the environment. */
export interface InventorySettings {
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
    readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Each cloud's production inventory, loaded only for a stack on that cloud (an Azure run never loads the AWS
 * SDK and vice versa); undefined: that cloud has none yet, and the spin-up asks where the record cannot say.
 */
const LOADERS: PerCloud<(settings: InventorySettings) => SnapshotInventory | undefined> = {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    [Cloud.Aws]: (settings) => (require("./aws") as typeof import("./aws")).awsInventory(settings),
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    [Cloud.Azure]: (settings) => (require("./azure") as typeof import("./azure")).azureInventory(settings),
};

/** The snapshot inventory of a stack on `cloud` (its `intergalactic:cloud`). */
export function inventoryFor(cloud: Cloud, settings: InventorySettings): SnapshotInventory | undefined {
    if (!CLOUDS.includes(cloud)) throw new Error(`intergalactic:cloud: ${JSON.stringify(cloud)} is not a supported cloud: use one of ${CLOUDS.join(", ")}`);
    return LOADERS[cloud](settings);
}
