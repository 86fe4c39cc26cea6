/*
 * The engine events a command sends to its `--event-log`, in the shape of pulumi/pulumi
 * sdk/go/common/apitype/events.go (what the Automation API's `onEvent` gets): a prelude, per delete step
 * a `resourcePreEvent` when it starts and a `resOutputsEvent` when it succeeds (pkg/engine/update.go
 * OnResourceStepPost emits one for every delete) or a `resOpFailedEvent` when it fails, each with
 * `metadata.op` "delete", `metadata.old` the resource's state (inputs and outputs as the checkpoint holds
 * them, secrets masked) and `metadata.new` null; then the summary, unless the process died.
 *
 * Two transports, as the CLI has them (pkg/backend/display/display.go startEventLogger): a file, one JSON
 * object per line, which the Automation API tails; or, when `--event-log` is `tcp://<host>:<port>` (the
 * Automation API passes that to a CLI above 3.205.0, automation/stack.js setupEventLog), a client stream to
 * its gRPC service `pulumirpc.Events/StreamEvents`, one `EventRequest{event}` per event (the same JSON, with
 * the encoder's trailing newline), closed when the command ends.
 */
"use strict";
const fs = require("fs");
const grpc = require("@grpc/grpc-js");
const { EventsClient } = require("@pulumi/pulumi/proto/events_grpc_pb");
const { EventRequest } = require("@pulumi/pulumi/proto/events_pb");
const { SECRET_SIG, SIG_KEY } = require("./cloud");

/**
 * `props` as a step event carries them: the CLI serialises step state with the blinding encrypter and without
 * plaintext (pkg/backend/display/events.go convertStepEventStateMetadata, pkg/resource/stack
 * SerializePropertyValue), so each secret's value is gone.
 */
function maskSecrets(props) {
    return Object.fromEntries(Object.entries(props || {}).map(([k, v]) => [k, v && v[SIG_KEY] === SECRET_SIG ? { [SIG_KEY]: SECRET_SIG, ciphertext: "[secret]" } : v]));
}

/** Step event metadata of a deletion of `old` (an exported resource): pkg/engine/events.go makeStepEventMetadata. */
function deleteMetadata(old) {
    const state = {
        type: old.type, urn: old.urn, custom: true, id: old.id || "", parent: old.parent || "",
        ...(old.protect ? { protect: true } : {}), inputs: maskSecrets(old.inputs), outputs: maskSecrets(old.outputs), provider: "",
    };
    return { op: "delete", urn: old.urn, type: old.type, old: state, new: null, detailedDiff: null, provider: "" };
}

/** Streams `events` to the Automation API's Events service at `address`; `ended` false: the process dies after the last one. */
function stream(address, events, ended) {
    const client = new EventsClient(address, grpc.credentials.createInsecure());
    return new Promise((resolve) => {
        const call = client.streamEvents(() => {
            client.close();
            resolve();
        });
        for (const e of events) call.write(new EventRequest().setEvent(JSON.stringify(e) + "\n"));
        if (ended) return void call.end();
        // A process that dies mid-command: what it sent arrives, then the connection breaks without the stream's end.
        setTimeout(() => call.cancel(), 100);
    });
}

/**
 * Sends `events` (without their sequence numbers) to the call's `--event-log`, if it has one. `ended`: the
 * command ended (failed or not); a process that dies sends no summary and never closes its stream.
 */
async function send(call, events, ended) {
    const log = call.flag("--event-log");
    if (!log) return;
    const now = Math.floor(Date.now() / 1000);
    const stamped = events.map((e, i) => ({ sequence: i + 1, timestamp: now, ...e }));
    if (log.startsWith("tcp://")) return stream(log.slice("tcp://".length), stamped, ended);
    fs.appendFileSync(log, stamped.map((e) => JSON.stringify(e)).join("\n") + "\n");
    // The Automation API tails the file every 200 ms and stops at the command's exit without a last read.
    await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Collects a destroy's events; `write` sends them. */
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
            if (ended) events.push({ summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: changes, PolicyPacks: {}, isPreview: false } });
            await send(call, events, ended);
        },
    };
}

module.exports = { destroyEvents, send };
