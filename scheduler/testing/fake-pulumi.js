/*
 * A stand-in for the `pulumi` CLI at the process boundary, for the scheduler's
 * end-to-end tests: the real Automation API code runs it as `<root>/bin/pulumi`
 * (a shim that sets FAKE_PULUMI_ROOT and loads this file). It keeps state the
 * way Pulumi does:
 *
 * - config lives in the working copy: `Pulumi.<stack>.yaml` in the command's
 *   cwd, so a fresh checkout has only the committed keys;
 * - the backend (`<root>/backend.json`) keeps each stack's resources, pending
 *   operations, lock, outputs, history and tags across working copies;
 * - a small "cloud" keeps the data stores and their snapshots, each holding a
 *   data `marker`, so a test can follow data through deletions and restores;
 * - `failures` inject faults: { command, skip, times, mode, stderr, keep, pendingOn }
 *     mode "fail"   a destroy deletes everything but `keep` (URNs or store names) then fails
 *     mode "crash"  the process dies mid-operation: deletions as for "fail", the lock it
 *                   took stays (its pid is dead), `pendingOn` stays pending, no history entry
 *     mode "hang"   takes the lock and never finishes; SIGINT cancels it cleanly (as Pulumi
 *                   does) unless `ignoreSigint`
 *     mode "delay"  holds the lock for `delayMs`, then runs normally
 *     mode "partial" an `up` applies its changes (stores created or updated), keeps the old outputs and fails
 *   `skip` lets that many matching calls pass first.
 * Every call is appended to `<root>/calls.log` as a JSON array of its arguments.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const yaml = require("js-yaml");

const root = process.env.FAKE_PULUMI_ROOT;
if (!root || !fs.existsSync(path.join(root, "backend.json"))) {
    process.stderr.write("error: the fake pulumi runs only through the bin/pulumi shim of a FakeBackend\n");
    process.exit(255);
}
const backendFile = path.join(root, "backend.json");
const mutexFile = path.join(root, "backend.lock");
const args = process.argv.slice(2);
fs.appendFileSync(path.join(root, "calls.log"), JSON.stringify(args) + "\n");

const VALUE_FLAGS = ["--stack", "--message", "--exec-kind", "--exec-agent", "--page-size", "--page", "--event-log", "--secrets-provider", "--client", "--color", "--parallel"];
const positional = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i].startsWith("--")) {
        if (VALUE_FLAGS.includes(args[i])) i++;
        continue;
    }
    positional.push(args[i]);
}
const flag = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const stackName = flag("--stack");

// One command at a time touches backend.json: the real backends write their state atomically.
function withBackend(change) {
    const deadline = Date.now() + 20_000;
    for (;;) {
        try {
            fs.closeSync(fs.openSync(mutexFile, "wx"));
            break;
        } catch (err) {
            if (err.code !== "EEXIST" || Date.now() > deadline) throw err;
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
    }
    try {
        const backend = JSON.parse(fs.readFileSync(backendFile, "utf8"));
        const result = change(backend);
        fs.writeFileSync(backendFile + ".tmp", JSON.stringify(backend, null, 2));
        fs.renameSync(backendFile + ".tmp", backendFile);
        return result;
    } finally {
        fs.rmSync(mutexFile, { force: true });
    }
}

class Exit extends Error {
    constructor(code, stderr) {
        super(stderr);
        this.code = code;
    }
}
const fail = (message) => {
    throw new Exit(255, message);
};

// --- working-copy config -------------------------------------------------------------------------
const configFile = () => path.join(process.cwd(), `Pulumi.${stackName}.yaml`);
function readConfig() {
    if (!fs.existsSync(configFile())) return {};
    return (yaml.load(fs.readFileSync(configFile(), "utf8")) || {}).config || {};
}
function writeConfig(config) {
    fs.writeFileSync(configFile(), yaml.dump({ config }));
}
/** `ns:top.a["b.c"]` -> ["ns:top", ["a", "b.c"]]. */
function splitPath(key) {
    const colon = key.indexOf(":");
    const top = key.slice(0, colon + 1) + /^[^.[]*/.exec(key.slice(colon + 1))[0];
    const segments = [];
    const re = /\.([^.[]+)|\["((?:[^"\\]|\\.)*)"\]/g;
    let match;
    while ((match = re.exec(key.slice(top.length))) !== null) segments.push(match[1] !== undefined ? match[1] : JSON.parse(`"${match[2]}"`));
    return [top, segments];
}
function setPath(config, key, value, usePath) {
    const [top, segments] = usePath ? splitPath(key) : [key, []];
    if (segments.length === 0) return void (config[top] = value);
    let node = (config[top] = typeof config[top] === "object" && config[top] !== null ? config[top] : {});
    for (const s of segments.slice(0, -1)) node = node[s] = typeof node[s] === "object" && node[s] !== null ? node[s] : {};
    node[segments[segments.length - 1]] = value;
}
function removePath(config, key, usePath) {
    const [top, segments] = usePath ? splitPath(key) : [key, []];
    let node = config;
    let last = top;
    if (segments.length > 0) {
        node = config[top];
        for (const s of segments.slice(0, -1)) node = node && node[s];
        last = segments[segments.length - 1];
    }
    if (!node || !(last in node)) fail(`error: configuration key '${key}' not found`);
    delete node[last];
}
/** The config map as `config --json` and `stack history --json` show it: structured values as JSON text. */
function configJson(config) {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: typeof v === "string" ? v : JSON.stringify(v), secret: false }]));
}
function configCommand(sub) {
    const config = readConfig();
    const usePath = args.includes("--path");
    if (sub === "set") setPath(config, positional[2], args[args.indexOf("--") + 1], usePath);
    else if (sub === "set-all") {
        args.forEach((a, i) => {
            if (a !== "--plaintext") return;
            const eq = args[i + 1].indexOf("=");
            setPath(config, args[i + 1].slice(0, eq), args[i + 1].slice(eq + 1), usePath);
        });
    } else if (sub === "rm") removePath(config, positional[2], usePath);
    else return void process.stdout.write(JSON.stringify(configJson(config)));
    writeConfig(config);
}

