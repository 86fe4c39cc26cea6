/*
 * Faults of a tag or config write or a `pulumi cancel`: `stack tag set|rm`, `config set|set-all|rm`, `cancel`, each
 * failure's `command` naming one of them and `key`, when given, the tag or config key it holds up (other writes pass).
 *   mode "hang"  never answers; SIGINT ends it without writing (unless `ignoreSigint`), and so does its process's end
 *   mode "late"  writes only `delayMs` after it was called, unless SIGINT or its process's end comes first: a write
 *                that would land after the run that made it gave up on it
 *   mode "landed" writes at once, then never answers (a backend that took the write and a CLI that hangs after it):
 *                SIGINT or its process's end ends it, the write already made
 */
"use strict";
const { Exit, fail } = require("./call");
const { takeFailure, withBackend } = require("./backend");

/** The command a write fault names (`stack tag set`), or undefined for any other call. */
function writeCommand(call) {
    const [cmd, sub, verb] = call.positional;
    if (cmd === "stack" && sub === "tag" && (verb === "set" || verb === "rm")) return { command: `stack tag ${verb}`, key: call.positional[3] };
    if (cmd === "config" && ["set", "set-all", "rm"].includes(sub)) return { command: `config ${sub}`, key: call.positional[2] };
    if (cmd === "cancel") return { command: "cancel", key: undefined };
    return undefined;
}

/**
 * Holds up the write `call` makes as its fault says; returns when it may go on, throws when it was stopped first.
 * For "landed" it returns at once with what to do after the write: wait until stopped, then fail.
 */
async function writeFault(root, call) {
    const write = writeCommand(call);
    if (!write) return undefined;
    const fault = withBackend(root, (b) => takeFailure(b, write.command, false, write.key));
    if (!fault || !["hang", "late", "landed"].includes(fault.mode)) return undefined;
    const stopped = (signal) => signal === "gone" || (signal === "SIGINT" && !fault.ignoreSigint);
    if (fault.mode === "landed") {
        return async () => {
            const why = await call.until(stopped);
            if (why === "gone") throw new Exit(137, "signal: killed");
            fail(`error: ${write.command} interrupted after it was written`);
        };
    }
    const why = await Promise.race([
        call.until(stopped),
        ...(fault.mode === "late" ? [new Promise((resolve) => setTimeout(() => resolve("written"), fault.delayMs || 0))] : []),
    ]);
    if (why === "written") return undefined;
    if (why === "gone") throw new Exit(137, "signal: killed");
    fail(`error: ${write.command} interrupted; nothing written`);
}

module.exports = { writeFault };
