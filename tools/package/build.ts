/**
 * The package's build products, made the way a consumer gets them: the
 * compiled `dist/`, the tarball `npm pack` makes from it, and that tarball
 * installed into an example project. Each step is skipped when its inputs are
 * unchanged (a content hash), so repeated test runs stay fast while a fresh
 * clone still builds, packs and installs for real.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LOAD_REPORT_DIR } from "./loadReport";

export const ROOT = path.resolve(__dirname, "../..");
export const DIST = path.join(ROOT, "dist");
/** Where the packed tarball goes, under a fixed name the examples depend on (`file:../.packed/...`). */
export const TARBALL = path.join(ROOT, "examples", ".packed", "intergalactic-infra.tgz");

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** The root's ts-node, for running TypeScript scripts in a fresh process. */
export const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
/** Inside `dist/` so that deleting `dist/` forces a rebuild. */
const BUILD_STAMP = path.join(DIST, ".source-hash");
/** Inside the example's `node_modules/` so that deleting it forces a reinstall. */
const INSTALL_STAMP = path.join("node_modules", ".intergalactic-infra.sha256");
/** The install runs offline when npm's cache has every package; it may still fetch what is missing. */
const NPM_INSTALL_FLAGS = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--ignore-scripts"];

/** Held while building, packing or installing; a lock older than this is left over from a killed run. */
const LOCK = path.join(ROOT, "examples", ".packed", ".lock");
const STALE_LOCK_MS = 15 * 60 * 1000;

/**
 * Runs `action` while holding the build lock, so that test runs started at the
 * same time in one working tree do not build, pack or install over each other.
 */
export function withBuildLock<T>(action: () => T): T {
    fs.mkdirSync(path.dirname(LOCK), { recursive: true });
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
        try {
            fs.mkdirSync(LOCK);
            break;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
            const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
            if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
            else Atomics.wait(sleeper, 0, 0, 500);
        }
    }
    try {
        return action();
    } finally {
        fs.rmSync(LOCK, { recursive: true, force: true });
    }
}

/** One shell step and how long it took, for the test log. */
export interface Step {
    readonly name: string;
    readonly skipped: boolean;
    readonly seconds: number;
}

function sha256(...chunks: (string | Buffer)[]): string {
    const hash = crypto.createHash("sha256");
    for (const chunk of chunks) hash.update(chunk);
    return hash.digest("hex");
}

function listSources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return listSources(full);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
    }).sort();
}

/**
 * The folders whose sources the build compiles: the components, and the shipped command with the engine it runs
 * and the policy pack with its runner (the pack compiles in the modules it shares, one of them in stacks/config).
 */
const BUILD_SOURCES = ["components", "cli", "engine", "tools/estimate", "policies/zoneLoss", "policies/pack", "policies/runner", "stacks/config"];
/** The shipped command's data files, copied beside its compiled modules. */
const CLI_ASSETS = ["tools/estimate/creation-times.json"];
export const CLI_DIST = path.join(DIST, "cli");

/** A hash of everything the build reads: the sources, the command's data files and the build's configuration. */
export function sourceHash(): string {
    const inputs = [
        ...BUILD_SOURCES.flatMap((dir) => listSources(path.join(ROOT, dir))),
        ...[...CLI_ASSETS, "tsconfig.json", "tsconfig.build.json", "tsconfig.cli.json", "package.json"].map((f) => path.join(ROOT, f)),
    ];
    return sha256(...inputs.flatMap((file) => [path.relative(ROOT, file), fs.readFileSync(file)]));
}

function timed(name: string, skip: boolean, action: () => void): Step {
    const start = Date.now();
    if (!skip) action();
    return { name, skipped: skip, seconds: (Date.now() - start) / 1000 };
}

/** Runs a command; on failure the error carries its output (tsc reports on stdout, npm on stderr). */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
    try {
        return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
        const { stdout, stderr } = err as { stdout?: string; stderr?: string };
        throw new Error(`${path.basename(command)} ${args.join(" ")} failed in ${path.relative(ROOT, cwd) || "."}:\n${stdout ?? ""}${stderr ?? ""}`);
    }
}

/** `npm run build` (the components, then the command), unless `dist/` was built from the same sources. */
export function buildDist(): Step {
    const hash = sourceHash();
    const upToDate = fs.existsSync(BUILD_STAMP) && fs.readFileSync(BUILD_STAMP, "utf8") === hash;
    return timed("build", upToDate, () => {
        run(process.execPath, [TSC, "-p", "tsconfig.build.json"], ROOT);
        run(process.execPath, [TSC, "-p", "tsconfig.cli.json"], ROOT);
        for (const asset of CLI_ASSETS) fs.copyFileSync(path.join(ROOT, asset), path.join(CLI_DIST, asset));
        fs.writeFileSync(BUILD_STAMP, hash);
    });
}

/** What `npm pack --json` reports for one package. */
export interface PackResult {
    readonly name: string;
    readonly version: string;
    readonly filename: string;
    readonly files: readonly { readonly path: string; readonly size: number }[];
}

/**
 * `npm pack` into `examples/.packed/`. The build step runs first (our own,
 * cached), so npm's `prepack` build is skipped here. `dryRun` lists the files
 * without writing the tarball.
 */