// --- the program and the cloud -------------------------------------------------------------------
const urnOf = (type, name) => `urn:pulumi:${stackName}::intergalactic::${type}::${name}`;
const isStore = (r) => r.store !== undefined;
const COSMOS = "azure-native:cosmosdb:DatabaseAccount";
const isCosmos = (store) => store.dataType === COSMOS;
const SUBSCRIPTION = "/subscriptions/0000-sub";
const restorableId = (instanceId) => `${SUBSCRIPTION}/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/${instanceId}`;

/** Whether the config's restore inputs differ from those the live store was created with (which force a new resource). */
function restoreChanged(r, restoreId, config) {
    if ((restoreId || "") !== (r.restoredFrom || "")) return true;
    return r.type === COSMOS && Boolean(r.restoredFrom) && (((config["intergalactic:mongo"] || {}).restoreTimestampUtc) || "") !== (r.restoredAt || "");
}

/** A data resource's properties as the provider's state holds them (what `stack export` shows). */
function dataProperties(r) {
    if (r.type === COSMOS) {
        const restoring = Boolean(r.restoredFrom);
        return {
            createMode: restoring ? "Restore" : "Default", location: "westeurope", instanceId: r.id,
            ...(restoring ? { restoreParameters: { restoreMode: "PointInTime", restoreSource: r.restoredFrom, restoreTimestampInUtc: r.restoredAt } } : {}),
            backupPolicy: r.finalSnapshot ? { type: "Continuous" } : { type: "Periodic" },
        };
    }
    const kms = r.kmsKeyId ? { kmsKeyId: r.kmsKeyId } : {};
    if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
        return { ...(r.restoredFrom ? { snapshotName: r.restoredFrom } : {}), ...(r.finalSnapshot ? { finalSnapshotIdentifier: r.finalSnapshot } : {}), ...kms };
    }
    return { ...(r.restoredFrom ? { snapshotIdentifier: r.restoredFrom } : {}), skipFinalSnapshot: !r.finalSnapshot, ...(r.finalSnapshot ? { finalSnapshotIdentifier: r.finalSnapshot } : {}), ...kms };
}
const stackResource = () => ({ urn: urnOf("pulumi:pulumi:Stack", `intergalactic-${stackName}`), type: "pulumi:pulumi:Stack" });

function record(s, kind, result, config) {
    const now = new Date().toISOString();
    s.history.push({ version: s.history.length + 1, kind, startTime: now, endTime: now, message: flag("--message") || "", environment: {}, config: configJson(config), result });
}

