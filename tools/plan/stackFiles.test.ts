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
});
