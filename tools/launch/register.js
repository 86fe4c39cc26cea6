/**
 * `node -r ./tools/launch/register.js <file.ts>`: loads the project's TypeScript from
 * JavaScript transpiled once and kept in a cache folder, instead of transpiling every
 * module at every run as `ts-node --transpile-only` does (about 1 s of a plan's start-up
 * on two cores, see tools/bench/PROFILE.md).
 *
 * Plain JavaScript on purpose: it is what loads the TypeScript. A cached file is keyed
 * on the SHA-256 of the source text, its path, tsconfig.json and the compiler's version,
 * so an edited source, a changed compiler option or a new TypeScript is transpiled
 * again on its next load and a stale file can never run. Transpiling is per file and
 * without type checking, exactly ts-node's transpile-only mode; type checking is
 * `npm test`'s job (`tsc --noEmit`). The TypeScript compiler itself is loaded only when
 * a file is missing from the cache.
 *
 * The cache lives in node_modules/.cache/intergalactic-ts (ignored by git, removed
 * with node_modules); INTERGALACTIC_TS_CACHE names another folder.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");
const CACHE = process.env.INTERGALACTIC_TS_CACHE || path.join(ROOT, "node_modules", ".cache", "intergalactic-ts");
const TSCONFIG = path.join(ROOT, "tsconfig.json");

const tsconfigText = fs.readFileSync(TSCONFIG, "utf8");
const compilerVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json", { paths: [ROOT] }), "utf8")).version;
/** What every key shares: the compiler and its options. */
const keyPrefix = `${compilerVersion}\0${tsconfigText}\0`;

let compiler;
/** The compiler and the options ts-node would use, loaded on the first cache miss only. */
function loadCompiler() {
    if (compiler) return compiler;
    const ts = require(require.resolve("typescript", { paths: [ROOT] }));
    const parsed = ts.parseConfigFileTextToJson(TSCONFIG, tsconfigText);
    if (parsed.error) throw new Error(`${TSCONFIG}: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, "\n")}`);
    const { options, errors } = ts.convertCompilerOptionsFromJson(parsed.config.compilerOptions || {}, ROOT);
    if (errors.length > 0) throw new Error(`${TSCONFIG}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")}`);
    // As ts-node's transpile-only mode: CommonJS for require(), no declarations, the map inline so
    // --enable-source-maps can point a stack trace at the TypeScript line.
    compiler = {
        ts,
        options: { ...options, module: ts.ModuleKind.CommonJS, declaration: false, declarationMap: false, sourceMap: false, inlineSourceMap: true, inlineSources: false, noEmit: false, outDir: undefined, rootDir: undefined, tsBuildInfoFile: undefined, incremental: false, composite: false },
    };
    return compiler;
}

function transpile(source, filename) {
    const { ts, options } = loadCompiler();
    const result = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
    const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
        const d = errors[0];
        const where = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
        throw new SyntaxError(`${filename}${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    }
    return result.outputText;
}

/** The transpiled text of a source: from the cache, else transpiled and stored. */
function javascriptFor(source, filename) {
    const key = crypto.createHash("sha256").update(keyPrefix).update(path.relative(ROOT, filename)).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE, key.slice(0, 2), `${key.slice(2)}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch (err) {
        if (err.code !== "ENOENT") throw err;
    }
    const output = transpile(source, filename);
    try {
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        // Write then rename, so a concurrent run never reads half a file.
        const temp = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(temp, output);
        fs.renameSync(temp, cached);
    } catch {
        // A read-only cache only costs the next run the transpile again.
    }
    return output;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    if (filename.includes(`${path.sep}node_modules${path.sep}`)) throw new Error(`${filename}: TypeScript inside node_modules is not loaded (ship JavaScript)`);
    module._compile(javascriptFor(fs.readFileSync(filename, "utf8"), filename), filename);
};

// The scripts' programs never serialise a function: load the SDK's serialiser only if one does.
require("./closureOnDemand").install(ROOT);
// Nor do they drive the Pulumi CLI: load the SDK's Automation API only if one reads it.
require("./automationOnDemand").install(ROOT);
// Nor do they talk to the Pulumi engine over gRPC (the mocks answer in-process): load gRPC when something uses it.
require("./grpcOnDemand").install(ROOT);
