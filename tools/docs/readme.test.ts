/**
 * The README's claims held against the code: the config table lists exactly the keys the config
 * parser reads, every `npm run` command it names exists, and the stack files mark exactly the
 * placeholders the program recognises.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../stacks/config";
import { findPlaceholders } from "../../stacks/config/placeholders";
import { knownStacks, loadStackFiles } from "../../engine/stackFiles";
import { claimedWeeklyCosts, configKeysInCode, configTable, npmRunCommands, reportedWeeklyCosts, topLevelNames } from "./readmeClaims";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("the README's claims", function () {
    this.timeout(60_000);
    const stacks = knownStacks(ROOT);
    const configs = stacks.map((stack) => loadStackFiles(ROOT, stack).config);

    it("reads the names of a table cell at its top level only", () => {
        assert.deepStrictEqual(topLevelNames("`a` (x, `d`), `b` with `c` [`e`](#f), `[]`, `g`"), ["a", "b", "c", "g"]);
    });

    describe("the stack configuration table", () => {
        const code = configKeysInCode(configs);
        const table = configTable(read("README.md"));

        it("has one row per intergalactic: key the config reads, and no other", () => {
            assert.deepStrictEqual([...table.keys()].sort(), [...code.keys()].sort());
        });

        for (const [section, fields] of code) {
            it(`lists the fields of intergalactic:${section} that the parser reads, and no other`, () => {
                const row = table.get(section) ?? [];
                assert.deepStrictEqual({ missing: fields.filter((f) => !row.includes(f)), unknown: row.filter((f) => !fields.includes(f)) }, { missing: [], unknown: [] });
            });
        }
    });

    it("names only npm run commands that package.json has", () => {
        const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
        const named = [...new Set([...npmRunCommands(read("README.md")), ...npmRunCommands(read("CONTRIBUTING.md"))])];
        assert.ok(named.length >= 5, named.join(", "));
        assert.deepStrictEqual(named.filter((c) => !scripts.includes(c)), []);
    });

    it("splits npm test's files into test:quick and test:scheduler, each file in exactly one", () => {
        const scripts: Record<string, string> = JSON.parse(read("package.json")).scripts;
        const globs = (name: string) => [...scripts[name].matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
        assert.deepStrictEqual([...globs("test:quick"), ...globs("test:scheduler")].sort(), globs("test:unit"));
        assert.ok(!globs("test:quick").some((g) => globs("test:scheduler").includes(g)));
    });

    describe("every command run through ts-node has --help", () => {
        const scripts: Record<string, string> = JSON.parse(read("package.json")).scripts;
        // The scripts that run one of this repository's TypeScript commands (through ts-node or the transpile cache).
        const clis = Object.entries(scripts).filter(([, command]) => /^(ts-node|node -r \S+) .*\.ts\b/.test(command));
        it("finds the commands", () => {
            const names = clis.map(([name]) => name);
            assert.deepStrictEqual(["bench", "examples", "plan", "policy", "pulumi", "schedule"].filter((n) => !names.includes(n)), []);
        });
        for (const [name] of clis) {
            it(`npm run ${name} -- --help prints its usage and explains every flag, exit 0`, () => {
                const run = spawnSync("npm", ["run", "--silent", name, "--", "--help"], { cwd: ROOT, encoding: "utf8" });
                assert.strictEqual(run.status, 0, run.stderr);
                const [usage, ...body] = run.stdout.trimEnd().split("\n");
                assert.match(usage, new RegExp(`^usage: npm run ${name}\\b`));
                const flags = [...new Set([...usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
                assert.deepStrictEqual(flags.filter((f) => !body.some((line) => line.trimStart().startsWith(f))), [], "flags of the usage line without an explanation");
            });
        }
    });

    describe("the weekly costs it quotes are what npm run schedule -- --report prints", () => {
        const schedulable = stacks.filter((stack, i) => parseStackConfig(configs[i], stack).schedule.schedulable);
        it("reads both phrasings of a claim", () => {
            const text = "- dev (us-east-1): $1.00 always on, $2.00 on the\n  schedule with teardown, $3.00 on the schedule with hibernation; dev costs $2.00 a week with full teardown and $3.00 with hibernation, dev-azure costs $4.00 a week with full teardown and $5.00 with hibernation";
            assert.deepStrictEqual(claimedWeeklyCosts(text, "dev"), {
                list: [{ alwaysOn: "1.00", teardown: "2.00", hibernation: "3.00" }],
                prose: [{ teardown: "2.00", hibernation: "3.00" }],
            });
        });
        it("finds the schedulable stacks", () => assert.ok(schedulable.length >= 2, schedulable.join(", ")));
        for (const stack of schedulable) {
            it(`quotes ${stack}'s figures as its report prints them`, function () {
                this.timeout(120_000);
                const run = spawnSync("npm", ["run", "--silent", "schedule", "--", "--stack", stack, "--report"], { cwd: ROOT, encoding: "utf8" });
                assert.strictEqual(run.status, 0, run.stderr);
                const printed = reportedWeeklyCosts(run.stdout);
                assert.ok(printed, `no cost lines in the report:\n${run.stdout}`);
                const claims = claimedWeeklyCosts(read("README.md"), stack);
                assert.deepStrictEqual(claims.list, [printed], "the cost list's line");
                assert.deepStrictEqual(claims.prose, claims.prose.map(() => ({ teardown: printed.teardown, hibernation: printed.hibernation })), "the prose");
            });
        }
    });

    for (const stack of stacks) {
        it(`marks exactly the placeholders of Pulumi.${stack}.yaml with # placeholder`, () => {
            const found = findPlaceholders(parseStackConfig(loadStackFiles(ROOT, stack).config, stack)).map((p) => p.value);
            assert.ok(found.length > 0, "the shipped stack files hold placeholders");
            const lines = read(`Pulumi.${stack}.yaml`).split("\n").filter((l) => !l.trimStart().startsWith("#"));
            const marked = lines.filter((l) => l.includes("# placeholder"));
            assert.deepStrictEqual(found.filter((v) => !marked.some((l) => l.includes(v))), [], "placeholders without a mark");
            assert.deepStrictEqual(marked.filter((l) => !found.some((v) => l.includes(v))), [], "marks on real values");
        });
    }
});

describe("the README's claims about consumers, each tied to its tests (tools/docs/consumerClaims.ts)", () => {
    const { CONSUMER_CLAIMS, consumerSection, paragraphs } = require("./consumerClaims") as typeof import("./consumerClaims");
    const fold = (text: string) => text.replace(/\s+/g, " ");
    const section = fold(consumerSection(read("README.md")));

    it("finds every listed claim in the section", () => {
        assert.deepStrictEqual(CONSUMER_CLAIMS.filter((c) => !section.includes(fold(c.readme))).map((c) => c.readme), []);
    });

    it("finds every test a claim names, by its file and title", () => {
        const missing = CONSUMER_CLAIMS.flatMap((c) => c.proofs).filter((p) => {
            const file = path.join(ROOT, p.file);
            return !fs.existsSync(file) || !new RegExp(`\\bit\\((["\`])[^"\`]*${p.test.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).test(fs.readFileSync(file, "utf8"));
        });
        assert.deepStrictEqual(missing, []);
    });

    it("leaves no paragraph of the section without a claim and its test", () => {
        const uncovered = paragraphs(consumerSection(read("README.md"))).filter((p) => !CONSUMER_CLAIMS.some((c) => p.includes(fold(c.readme))));
        assert.deepStrictEqual(uncovered.map((p) => p.slice(0, 100)), []);
    });
});
