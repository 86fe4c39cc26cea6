/**
 * What the on-demand loaders of the Pulumi SDK's modules share (closureOnDemand.js, automationOnDemand.js):
 * where the SDK is installed, and entering a stand-in for one of its modules in the require cache, with the
 * function that loads the real module in its place.
 */
"use strict";
const Module = require("module");
const path = require("path");

/** The folder of the `@pulumi/pulumi` that `root` resolves, or undefined when none is installed. */
exports.sdkFolder = function sdkFolder(root) {
    try {
        return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
    } catch {
        return undefined;
    }
};

/**
 * Enters in the require cache, as `filename`, the module `makeExports(load)` returns the exports of; `load()`
 * removes the stand-in from the cache and loads the real module (once), which then serves every later require.
 */
exports.cacheStandIn = function cacheStandIn(filename, makeExports) {
    let real;
    const load = () => {
        if (!real) {
            delete require.cache[filename];
            real = require(filename);
        }
        return real;
    };
    const standIn = new Module(filename, null);
    standIn.filename = filename;
    standIn.paths = Module._nodeModulePaths(path.dirname(filename));
    standIn.loaded = true;
    standIn.exports = makeExports(load);
    require.cache[filename] = standIn;
};
