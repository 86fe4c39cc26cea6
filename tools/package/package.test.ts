import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DIST, PreparedPackage, ROOT, TS_NODE, preparePackage, runWithLoadReport } from "./build";
import { packageRoots } from "./loadReport";

interface PackageJson {
    readonly version: string;
    readonly main: string;
    readonly types: string;
    readonly files: string[];
    readonly exports: Record<string, string | { types: string; default: string }>;
    readonly typesVersions: Record<string, Record<string, string[]>>;
}

const manifest: PackageJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const MODULES = ["common", "network", "bastion", "redis", "mongo", "entry", "kafka", "kubernetes", "services"];

/** Every `.js` file under a folder. */
function jsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? jsFiles(full) : e.name.endsWith(".js") ? [full] : [];
    });
}

describe("the npm package", function () {
    this.timeout(600_000);
    let prepared: PreparedPackage;

    before(() => {
        prepared = preparePackage();
        console.log(`      build ${prepared.build.skipped ? "up to date" : `${prepared.build.seconds.toFixed(1)} s`}, pack ${prepared.packSeconds.toFixed(1)} s`);
    });

    it("builds JavaScript with declarations for the root and every module into dist/", () => {
        for (const entry of ["index", ...MODULES.map((m) => `${m}/index`)]) {
            assert.ok(fs.existsSync(path.join(DIST, `${entry}.js`)), `dist/${entry}.js`);
            assert.ok(fs.existsSync(path.join(DIST, `${entry}.d.ts`)), `dist/${entry}.d.ts`);
        }
        assert.ok(!jsFiles(DIST).some((f) => /\.test\.js$/.test(f)), "no compiled tests in dist/");
    });

    it("points main, types, every exports entry and every typesVersions entry at built files", () => {
        assert.deepStrictEqual(Object.keys(manifest.exports).sort(), [".", "./package.json", ...MODULES.map((m) => `./${m}`)].sort());
        const targets = [manifest.main, manifest.types, ...Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : [t.types, t.default]))];
        for (const target of targets) assert.ok(fs.existsSync(path.join(ROOT, target)), target);
        for (const [subpath, files] of Object.entries(manifest.typesVersions["*"])) {
            assert.ok(MODULES.includes(subpath), subpath);
            for (const file of files) assert.ok(fs.existsSync(path.join(ROOT, file)), file);
        }
    });

    it("ships every cloud implementation a component loads lazily", () => {
        const missing = jsFiles(DIST).flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)]
            .map((m) => path.resolve(path.dirname(file), m[1]))
            .filter((target) => !fs.existsSync(`${target}.js`) && !fs.existsSync(path.join(target, "index.js")))
            .map((target) => `${path.relative(DIST, file)} -> ${path.relative(DIST, target)}`));
        assert.deepStrictEqual(missing, []);
    });

    it("packs the built package only: no tests, fixtures, engine, stacks, tools, policies or sources", () => {
        const files = prepared.pack.files.map((f) => f.path).sort();
        const allowed = /^(dist\/.+\.(js|d\.ts)|dist\/cli\/.+\.json|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
        assert.deepStrictEqual(files.filter((f) => !allowed.test(f)), []);
        assert.deepStrictEqual(files.filter((f) => /\.test\.|fixtures|testkit|_smoke|^(engine|stacks|tools|policies|scheduler|components|examples|provider)\//.test(f)), []);
        for (const required of ["package.json", "LICENSE", "CHANGELOG.md", "dist/index.js", "dist/index.d.ts", "dist/network/vpc3az.aws.js", "dist/network/vpc3az.azure.js"]) {
            assert.ok(files.includes(required), `${required} is not packed`);
        }
    });

    it("ships its command: the bin is packed, starts with a node shebang, and has the engine's data files beside it", () => {
        const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin.intergalactic;
        const files = prepared.pack.files.map((f) => f.path);
        assert.ok(files.includes(bin), `${bin} is not packed`);
        assert.match(fs.readFileSync(path.join(ROOT, bin), "utf8"), /^#!\/usr\/bin\/env node\n/);
        assert.ok(files.includes("dist/cli/tools/estimate/creation-times.json"), "the estimate's creation times are not packed");
    });

    it("has a semver version, shared by the plugin, with its own CHANGELOG entry", () => {
        assert.match(manifest.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
        assert.strictEqual(prepared.pack.version, manifest.version);
        const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
        assert.match(changelog, new RegExp(`^## \\[${manifest.version.replace(/\./g, "\\.")}\\]`, "m"));
        // The plugin's version is what `pulumi package add` stamps on the generated SDKs.
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "package.json"), "utf8")).version, manifest.version);
    });

    it("builds AWS components from dist without loading @pulumi/azure-native", () => {
        const run = runWithLoadReport(process.execPath, [TS_NODE, "--transpile-only", path.join(__dirname, "distPlan.ts"), ROOT], ROOT);
        const types: string[] = JSON.parse(run.stdout);
        assert.ok(types.includes("aws:ec2/vpc:Vpc") && types.includes("aws:elasticache/replicationGroup:ReplicationGroup"), types.join(", "));
        const roots = packageRoots(run.loadedFiles).map((r) => path.relative(ROOT, r));
        assert.ok(roots.includes(path.join("node_modules", "@pulumi", "aws")), roots.join(", "));
        assert.deepStrictEqual(roots.filter((r) => r.includes("azure-native")), []);
        // The components came from the build, not from the TypeScript sources.
        assert.ok(run.loadedFiles.includes(path.join(DIST, "network", "vpc3az.aws.js")));
        assert.deepStrictEqual(run.loadedFiles.filter((f) => f.startsWith(path.join(ROOT, "components", "network"))), []);
    });
});
