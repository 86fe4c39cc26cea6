/*
 * The backend: each stack's resources, pending operations, lock, outputs, history and tags
 * across working copies, kept in `<root>/backend.json` (one JSON document, written whole).
 *
 * Two kinds, as `state.backend` says:
 * - "diy" (default), a self-managed backend: the lock is a file naming `user@host (pid)`,
 *   and an update writes its history entry only when it ends (a crash leaves none);
 * - "cloud", Pulumi Cloud: the lock is the server's; a second update gets 409, the history
 *   shows an update in progress from its start (a crash leaves it so), and `pulumi cancel`
 *   ends it as failed; `stack tag set|rm` write back the whole map they read (fake/cli.js), and
 *   fake/api.js serves the REST API's tag calls over the same tags.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { fail } = require("./call");
const { configJson } = require("./config");
const { cloudNow } = require("./writers");

/** Reads the backend, lets `change` edit it, and writes it back whole (the real backends write atomically). */
function withBackend(root, change) {
    const file = path.join(root, "backend.json");
    const backend = JSON.parse(fs.readFileSync(file, "utf8"));
    const result = change(backend);
    fs.writeFileSync(file + ".tmp", JSON.stringify(backend, null, 2));
    fs.renameSync(file + ".tmp", file);
    return result;
}

function stackOf(b, call) {
    const s = b.stacks[call.stackName];
    if (!s) fail(`error: no stack named '${call.stackName}' found`);
    return s;
}

const isCloud = (b) => b.backend === "cloud";
const historyKind = (command) => (command === "up" ? "update" : command);

function lockError(root, call, s) {
    return "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        `  file://${root}/.pulumi/locks/organization/intergalactic/${call.stackName}/4f1c.json: created by ${s.lock.owner} (pid ${s.lock.pid}) at ${s.lock.since}`;
}

/** The time the CLI's machines keep: the real clock, or the cloud's own (writers.js) when `cliOnCloudClock` says they keep its time. */
const nowOf = (b) => (b.cliOnCloudClock ? cloudNow(b) : new Date());
/** The time on the clock of the machine that runs `call`: `clockSkewMs` off that (a person's laptop). */
const clockOf = (call, b) => new Date(nowOf(b).getTime() + (call.clockSkewMs || 0));

/**
 * A history entry; `startTime` is when the operation took its lock, as in Pulumi's history (not when it ended).
 * `writtenAt` is the writer's clock when it wrote the entry: a self-managed backend names the file by it.
 */
function entry(b, call, s, kind, result, config, startTime) {
    const at = clockOf(call, b);
    const now = at.toISOString();
    return { version: s.history.length + 1, kind, startTime: startTime || now, ...(result === "in-progress" ? {} : { endTime: now }), message: call.flag("--message") || "", environment: {}, config: configJson(config), result, writtenAt: at.getTime() };
}

/** Takes the stack's lock for `command`, or fails as the backend does when someone holds it. */
function lock(root, b, call, s, command, config) {
    if (s.lock) fail(isCloud(b) ? "error: [409] Conflict: Another update is currently in progress." : lockError(root, call, s));
    checkPending(s, command);
    s.lock = { owner: `${os.userInfo().username}@${os.hostname()}`, pid: call.pid, since: clockOf(call, b).toISOString() };
    if (isCloud(b)) {
        const e = entry(b, call, s, historyKind(command), "in-progress", config);
        s.history.push(e);
        s.lock.version = e.version;
    }
}

/** Ends the call's update with `result` and releases its lock; false when it no longer holds it (a `pulumi cancel`). */
function finish(b, call, s, command, result, config) {
    const mine = s.lock && s.lock.pid === call.pid;
    if (isCloud(b)) {
        const e = mine && s.history.find((h) => h.version === s.lock.version);
        if (mine) s.lock = null;
        if (!e || e.result !== "in-progress") return false;
        Object.assign(e, { result, endTime: nowOf(b).toISOString() });
        return true;
    }
    const startTime = mine ? s.lock.since : undefined;
    if (mine) s.lock = null;
    s.history.push(entry(b, call, s, historyKind(command), result, config, startTime));
    return true;
}

/** `pulumi cancel`: a self-managed backend deletes the lock file; Pulumi Cloud ends the update in progress as failed. */
function cancel(b, call, s) {
    if (!s.lock) fail("error: no stack update is in progress");
    if (isCloud(b)) {
        const e = s.history.find((h) => h.version === s.lock.version);
        if (e) Object.assign(e, { result: "failed", endTime: nowOf(b).toISOString() });
    }
    s.lock = null;
    call.out(`The currently running update for '${call.stackName}' has been canceled!\n`);
}