export function pack(dryRun = false): PackResult {
    fs.mkdirSync(path.dirname(TARBALL), { recursive: true });
    const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", path.dirname(TARBALL), ...(dryRun ? ["--dry-run"] : [])];
    const [result] = JSON.parse(run("npm", args, ROOT)) as PackResult[];
    if (!dryRun) fs.renameSync(path.join(path.dirname(TARBALL), result.filename), TARBALL);
    return result;
}

/**
 * Installs the packed tarball (and the example's other dependencies) into an
 * example project, unless it already holds this exact tarball.
 */
export function installInto(exampleDir: string): Step {
    return withBuildLock(() => install(exampleDir));
}

function install(exampleDir: string): Step {
    const hash = sha256(fs.readFileSync(TARBALL), fs.readFileSync(path.join(exampleDir, "package.json")));
    const stamp = path.join(exampleDir, INSTALL_STAMP);
    const upToDate = fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash;
    return timed("install", upToDate, () => {
        // Same version, new contents: remove the old copy so npm unpacks the new tarball.
        fs.rmSync(path.join(exampleDir, "node_modules", "intergalactic-infra"), { recursive: true, force: true });
        run("npm", NPM_INSTALL_FLAGS, exampleDir);
        fs.writeFileSync(stamp, hash);
    });
}

/** Type-checks a project with the root's TypeScript against the types it installed. */
export function typecheck(projectDir: string): Step {
    return timed("typecheck", false, () => run(process.execPath, [TSC, "-p", projectDir], ROOT));
}

/** The package, built and packed once per test process (both package test files need it). */
export interface PreparedPackage {
    readonly build: Step;
    readonly pack: PackResult;
    readonly packSeconds: number;
}

let prepared: PreparedPackage | undefined;

/** Builds (unless up to date) and packs the package, once per process. */
export function preparePackage(): PreparedPackage {
    if (!prepared) {
        prepared = withBuildLock(() => {
            const build = buildDist();
            const start = Date.now();
            const packed = pack();
            return { build, pack: packed, packSeconds: (Date.now() - start) / 1000 };
        });
    }
    return prepared;
}

/** A command's output and every module file its Pulumi processes loaded. */
export interface ReportedRun {
    readonly stdout: string;
    readonly loadedFiles: readonly string[];
}

/**
 * Runs a command with a load recorder (what `loadReport.ts` does, as plain JavaScript, so no
 * TypeScript loader is forced on the process) preloaded into every Node process it starts
 * (through NODE_OPTIONS, so it reaches the processes npm starts too).
 */
export function runWithLoadReport(command: string, args: string[], cwd: string): ReportedRun {
    const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "intergalactic-load-"));
    try {
        const hook = path.join(reportDir, "record-loads.js");
        fs.writeFileSync(hook, `const fs = require("fs"), path = require("path");
process.on("exit", () => {
    const files = Object.keys(require.cache);
    if (files.some((f) => /[\\/]@pulumi[\\/]pulumi[\\/]/.test(f))) fs.writeFileSync(path.join(${JSON.stringify(reportDir)}, process.pid + ".json"), JSON.stringify(files));
});
`);
        const env = { ...process.env, [LOAD_REPORT_DIR]: reportDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(hook)}`.trim() };
        const stdout = run(command, args, cwd, env);
        const loadedFiles = fs.readdirSync(reportDir).filter((f) => f.endsWith(".json")).flatMap((f) => JSON.parse(fs.readFileSync(path.join(reportDir, f), "utf8")) as string[]);
        return { stdout, loadedFiles };
    } finally {
        fs.rmSync(reportDir, { recursive: true, force: true });
    }
}

/**
 * The disk space a folder takes, as `du` counts it: allocated blocks, each hard-linked file once,
 * symbolic links not followed.
 */
export function diskUsageBytes(dir: string, seen = new Set<string>()): number {
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const stat = fs.lstatSync(full);
        const inode = `${stat.dev}:${stat.ino}`;
        if (seen.has(inode)) continue;
        seen.add(inode);
        total += stat.blocks * 512;
        if (entry.isDirectory()) total += diskUsageBytes(full, seen);
    }
    return total;
}

/** The size an AWS-only or Azure-only consumer's `node_modules` may take (#15). */
export const CONSUMER_NODE_MODULES_LIMIT_MB = 250;

/**
 * A copy of an example project outside this repository (in the temp folder), its dependency on
 * the package pointed at the packed tarball. Inside the repository Node would also find any
 * package missing from the example in the repository's own node_modules (module lookup walks up
 * the folders), so only a copy outside it shows what a consumer without a package gets. The copy
 * keeps its node_modules between runs; `installInto` reinstalls when the tarball changes.
 */
export function consumerCopy(exampleDir: string): string {
    const copy = path.join(os.tmpdir(), "intergalactic-consumers", path.basename(exampleDir));
    fs.mkdirSync(copy, { recursive: true });
    for (const entry of fs.readdirSync(exampleDir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || !entry.isFile()) continue;
        fs.copyFileSync(path.join(exampleDir, entry.name), path.join(copy, entry.name));
    }
    const manifestFile = path.join(copy, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["intergalactic-infra"] = `file:${TARBALL}`;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
    return copy;
}
