/*
 * The program and a small cloud: what `up` creates and `destroy` deletes, and the data
 * stores with their snapshots, each holding a data `marker`, so a test can follow data
 * through deletions and restores.
 */
"use strict";
const { fail } = require("./call");
const { cloudNow, tick } = require("./writers");

const COSMOS = "azure-native:cosmosdb:DatabaseAccount";
const SUBSCRIPTION = "/subscriptions/0000-sub";
const isStore = (r) => r.store !== undefined;
const isCosmos = (store) => store.dataType === COSMOS;
const restorableId = (instanceId) => `${SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/${instanceId}`;
const urnOf = (stackName, type, name) => `urn:pulumi:${stackName}::intergalactic::${type}::${name}`;
const stackResource = (stackName) => ({ urn: urnOf(stackName, "pulumi:pulumi:Stack", `intergalactic-${stackName}`), type: "pulumi:pulumi:Stack" });
const dataUrn = (stackName, store) => urnOf(stackName, `${store.type}$${store.dataType}`, `${store.name}-data`);
const pointInTime = (config) => ((config["intergalactic:mongo"] || {}).restoreTimestampUtc) || "";

const AGENT_POOL = "azure-native:containerservice:AgentPool";

/**
 * What the program declares besides its data stores: hibernated (`intergalactic:schedule.mode`), it leaves out what
 * hibernates, and a pool that `stops` gets `powerState` Stopped (Running in every other mode, as
 * components/kubernetes/kubernetesCluster.azure.ts sends it) beside the `inputs` the program gives it.
 */
function declaredResources(b, config) {
    const hibernated = ((config["intergalactic:schedule"] || {}).mode) === "hibernated";
    return b.program.resources.filter((r) => !(hibernated && r.hibernates)).map((r) => {
        if (!r.stops) return r;
        const { stops, ...rest } = r;
        return { ...rest, inputs: { ...(r.inputs || {}), powerState: { code: hibernated ? "Stopped" : "Running" } } };
    });
}

/** Inputs as canonical JSON: key order makes no diff. */
function canonical(value) {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value !== null && typeof value === "object") return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
    return JSON.stringify(value);
}

/** The top-level input keys whose values differ between `olds` and `news`, sorted (a step's `diffs`). */
function changedKeys(olds, news) {
    return [...new Set([...Object.keys(olds || {}), ...Object.keys(news || {})])].filter((k) => canonical((olds || {})[k]) !== canonical((news || {})[k])).sort();
}

/**
 * A step's `detailedDiff` as a provider that reports nested paths gives it (azure-native's does): one entry per
 * changed leaf, `powerState.code`, `nodeLabels.team`, each an input diff (pulumi/pulumi sdk/go/common/apitype PropertyDiff).
 */
function detailedDiff(olds, news, prefix = "") {
    const out = {};
    for (const k of changedKeys(olds, news)) {
        const o = (olds || {})[k];
        const n = (news || {})[k];
        const path = prefix === "" ? k : `${prefix}.${k}`;
        const nested = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
        if (nested(o) && nested(n)) Object.assign(out, detailedDiff(o, n, path));
        else out[path] = { diffKind: o === undefined ? "add" : n === undefined ? "delete" : "update", inputDiff: true };
    }
    return out;
}

/**
 * An agent pool update that the cloud takes as two operations in one request: `powerState` with any other input.
 * A pool is stopped only while Running with its last operation Succeeded (the AgentPool API's powerState,
 * Azure/azure-rest-api-specs#16105), and each operation must complete on the pool before the next request
 * (https://learn.microsoft.com/azure/aks/manage-node-pools, Limitations): the rule tools/estimate/transition.ts
 * (POWER_STATE_INPUTS) holds, which this fake refuses.
 */
function refusedPoolUpdate(before, after) {
    if (after.type !== AGENT_POOL || !before) return undefined;
    const keys = changedKeys(before.inputs, after.inputs);
    return keys.includes("powerState") && keys.length > 1 ? keys.filter((k) => k !== "powerState") : undefined;
}

/** Whether the config's restore inputs differ from those the live store was created with (which force a new resource). */
function restoreChanged(r, restoreId, config) {
    if ((restoreId || "") !== (r.restoredFrom || "")) return true;
    return r.type === COSMOS && Boolean(r.restoredFrom) && pointInTime(config) !== (r.restoredAt || "");
}

