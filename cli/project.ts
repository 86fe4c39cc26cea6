/**
 * A consumer's Pulumi project as the shipped command plans it: its stack files, the checks a
 * real deployment would fail on that the mocks would not (a missing region), and its program,
 * loaded the way Pulumi's Node.js host loads it (TypeScript through ts-node, transpile-only).
 */
import * as fs from "fs";
import * as path from "path";
import { PulumiProgram, StackFileError, StackFiles, loadStackFiles } from "./engine";

/** Thrown when the command cannot run for this project; printed as one sentence, exit 2. */
export class ProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

/** The Pulumi project at or above `start`: the nearest folder with a Pulumi.yaml, as the CLI finds it. */
export function findProject(start: string): string {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new ProjectError(`no Pulumi.yaml in ${path.resolve(start)} or any folder above it: run this in a Pulumi project, or pass --project <dir>`);
    }
}

/** The packages a project declares (dependencies and devDependencies of its package.json). */
function declaredPackages(dir: string): Set<string> {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) return new Set();
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { dependencies?: object; devDependencies?: object };
    return new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
}

/** Each cloud's provider SDK and the config key its provider cannot work without. */
const REGION_KEYS: readonly { readonly sdk: string; readonly cloud: string; readonly key: string; readonly example: string }[] = [
    { sdk: "@pulumi/aws", cloud: "aws", key: "aws:region", example: "us-east-1" },
    { sdk: "@pulumi/azure-native", cloud: "azure", key: "azure-native:location", example: "westeurope" },
];

/**
 * Refuses a stack without the region of a cloud its project uses (it declares that cloud's SDK,
 * or sets `intergalactic:cloud`). The mocks would answer with some region; a real `up` would not
 * (`aws:region` has no default, https://www.pulumi.com/registry/packages/aws/installation-configuration/).
 */
export function checkRegion(files: StackFiles, projectDir: string): void {
    const packages = declaredPackages(projectDir);
    for (const { sdk, cloud, key, example } of REGION_KEYS) {
        const used = packages.has(sdk) || files.config["intergalactic:cloud"] === cloud;
        if (used && !files.config[key]) {
            throw new ProjectError(`${key} is not set for stack ${files.stack}: set it in Pulumi.${files.stack}.yaml or in Pulumi.yaml's config (e.g. ${key}: ${example}); the offline plan assumes no region`);
        }
    }
}

/** Resolves a module from the project, as its own code would; undefined when it is not installed. */
function resolveFrom(dir: string, request: string): string | undefined {
    try {
        return require.resolve(request, { paths: [dir] });
    } catch {
        return undefined;
    }
}

/**
 * Checks that the project's program and this command share one `@pulumi/pulumi`: the mocks are
 * set on this command's copy, and a program on another copy would try to reach a real engine.
 */
export function checkOnePulumiSdk(projectDir: string): void {
    const theirs = resolveFrom(projectDir, "@pulumi/pulumi");
    if (!theirs) throw new ProjectError(`@pulumi/pulumi is not installed in ${projectDir}: run npm install there first`);
    const ours = require.resolve("@pulumi/pulumi");
    if (fs.realpathSync(theirs) !== fs.realpathSync(ours)) {
        throw new ProjectError(`the project's @pulumi/pulumi (${path.dirname(theirs)}) is another copy than intergalactic-infra's (${path.dirname(ours)}): install the version intergalactic-infra uses so npm keeps one copy`);
    }
}

/**
 * Makes `require` of `.ts` files work like Pulumi's Node.js host does: the project's own ts-node
 * and TypeScript when it has them, else the ones vendored in `@pulumi/pulumi`; transpile-only
 * (type checking is the project's `tsc`), with the project's tsconfig.json when there is one.
 */
export function registerTypeScript(projectDir: string): void {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
    const tsNode = resolveFrom(projectDir, "ts-node") ?? path.join(pulumiDir, "vendor", "ts-node@7.0.1");
    const ownCompiler = resolveFrom(projectDir, "typescript");
    const tsconfig = path.join(projectDir, "tsconfig.json");
    // The vendored TypeScript 3.8 rejects the targets and libs of a current tsconfig.json (ES2022: TS6046),
    // so without the project's own compiler the program is transpiled with options that one knows;
    // transpiling needs no lib, and Node 20 runs ES2019 output.
    const options = ownCompiler
        ? { compiler: ownCompiler, ...(fs.existsSync(tsconfig) ? { project: tsconfig } : { skipProject: true }) }
        : { compiler: path.join(pulumiDir, "vendor", "typescript@3.8.3", "typescript.js"), skipProject: true,
            compilerOptions: { target: "es2019", module: "commonjs", esModuleInterop: true } };
    (require(tsNode) as { register(options: object): void }).register({ transpileOnly: true, ...options });
}

/** Loads a program's entry point as Pulumi does: the module itself when it is a function, else its default export. */
export function loadProgram(main: string): PulumiProgram {
    const exported = require(main);
    const program = typeof exported === "function" ? exported : exported?.default;
    if (typeof program === "function") return program;
    // A program that registers resources at the top level has already run them by now, outside the plan.
    throw new ProjectError(`${main} does not export a program function: export = async () => { ... } (the offline plan runs the program inside its mocks)`);
}

/** A project's stack, ready to plan: its files (checked) and its program. */
export function openStack(projectDir: string, stack: string): { files: StackFiles; program: PulumiProgram } {
    let files: StackFiles;
    try {
        files = loadStackFiles(projectDir, stack);
    } catch (err) {
        if (err instanceof StackFileError) throw new ProjectError(err.message);
        throw err;
    }
    checkRegion(files, projectDir);
    checkOnePulumiSdk(projectDir);
    if (/\.tsx?$/.test(files.main) || !/\.[cm]?js$/.test(files.main)) registerTypeScript(projectDir);
    return { files, program: loadProgram(files.main) };
}
