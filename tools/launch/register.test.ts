import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REGISTER = path.join(__dirname, "register.js");

/** Loads `file` in a fresh process through the transpile cache and returns what it prints. */
function load(file: string, cache: string): { out: string; err: string; status: number | null } {
    const run = spawnSync(process.execPath, ["-r", REGISTER, file], { encoding: "utf8", env: { ...process.env, INTERGALACTIC_TS_CACHE: cache } });
    return { out: run.stdout.trim(), err: run.stderr, status: run.status };
}

const cached = (cache: string) => (fs.existsSync(cache) ? fs.readdirSync(cache, { recursive: true }).filter((f) => String(f).endsWith(".js")).length : 0);

describe("the transpile cache of the scripts", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-cache-test-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs an edited source as edited, never a stale transpile", () => {
        const cache = path.join(dir, "cache");
        const main = path.join(dir, "main.ts");
        fs.writeFileSync(path.join(dir, "value.ts"), "export const value: number = 1;\n");
        fs.writeFileSync(main, 'import { value } from "./value";\nconsole.log(`value ${value}`);\n');
        assert.strictEqual(load(main, cache).out, "value 1");
        assert.strictEqual(cached(cache), 2);
        assert.strictEqual(load(main, cache).out, "value 1");
        assert.strictEqual(cached(cache), 2, "a second run reuses the transpiled files");
        // Same length and same modification time, so only the content tells them apart.
        const stat = fs.statSync(path.join(dir, "value.ts"));
        fs.writeFileSync(path.join(dir, "value.ts"), "export const value: number = 2;\n");
        fs.utimesSync(path.join(dir, "value.ts"), stat.atime, stat.mtime);
        assert.strictEqual(load(main, cache).out, "value 2");
        assert.strictEqual(cached(cache), 3);
    });

    it("names the file and line of a syntax error", () => {
        const main = path.join(dir, "broken.ts");
        fs.writeFileSync(main, "const a = 1;\nconst b = ;\n");
        const run = load(main, path.join(dir, "cache"));
        assert.notStrictEqual(run.status, 0);
        assert.match(run.err, /broken\.ts:2: Expression expected/);
    });

    it("loads the SDK without its function serialiser and its TypeScript compiler, and still serialises a function on demand", () => {
        const sdk = require.resolve("@pulumi/pulumi");
        const main = path.join(dir, "serialise.js");
        fs.writeFileSync(main, [
            `const pulumi = require(${JSON.stringify(sdk)});`,
            "const compilerLoaded = () => Object.keys(require.cache).some((f) => f.includes(`${require('path').sep}typescript${require('path').sep}`));",
            "console.log(`compiler at start: ${compilerLoaded()}`);",
            "const answer = 42;",
            "pulumi.runtime.serializeFunction(() => answer).then((s) => console.log(`serialised: ${s.text.includes('42')}`));",
        ].join("\n"));
        assert.deepStrictEqual(load(main, path.join(dir, "cache")).out.split("\n"), ["compiler at start: false", "serialised: true"]);
    });

    it("loads the SDK without its Automation API, and gives the SDK's own module when something reads it", () => {
        const sdk = require.resolve("@pulumi/pulumi");
        const main = path.join(dir, "automation.js");
        fs.writeFileSync(main, [
            `const pulumi = require(${JSON.stringify(sdk)});`,
            "const loaded = () => Object.keys(require.cache).some((f) => f.endsWith(require('path').join('automation', 'localWorkspace.js')));",
            "console.log(`automation at start: ${loaded()}`);",
            `const direct = require(${JSON.stringify(path.join(path.dirname(sdk), "automation"))});`,
            "console.log(`same classes: ${typeof pulumi.automation.LocalWorkspace === 'function' && direct.LocalWorkspace === pulumi.automation.LocalWorkspace}`);",
            "console.log(`loaded on read: ${loaded()}`);",
            "console.log(`keys: ${Object.keys(pulumi.automation).includes('LocalWorkspace')}`);",
        ].join("\n"));
        assert.deepStrictEqual(load(main, path.join(dir, "cache")).out.split("\n"), ["automation at start: false", "same classes: true", "loaded on read: true", "keys: true"]);
    });

    it("loads the SDK without gRPC, and gives gRPC's own module and client classes when something uses them", () => {
        const sdk = require.resolve("@pulumi/pulumi");
        const main = path.join(dir, "grpc.js");
        fs.writeFileSync(main, [
            `const pulumi = require(${JSON.stringify(sdk)});`,
            "const loaded = () => Object.keys(require.cache).some((f) => f.endsWith(require('path').join('grpc-js', 'build', 'src', 'channel.js')));",
            "console.log(`grpc at start: ${loaded()}`);",
            `const { CallbacksClient } = require(${JSON.stringify(path.join(path.dirname(sdk), "proto", "callback_grpc_pb.js"))});`,
            `const grpc = require(require.resolve("@grpc/grpc-js", { paths: [${JSON.stringify(path.dirname(sdk))}] }));`,
            "console.log(`a client class without loading: ${loaded()}`);",
            "const client = new CallbacksClient('127.0.0.1:1', grpc.credentials.createInsecure());",
            "console.log(`loaded on use: ${loaded()}`);",
            "console.log(`a real client: ${client instanceof grpc.Client && typeof client.invoke === 'function' && CallbacksClient.service.invoke.path === '/pulumirpc.Callbacks/Invoke'}`);",
            "class Sub extends CallbacksClient {}",
            "const sub = new Sub('127.0.0.1:1', grpc.credentials.createInsecure());",
            "console.log(`subclassed: ${sub instanceof Sub && sub instanceof grpc.Client}`);",
            "client.close(); sub.close();",
            "console.log(`status: ${grpc.status.OK === 0 && Object.keys(grpc).includes('Server')}`);",
        ].join("\n"));
        const run = load(main, path.join(dir, "cache"));
        assert.deepStrictEqual(run.out.split("\n"), ["grpc at start: false", "a client class without loading: false", "loaded on use: true", "a real client: true", "subclassed: true", "status: true"], run.err);
    });
});