function lockError(s) {
    return "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        `  file://${root}/.pulumi/locks/organization/intergalactic/${stackName}/4f1c.json: created by ${s.lock.owner} (pid ${s.lock.pid}) at ${s.lock.since}`;
}
function checkPending(s, command) {
    if (s.pending.length > 0 && command !== "refresh") {
        fail(`error: the current deployment has ${s.pending.length} resource(s) with pending operations:\n` +
            s.pending.map((p) => `  * ${p.urn}, interrupted while ${p.type}`).join("\n") +
            "\n\nThese resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete.");
    }
}
function takeFailure(b, command) {
    const f = (b.failures || []).find((x) => x.command === command && x.times > 0);
    if (!f) return undefined;
    if (f.skip > 0) {
        f.skip--;
        return undefined;
    }
    f.times--;
    return { ...f };
}

/** What the program declares besides its data stores: hibernated (`intergalactic:schedule.mode`), it leaves out what hibernates. */
function declaredResources(b, config) {
    const hibernated = ((config["intergalactic:schedule"] || {}).mode) === "hibernated";
    return b.program.resources.filter((r) => !(hibernated && r.hibernates));
}

/** `up`: creates what the program declares; a new data store restores from `restore[name]` or starts empty. */
function applyUp(b, s, config) {
    const snapshots = config["intergalactic:snapshots"] || {};
    const suffix = snapshots.finalSnapshotSuffix || "final";
    const restore = snapshots.restore || {};
    const kept = s.resources.filter((r) => !isStore(r));
    const next = [stackResource(), ...declaredResources(b, config).map((r) => kept.find((k) => k.urn === r.urn) || { ...r })];
    for (const store of b.program.dataStores) {
        const component = { urn: urnOf(store.type, store.name), type: store.type };
        const urn = urnOf(`${store.type}$${store.dataType}`, `${store.name}-data`);
        let existing = s.resources.find((r) => r.urn === urn);
        if (existing && b.replaceOnRestoreChange && restoreChanged(existing, restore[store.name], config)) {
            // A provider that forces a new resource on a changed restore input (no ignoreChanges): the live store is replaced.
            deleteResource(b, s, existing);
            existing = undefined;
        }
        if (!existing) {
            let marker = "";
            if (restore[store.name]) {
                const snapshot = b.cloud.snapshots[restore[store.name]];
                const missing = (why) => {
                    s.resources = next;
                    fail(`error: creating ${urn}: ${why}`);
                };
                if (!snapshot) missing(`SnapshotNotFoundFault: snapshot ${restore[store.name]} not found`);
                // What the program's restoreSources output says the restore needs besides the snapshot.
                const keys = (snapshots.encryptionKeys || {})[store.name];
                if (store.encryptionKeyArn && keys !== store.encryptionKeyArn) missing(`the snapshot is encrypted with ${store.encryptionKeyArn}: set intergalactic:snapshots.encryptionKeys.${store.name}`);
                const at = ((config["intergalactic:mongo"] || {}).restoreTimestampUtc) || "";
                if (isCosmos(store)) {
                    // A restorable account restores to a point in time within its window, at or before its deletion.
                    const when = Date.parse(at);
                    const deleted = Date.parse(snapshot.deletedAt);
                    if (!at || Number.isNaN(when)) missing("intergalactic:mongo.restoreTimestampUtc is required to restore a point in time");
                    if (when > deleted) missing(`the restore time ${at} is after the account's deletion at ${snapshot.deletedAt}`);
                    if (when < deleted - snapshot.restorableForDays * 86_400_000) missing(`the restore time ${at} is outside the ${snapshot.restorableForDays}-day window`);
                }
                marker = snapshot.marker;
            }
            const id = `${store.name}-${++b.cloud.serial}`;
            b.cloud.stores[id] = { name: store.name, marker, restoredFrom: restore[store.name] || "" };
            existing = { urn, type: store.dataType, id, parent: component.urn, store: store.name, restoredFrom: restore[store.name] || "", kmsKeyId: store.encryptionKeyArn || "" };
            if (isCosmos(store) && restore[store.name]) existing.restoredAt = ((config["intergalactic:mongo"] || {}).restoreTimestampUtc) || "";
        }
        if (isCosmos(store)) existing.finalSnapshot = store.finalSnapshot ? restorableId(existing.id) : "";
        else existing.finalSnapshot = store.finalSnapshot ? `${store.name}-${suffix}` : "";
        next.push(component, existing);
    }
    // What the program no longer declares is deleted (a data store taking its final snapshot).
    const declared = new Set(next.map((r) => r.urn));
    for (const r of s.resources.filter((x) => !declared.has(x.urn) && x.type !== "pulumi:pulumi:Stack")) deleteResource(b, s, r);
    s.resources = next;
    const keeping = s.resources.filter((r) => isStore(r) && r.finalSnapshot);
    const sourceOf = (r) => {
        const store = b.program.dataStores.find((d) => d.name === r.store);
        const config = { [`intergalactic:snapshots.restore.${r.store}`]: r.finalSnapshot };
        if (store.encryptionKeyArn) config[`intergalactic:snapshots.encryptionKeys.${r.store}`] = store.encryptionKeyArn;
        return {
            kind: isCosmos(store) ? "cosmos-restorable-account" : "docdb-cluster-snapshot", snapshot: r.finalSnapshot, encryptionKeyArn: store.encryptionKeyArn || "",
            needsPointInTime: isCosmos(store), restorableForDays: isCosmos(store) ? 30 : 0, config,
            pointInTimeConfigKey: isCosmos(store) ? "intergalactic:mongo.restoreTimestampUtc" : "",
        };
    };
    s.outputs = {
        finalSnapshots: Object.fromEntries(keeping.map((r) => [r.store, r.finalSnapshot])),
        restoreSources: Object.fromEntries(keeping.map((r) => [r.store, sourceOf(r)])),
    };
}