/** A data resource's properties as the provider's state holds them (what `stack export` shows). */
function dataProperties(r) {
    if (r.type === COSMOS) {
        const restoring = Boolean(r.restoredFrom);
        return {
            createMode: restoring ? "Restore" : "Default", location: "westeurope", instanceId: r.id,
            ...(restoring ? { restoreParameters: { restoreMode: "PointInTime", restoreSource: r.restoredFrom, restoreTimestampInUtc: r.restoredAt } } : {}),
            backupPolicy: r.finalSnapshot ? { type: "Continuous", ...(r.continuousTier ? { continuousModeProperties: { tier: r.continuousTier } } : {}) } : { type: "Periodic" },
        };
    }
    const kms = r.kmsKeyId ? { kmsKeyId: r.kmsKeyId } : {};
    if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
        return { ...(r.restoredFrom ? { snapshotName: r.restoredFrom } : {}), ...(r.finalSnapshot ? { finalSnapshotIdentifier: r.finalSnapshot } : {}), ...kms };
    }
    return { ...(r.restoredFrom ? { snapshotIdentifier: r.restoredFrom } : {}), skipFinalSnapshot: !r.finalSnapshot, ...(r.finalSnapshot ? { finalSnapshotIdentifier: r.finalSnapshot } : {}), ...kms };
}

/**
 * What a kept snapshot carries from its store: its data, and the stack, store and source tags the inventory lists it by.
 * A Cosmos DB store whose writes are dated (`writes`, continuousBackup.ts) keeps what its continuous backup had backed up
 * when it was deleted: the writes up to `backedUpTo`, a restore bringing back the last one up to its point in time.
 */
function keptTags(b, r) {
    const stack = r.urn.split("::")[0].split(":").pop();
    const live = b.cloud.stores[r.id];
    const kept = { store: r.store, stack, marker: live.marker, from: live.restoredFrom || "" };
    if (r.type !== COSMOS || !Array.isArray(live.writes)) return kept;
    const writes = live.writes.filter((w) => Date.parse(w.at) <= Date.parse(live.backedUpTo || ""));
    return { ...kept, writes, marker: writes.length > 0 ? writes[writes.length - 1].marker : "" };
}

/** The data a restore of `snapshot` to point in time `at` brings back: the last backed-up write up to it, when its writes are dated. */
function restoredMarker(snapshot, at) {
    if (!Array.isArray(snapshot.writes)) return snapshot.marker;
    const writes = snapshot.writes.filter((w) => Date.parse(w.at) <= Date.parse(at));
    return writes.length > 0 ? writes[writes.length - 1].marker : "";
}

/**
 * How long a deleted store stays restorable: a Cosmos DB account its continuous backup tier's window (7 or 30 days;
 * no tier is 30, https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-resource-model), else no limit.
 */
function restorableDays(r) {
    return r.type === COSMOS ? (r.continuousTier === "Continuous7Days" ? 7 : 30) : 0;
}

/** Deletes one resource; a data store takes its final snapshot first (and fails if that name is taken). */
function deleteResource(b, s, r) {
    if (isStore(r) && b.cloud.stores[r.id]) {
        if (r.finalSnapshot) {
            if (b.cloud.snapshots[r.finalSnapshot]) fail(`error: deleting ${r.urn}: SnapshotAlreadyExistsFault: a snapshot named ${r.finalSnapshot} already exists`);
            // `sweepSnapshots`: something outside the stack (a clean-up job, a retention rule) deletes it right away.
            if (!b.sweepSnapshots) b.cloud.snapshots[r.finalSnapshot] = { ...keptTags(b, r), deletedAt: cloudNow(b).toISOString(), restorableForDays: restorableDays(r) };
        }
        delete b.cloud.stores[r.id];
    }
    s.resources = s.resources.filter((x) => x.urn !== r.urn);
}

