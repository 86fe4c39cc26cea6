/*
 * The engine events a destroy writes to its `--event-log`, one JSON object per line, in the shape of
 * pulumi/pulumi sdk/go/common/apitype/events.go (what the Automation API's `onEvent` gets): a prelude,
 * per delete step a `resourcePreEvent` when it starts and a `resOutputsEvent` when it succeeds
 * (pkg/engine/update.go OnResourceStepPost emits one for every delete) or a `resOpFailedEvent` when it
 * fails, each with `metadata.op` "delete", `metadata.old` the resource's state (inputs and outputs as
 * the checkpoint holds them) and `metadata.new` null; then the summary, unless the process died.
 */
"use strict";
const fs = require("fs");

/** Step event metadata of a deletion of `old` (an exported resource): pkg/engine/events.go makeStepEventMetadata. */
function deleteMetadata(old) {
    const state = {
        type: old.type, urn: old.urn, custom: true, id: old.id || "", parent: old.parent || "",
        ...(old.protect ? { protect: true } : {}), inputs: old.inputs || {}, outputs: old.outputs || {}, provider: "",
    };
    return { op: "delete", urn: old.urn, type: old.type, old: state, new: null, detailedDiff: null, provider: "" };
}

/** Collects a destroy's events; `write` appends them to the call's `--event-log` (when it has one). */
function destroyEvents(call) {
    const events = [{ preludeEvent: { config: {} } }];
    const changes = {};
    return {
        step(phase, old) {
            const metadata = deleteMetadata(old);
            if (phase === "pre") events.push({ resourcePreEvent: { metadata } });
            if (phase === "done") {
                events.push({ resOutputsEvent: { metadata } });
                changes.delete = (changes.delete || 0) + 1;
            }
            if (phase === "failed") events.push({ resOpFailedEvent: { metadata, status: 0, steps: changes.delete || 0 } });
        },
        /** `ended`: the summary the engine writes when the update ends, failed or not; a process that dies writes none. */
        async write(ended) {
            const log = call.flag("--event-log");
            if (!log) return;
            if (ended) events.push({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: changes, PolicyPacks: {}, isPreview: false } });
            const now = Math.floor(Date.now() / 1000);
            fs.appendFileSync(log, events.map((e, i) => JSON.stringify({ sequence: i + 1, timestamp: now, ...e })).join("\n") + "\n");
            // The Automation API tails the file every 200 ms and stops at the command's exit without a last read.
            await new Promise((resolve) => setTimeout(resolve, 300));
        },
    };
}

module.exports = { destroyEvents };
