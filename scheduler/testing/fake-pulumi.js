#!/usr/bin/env node
/*
 * A stand-in for the `pulumi` CLI at the process boundary, for the scheduler's
 * end-to-end tests: the real Automation API code runs it as `<root>/bin/pulumi`.
 * It keeps one fake backend in `<root>/state.json` and appends every call, as
 * a JSON array of its arguments, to `<root>/calls.log`.
 *
 * state.json:
 *   version    the CLI version `pulumi version` reports
 *   stacks     name -> { resources, pending, lock, config, outputs, history }
 *   program    { resources: [{ urn, type }], dataStores: [name] }: what `up` creates
 *   failures   [{ command, stderr, times, keep }]: the next `times` runs of `command`
 *              fail with `stderr`; a failed destroy keeps the resources whose URNs are in `keep`
 */
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const stateFile = path.join(root, "state.json");
const args = process.argv.slice(2);
fs.appendFileSync(path.join(root, "calls.log"), JSON.stringify(args) + "\n");
const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));

function save() {
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
}
function fail(message) {
    process.stderr.write(message + "\n");
    save();
    process.exit(255);
}
function flag(name) {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
}
const positional = [];
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i].startsWith("--")) {
        if (["--stack", "--message", "--exec-kind", "--page-size", "--page", "--event-log", "--secrets-provider"].includes(args[i])) i++;
        continue;
    }
    positional.push(args[i]);
}

function stack() {
    const name = flag("--stack");
    const s = state.stacks[name];
    if (!s) fail(`error: no stack named '${name}' found`);
    return s;
}

/** `ns:top.a["b.c"]` -> ["ns:top", ["a", "b.c"]]. */
function splitPath(key) {
    const colon = key.indexOf(":");
    const m = /^[^.[]*/.exec(key.slice(colon + 1));
    const top = key.slice(0, colon + 1) + m[0];
    const segments = [];
    const re = /\.([^.[]+)|\["((?:[^"\\]|\\.)*)"\]/g;
    let rest = key.slice(top.length);
    let match;
    while ((match = re.exec(rest)) !== null) segments.push(match[1] !== undefined ? match[1] : JSON.parse(`"${match[2]}"`));
    return [top, segments];
}
function setPath(config, key, value, usePath) {
    if (!usePath) return void (config[key] = value);
    const [top, segments] = splitPath(key);
    if (segments.length === 0) return void (config[top] = value);
    let node = (config[top] = typeof config[top] === "object" && config[top] !== null ? config[top] : {});
    for (const s of segments.slice(0, -1)) node = node[s] = typeof node[s] === "object" && node[s] !== null ? node[s] : {};
    node[segments[segments.length - 1]] = value;
}
function removePath(config, key, usePath) {
    const [top, segments] = usePath ? splitPath(key) : [key, []];
    if (segments.length === 0) {
        if (!(top in config)) fail(`error: configuration key '${key}' not found`);
        return void delete config[top];
    }
    let node = config[top];
    for (const s of segments.slice(0, -1)) node = node && node[s];
    const last = segments[segments.length - 1];
    if (!node || !(last in node)) fail(`error: configuration key '${key}' not found`);
    delete node[last];
}
/** The config map the way `stack history --json` shows it: structured values as JSON text. */
function historyConfig(config) {
    const out = {};
    for (const [k, v] of Object.entries(config)) out[k] = { value: typeof v === "string" ? v : JSON.stringify(v), secret: false };
    return out;
}
function record(s, kind, result, message) {
    const now = new Date().toISOString();
    s.history.push({ version: s.history.length + 1, kind, startTime: now, endTime: now, message: message || "", environment: {}, config: historyConfig(s.config), result });
}
function checkLockAndPending(s, command) {
    if (s.lock) {
        fail("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
            `  file://${root}/.pulumi/locks/organization/intergalactic/dev/4f1c.json: created by ${s.lock.owner} (pid ${s.lock.pid}) at ${s.lock.since}`);
    }
    if (s.pending.length > 0 && command !== "refresh") {
        fail(`error: the current deployment has ${s.pending.length} resource(s) with pending operations:\n` +
            s.pending.map((p) => `  * ${p.urn}, interrupted while ${p.type}`).join("\n") +
            "\n\nThese resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete.");
    }
}
function scriptedFailure(s, command) {
    const f = (state.failures || []).find((x) => x.command === command && x.times > 0);
    if (!f) return;
    f.times--;
    if (command === "destroy" && f.keep) s.resources = s.resources.filter((r) => f.keep.includes(r.urn));
    record(s, command === "up" ? "update" : command, "failed", flag("--message"));
    fail(f.stderr);
}