/** A new data store: restored from `restoreId` (checked as the provider checks it) or empty. */
function createStore(b, s, next, stackName, store, restoreId, config) {
    const urn = dataUrn(stackName, store);
    let marker = "";
    if (restoreId) {
        const snapshot = b.cloud.snapshots[restoreId];
        const missing = (why) => {
            s.resources = next;
            fail(`error: creating ${urn}: ${why}`);
        };
        if (!snapshot) missing(`SnapshotNotFoundFault: snapshot ${restoreId} not found`);
        // What the program's restoreSources output says the restore needs besides the snapshot.
        const keys = ((config["intergalactic:snapshots"] || {}).encryptionKeys || {})[store.name];
        if (store.encryptionKeyArn && keys !== store.encryptionKeyArn) missing(`the snapshot is encrypted with ${store.encryptionKeyArn}: set intergalactic:snapshots.encryptionKeys.${store.name}`);
        if (isCosmos(store)) {
            // A restorable account restores to a point in time within its window, at or before its deletion.
            const at = pointInTime(config);
            const when = Date.parse(at);
            const deleted = Date.parse(snapshot.deletedAt);
            if (!at || Number.isNaN(when)) missing("intergalactic:mongo.restoreTimestampUtc is required to restore a point in time");
            if (when > deleted) missing(`the restore time ${at} is after the account's deletion at ${snapshot.deletedAt}`);
            if (when < deleted - snapshot.restorableForDays * 86_400_000) missing(`the restore time ${at} is outside the ${snapshot.restorableForDays}-day window`);
        }
        marker = isCosmos(store) ? restoredMarker(snapshot, pointInTime(config)) : snapshot.marker;
    }
    const id = `${store.name}-${++b.cloud.serial}`;
    b.cloud.stores[id] = { name: store.name, marker, restoredFrom: restoreId || "" };
    (b.cloud.created = b.cloud.created || []).push({ id, restoredFrom: restoreId || "", marker });
    const created = { urn, type: store.dataType, id, parent: urnOf(stackName, store.type, store.name), store: store.name, restoredFrom: restoreId || "", kmsKeyId: store.encryptionKeyArn || "" };
    if (isCosmos(store) && restoreId) created.restoredAt = pointInTime(config);
    if (isCosmos(store) && store.continuousTier) created.continuousTier = store.continuousTier;
    return created;
}

/** The `restoreSources` output entry of a store that keeps a final snapshot. */
function restoreSource(b, r) {
    const store = b.program.dataStores.find((d) => d.name === r.store);
    const config = { [`intergalactic:snapshots.restore.${r.store}`]: r.finalSnapshot };
    if (store.encryptionKeyArn) config[`intergalactic:snapshots.encryptionKeys.${r.store}`] = store.encryptionKeyArn;
    return {
        kind: isCosmos(store) ? "cosmos-restorable-account" : "docdb-cluster-snapshot", snapshot: r.finalSnapshot, encryptionKeyArn: store.encryptionKeyArn || "",
        needsPointInTime: isCosmos(store), restorableForDays: restorableDays({ type: store.dataType, continuousTier: store.continuousTier }), config,
        pointInTimeConfigKey: isCosmos(store) ? "intergalactic:mongo.restoreTimestampUtc" : "",
    };
}

/** `up`: creates what the program declares; a new data store restores from `restore[name]` or starts empty. */
function applyUp(b, s, stackName, config) {
    const snapshots = config["intergalactic:snapshots"] || {};
    const suffix = snapshots.finalSnapshotSuffix || "final";
    const restore = snapshots.restore || {};
    const kept = s.resources.filter((r) => !isStore(r));
    const declaredNow = declaredResources(b, config);
    for (const r of declaredNow) {
        const others = refusedPoolUpdate(kept.find((k) => k.urn === r.urn), r);
        if (others) fail(`error: updating ${r.urn}: the agent pool's powerState cannot change in the same request as ${others.join(", ")}: a pool takes one operation at a time`);
    }
    // What stays keeps its state; an update takes the inputs the program declares now.
    const next = [stackResource(stackName), ...declaredNow.map((r) => {
        const existing = kept.find((k) => k.urn === r.urn);
        if (!existing) return { ...r };
        return r.inputs ? { ...existing, inputs: r.inputs } : existing;
    })];
    for (const store of b.program.dataStores) {
        let existing = s.resources.find((r) => r.urn === dataUrn(stackName, store));
        if (existing && b.replaceOnRestoreChange && restoreChanged(existing, restore[store.name], config)) {
            // A provider that forces a new resource on a changed restore input (no ignoreChanges): the live store is replaced.
            deleteResource(b, s, existing);
            existing = undefined;
        }
        if (!existing) existing = createStore(b, s, next, stackName, store, restore[store.name], config);
        if (isCosmos(store)) existing.finalSnapshot = store.finalSnapshot ? restorableId(existing.id) : "";
        else existing.finalSnapshot = store.finalSnapshot ? `${store.name}-${suffix}` : "";
        next.push({ urn: urnOf(stackName, store.type, store.name), type: store.type }, existing);
    }
    // What the program no longer declares is deleted (a data store taking its final snapshot).
    const hibernated = ((config["intergalactic:schedule"] || {}).mode) === "hibernated";
    for (const r of next) {
        const declared = b.program.resources.find((d) => d.urn === r.urn);
        if (declared && declared.protect) r.protected = declared.protect === "always" || hibernated;
    }
    const declared = new Set(next.map((r) => r.urn));
    for (const r of s.resources.filter((x) => !declared.has(x.urn) && x.type !== "pulumi:pulumi:Stack")) deleteResource(b, s, r);
    s.resources = next;
    const keeping = s.resources.filter((r) => isStore(r) && r.finalSnapshot);
    s.outputs = {
        finalSnapshots: Object.fromEntries(keeping.map((r) => [r.store, r.finalSnapshot])),
        restoreSources: Object.fromEntries(keeping.map((r) => [r.store, restoreSource(b, r)])),
    };
}

