/**
 * The repository's layers, enforced by reading every TypeScript file's imports:
 *
 *   engine      imports nothing else in the repository (the bottom layer)
 *   components  imports only components (their tests may also use the engine's test kits)
 *   policies    imports only policies and the engine; the pack (policies/pack) only itself, plus the
 *               pure modules its compiler bundles (SHARED_MODULES in policies/runner/compile.ts)
 *   stacks      imports components (its tests and test helpers may also use the engine)
 *   tools, scheduler  entry points on top: nothing imports them except their own folder and tests,
 *               the shipped command and the scheduler, which reuse the spin-up estimate and price table
 *
 * A shipped file never imports a test module. See "Layers" in CONTRIBUTING.md.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "../engine/planStack";
import { SHARED_MODULES } from "../policies/runner/compile";

const LAYERS = ["engine", "components", "stacks", "policies", "tools", "scheduler", "provider", "cli"] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer's non-test files may import, besides their own layer. */
const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
    engine: [],
    components: [],
    stacks: ["components"],
    policies: ["engine"],
    tools: ["engine", "components", "stacks", "policies"],
    // The scheduler starts a spin-up early by its estimate and prices each state (tools/estimate/).
    scheduler: ["engine", "components", "stacks", "tools"],
    provider: ["components"],
    // The shipped command: the engine, the zone-loss analysis and the spin-up estimate it runs.
    cli: ["engine", "policies", "tools"],
};
/** What tests (and test helpers) may import in addition: the engine's kits, and the entry points they test. */
const TESTS_MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
    engine: [],
    components: ["engine"],
    stacks: ["engine"],
    policies: ["tools"],
    tools: ["scheduler"],
    scheduler: [],
    provider: [],
    cli: ["components", "stacks"],
};

interface SourceFile {
    /** Repository-relative path with forward slashes. */
    readonly file: string;
    readonly layer: Layer;
    readonly test: boolean;
    /** Repository-relative targets of its relative imports (without extension). */
    readonly imports: readonly string[];
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) return e.name === "node_modules" || e.name === "bin" ? [] : tsFiles(rel);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [rel] : [];
    });
}

/** Relative specifiers of `import`, `export ... from`, `require()` and `import()`, by the compiler's own scanner. */
function specifiers(file: string): string[] {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
    return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("."));
}

function resolve(from: string, specifier: string): string {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.(ts|js)$/, "");
    return fs.existsSync(path.join(ROOT, `${target}.ts`)) || !fs.existsSync(path.join(ROOT, target, "index.ts")) ? target : `${target}/index`;
}

function sources(): SourceFile[] {
    return LAYERS.flatMap((layer) => tsFiles(layer).map((file) => ({
        file, layer, test: file.endsWith(".test.ts"),
        imports: specifiers(file).map((s) => resolve(file, s)),
    })));
}

/**
 * Files only tests use: imported by at least one file, and only by tests or other such files.
 * Test helpers (`engine/testing/`, `stacks/testing.ts`, fixtures) are found this way, not by name.
 */
function testOnly(files: readonly SourceFile[]): Set<string> {
    const importers = new Map<string, string[]>();
    for (const f of files) for (const target of f.imports) importers.set(`${target}.ts`, [...(importers.get(`${target}.ts`) ?? []), f.file]);
    const only = new Set(files.filter((f) => f.test).map((f) => f.file));
    for (let changed = true; changed;) {
        changed = false;
        for (const f of files) {
            const by = importers.get(f.file) ?? [];
            if (!only.has(f.file) && by.length > 0 && by.every((i) => only.has(i))) {
                only.add(f.file);
                changed = true;
            }
        }
    }
    return only;
}

const layerOf = (target: string): string => target.split("/")[0];

/** One broken rule: `<file> imports <target>: <rule>`. */
export function violations(files: readonly SourceFile[], shared: Readonly<Record<string, string>>): string[] {
    const only = testOnly(files);
    const known = new Set(files.map((f) => f.file.replace(/\.ts$/, "")));
    const sharedTargets = new Set(Object.values(shared).map((p) => path.relative(ROOT, p).split(path.sep).join("/").replace(/\.ts$/, "")));
    const found: string[] = [];
    for (const f of files) {
        const testing = only.has(f.file);
        const allowed = new Set<string>([f.layer, ...MAY_IMPORT[f.layer], ...(testing ? TESTS_MAY_IMPORT[f.layer] : [])]);
        for (const target of f.imports) {
            const layer = layerOf(target);
            const say = (rule: string) => found.push(`${f.file} imports ${target}: ${rule}`);
            if (!testing && target.endsWith(".test")) say("a shipped file never imports a test module");
            if (f.file.startsWith("policies/pack/") && !f.test) {
                const shim = f.file.startsWith("policies/pack/shared/") && sharedTargets.has(target);
                if (!target.startsWith("policies/pack/") && !shim) say("the policy pack is compiled on its own: it imports only itself and SHARED_MODULES (policies/runner/compile.ts)");
                continue;
            }
            if (sharedTargets.has(f.file.replace(/\.ts$/, "")) && !sharedTargets.has(target)) say("a module the pack bundles imports only other bundled modules");
            if (!allowed.has(layer) && known.has(target)) say(`${f.layer}/ may import only ${[...allowed].join(", ")}${testing ? " (test code)" : ""}`);
        }
    }
    return found;
}

describe("Layers", () => {
    const files = sources();

    it("reads real imports: the plan CLI imports the engine and the policies, a component test the engine's kit", () => {
        const importsOf = (file: string) => files.find((f) => f.file === file)?.imports ?? [];
        assert.ok(importsOf("tools/plan/cli.ts").includes("engine/planStack"));
        assert.ok(importsOf("tools/plan/cli.ts").includes("policies/zoneLoss/index"));
        assert.ok(importsOf("components/network/vpc3az.test.ts").includes("engine/testing/plan"));
        assert.ok(files.length > 200, `${files.length} files`);
    });

    it("holds in the repository: engine at the bottom, components on their own, policies on the engine, tools and scheduler on top", () => {
        assert.deepStrictEqual(violations(files, SHARED_MODULES), []);
    });

    it("finds each kind of violation", () => {
        const file = (name: string, imports: string[]): SourceFile => ({ file: name, layer: name.split("/")[0] as Layer, test: name.endsWith(".test.ts"), imports });
        const fake = [
            file("engine/a.ts", ["components/common/tags"]),
            file("components/common/tags.ts", []),
            file("components/x.ts", ["engine/format", "components/y.test"]),
            file("components/y.test.ts", ["engine/format"]),
            file("engine/format.ts", []),
            file("policies/p.ts", ["tools/plan/cli", "engine/format"]),
            file("policies/pack/q.ts", ["engine/format"]),
            file("tools/plan/cli.ts", ["policies/p"]),
            file("stacks/s.ts", ["scheduler/cli"]),
            file("scheduler/cli.ts", []),
        ];
        assert.deepStrictEqual(violations(fake, {}).map((v) => v.split(":")[0]), [
            "engine/a.ts imports components/common/tags",
            "components/x.ts imports engine/format",
            "components/x.ts imports components/y.test",
            "policies/p.ts imports tools/plan/cli",
            "policies/pack/q.ts imports engine/format",
            "stacks/s.ts imports scheduler/cli",
        ]);
    });
});
