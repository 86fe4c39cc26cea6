import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackFileError, knownStacks, loadStackFiles } from "./stackFiles";

function projectDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfiles-"));
    for (const [name, text] of Object.entries({ "Pulumi.yaml": "name: intergalactic\nruntime: nodejs\n", ...files })) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("loadStackFiles", () => {
    it("flattens a stack file into the namespace:key map a program sees, structured values as JSON", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n  intergalactic:network:\n    zoneCount: 3\n  plain: 4\n" });
        assert.deepStrictEqual(loadStackFiles(dir, "dev"), {
            project: "intergalactic", stack: "dev", main: dir,
            config: { "aws:region": "us-east-1", "intergalactic:network": "{\"zoneCount\":3}", "intergalactic:plain": "4" },
        });
    });

    it("names the known stacks when the stack is unknown", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config: {}\n", "Pulumi.prod.yaml": "config: {}\n" });
        assert.throws(() => loadStackFiles(dir, "staging"), (err: Error) =>
            err instanceof StackFileError && /unknown stack "staging": there is no Pulumi.staging.yaml; known stacks: dev, prod/.test(err.message));
        assert.deepStrictEqual(knownStacks(dir), ["dev", "prod"]);
    });

    it("gives every stack the project-level config of Pulumi.yaml, which the stack file overrides", () => {
        const dir = projectDir({
            "Pulumi.yaml": "name: shop\nruntime: nodejs\nconfig:\n  aws:region: eu-west-1\n  zoneCount: 3\n  tags:\n    value:\n      team: cookies\n  size:\n    type: string\n    default: small\n",
            "Pulumi.dev.yaml": "config:\n  shop:zoneCount: 2\n",
        });
        assert.deepStrictEqual(loadStackFiles(dir, "dev").config, {
            "aws:region": "eu-west-1", "shop:zoneCount": "2", "shop:tags": "{\"team\":\"cookies\"}", "shop:size": "small",
        });
    });

    it("requires the stack file to set a project-level key declared with a type and no default", () => {
        const dir = projectDir({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nconfig:\n  owner:\n    type: string\n", "Pulumi.dev.yaml": "config: {}\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml: shop:owner is declared in Pulumi.yaml's config without a default: set it in the stack file/);
    });

    it("refuses a project-level object value that is not under value:", () => {
        const dir = projectDir({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nconfig:\n  tags:\n    team: cookies\n", "Pulumi.dev.yaml": "config: {}\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.yaml: config: shop:tags: an object value must be written under value:/);
    });

    it("reads stack files from stackConfigDir and lists the stacks there", () => {
        const dir = projectDir({ "Pulumi.yaml": "name: shop\nruntime: nodejs\nstackConfigDir: stacks\n" });
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), "config:\n  aws:region: us-west-2\n");
        assert.deepStrictEqual(loadStackFiles(dir, "dev").config, { "aws:region": "us-west-2" });
        assert.deepStrictEqual(knownStacks(dir), ["dev"]);
        assert.throws(() => loadStackFiles(dir, "prod"), /there is no Pulumi.prod.yaml in stacks \(stackConfigDir\); known stacks: dev$/);
    });

    it("says so when a project has no stack file at all, instead of an empty list", () => {
        assert.throws(() => loadStackFiles(projectDir({}), "dev"), (err: Error) =>
            /there is no Pulumi.dev.yaml, nor any other stack file: create it with a config: section/.test(err.message) && !/known stacks/.test(err.message));
    });

    it("refuses a stack name that could escape the project folder", () => {
        assert.throws(() => loadStackFiles(projectDir({}), "../etc"), /unknown stack/);
    });

    it("reports a broken stack file with its name and the parser's reason", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config:\n  aws:region: [unclosed\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml is not valid YAML: /);
    });

    it("refuses encrypted secrets, which an offline plan cannot decrypt", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config:\n  intergalactic:token:\n    secure: AAABAJ==\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /intergalactic:token is an encrypted secret/);
    });

    it("refuses a YAML alias bomb with a message instead of running out of memory", () => {
        // Nine levels of nine aliases each: 1.2 KB that expands to 9^9 (387 million) strings.
        const levels = ["a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"];
        for (const [prev, next] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"]) levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(", ")}]`);
        const text = `${levels.map((l) => `  ${l}`).join("\n")}\nconfig:\n  intergalactic:tags: *i\n`.replace(/^ {2}/gm, "");
        assert.ok(text.length < 1300, `${text.length} bytes`);
        const dir = projectDir({ "Pulumi.dev.yaml": text });
        const started = Date.now();
        assert.throws(() => loadStackFiles(dir, "dev"), (err: Error) => err instanceof StackFileError
            && /Pulumi.dev.yaml (expands to more than 100000 values once its aliases|is not valid YAML: aliases exceeded maxAliases)/.test(err.message));
        assert.ok(Date.now() - started < 2000, "took too long");
    });

    it("refuses a wide alias bomb that stays under the alias count", () => {
        const text = `x: &x [${Array(400).fill("\"v\"").join(", ")}]\ny: &y [${Array(90).fill("*x").join(", ")}]\nz: &z [${Array(5).fill("*y").join(", ")}]\nconfig:\n  intergalactic:tags: *z\n`;
        const dir = projectDir({ "Pulumi.dev.yaml": text });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml expands to more than 100000 values once its aliases \(\*ref\) are expanded/);
    });

    it("refuses a stack file larger than a megabyte", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": `config:\n  intergalactic:tags:\n    big: "${"x".repeat(1024 * 1024)}"\n` });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml is \d+ bytes, more than the 1048576 a stack file may have/);
    });

    it("refuses a key set both with and without the project's namespace", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config:\n  network:\n    zoneCount: 3\n  intergalactic:network:\n    zoneCount: 4\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml: intergalactic:network is set twice \(as "intergalactic:network" and as "network"\): keep one/);
    });

    it("refuses numbers JSON cannot carry, naming the key", () => {
        const dir = projectDir({ "Pulumi.dev.yaml": "config:\n  intergalactic:kafka:\n    brokerCount: .inf\n" });
        assert.throws(() => loadStackFiles(dir, "dev"), /Pulumi.dev.yaml: intergalactic:kafka.brokerCount: Infinity is not a finite number/);
    });
});
