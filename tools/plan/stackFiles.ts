/**
 * Reads a stack's configuration the way the Pulumi CLI does: the project from
 * `Pulumi.yaml` and the stack's `Pulumi.<stack>.yaml`, flattened into the
 * `namespace:key -> string` map a Pulumi program sees (structured values as JSON).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** A stack's project name and flattened config. */
export interface StackFiles {
    readonly project: string;
    /** The program's entry point (`main` in Pulumi.yaml, else the folder), as an absolute path. */
    readonly main: string;
    readonly stack: string;
    readonly config: Record<string, string>;
}

/** Thrown for an unknown stack or an unreadable file; the CLI prints the message and exits 1. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in `root`. */
export function knownStacks(root: string): string[] {
    return fs.readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function readYaml(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) throw new StackFileError(`${path.basename(file)} must be a YAML mapping`);
    return parsed as Record<string, unknown>;
}

/** Loads a stack's project name and config from `root`. */
export function loadStackFiles(root: string, stack: string): StackFiles {
    const projectFile = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) throw new StackFileError(`no Pulumi.yaml in ${root}`);
    const projectYaml = readYaml(projectFile);
    const project = projectYaml.name;
    if (typeof project !== "string") throw new StackFileError("Pulumi.yaml has no project name");
    const main = path.resolve(root, typeof projectYaml.main === "string" ? projectYaml.main : ".");

    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
        throw new StackFileError(`unknown stack "${stack}": there is no Pulumi.${stack}.yaml; known stacks: ${knownStacks(root).join(", ")}`);
    }
    const raw = readYaml(stackFile).config ?? {};
    if (typeof raw !== "object" || Array.isArray(raw)) throw new StackFileError(`Pulumi.${stack}.yaml: "config" must be a mapping`);

    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            throw new StackFileError(`Pulumi.${stack}.yaml: ${fullKey} is an encrypted secret, which the offline plan cannot decrypt; keep secrets out of stack config (components generate them)`);
        }
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project, stack, main, config };
}