/** Deletes one resource; a data store takes its final snapshot first (and fails if that name is taken). */
function deleteResource(b, s, r) {
    if (isStore(r) && b.cloud.stores[r.id]) {
        if (r.finalSnapshot) {
            if (b.cloud.snapshots[r.finalSnapshot]) fail(`error: deleting ${r.urn}: SnapshotAlreadyExistsFault: a snapshot named ${r.finalSnapshot} already exists`);
            b.cloud.snapshots[r.finalSnapshot] = { store: r.store, marker: b.cloud.stores[r.id].marker, deletedAt: new Date().toISOString(), restorableForDays: r.type === COSMOS ? 30 : 0 };
        }
        delete b.cloud.stores[r.id];
    }
    s.resources = s.resources.filter((x) => x.urn !== r.urn);
}
function applyDestroy(b, s, keep) {
    const kept = (r) => keep.includes(r.urn) || (isStore(r) && keep.includes(r.store));
    // Data stores go before the network they live in; the stack resource goes last.
    const order = [...s.resources.filter(isStore), ...s.resources.filter((r) => !isStore(r) && r.type !== "pulumi:pulumi:Stack")];
    for (const r of order) if (!kept(r)) deleteResource(b, s, r);
    if (s.resources.length === 1 && s.resources[0].type === "pulumi:pulumi:Stack") {
        s.resources = [];
        s.outputs = {};
    }
}

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** up/destroy/refresh: the lock, the injected fault, the change, the history entry. */
async function operation(command) {
    const config = readConfig();
    const lock = { owner: `${os.userInfo().username}@${os.hostname()}`, pid: process.pid, since: new Date().toISOString() };
    const fault = withBackend((b) => {
        const s = stackOf(b);
        if (s.lock) fail(lockError(s));
        checkPending(s, command);
        s.lock = lock;
        return takeFailure(b, command) || { mode: "none" };
    });
    const release = (change) => withBackend((b) => {
        const s = stackOf(b);
        if (s.lock && s.lock.pid === process.pid) s.lock = null;
        return change(b, s);
    });
    if (fault.mode === "hang") {
        process.on("SIGINT", () => {
            if (fault.ignoreSigint) return;
            release((b, s) => record(s, command === "up" ? "update" : command, "failed", config));
            process.stderr.write("error: update canceled\n");
            process.exit(255);
        });
        await sleep(24 * 3_600_000);
    }
    if (fault.mode === "delay") await sleep(fault.delayMs || 0);
    if (fault.mode === "crash") {
        withBackend((b) => {
            const s = stackOf(b);
            if (command === "destroy") {
                const target = s.resources.find((r) => r.urn === fault.pendingOn || r.store === fault.pendingOn);
                applyDestroy(b, s, [...(fault.keep || []), ...(target ? [target.urn] : [])]);
                if (target) {
                    // It was being deleted when the process died: gone from the cloud, still in the state.
                    if (isStore(target) && b.cloud.stores[target.id]) {
                        if (target.finalSnapshot && !b.cloud.snapshots[target.finalSnapshot]) b.cloud.snapshots[target.finalSnapshot] = { store: target.store, marker: b.cloud.stores[target.id].marker };
                        delete b.cloud.stores[target.id];
                    }
                    s.pending.push({ urn: target.urn, type: "deleting" });
                }
            } else {
                // Died after creating what it could: the state has it, but no history entry says the update ended.
                try {
                    applyUp(b, s, config);
                } catch {
                    // A failed restore creates nothing more.
                }
                s.pending.push({ urn: fault.pendingOn || urnOf("aws:ec2/subnet:Subnet", "net-app-a"), type: "creating" });
            }
        });
        process.stderr.write("signal: killed\n");
        process.exit(137);
    }
    let failure;
    release((b, s) => {
        try {
            if (fault.mode === "fail" && command === "up") fail(fault.stderr);
            if (fault.mode === "partial" && command === "up") {
                // A real update fails partway: what it updated keeps its new properties, the outputs stay as they were
                // (pulumi/pulumi#15754).
                const outputs = s.outputs;
                try {
                    applyUp(b, s, config);
                } finally {
                    s.outputs = outputs;
                }
                fail(fault.stderr);
            }
            if (command === "up") applyUp(b, s, config);
            if (command === "destroy") applyDestroy(b, s, fault.mode === "fail" ? fault.keep || [] : []);
            if (command === "refresh") {
                s.resources = s.resources.filter((r) => !isStore(r) || b.cloud.stores[r.id]);
                if (args.includes("--clear-pending-creates")) s.pending = [];
                else s.pending = s.pending.filter((p) => p.type !== "deleting");
            }
            if (fault.mode === "fail") fail(fault.stderr);
            record(s, command === "up" ? "update" : command, "succeeded", config);
        } catch (err) {
            record(s, command === "up" ? "update" : command, "failed", config);
            failure = err;
        }
    });
    if (failure) throw failure;
    process.stdout.write(`${command === "destroy" ? "Destroying" : "Updating"} (${stackName})\n  done\n`);
}

