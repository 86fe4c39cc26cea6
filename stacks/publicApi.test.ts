import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const STACKS = __dirname;
const COMPONENTS = path.join(ROOT, "components");

/**
 * The package's public entry points, read from package.json's `exports` (what a consumer can import):
 * `./dist/<m>/index.js` is built from `components/<m>/index.ts` (tsconfig.build.json's rootDir is `components`).
 */
function publicEntries(): Set<string> {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { exports: Record<string, string | { default: string }> };
    const entries = new Set<string>();
    for (const target of Object.values(pkg.exports)) {
        const file = typeof target === "string" ? target : target.default;
        const m = /^\.\/dist\/(.*)\.js$/.exec(file);
        if (m) entries.add(path.join(COMPONENTS, `${m[1]}.ts`));
    }
    return entries;
}

interface ImportSite { from: string; specifier: string; names: string[] }

/** Every module specifier a source names: import/export declarations, `import x = require()`, `require()` and `import()` calls. */
function importsOf(file: string): ImportSite[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const sites: ImportSite[] = [];
    const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const names: string[] = [];
            const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
            if (clause?.name) names.push("default");
            const bindings = ts.isImportDeclaration(node) ? clause?.namedBindings : node.exportClause;
            if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
                for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
            } else if (bindings) names.push("*");
            else if (ts.isExportDeclaration(node)) names.push("*");
            sites.push({ from: file, specifier: node.moduleSpecifier.text, names });
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
            && ts.isStringLiteral(node.moduleReference.expression)) {
            sites.push({ from: file, specifier: node.moduleReference.expression.text, names: ["*"] });
        } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])
            && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
            sites.push({ from: file, specifier: node.arguments[0].text, names: ["*"] });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return sites;
}

const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: false };

/** The file a specifier resolves to, as TypeScript resolves it (index files, extensions), or undefined for a package. */
function resolve(site: ImportSite): string | undefined {
    const resolved = ts.resolveModuleName(site.specifier, site.from, compilerOptions, ts.sys).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    return path.resolve(resolved.resolvedFileName);
}

const inside = (dir: string, file: string): boolean => !path.relative(dir, file).startsWith("..");
const isTestSource = (file: string): boolean => /\.test\.ts$/.test(file) || path.basename(file) === "testing.ts";

/** Every non-test source under stacks/, and, following its imports, every file of stacks/ or outside components/ it reaches. */
function stackProgram(): { files: string[]; sites: ImportSite[] } {
    const roots: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.name.endsWith(".ts") && !isTestSource(full)) roots.push(full);
        }
    };
    walk(STACKS);
    const seen = new Set<string>();
    const sites: ImportSite[] = [];
    const queue = [...roots];
    while (queue.length > 0) {
        const file = queue.shift()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const site of importsOf(file)) {
            const target = resolve(site);
            if (target === undefined) continue;
            sites.push(site);
            // Follow into the repository's other folders (engine/, ...) but not into components/: there the entry is the boundary.
            if (!inside(COMPONENTS, target) && inside(ROOT, target) && !target.endsWith(".d.ts")) queue.push(target);
        }
    }
    return { files: [...seen], sites };
}

/** Imports into components/ that do not go through a public entry, as `file: 'specifier' { names }`. */
export function internalImports(): string[] {
    const entries = publicEntries();
    const { sites } = stackProgram();
    return sites
        .filter((site) => { const target = resolve(site)!; return inside(COMPONENTS, target) && !entries.has(target); })
        .map((site) => `${path.relative(ROOT, site.from)}: "${site.specifier}" { ${site.names.join(", ")} }`);
}

describe("the stacks wire the components as a consumer does", () => {
    it("reach components/ only through the package's public entry points (package.json exports), following every import of the stack program", () => {
        const found = internalImports();
        assert.deepStrictEqual(found, [], `the stack program imports package internals:\n${found.join("\n")}`);
    });

    it("finds a deep import, a re-export and a require() into components/ (the check itself can fail)", () => {
        const dir = fs.mkdtempSync(path.join(STACKS, ".probe-"));
        try {
            const file = path.join(dir, "probe.ts");
            fs.writeFileSync(file, [
                `import { contains } from "../../components/network/cidr";`,
                `export { planNetwork } from "../../components/network/networkPlan";`,
                `const k = require("../../components/kubernetes/provider");`,
                `import { Vpc3Az } from "../../components/network";`,
                `import * as pulumi from "@pulumi/pulumi";`,
            ].join("\n"));
            const entries = publicEntries();
            const bad = importsOf(file).filter((s) => { const t = resolve(s); return t !== undefined && inside(COMPONENTS, t) && !entries.has(t); });
            assert.deepStrictEqual(bad.map((s) => s.specifier), [
                "../../components/network/cidr", "../../components/network/networkPlan", "../../components/kubernetes/provider"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("follow the stack program from its entry: the program, the tiers and the config readers are all reached", () => {
        const { files } = stackProgram();
        for (const f of ["stacks/index.ts", "stacks/program.ts", "stacks/tiers/network.ts", "stacks/config/index.ts"]) {
            assert.ok(files.includes(path.join(ROOT, f)), f);
        }
    });

    it("never re-plan the network: no planNetwork, subnetsOf or networkPlan import in the stack program", () => {
        for (const file of stackProgram().files.filter((f) => inside(STACKS, f))) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\bplanNetwork\b|\bsubnetsOf\b|network\/networkPlan/, path.basename(file));
        }
    });

    it("never pick a subnet, zone or address by its position in an Output's list", () => {
        for (const file of stackProgram().files.filter((f) => inside(STACKS, f))) {
            const text = fs.readFileSync(file, "utf8");
            assert.doesNotMatch(text, /\.apply\(\(\w+\) => \w+\[(\w+|\d+)\]\)/, path.basename(file));
            assert.doesNotMatch(text, /(appSubnetIds|dataSubnetIds|publicSubnetIds|bastionSubnetIds|egressIps)\b/, path.basename(file));
        }
    });
});
