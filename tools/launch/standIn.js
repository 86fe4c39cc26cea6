/**
 * What the on-demand loaders of the Pulumi SDK's modules share (closureOnDemand.js, automationOnDemand.js,
 * grpcOnDemand.js): where the SDK is installed, entering a stand-in for one of its modules in the require
 * cache, with the function that loads the real module in its place, and an exports object that loads it on
 * the first read.
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

/**
 * An exports object whose first read of any member (or of its keys) loads the real module with `load()` and
 * answers from it. Only `__esModule` is answered without loading, so that `__importStar` keeps the stand-in as
 * it is instead of copying its members at once, and the members `early(key, load)` answers (undefined: none).
 */
exports.loadedOnRead = function loadedOnRead(load, early = () => undefined) {
    return new Proxy({}, {
        get: (_, key) => (key === "__esModule" ? true : early(key, load) ?? load()[key]),
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            // A proxy may report a property only as configurable when its (empty) target lacks it.
            return descriptor && { ...descriptor, configurable: true };
        },
        set: (_, key, value) => Reflect.set(load(), key, value),
        defineProperty: (_, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
        deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
    });
};