function stackOf(b) {
    const s = b.stacks[stackName];
    if (!s) fail(`error: no stack named '${stackName}' found`);
    return s;
}

function tags(sub, b, s) {
    const system = { "pulumi:project": "intergalactic", "pulumi:runtime": "nodejs" };
    if (sub === "ls") return void process.stdout.write(JSON.stringify({ ...system, ...s.tags }));
    const key = positional[3];
    if (sub === "get") {
        const value = { ...system, ...s.tags }[key];
        if (value === undefined) fail(`error: stack tag '${key}' not found for stack '${stackName}'`);
        return void process.stdout.write(value + "\n");
    }
    // The checks Pulumi Cloud makes on every tag it stores (pulumi/pulumi#24428).
    if (sub === "set") {
        if (!/^[a-zA-Z0-9-_.:]{1,40}$/.test(key)) fail(`error: stack tag "${key}" is too long or has characters other than alphanumerics, hyphens, underscores, periods, or colons`);
        if (positional[4].length > 256) fail(`error: stack tag "${key}" value is too long (max length 256 characters)`);
        s.tags[key] = positional[4];
    }
    if (sub === "rm") delete s.tags[key];
}

/** `preview`: what `up` would do, as the summary event the Automation API reads from the event log. */
/** `preview`: what `up` would do, as the events the Automation API reads from the event log (one per step, then the summary). */
function preview() {
    const config = readConfig();
    const steps = withBackend((b) => {
        const s = stackOf(b);
        const suffix = ((config["intergalactic:snapshots"] || {}).finalSnapshotSuffix) || "final";
        const restore = ((config["intergalactic:snapshots"] || {}).restore) || {};
        const out = [];
        const inState = new Set(s.resources.map((r) => r.urn));
        for (const r of declaredResources(b, config)) out.push({ op: inState.has(r.urn) ? "same" : "create", urn: r.urn, type: r.type });
        const declared = new Set([stackResource().urn, ...declaredResources(b, config).map((r) => r.urn)]);
        for (const store of b.program.dataStores) {
            const urn = urnOf(`${store.type}$${store.dataType}`, `${store.name}-data`);
            declared.add(urn).add(urnOf(store.type, store.name));
            const existing = s.resources.find((r) => r.urn === urn);
            const name = isCosmos(store) ? (store.finalSnapshot && existing ? restorableId(existing.id) : "") : store.finalSnapshot ? `${store.name}-${suffix}` : "";
            let op = "create";
            if (existing && b.replaceOnRestoreChange && restoreChanged(existing, restore[store.name], config)) op = "replace";
            else if (existing) op = existing.finalSnapshot === name ? "same" : "update";
            out.push({ op, urn, type: store.dataType });
        }
        for (const r of s.resources.filter((x) => !declared.has(x.urn))) out.push({ op: "delete", urn: r.urn, type: r.type });
        return out;
    });
    const counts = {};
    for (const step of steps) counts[step.op] = (counts[step.op] || 0) + 1;
    const log = flag("--event-log");
    if (log) {
        const now = Math.floor(Date.now() / 1000);
        const events = steps.filter((st) => st.op !== "same").map((st, i) => ({ sequence: i + 1, timestamp: now, resourcePreEvent: { metadata: { op: st.op, urn: st.urn, type: st.type, provider: "" } } }));
        events.push({ sequence: events.length + 1, timestamp: now, summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: counts, policyPacks: {} } });
        fs.appendFileSync(log, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
    }
    process.stdout.write(`Previewing update (${stackName})\n`);
}

