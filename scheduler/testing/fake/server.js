/*
 * The fake CLI's process boundary. `<root>/bin/pulumi` is a bash script (no Node start per
 * call, which was most of a test's time): it sends its pid, cwd and arguments to this server
 * in the test process over 127.0.0.1, forwards SIGINT (as the Automation API's abort sends
 * it), and prints the answer. A killed shim closes its socket: the server treats that call's
 * process as dead (its lock stays). Wire format: NUL-terminated fields (pid, cwd, argc, args),
 * then "SIGINT\0" per signal; the answer is "<code> <stdout bytes> <stderr bytes>\n" and both.
 * Each call's start and its process's end (its socket closed) go to `<root>/processes.log` in order, so a test
 * can tell that a call's process was gone before the next call started.
 */
"use strict";
const fs = require("fs");
const net = require("net");
const path = require("path");
const { Call } = require("./call");
const { runCall } = require("./cli");

function shim(root) {
    return `#!/usr/bin/env bash
# The fake pulumi CLI (scheduler/testing/fake/server.js): hands this call to the test's server.
export LC_ALL=C
port=""
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s ${JSON.stringify(root + "/port")} ] && break; sleep 0.05; done
read -r port < ${JSON.stringify(root + "/port")} || exit 255
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 255
trap 'printf "SIGINT\\\\0" >&3' INT
{ printf '%s\\0' "$$" "$PWD" "$#"; [ $# -gt 0 ] && printf '%s\\0' "$@"; } >&3
# A trapped signal interrupts read (status > 128): read on; end of stream means the server went away.
until IFS=' ' read -r code outn errn <&3; do [ $? -gt 128 ] || exit 255; done
out=""; err=""
[ "$outn" -gt 0 ] && until read -r -N "$outn" -d '' out <&3; do [ $? -gt 128 ] || break; done
[ "$errn" -gt 0 ] && until read -r -N "$errn" -d '' err <&3; do [ $? -gt 128 ] || break; done
printf '%s' "$out"
printf '%s' "$err" >&2
exit "$code"
`;
}

/** Parses the NUL-separated request; undefined until it is complete. */
function request(buffer) {
    const fields = buffer.toString("utf8").split("\0");
    if (fields.length < 4) return undefined;
    const argc = Number(fields[2]);
    if (fields.length < 4 + argc) return undefined;
    return { pid: Number(fields[0]), cwd: fields[1], args: fields.slice(3, 3 + argc), rest: fields.slice(3 + argc).join("\0") };
}

function logProcess(root, event) {
    try {
        fs.appendFileSync(path.join(root, "processes.log"), JSON.stringify(event) + "\n");
    } catch {
        // The test's backend is gone (a process killed at its clean-up): nothing is left to tell.
    }
}

/** Serves the fake CLI for the backend at `root`; the shim finds the port in `<root>/port` once it listens. */
function startServer(root) {
    const server = net.createServer((socket) => {
        socket.unref();
        let buffer = Buffer.alloc(0);
        let call;
        const signals = (text) => text.split("\0").filter(Boolean).forEach((name) => call.signal(name));
        socket.on("data", (data) => {
            if (call) return signals(data.toString("utf8"));
            buffer = Buffer.concat([buffer, data]);
            const req = request(buffer);
            if (!req) return;
            call = new Call(req.args, req.cwd, req.pid);
            logProcess(root, { start: req.pid, args: req.args });
            signals(req.rest);
            runCall(root, call).then((code) => {
                if (socket.destroyed) return;
                const out = Buffer.from(call.stdout, "utf8");
                const err = Buffer.from(call.stderr, "utf8");
                socket.end(Buffer.concat([Buffer.from(`${code} ${out.length} ${err.length}\n`), out, err]));
            });
        });
        socket.on("close", () => {
            if (!call) return;
            logProcess(root, { end: call.pid });
            call.signal("gone");
        });
        socket.on("error", () => undefined);
    });
    server.listen(0, "127.0.0.1", () => fs.writeFileSync(path.join(root, "port"), `${server.address().port}\n`));
    server.unref();
    return { close: () => server.close() };
}

module.exports = { shim, startServer };