/**
 * A destroy's delete steps, in order. `step(phase, exported)` hears each as the engine reports it: "pre" when
 * the step starts, then "done" or "failed" (deploy/step_executor.go; the events a destroy's `--event-log` holds).
 * A destroy `fail`ing with `keep` fails the first kept resource's step with `failWith` (a DependencyViolation).
 */
function applyDestroy(b, s, keep, step = () => undefined, failWith = undefined, targets = undefined) {
    // Pulumi checks protect when each delete step runs and goes on with the others (pkg/resource/deploy/step_executor.go,
    // pulumi/pulumi#18396): a `--skip-preview` destroy deletes everything else, then fails.
    const guarded = s.resources.filter((r) => r.protected && (targets === undefined || targets.includes(r.urn))).map((r) => r.urn);
    const held = (r) => guarded.includes(r.urn) || keep.includes(r.urn) || (isStore(r) && keep.includes(r.store));
    // A parent is deleted after its children, so one whose child stays is never started (a store's component).
    const parents = new Set(s.resources.filter(held).map((r) => r.parent).filter(Boolean));
    const kept = (r) => held(r) || parents.has(r.urn);
    // A destroy of `targets` deletes only those. The services' workloads go first (they depend on the stores' credentials),
    // then the data stores, then the network they live in; the stack resource goes last.
    const targeted = (r) => targets === undefined || targets.includes(r.urn);
    const writers = s.resources.filter((r) => r.writes);
    const order = [...writers, ...s.resources.filter(isStore), ...s.resources.filter((r) => !isStore(r) && !r.writes && r.type !== "pulumi:pulumi:Stack")].filter(targeted);
    let failed = false;
    for (const r of order) {
        const old = exportedResource(b, r);
        if (guarded.includes(r.urn) || (held(r) && failWith !== undefined && !failed)) {
            failed = failed || !guarded.includes(r.urn);
            step("pre", old);
            step("failed", old);
            continue;
        }
        if (kept(r)) continue;
        step("pre", old);
        tick(b, 1000);
        try {
            deleteResource(b, s, r);
        } catch (err) {
            step("failed", old);
            throw err;
        }
        step("done", old);
    }
    if (targets === undefined && s.resources.length === 1 && s.resources[0].type === "pulumi:pulumi:Stack") {
        s.resources = [];
        s.outputs = {};
    }
    if (guarded.length > 0) fail(`error: unable to delete resource "${guarded[0]}"\nas it is currently marked for protection. To unprotect the resource, run \`pulumi state unprotect\``);
}