async function run() {
    const [cmd, sub] = positional;
    const b0 = JSON.parse(fs.readFileSync(backendFile, "utf8"));
    if (cmd === "version") return void process.stdout.write(`v${b0.version}\n`);
    if (!b0.loggedIn) fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    if (cmd === "whoami") return void process.stdout.write(JSON.stringify({ user: "ci", organizations: ["intergalactic"], url: "https://app.pulumi.com/ci" }));
    if (cmd === "config") return void (withBackend(stackOf), configCommand(sub));
    if (cmd === "up" || cmd === "destroy" || cmd === "refresh") return operation(cmd);
    if (cmd === "preview") return preview();
    return withBackend((b) => {
        if (cmd === "stack" && sub === "init") {
            b.stacks[positional[2]] = { resources: [], pending: [], lock: null, outputs: {}, history: [], tags: {} };
            return;
        }
        const s = stackOf(b);
        if (cmd === "stack" && sub === "select") return;
        if (cmd === "stack" && sub === "tag") return tags(positional[2], b, s);
        if (cmd === "stack" && sub === "export") {
            const pending = s.pending.map((p) => ({ resource: { urn: p.urn, type: p.urn.split("::")[2] }, type: p.type }));
            const resources = s.resources.map((r) => {
                const props = isStore(r) ? dataProperties(r) : undefined;
                const id = r.type === COSMOS ? `${SUBSCRIPTION}/resourceGroups/dev/providers/Microsoft.DocumentDB/databaseAccounts/${r.id}` : r.id;
                return { urn: r.urn, type: r.type, ...(id ? { id } : {}), ...(r.parent ? { parent: r.parent } : {}), ...(props ? { inputs: props, outputs: { ...props, id } } : {}) };
            });
            return void process.stdout.write(JSON.stringify({ version: 3, deployment: { manifest: {}, resources, pending_operations: pending } }));
        }
        if (cmd === "stack" && sub === "output") return void process.stdout.write(JSON.stringify(s.outputs));
        if (cmd === "stack" && sub === "history") {
            const size = Number(flag("--page-size") || s.history.length || 1);
            const page = Number(flag("--page") || 1);
            return void process.stdout.write(JSON.stringify([...s.history].reverse().slice((page - 1) * size, page * size)));
        }
        if (cmd === "cancel") {
            if (!s.lock) fail("error: no stack update is in progress");
            s.lock = null;
            return void process.stdout.write(`The currently running update for '${stackName}' has been canceled!\n`);
        }
        fail(`error: the fake pulumi does not implement: ${args.join(" ")}`);
    });
}

run().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write((err instanceof Exit ? err.message : err.stack) + "\n");
        process.exit(err instanceof Exit ? err.code : 1);
    },
);
