/**
 * Plans a stack of a Pulumi project from its files: `Pulumi.yaml`'s entry point
 * run under the plan mocks with `Pulumi.<stack>.yaml`'s config. The one way the
 * CLIs and the tests plan a real stack.
 */
import * as path from "path";
import { Plan, PlannedResource } from "./format";
import { PulumiProgram, runPlan } from "./runPlan";
import { StackFileError, loadStackFiles } from "./stackFiles";

/** This repository's root: the project planned when no other is given. */
export const ROOT = path.resolve(__dirname, "..");

/**
 * Loads a program's entry point the way Pulumi's Node.js host does: the module
 * itself when it exports a function, else its default export.
 */
export function loadProgram(main: string): PulumiProgram {
    const exported = require(main);
    const program = typeof exported === "function" ? exported : exported?.default;
    if (typeof program !== "function") throw new StackFileError(`${main} does not export a program function`);
    return program;
}

/**
 * Plans a stack of a Pulumi project (this one unless `root` is given) from its stack file; `config`
 * replaces whole keys of it (`namespace:key -> string`), as a `pulumi config set` before an `up` would.
 */
export async function planStack(
    stack: string, root = ROOT, previousOutputs?: Record<string, unknown>, config: Readonly<Record<string, string>> = {}, deployed?: readonly PlannedResource[],
): Promise<Plan> {
    const files = loadStackFiles(root, stack);
    return runPlan({ ...files, config: { ...files.config, ...config }, program: loadProgram(files.main), previousOutputs, deployed });
}
