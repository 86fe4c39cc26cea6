/**
 * Loads the Pulumi SDK's Automation API only when something reads it.
 *
 * `@pulumi/pulumi/index.js` requires `./automation` at load for its `automation` export, and the
 * Automation API requires execa, its own js-yaml, the workspace and remote-stack code and their
 * gRPC services: about 25 ms of CPU on every start (tools/bench/PROFILE.md) of a plan, a policy
 * run or a bench, which drive no Pulumi CLI. Here `automation/index.js` is entered in the require
 * cache as a module whose exports object is a stand-in: the first read of any of its members (or
 * of its keys) loads the real module, which then replaces the stand-in in the cache, and answers
 * from it. Only `__esModule` is answered without loading, so that the SDK's `__importStar` keeps
 * the stand-in as it is instead of copying its members at once. A program that does use
 * `pulumi.automation` (or requires `@pulumi/pulumi/automation`) gets the SDK's own module.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { cacheStandIn, loadedOnRead, sdkFolder } = require("./standIn");

function onDemand(filename) {
    if (!fs.existsSync(filename) || require.cache[filename]) return;
    cacheStandIn(filename, loadedOnRead);
}

exports.install = function install(root) {
    const sdk = sdkFolder(root);
    if (sdk) onDemand(path.join(sdk, "automation", "index.js"));
};