function up(s) {
    checkLockAndPending(s, "up");
    scriptedFailure(s, "up");
    const snapshotConfig = s.config["intergalactic:snapshots"] || {};
    const suffix = snapshotConfig.finalSnapshotSuffix || "final";
    s.resources = [{ urn: "urn:pulumi:dev::intergalactic::pulumi:pulumi:Stack::intergalactic-dev", type: "pulumi:pulumi:Stack" }, ...state.program.resources];
    s.outputs = { finalSnapshots: Object.fromEntries(state.program.dataStores.map((d) => [d, `${d}-${suffix}`])) };
    s.restoredFrom = snapshotConfig.restore || {};
    record(s, "update", "succeeded", flag("--message"));
    process.stdout.write(`Updating (${flag("--stack")})\n  ${state.program.resources.length} resources\n`);
}
function destroy(s) {
    checkLockAndPending(s, "destroy");
    scriptedFailure(s, "destroy");
    s.resources = [];
    s.outputs = {};
    record(s, "destroy", "succeeded", flag("--message"));
    process.stdout.write(`Destroying (${flag("--stack")})\n  Resources: deleted\n`);
}

function config(s, sub) {
    const usePath = args.includes("--path");
    if (sub === "set") {
        setPath(s.config, positional[2], args[args.indexOf("--") + 1], usePath);
    } else if (sub === "set-all") {
        args.forEach((a, i) => {
            if (a !== "--plaintext") return;
            const eq = args[i + 1].indexOf("=");
            setPath(s.config, args[i + 1].slice(0, eq), args[i + 1].slice(eq + 1), usePath);
        });
    } else if (sub === "rm") {
        removePath(s.config, positional[2], usePath);
    } else {
        process.stdout.write(JSON.stringify(historyConfig(s.config)));
    }
}

function run() {
    const [cmd, sub] = positional;
    if (cmd === "version") return void process.stdout.write(`v${state.version}\n`);
    if (state.loggedIn === false) fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    if (cmd === "whoami") return void process.stdout.write(JSON.stringify({ user: "ci", organizations: ["intergalactic"], url: "https://app.pulumi.com/ci" }));
    if (cmd === "stack" && sub === "init") {
        state.stacks[positional[2]] = { resources: [], pending: [], lock: null, config: {}, outputs: {}, history: [] };
        return;
    }
    const s = stack();
    if (cmd === "stack" && sub === "select") return;
    if (cmd === "stack" && sub === "export") {
        const pending = s.pending.map((p) => ({ resource: { urn: p.urn, type: p.urn.split("::")[2] }, type: p.type }));
        return void process.stdout.write(JSON.stringify({ version: 3, deployment: { manifest: {}, resources: s.resources, pending_operations: pending } }));
    }
    if (cmd === "stack" && sub === "output") return void process.stdout.write(JSON.stringify(s.outputs));
    if (cmd === "stack" && sub === "history") {
        const size = Number(flag("--page-size") || s.history.length);
        const page = Number(flag("--page") || 1);
        return void process.stdout.write(JSON.stringify([...s.history].reverse().slice((page - 1) * size, page * size)));
    }
    if (cmd === "config") return config(s, sub);
    if (cmd === "up") return up(s);
    if (cmd === "destroy") return destroy(s);
    if (cmd === "refresh") {
        checkLockAndPending(s, "refresh");
        if (args.includes("--clear-pending-creates")) s.pending = [];
        return record(s, "refresh", "succeeded", flag("--message"));
    }
    if (cmd === "cancel") {
        if (!s.lock) fail("error: no stack update is in progress");
        s.lock = null;
        return void process.stdout.write("The currently running update for 'dev' has been canceled!\n");
    }
    fail(`error: the fake pulumi does not implement: ${args.join(" ")}`);
}

run();
save();
