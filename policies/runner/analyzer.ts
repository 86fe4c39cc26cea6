/**
 * The `pulumirpc.Analyzer` calls the runner makes, and the policy pack as the
 * engine runs it: a `run-policy-pack` process serving the gRPC service, and a
 * client for it. `inProcess.ts` answers the same calls inside this process.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { PlannedResource } from "../../engine/format";
import { Empty, grpc } from "./pulumiDeps";
import { analyzeRequest, analyzeStackRequest } from "./wire";

// The generated client has no .d.ts of its own worth typing against; it is used through `call` below.
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

/** How long the pack may take to print its port: a precompiled pack needs ~1.5 s, a TypeScript one 10+ s. */
const START_TIMEOUT_MS = 30_000;

type Unary = (request: unknown, callback: (err: grpcTypes.ServiceError | null, response: unknown) => void) => void;

/** How a host is given a plan's resources: the request messages (`wire.ts`), or what stands in for them. */
export interface Requests {
    analyze(resource: PlannedResource): unknown;
    analyzeStack(resources: readonly PlannedResource[]): unknown;
}

/** The requests as protobuf messages, for a pack they are sent to. */
export const MESSAGES: Requests = { analyze: analyzeRequest, analyzeStack: analyzeStackRequest };

/** The `pulumirpc.Analyzer` calls the runner makes, over one `call(method, request)` of wherever the pack runs. */
export abstract class Analyzer {
    protected abstract call<T>(method: string, request: unknown): Promise<T>;

    /** How this host's requests are built. */
    protected abstract readonly requests: Requests;

    /** Ends the pack (or lets it go). */
    abstract stop(): void;

    info(): Promise<analyzer.AnalyzerInfo> {
        return this.call("getAnalyzerInfo", new Empty());
    }

    configure(request: analyzer.ConfigureAnalyzerRequest): Promise<Empty> {
        return this.call("configure", request);
    }

    /** `analyze` of one resource's inputs. */
    analyze(resource: PlannedResource): Promise<analyzer.AnalyzeResponse> {
        return this.call("analyze", this.requests.analyze(resource));
    }

    /** `analyzeStack` of every resource's outputs. */
    analyzeStack(resources: readonly PlannedResource[]): Promise<analyzer.AnalyzeResponse> {
        return this.call("analyzeStack", this.requests.analyzeStack(resources));
    }

    /** `remediate` of one resource's inputs. */
    remediate(resource: PlannedResource): Promise<analyzer.RemediateResponse> {
        return this.call("remediate", this.requests.analyze(resource));
    }
}

/** The pack in a process of its own, as `pulumi preview --policy-pack` starts it. */
export class AnalyzerProcess extends Analyzer {
    protected readonly requests = MESSAGES;

    private constructor(private readonly child: ChildProcess, private readonly client: Record<string, Unary> & grpcTypes.Client) {
        super();
    }

    /**
     * Starts `node <pulumi>/cmd/run-policy-pack 127.0.0.1:0 <program>` in `cwd` (the pack's folder, whose
     * package.json gives the pack's version) and connects to the port it prints.
     */
    static async start(program: string, cwd: string): Promise<AnalyzerProcess> {
        const runner = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", program], { cwd, stdio: ["ignore", "pipe", "pipe"] });
        // The pack serves until killed; never leave it behind when this process ends early.
        const killChild = () => child.kill();
        process.once("exit", killChild);
        child.once("exit", () => process.removeListener("exit", killChild));
        const port = await readPort(child);
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        return new AnalyzerProcess(child, client);
    }

    protected call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method].call(this.client, request, (err, response) => (err ? reject(new Error(`${method}: ${err.details || err.message}`)) : resolve(response as T)));
        });
    }

    /** Closes the connection and ends the pack's process. */
    stop(): void {
        this.client.close();
        this.child.kill();
    }
}

/** The first line the pack prints is its port; anything on stderr before that is the reason it failed. */
function readPort(child: ChildProcess): Promise<number> {
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => fail(`no port after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
        const fail = (why: string) => {
            clearTimeout(timer);
            child.kill();
            reject(new Error(`the policy pack did not start: ${why}${err ? `\n${err.trim()}` : ""}`));
        };
        child.stderr!.on("data", (chunk) => (err += chunk));
        child.stdout!.on("data", (chunk) => {
            out += chunk;
            const line = /^\s*(\d+)\s*$/m.exec(out);
            if (line) {
                clearTimeout(timer);
                resolve(Number(line[1]));
            }
        });
        child.on("exit", (code) => fail(`it exited with code ${code}`));
        child.on("error", (e) => fail(e.message));
    });
}