/** The next fault for `command` (a write's for `key` too, when the fault names one), counted down; undefined when none. */
function takeFailure(b, command, preempt = false, key = undefined) {
    const f = (b.failures || []).find((x) => x.command === command && x.times > 0 && (x.mode === "preempt") === preempt && (x.key === undefined || x.key === key));
    if (!f) return undefined;
    if (f.skip > 0) {
        f.skip--;
        return undefined;
    }
    f.times--;
    return { ...f };
}

function checkPending(s, command) {
    if (s.pending.length > 0 && command !== "refresh") {
        fail(`error: the current deployment has ${s.pending.length} resource(s) with pending operations:\n` +
            s.pending.map((p) => `  * ${p.urn}, interrupted while ${p.type}`).join("\n") +
            "\n\nThese resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete.");
    }
}

/** `stack tag ls|get|set|rm`, with the checks Pulumi makes on every tag it stores (pulumi/pulumi#24428). */
function tags(call, s) {
    const sub = call.positional[2];
    const system = { "pulumi:project": "intergalactic", "pulumi:runtime": "nodejs" };
    if (sub === "ls") return void call.out(JSON.stringify({ ...system, ...s.tags }));
    const key = call.positional[3];
    if (sub === "get") {
        const value = { ...system, ...s.tags }[key];
        if (value === undefined) fail(`error: stack tag '${key}' not found for stack '${call.stackName}'`);
        return void call.out(value + "\n");
    }
    // Pulumi Cloud: the map the call read when it began, written back whole (pulumi/pulumi pkg/cmd/pulumi/stack/stack_tag.go
    // `newStackTagSetCmd`, then pkg/backend/httpstate/client/client.go `UpdateStackTags`: PATCH, "replacing all existing tags").
    const written = call.seenTags ? { ...call.seenTags } : s.tags;
    if (sub === "set") {
        const value = call.positional[4];
        if (!/^[a-zA-Z0-9-_.:]{1,40}$/.test(key)) fail(`error: stack tag "${key}" is too long or has characters other than alphanumerics, hyphens, underscores, periods, or colons`);
        // Measured in bytes, as Go's len() does (ValidateStackTags, pulumi/pulumi#3804).
        if (Buffer.byteLength(value, "utf8") > 256) fail(`error: stack tag "${key}" value is too long (max length 256 characters)`);
        written[key] = value;
    }
    if (sub === "rm") delete written[key];
    s.tags = written;
}

/** A time cut to whole seconds: a self-managed backend stores `time.Now().Unix()` (pulumi/pulumi pkg/backend/diy/backend.go). */
const toSecond = (iso) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

/**
 * An entry as `stack history --json` prints it. A self-managed backend numbers nothing: its UpdateInfo has
 * kind, start and end time (Unix seconds), message, environment, config, result and resource changes, and the
 * CLI prints `"version": 0` (only the service sets versions, pulumi/pulumi#6049). Its entries are listed in the
 * order of their file names (`<stack>-<UnixNano>.history.json`), newest first.
 */
function printed(b, h, older) {
    const { writtenAt, ...shown } = h;
    if (isCloud(b)) return shown;
    const start = h.startTime || (older && older.endTime) || new Date(0).toISOString();
    return { ...shown, version: 0, startTime: toSecond(start), endTime: toSecond(h.endTime || start) };
}

/**
 * A self-managed backend lists its history by file name, `<stack>-<UnixNano>.history.json` with the writer's
 * clock (pulumi/pulumi pkg/backend/diy/state.go addToHistory, getHistory): an entry written by a machine whose
 * clock is behind sorts among the older ones. Entries a test wrote without `writtenAt` keep their place.
 */
function listed(b, entries) {
    if (isCloud(b)) return entries;
    let last = -Infinity;
    const keyed = entries.map((h, i) => ({ h, i, at: (last = h.writtenAt !== undefined ? h.writtenAt : last) }));
    return keyed.sort((x, y) => x.at - y.at || x.i - y.i).map((k) => k.h);
}

/** `stack history --json`, newest first, paged. */
function history(call, b, s) {
    const size = Number(call.flag("--page-size") || s.history.length || 1);
    const page = Number(call.flag("--page") || 1);
    const all = [];
    // Entries a test wrote without times take their predecessor's, so the order stays the backend's.
    for (const h of listed(b, s.history)) all.push(printed(b, h, all[all.length - 1]));
    call.out(JSON.stringify(all.reverse().slice((page - 1) * size, page * size)));
}

module.exports = { withBackend, stackOf, isCloud, lock, finish, cancel, takeFailure, checkPending, tags, history };
