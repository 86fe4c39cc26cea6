/**
 * Loads gRPC (`@grpc/grpc-js`) only when something uses it.
 *
 * The Pulumi SDK requires gRPC at load (`errors.js`, `runtime/settings.js`, its generated `*_grpc_pb.js`
 * clients) to talk to the Pulumi engine and the language host. A plan, a policy run or a bench talks to
 * neither: the mocks answer in-process. Loading it is 65 files and about 65 ms at every start, 4% of the
 * CPU of the plan of prod + 60 (tools/bench/PROFILE.md). Here its index is entered in the require cache
 * as a stand-in whose first read of any member loads the real module (which then replaces the stand-in in
 * the cache) and answers from it, as automationOnDemand.js does. The one member the SDK reads at load,
 * `makeGenericClientConstructor` (`proto/callback_grpc_pb.js` builds its client class at load), answers
 * with a stand-in class: building an instance, subclassing it or reading a member makes the real class
 * then.
 */
"use strict";
const fs = require("fs");
const { cacheStandIn, loadedOnRead, sdkFolder } = require("./standIn");

/** A class that `make()` builds the first time it is used. */
function classOnDemand(make) {
    let real;
    const build = () => (real ??= make());
    return new Proxy(function grpcClientOnDemand() {}, {
        construct: (_, args, newTarget) => Reflect.construct(build(), args, newTarget),
        apply: (_, self, args) => Reflect.apply(build(), self, args),
        get: (_, key) => build()[key],
        has: (_, key) => key in build(),
        getPrototypeOf: () => Reflect.getPrototypeOf(build()),
    });
}

function onDemand(filename) {
    if (!fs.existsSync(filename) || require.cache[filename]) return;
    cacheStandIn(filename, (load) => loadedOnRead(load, (key) => (key === "makeGenericClientConstructor"
        ? (...args) => classOnDemand(() => load().makeGenericClientConstructor(...args))
        : undefined)));
}

exports.install = function install(root) {
    const sdk = sdkFolder(root);
    if (!sdk) return;
    let grpc;
    try {
        grpc = require.resolve("@grpc/grpc-js", { paths: [sdk] });
    } catch {
        return; // an SDK without gRPC: nothing to defer
    }
    onDemand(grpc);
};