/** What `up` would do, one step per resource (`preview`). */
function previewSteps(b, s, stackName, config) {
    const suffix = ((config["intergalactic:snapshots"] || {}).finalSnapshotSuffix) || "final";
    const restore = ((config["intergalactic:snapshots"] || {}).restore) || {};
    const out = [];
    const inState = new Set(s.resources.map((r) => r.urn));
    for (const r of declaredResources(b, config)) {
        const existing = s.resources.find((x) => x.urn === r.urn);
        const diffs = existing && r.inputs ? changedKeys(existing.inputs, r.inputs) : [];
        if (!existing) out.push({ op: "create", urn: r.urn, type: r.type });
        else if (diffs.length === 0) out.push({ op: "same", urn: r.urn, type: r.type });
        else {
            // The step event of an update: the keys that changed, the provider's detailed diff, the old and the planned state.
            const state = (inputs) => ({ urn: r.urn, type: r.type, custom: true, id: existing.id || "", parent: existing.parent || "", inputs, outputs: {}, provider: "" });
            out.push({ op: "update", urn: r.urn, type: r.type, diffs, detailedDiff: detailedDiff(existing.inputs, r.inputs), old: state(existing.inputs || {}), new: state(r.inputs) });
        }
    }
    const declared = new Set([stackResource(stackName).urn, ...declaredResources(b, config).map((r) => r.urn)]);
    for (const store of b.program.dataStores) {
        const urn = dataUrn(stackName, store);
        declared.add(urn).add(urnOf(stackName, store.type, store.name));
        const existing = s.resources.find((r) => r.urn === urn);
        const name = isCosmos(store) ? (store.finalSnapshot && existing ? restorableId(existing.id) : "") : store.finalSnapshot ? `${store.name}-${suffix}` : "";
        let op = "create";
        if (existing && b.replaceOnRestoreChange && restoreChanged(existing, restore[store.name], config)) op = "replace";
        else if (existing) op = existing.finalSnapshot === name ? "same" : "update";
        // The planned state, as the engine's step event carries it (`metadata.new`): the inputs the `up` would set.
        const planned = { ...(existing || { restoredFrom: restore[store.name] || "", kmsKeyId: store.encryptionKeyArn || "" }), type: store.dataType, finalSnapshot: name,
            ...(isCosmos(store) && store.continuousTier ? { continuousTier: store.continuousTier } : {}) };
        const parent = urnOf(stackName, store.type, store.name);
        out.push({ op, urn, type: store.dataType, new: { urn, type: store.dataType, parent, ...(existing ? { id: existing.id } : {}), inputs: dataProperties(planned) } });
    }
    for (const r of s.resources.filter((x) => !declared.has(x.urn))) out.push({ op: "delete", urn: r.urn, type: r.type });
    return out;
}

/**
 * With `armSpelling`, a Cosmos DB account's outputs as ARM's GET returns them: the location's display name
 * and the restore source in other casing with a trailing `/` (ARM ids are case-insensitive).
 */
function armEcho(b, r, props) {
    if (!b || !b.armSpelling || r.type !== COSMOS) return props;
    const source = props.restoreParameters && props.restoreParameters.restoreSource;
    const echoed = source ? `${source.replace("/locations/westeurope/", "/locations/West Europe/").replace(/restorableDatabaseAccounts\/(.*)$/, (m, id) => `restorableDatabaseAccounts/${id.toUpperCase()}`)}/` : source;
    return { ...props, location: "West Europe", ...(source ? { restoreParameters: { ...props.restoreParameters, restoreSource: echoed } } : {}) };
}

/** pulumi/pulumi sdk/go/common/resource/sig: the key and value that mark a serialised secret. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * `props` with the properties `b.secretProperties` names as the checkpoint holds secrets and `stack export
 * --show-secrets` (the Automation API's exportStack) shows them: `{ <sig>: <secret sig>, plaintext: <JSON> }`.
 */
function withSecrets(b, props) {
    const secret = b.secretProperties || [];
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secret.includes(k) ? { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(v) } : v]));
}

/** One resource as the checkpoint holds it (`stack export`, and a step event's `old` state). */
function exportedResource(b, r) {
    const props = isStore(r) ? dataProperties(r) : undefined;
    const id = r.type === COSMOS ? `${SUBSCRIPTION}/resourceGroups/dev/providers/Microsoft.DocumentDB/databaseAccounts/${r.id}` : r.id;
    const annotated = r.annotations || r.inputs ? { inputs: { ...(r.inputs || {}), ...(r.annotations ? { metadata: { annotations: r.annotations } } : {}) } } : {};
    return { urn: r.urn, type: r.type, ...(id ? { id } : {}), ...(r.parent ? { parent: r.parent } : {}), ...(r.protected ? { protect: true } : {}), ...annotated, ...(props ? { inputs: withSecrets(b, props), outputs: { ...withSecrets(b, armEcho(b, r, props)), id } } : {}) };
}

/** The checkpoint as `stack export` shows it. */
function exportDeployment(s, b) {
    const pending = s.pending.map((p) => ({ resource: { urn: p.urn, type: p.urn.split("::")[2] }, type: p.type }));
    return { version: 3, deployment: { manifest: {}, resources: s.resources.map((r) => exportedResource(b, r)), pending_operations: pending } };
}

module.exports = { COSMOS, SIG_KEY, SECRET_SIG, isStore, urnOf, applyUp, applyDestroy, deleteResource, keptTags, restorableDays, previewSteps, exportDeployment, exportedResource };
