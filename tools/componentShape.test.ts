/**
 * One shape for every component, read from the sources (CONTRIBUTING.md, "Component rules"): a folder per
 * component with its class, a pure planner and one file per cloud; every cloud implementation's
 * `build(parent, plan, inputs)` takes the plan and resource references only, never the component's args
 * (so a cloud file cannot bypass the planner); a file that loads a cloud SDK is named for its cloud;
 * support files are `layout.ts`; the data stores export the same things under the same names.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const COMPONENTS = path.join(ROOT, "components");
/** Folders of `components/` that hold shared helpers, not a component. */
const NOT_COMPONENTS = ["common"];
/**
 * CookieServices builds its Kubernetes objects itself; its cloud part is the edge (ServicesEdgeImplementation),
 * a few calls that each read only the plan and `ServicesEdgeInputs` (documented on that interface).
 */
const EDGE_ONLY = ["services"];

const folders = fs.readdirSync(COMPONENTS, { withFileTypes: true }).filter((e) => e.isDirectory() && !NOT_COMPONENTS.includes(e.name)).map((e) => e.name);
const filesOf = (folder: string) => fs.readdirSync(path.join(COMPONENTS, folder)).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
const cloudFile = (name: string) => /\.(aws|azure)\.ts$/.test(name) && !name.endsWith(".test.ts");

/** Each `build` method of a class in `file`: its parameter names. */
function buildMethods(file: string): string[][] {
    const found: string[][] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isMethodDeclaration(node) && node.name.getText() === "build" && ts.isClassLike(node.parent)) {
            found.push(node.parameters.map((p) => p.name.getText().replace(/^_/, "")));
        }
        ts.forEachChild(node, visit);
    };
    visit(parse(file));
    return found;
}

/** The names `file` imports (value and type imports alike) and the modules, for the non-type-only imports. */
function importsOf(file: string): { names: string[]; valueModules: string[] } {
    const names: string[] = [];
    const valueModules: string[] = [];
    for (const statement of parse(file).statements) {
        if (!ts.isImportDeclaration(statement)) continue;
        const module = (statement.moduleSpecifier as ts.StringLiteral).text;
        const clause = statement.importClause;
        if (!clause?.isTypeOnly) valueModules.push(module);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
    }
    return { names, valueModules };
}

describe("every component's shape", () => {
    it("finds the eight components", () => {
        assert.deepStrictEqual(folders.sort(), ["bastion", "entry", "kafka", "kubernetes", "mongo", "network", "redis", "services"]);
    });

    for (const folder of folders) {
        const files = filesOf(folder);
        it(`${folder}: an index, a planner with tests, and one implementation per cloud`, () => {
            assert.ok(files.includes("index.ts"), "index.ts");
            assert.ok(files.some((f) => /Plan\.ts$/.test(f)), `a <thing>Plan.ts in ${files.join(", ")}`);
            assert.ok(files.some((f) => /Plan\.test\.ts$/.test(f)), `the planner's tests in ${files.join(", ")}`);
            for (const cloud of ["aws", "azure"]) assert.ok(files.some((f) => f.endsWith(`.${cloud}.ts`)), `a *.${cloud}.ts`);
        });

        it(`${folder}: each cloud implementation's build takes (parent, plan, inputs) and no cloud file imports the component's args`, () => {
            const cloudFiles = files.filter(cloudFile);
            const builds = cloudFiles.flatMap((f) => buildMethods(path.join(COMPONENTS, folder, f)).map((params) => `${f}: build(${params.join(", ")})`));
            if (!EDGE_ONLY.includes(folder)) {
                assert.ok(builds.length >= 2, `a build per cloud: ${builds.join("; ")}`);
                assert.deepStrictEqual(builds.filter((b) => !b.endsWith("build(parent, plan, inputs)")), []);
            }
            const argsImports = cloudFiles.flatMap((f) => importsOf(path.join(COMPONENTS, folder, f)).names
                .filter((n) => /Args$/.test(n) && !/^(Kubernetes|k8s)/.test(n)).map((n) => `${f} imports ${n}`));
            assert.deepStrictEqual(argsImports, []);
        });

        it(`${folder}: a file that loads a cloud SDK is named for its cloud, and support files are layout.ts`, () => {
            const misplaced = files.filter((f) => !f.endsWith(".test.ts") && !cloudFile(f)).flatMap((f) => {
                const sdk = importsOf(path.join(COMPONENTS, folder, f)).valueModules.filter((m) => /^@pulumi\/(aws|azure-native)(\/|$)/.test(m));
                return sdk.map((m) => `${f} loads ${m}`);
            });
            assert.deepStrictEqual(misplaced, []);
            assert.ok(!files.includes("limits.ts"), "limits.ts: a component's limits and defaults live in layout.ts");
        });
    }

    it("the data stores export the same things under the same names", () => {
        const outputs = (file: string) => {
            const names: string[] = [];
            const visit = (node: ts.Node): void => {
                if (ts.isPropertyDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.PublicKeyword)) names.push(node.name.getText());
                ts.forEachChild(node, visit);
            };
            visit(parse(path.join(COMPONENTS, file)));
            return names;
        };
        const every = ["resourceId", "zones", "connection", "credentials"];
        // Only the stores with snapshots (ElastiCache / DocumentDB; Azure: "" and none) have these; MSK and Event Hubs keep none.
        const snapshots = ["finalSnapshotName", "restoreSource"];
        const stores: Record<string, readonly string[]> = {
            "redis/haRedis.ts": [...every, ...snapshots], "mongo/haMongo.ts": [...every, ...snapshots], "kafka/kafkaQuorum.ts": every,
        };
        for (const [file, expected] of Object.entries(stores)) {
            const missing = expected.filter((name) => !outputs(file).includes(name));
            assert.deepStrictEqual(missing, [], file);
        }
    });
});
