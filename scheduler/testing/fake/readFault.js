/*
 * Faults of a read: `whoami`, `stack tag ls`, `stack export`, `stack history`, `stack output`, `stack` (its
 * `--show-name`), each failure's `command` naming one of them (`skip` passes the first ones).
 *   mode "hang"  never answers; SIGINT ends it with an error (unless `ignoreSigint`), and so does its process's end
 *   mode "slow"  answers only `delayMs` after it was called (a backend slower than the read's time limit), unless
 *                SIGINT or its process's end comes first
 */
"use strict";
const { Exit, fail } = require("./call");
const { takeFailure, withBackend } = require("./backend");

/** The command a read fault names (`stack export`), or undefined for any other call. */
function readCommand(call) {
    const [cmd, sub, verb] = call.positional;
    if (cmd === "whoami") return cmd;
    if (cmd === "stack" && sub === "tag" && (verb === "ls" || verb === "get")) return `stack tag ${verb}`;
    if (cmd === "stack" && ["export", "history", "output"].includes(sub)) return `stack ${sub}`;
    if (cmd === "stack" && sub === undefined && call.has("--show-name")) return "stack";
    return undefined;
}

/** Holds up the read `call` makes as its fault says; returns when it may answer, throws when it was stopped first. */
async function readFault(root, call) {
    const command = readCommand(call);
    if (!command) return;
    const fault = withBackend(root, (b) => takeFailure(b, command));
    if (!fault || !["hang", "slow"].includes(fault.mode)) return;
    const why = await Promise.race([
        call.until((signal) => signal === "gone" || (signal === "SIGINT" && !fault.ignoreSigint)),
        ...(fault.mode === "slow" ? [new Promise((resolve) => setTimeout(() => resolve("answered"), fault.delayMs || 0))] : []),
    ]);
    if (why === "answered") return;
    if (why === "gone") throw new Exit(137, "signal: killed");
    fail(`error: ${command} interrupted`);
}

module.exports = { readFault };
