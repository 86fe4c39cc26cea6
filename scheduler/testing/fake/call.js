/*
 * One CLI call as the fake serves it: its arguments, working copy and pid (the shim's, so a
 * lock names a process that dies with the call), what it writes, and the signals the shim
 * forwards. `fail` ends it with exit code 255 and an `error:` line, as the real CLI does.
 */
"use strict";

const VALUE_FLAGS = ["--stack", "--message", "--exec-kind", "--exec-agent", "--page-size", "--page", "--event-log", "--secrets-provider", "--client", "--color", "--parallel", "--target"];

class Exit extends Error {
    constructor(code, stderr) {
        super(stderr);
        this.code = code;
    }
}

const fail = (message) => {
    throw new Exit(255, message);
};

class Call {
    constructor(args, cwd, pid) {
        this.args = args;
        this.cwd = cwd;
        this.pid = pid;
        this.stdout = "";
        this.stderr = "";
        this.positional = [];
        for (let i = 0; i < args.length; i++) {
            if (args[i] === "--") break;
            if (args[i].startsWith("--")) {
                if (VALUE_FLAGS.includes(args[i])) i++;
                continue;
            }
            this.positional.push(args[i]);
        }
        this.stackName = this.flag("--stack");
        this.listeners = [];
        this.gone = false;
    }
    flag(name) {
        const i = this.args.indexOf(name);
        return i >= 0 ? this.args[i + 1] : undefined;
    }
    /** Every value of a flag given more than once (`--target a --target b`). */
    flags(name) {
        return this.args.flatMap((a, i) => (a === name && i + 1 < this.args.length ? [this.args[i + 1]] : []));
    }
    has(name) {
        return this.args.includes(name);
    }
    out(text) {
        this.stdout += text;
    }
    /** A signal the shim forwarded ("SIGINT", "SIGTERM"), or "gone" when its process died. */
    signal(name) {
        if (name === "gone") this.gone = true;
        for (const l of this.listeners) l(name);
    }
    /** Resolves with the first signal (or "gone") for which `accept` says true. */
    until(accept) {
        return new Promise((resolve) => {
            if (this.gone && accept("gone")) return resolve("gone");
            this.listeners.push((name) => accept(name) && resolve(name));
        });
    }
}

module.exports = { Call, Exit, fail };
