/**
 * A policy pack whose policies do nothing, for the policy run's SDK floor (`sdkFloor.ts --policy`):
 * as many resource and stack policies as the project's pack, each returning at once, so what a run
 * over it costs is `@pulumi/policy`'s own handlers (each policy's copy of every resource's
 * properties, its arguments, its unknown-checking proxy) and this project's runner, no policy code.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Writes the pack's `index.js` and `package.json` into a folder under the project's node_modules
 * (where `@pulumi/policy` resolves from) and returns the folder, to give `PolicySession.open` as
 * both `program` and `cwd`.
 */
export function writeNoopPack(resourcePolicies: number, stackPolicies: number): string {
    const dir = path.join(ROOT, "node_modules", ".cache", "intergalactic-noop-pack", `${resourcePolicies}-${stackPolicies}`);
    fs.mkdirSync(dir, { recursive: true });
    const policies = [
        ...Array.from({ length: resourcePolicies }, (_, i) => `{ name: "noop-resource-${i}", description: "does nothing", enforcementLevel: "mandatory", validateResource: () => {} }`),
        ...Array.from({ length: stackPolicies }, (_, i) => `{ name: "noop-stack-${i}", description: "does nothing", enforcementLevel: "mandatory", validateStack: () => {} }`),
    ];
    const index = `"use strict";\nconst { PolicyPack } = require("@pulumi/policy");\nnew PolicyPack("noop-policies", {\n    policies: [\n        ${policies.join(",\n        ")},\n    ],\n});\n`;
    write(path.join(dir, "index.js"), index);
    write(path.join(dir, "package.json"), `${JSON.stringify({ name: "noop-policies", version: "0.0.0", main: "index.js" })}\n`);
    return dir;
}

/** Writes `text` unless the file holds it already; through a rename, so a concurrent run never reads half a file. */
function write(file: string, text: string): void {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
}
