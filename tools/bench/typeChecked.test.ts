import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TYPE_CHECKED } from "./bench";

const ROOT = path.resolve(__dirname, "../..");

describe("the bench's type-checked row", function () {
    this.timeout(120_000);

    it("really type-checks while loading, despite tsconfig.json's transpileOnly", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-typecheck-"));
        try {
            const file = path.join(dir, "wrong.ts");
            fs.writeFileSync(file, "const count: number = \"three\";\nconsole.log(count);\n");
            // From the repository root, as bench.ts runs its worker, so tsconfig.json applies.
            const run = spawnSync(process.execPath, ["-r", TYPE_CHECKED, file], { cwd: ROOT, encoding: "utf8" });
            assert.notStrictEqual(run.status, 0, run.stdout);
            assert.match(run.stderr, /TS2322/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
