/*
 * The fake `pulumi`: one call in, its stdout, stderr and exit code out. Every call is
 * appended to `<root>/calls.log` as a JSON array of its arguments.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { Exit, fail } = require("./call");
const { configCommand, readConfig } = require("./config");
const { exportDeployment, previewSteps } = require("./cloud");
const { applyUp } = require("./cloud");
const { cancel, finish, history, isCloud, lock, stackOf, tags, takeFailure, withBackend } = require("./backend");
const { operation } = require("./operation");
const { readFault } = require("./readFault");
const { writeFault } = require("./writeFault");
const { send } = require("./events");
const { tick } = require("./writers");

/**
 * `preview`: what `up` would do, as the events the Automation API reads from the event log (one per step, then
 * the summary). Over a file the answer waits longer than one poll of its tail (events.js; a real preview takes seconds).
 */
async function preview(root, call) {
    const config = readConfig(call);
    const steps = withBackend(root, (b) => previewSteps(b, stackOf(b, call), call.stackName, config));
    const counts = {};
    for (const step of steps) counts[step.op] = (counts[step.op] || 0) + 1;
    const events = steps.filter((st) => st.op !== "same").map((st) => ({
        resourcePreEvent: { metadata: { op: st.op, urn: st.urn, type: st.type, provider: "", ...(st.new ? { new: st.new } : {}), ...(st.old ? { old: st.old } : {}), ...(st.diffs ? { diffs: st.diffs, detailedDiff: st.detailedDiff } : {}) } },
    }));
    events.push({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: counts, policyPacks: {} } });
    await send(call, events, true);
    call.out(`Previewing update (${call.stackName})\n`);
}

/** The working copy's project: `name` in its Pulumi.yaml. */
function projectOf(call) {
    const text = fs.readFileSync(path.join(call.cwd, "Pulumi.yaml"), "utf8");
    const m = /^name:\s*(\S+)\s*$/m.exec(text);
    if (!m) fail(`error: no project name in ${path.join(call.cwd, "Pulumi.yaml")}`);
    return m[1];
}

/**
 * `stack --show-name`: the stack's name, or with `--fully-qualify-stack-names` `<org>/<project>/<stack>`. Pulumi Cloud
 * names the organisation the stack is in (here `state.organization`, else the one `whoami` lists); a self-managed
 * backend the fixed `organization` (pulumi/pulumi pkg/backend/diy/backend.go, diyBackendReference.String).
 */
function stackName(b, call) {
    if (!call.args.includes("--fully-qualify-stack-names")) return call.stackName;
    return `${isCloud(b) ? b.organization || "intergalactic" : "organization"}/${projectOf(call)}/${call.stackName}`;
}

function stackCommand(root, call) {
    const [cmd, sub] = call.positional;
    return withBackend(root, (b) => {
        if (cmd === "stack" && sub === "init") {
            b.stacks[call.positional[2]] = { resources: [], pending: [], lock: null, outputs: {}, history: [], tags: {} };
            return;
        }
        const s = stackOf(b, call);
        if (cmd === "stack" && sub === undefined && call.args.includes("--show-name")) return void call.out(stackName(b, call) + "\n");
        if (cmd === "stack" && sub === "select") return;
        if (cmd === "stack" && sub === "tag") return tags(call, s);
        if (cmd === "stack" && sub === "export") return void call.out(JSON.stringify(exportDeployment(s, b)));
        if (cmd === "stack" && sub === "output") return void call.out(JSON.stringify(s.outputs));
        if (cmd === "stack" && sub === "history") return history(call, b, s);
        if (cmd === "cancel") return cancel(b, call, s);
        fail(`error: the fake pulumi does not implement: ${call.args.join(" ")}`);
    });
}

/**
 * Fault mode "preempt": a person's `up` from a fresh checkout (main's config: no suffix, no restore) takes
 * the stack's lock and finishes just before this call runs, as one can between two commands of a run.
 */
function preempt(root, call, name) {
    withBackend(root, (b) => {
        const fault = takeFailure(b, name, true);
        if (!fault) return;
        const s = stackOf(b, call);
        // A person's machine: its clock may run `clockSkewMs` off (a laptop minutes slow).
        const person = { ...call, pid: -1, clockSkewMs: fault.clockSkewMs || 0, flag: (f) => (f === "--message" ? fault.message || "a person's up" : undefined) };
        lock(root, b, person, s, "up", {});
        applyUp(b, s, call.stackName, {});
        finish(b, person, s, "up", "succeeded", {});
    });
}

/**
 * `whoami --json`'s `url`: a self-managed backend's storage URL; on Pulumi Cloud the console's, which the CLI
 * derives from its API URL (pulumi/pulumi pkg/backend/httpstate/client/console.go `CloudConsoleURL`: `api.` becomes
 * `app.`, any other host gives ""), so "" for this fake's API at 127.0.0.1 (fake/api.js): a run finds that API in
 * the credentials file's `current`, as for a self-hosted Pulumi Cloud.
 */
function whoamiUrl(root, b) {
    return isCloud(b) ? "" : `file://${root}/state`;
}

async function dispatch(root, call) {
    const [cmd, sub] = call.positional;
    if (cmd === "destroy" || cmd === "config" || cmd === "stack") preempt(root, call, cmd === "destroy" ? cmd : `${cmd} ${sub}`);
    const b = JSON.parse(fs.readFileSync(path.join(root, "backend.json"), "utf8"));
    if (cmd === "version") return void call.out(`v${b.version}\n`);
    if (!b.loggedIn) fail("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    await readFault(root, call);
    if (cmd === "whoami") return void call.out(JSON.stringify({ user: "ci", organizations: ["intergalactic"], url: whoamiUrl(root, b) }));
    // Pulumi Cloud: `stack tag set|rm` reads all tags when it loads the stack and PATCHes the whole map back.
    if (isCloud(b) && cmd === "stack" && sub === "tag") call.seenTags = { ...(b.stacks[call.stackName] || { tags: {} }).tags };
    const afterWrite = await writeFault(root, call);
    if (afterWrite) {
        await (cmd === "config" ? (withBackend(root, (x) => stackOf(x, call)), configCommand(call, sub)) : stackCommand(root, call));
        return afterWrite();
    }
    if (cmd === "config") return void (withBackend(root, (x) => stackOf(x, call)), configCommand(call, sub));
    if (cmd === "up" || cmd === "destroy" || cmd === "refresh") return operation(root, call, cmd);
    if (cmd === "preview") return preview(root, call);
    return stackCommand(root, call);
}

/** Runs one call; resolves with its exit code (its output is in `call.stdout`/`call.stderr`). */
async function runCall(root, call) {
    fs.appendFileSync(path.join(root, "calls.log"), JSON.stringify(call.args) + "\n");
    // Every call takes the cloud's clock a second on, the services writing as it passes (writers.js).
    withBackend(root, (b) => tick(b, 1000));
    try {
        await dispatch(root, call);
        return 0;
    } catch (err) {
        call.stderr += (err instanceof Exit ? err.message : err.stack) + "\n";
        return err instanceof Exit ? err.code : 1;
    }
}

module.exports = { runCall };
