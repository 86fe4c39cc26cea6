/*
 * Config lives in the working copy, as with the real CLI: `Pulumi.<stack>.yaml` in the
 * call's cwd, so a fresh checkout holds only the committed keys.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const { fail } = require("./call");

const configFile = (call) => path.join(call.cwd, `Pulumi.${call.stackName}.yaml`);

function readConfig(call) {
    if (!fs.existsSync(configFile(call))) return {};
    return (yaml.load(fs.readFileSync(configFile(call), "utf8")) || {}).config || {};
}

function writeConfig(call, config) {
    fs.writeFileSync(configFile(call), yaml.dump({ config }));
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

function configCommand(call, sub) {
    const { args, positional } = call;
    const config = readConfig(call);
    const usePath = call.has("--path");
    if (sub === "set") setPath(config, positional[2], args[args.indexOf("--") + 1], usePath);
    else if (sub === "set-all") {
        args.forEach((a, i) => {
            if (a !== "--plaintext") return;
            const eq = args[i + 1].indexOf("=");
            setPath(config, args[i + 1].slice(0, eq), args[i + 1].slice(eq + 1), usePath);
        });
    } else if (sub === "rm") removePath(config, positional[2], usePath);
    else return void call.out(JSON.stringify(configJson(config)));
    writeConfig(call, config);
}

module.exports = { readConfig, configJson, configCommand };
