/**
 * The pack's Analyzer service inside this process: the compiled pack is loaded here, and the
 * request handlers its `new PolicyPack(...)` hands to a gRPC server (`serve` in
 * `@pulumi/policy/server.js`) are called directly with the requests the runner builds (`views.ts`:
 * what the handlers read of a request message, without the message), instead of over a socket to
 * a `run-policy-pack` process.
 *
 * Why: a separate pack cost the offline policy run more than the plan itself
 * (tools/bench/PROFILE.md): `run-policy-pack` starting (Node, the SDK, ts-node and the TypeScript
 * compiler it registers for TypeScript packs), and every request and response encoded into
 * protobuf bytes on one side and decoded on the other, 2.4 MB for the `analyzeStack` of prod + 60.
 *
 * What stays the same: the handlers are the SDK's own, built by the SDK from the same pack, so
 * the enforcement levels and their overrides, the config each policy reads, the not-applicable
 * answers, remediations, the unknown-value proxy, secrets and the stack's parents, dependencies
 * and property dependencies are handled by exactly the code `pulumi preview --policy-pack` runs.
 * Only the transport is left out, and the pack itself is unchanged: `pulumi preview` still starts
 * it on its own. `policies/runner/inProcess.test.ts` holds the two ways to identical reports.
 */
import { createRequire } from "module";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import { Analyzer, Requests } from "./analyzer";
import { analyzeStackView, analyzeView } from "./views";

/** A gRPC unary handler as `@pulumi/policy` writes them: `(call, callback)`. */
type Handler = (call: { request: unknown }, callback: (err: Error | null | undefined, response?: unknown) => void) => unknown;
type Handlers = Readonly<Record<string, Handler>>;

/**
 * The packs loaded in this process, by folder. `@pulumi/policy` serves one pack per process (a
 * second `new PolicyPack` ends the process), and a module runs once, so a folder is loaded once
 * and its handlers kept.
 */
const loaded = new Map<string, Handlers>();

/**
 * Loads the pack in `program` (a folder, as `run-policy-pack` is given it) with `cwd` as the working
 * directory, where `PolicyPack` reads the pack's version (`<cwd>/package.json`), and returns the handlers
 * it registers. The gRPC server's `addService` and `bindAsync` are replaced while the pack loads, so it
 * opens no port and prints nothing.
 */
function loadPack(program: string, cwd: string): Handlers {
    const folder = path.resolve(program);
    const known = loaded.get(folder);
    if (known) return known;
    const other = [...loaded.keys()][0];
    if (other !== undefined) throw new Error(`the policy pack ${folder} cannot be loaded: this process already runs ${other}, and @pulumi/policy serves one pack per process`);
    // The gRPC module the pack's own @pulumi/policy resolves: the one its `serve` builds the server with.
    const fromPack = createRequire(path.join(folder, "index.js"));
    const grpc = createRequire(fromPack.resolve("@pulumi/policy"))("@grpc/grpc-js") as typeof grpcTypes;
    const server = grpc.Server.prototype;
    const { addService, bindAsync } = server;
    let handlers: Handlers | undefined;
    server.addService = function (_service: unknown, implementation: Handlers) {
        handlers = implementation;
    } as typeof addService;
    server.bindAsync = function () {
        // No port: nothing connects to it.
    } as typeof bindAsync;
    const workingDir = process.cwd();
    try {
        process.chdir(cwd);
        fromPack(folder);
    } finally {
        process.chdir(workingDir);
        server.addService = addService;
        server.bindAsync = bindAsync;
    }
    if (!handlers) throw new Error(`the policy pack ${folder} defines no PolicyPack`);
    loaded.set(folder, handlers);
    return handlers;
}

export class AnalyzerInProcess extends Analyzer {
    /** What the SDK's handlers read, without building protobuf messages (views.ts). */
    protected readonly requests: Requests = { analyze: analyzeView, analyzeStack: analyzeStackView };

    private constructor(private readonly handlers: Handlers) {
        super();
    }

    /** Loads the pack in `program` (once per process) and serves its handlers; `cwd` gives its version. */
    static start(program: string, cwd: string): AnalyzerInProcess {
        return new AnalyzerInProcess(loadPack(program, cwd));
    }

    /** One call, answered as the gRPC server would: an error carries the handler's message, as gRPC's status details do. */
    protected call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.handlers[method]({ request }, (err, response) => (err ? reject(new Error(`${method}: ${err.message}`)) : resolve(response as T)));
        });
    }

    /** The pack stays loaded for the next session: a module cannot be run twice. */
    stop(): void {}
}
