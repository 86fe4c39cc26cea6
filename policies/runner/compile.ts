/**
 * Compiles the pack (`policies/pack/**.ts`) to JavaScript in `policies/bin/`.
 * `run-policy-pack` type-checks a TypeScript pack with ts-node, which takes
 * 10+ s; a compiled pack starts in ~1.5 s. Type checking is `npm test`'s job
 * (`tsc --noEmit`), so this only transpiles, and skips files that are current.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TypeScript from "typescript";

export const POLICIES_DIR = path.resolve(__dirname, "..");
export const PACK_SOURCE = path.join(POLICIES_DIR, "pack");
export const PACK_BIN = path.join(POLICIES_DIR, "bin");

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) return sources(file);
        return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts") ? [file] : [];
    });
}

/**
 * Component modules the pack shares instead of copying (one computation, one place). In the source
 * tree `pack/shared/<name>.ts` re-exports the component module; in `bin/` the component module
 * itself is compiled to `shared/<name>.js`, so the same relative imports work in both. Each must be
 * pure and import only other modules of this list.
 */
export const SHARED_MODULES: Readonly<Record<string, string>> = {
    "shared/exposure.ts": path.resolve(POLICIES_DIR, "../components/network/exposure.ts"),
    "shared/cidr.ts": path.resolve(POLICIES_DIR, "../components/network/cidr.ts"),
    "shared/dataLoss.ts": path.resolve(POLICIES_DIR, "../stacks/config/dataLoss.ts"),
    "shared/tags.ts": path.resolve(POLICIES_DIR, "../engine/tags.ts"),
    "shared/zones.ts": path.resolve(POLICIES_DIR, "../engine/zones.ts"),
    "shared/regions.ts": path.resolve(POLICIES_DIR, "../engine/regions.ts"),
    "shared/regionReaders.ts": path.resolve(POLICIES_DIR, "regionLoss/readers.ts"),
};

/** Transpiles every pack source whose output is missing or older; returns the folder to run. */
export function compilePack(source = PACK_SOURCE, out = PACK_BIN): string {
    const files = sources(source).map((file) => {
        const shared = SHARED_MODULES[path.relative(source, file).split(path.sep).join("/")];
        return { file: shared ?? file, relative: path.relative(source, file) };
    });
    for (const { file, relative } of files) {
        const target = path.join(out, relative).replace(/\.ts$/, ".js");
        if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(file).mtimeMs) continue;
        // The compiler (9 MB, ~0.25 s to load) only when a file is stale: a current pack starts without it.
        const ts = require("typescript") as typeof TypeScript;
        const result = ts.transpileModule(fs.readFileSync(file, "utf8"), {
            fileName: file,
            compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, strict: true },
            reportDiagnostics: true,
        });
        const errors = result.diagnostics?.filter((d) => d.category === ts.DiagnosticCategory.Error) ?? [];
        if (errors.length > 0) throw new Error(`cannot compile ${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")}`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Write then rename, so a concurrent run never loads a half-written file.
        const temp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(temp, result.outputText);
        fs.renameSync(temp, target);
    }
    return out;
}
