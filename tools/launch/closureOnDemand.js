/**
 * Loads the Pulumi SDK's function serialiser only when something serialises a function.
 *
 * `@pulumi/pulumi/runtime/index.js` requires `closure/serializeClosure` and `closure/codePaths`
 * at load, and they require the TypeScript compiler (to parse function text) and npm's
 * arborist, pacote and sigstore (to find a lambda's package files): about 0.45 s of CPU and
 * 58 MiB of memory on every start, for `pulumi.runtime.serializeFunction` and
 * `computeCodePaths`, which a plan, a policy run or a bench never call (measured in
 * tools/bench/PROFILE.md). Here each of the two modules is entered in the require cache as
 * a module of forwarding functions, one per export the real module declares; the first call
 * of any of them loads the real module (which then replaces the stand-in in the cache) and
 * calls it. So a program that does serialise a function gets the SDK's own code, loaded at
 * that moment.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { cacheStandIn, sdkFolder } = require("./standIn");

/** `exports.name = ...` as the SDK's compiled CommonJS declares each export. */
const EXPORT = /^exports\.([A-Za-z_$][\w$]*) = /gm;

function onDemand(filename) {
    let text;
    try {
        text = fs.readFileSync(filename, "utf8");
    } catch {
        return; // another SDK layout: leave its loading alone
    }
    const names = [...new Set([...text.matchAll(EXPORT)].map((m) => m[1]))];
    if (names.length === 0 || require.cache[filename]) return;
    cacheStandIn(filename, (load) => {
        const forwarding = { __esModule: true };
        for (const name of names) {
            forwarding[name] = function (...args) {
                return load()[name].apply(this, args);
            };
        }
        return forwarding;
    });
}

exports.install = function install(root) {
    const sdk = sdkFolder(root);
    if (!sdk) return; // no SDK installed: nothing to defer
    for (const file of ["serializeClosure.js", "codePaths.js"]) onDemand(path.join(sdk, "runtime", "closure", file));
};
