/**
 * Per-cloud rules are `PerCloud<T>` / `Record<Cloud, ...>` tables the compiler checks: a cloud added to `Cloud`
 * fails to compile until every table names its value. A comparison with one cloud (`cloud === Cloud.Azure`,
 * `!== Cloud.Aws`, `=== "azure"`, `case Cloud.Aws:`) is a binary choice however it is spelled: in a `?:`, in an
 * `if`, or kept in a variable (`const azure = cloud === Cloud.Azure; ... azure ? a : b`), a third cloud silently
 * takes the other branch. This scan reads the syntax of every source of the folders that decide per cloud.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
/** The folders whose sources may not compare with one cloud: every folder of the repository's own code. */
const SCANNED = ["components", "stacks", "tools", "engine", "policies", "scheduler", "cli", "provider", "examples"];
/** Compiled output, not sources. */
const SKIPPED_DIRS = ["node_modules", "bin", "dist"];
/** The clouds' names as the `Cloud` enum spells its values, and the engine's provider packages. */
const CLOUD_NAMES = ["aws", "azure", "azure-native"];

/** Every TypeScript source under `dir`, tests left out. */
function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return SKIPPED_DIRS.includes(entry.name) ? [] : sources(file);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
    });
}

/** True for `Cloud.Aws`, `pkg.Cloud.Azure` and the string literals "aws" / "azure". */
function isOneCloud(node: ts.Expression): boolean {
    if (ts.isParenthesizedExpression(node)) return isOneCloud(node.expression);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return CLOUD_NAMES.includes(node.text);
    if (!ts.isPropertyAccessExpression(node)) return false;
    const owner = node.expression;
    const ownerName = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : "";
    return ownerName === "Cloud";
}

const EQUALITY = new Set([
    ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Each comparison with one cloud in `text`, as `line: code`. */
export function binaryCloudChoices(fileName: string, text: string): string[] {
    const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const report = (node: ts.Node): void => {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${line + 1}: ${node.getText(source).replace(/\s+/g, " ")}`);
    };
    const visit = (node: ts.Node): void => {
        if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind) && (isOneCloud(node.left) || isOneCloud(node.right))) report(node);
        if (ts.isCaseClause(node) && isOneCloud(node.expression)) report(node.expression);
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

describe("per-cloud choices", () => {
    it(`are never a comparison with one cloud in ${SCANNED.join("/, ")}/: each is a checked Record<Cloud, ...> table`, () => {
        const found = SCANNED.flatMap((folder) => sources(path.join(ROOT, folder)).flatMap((file) =>
            binaryCloudChoices(file, fs.readFileSync(file, "utf8")).map((hit) => `${path.relative(ROOT, file)}:${hit}`)));
        assert.deepStrictEqual(found, []);
    });

    describe("the scan", () => {
        const cases: [string, string][] = [
            ["a conditional on the cloud", "const port = cloud === Cloud.Azure ? 10000 : 6379;"],
            ["a negated comparison in an if", "if (config.cloud !== Cloud.Aws) return;"],
            ["the choice kept in a variable and used in a conditional", "const azure = cloud === Cloud.Azure;\nconst tier = azure ? \"bastion\" : \"public\";"],
            ["the choice kept in a variable and used in an if", "const azure = args.cloud === Cloud.Azure;\nif (azure) { build(); }"],
            ["a comparison with the cloud's string", "const aws = config.cloud == \"aws\";"],
            ["a comparison with a cloud's provider package", "const id = pkg === \"azure-native\" ? azureId(ctx) : awsId(ctx);"],
            ["the enum reached through a package", "if (cloud === pkg.Cloud.Aws && x) run();"],
            ["a switch case on one cloud", "switch (cloud) { case Cloud.Aws: a(); break; default: b(); }"],
        ];
        for (const [what, code] of cases) {
            it(`finds ${what}`, () => {
                assert.strictEqual(binaryCloudChoices("x.ts", code).length, 1, code);
            });
        }

        it("passes a checked table, a loop over every cloud and a comparison of two variables", () => {
            const code = [
                "const PORTS: PerCloud<number> = { aws: 6379, azure: 10000 };",
                "const port = PORTS[cloud];",
                "for (const c of CLOUDS) check(c);",
                "if (provider.cloud !== cloud) problems.add(key);",
                "const text = \"aws is one cloud\";",
            ].join("\n");
            assert.deepStrictEqual(binaryCloudChoices("x.ts", code), []);
        });
    });
});
