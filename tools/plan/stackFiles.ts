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

/**
 * Bounds on what a stack file may hold. A stack file is small hand-written config; these bounds
 * refuse hostile or runaway input (an alias "billion laughs" bomb expands a kilobyte into gigabytes
 * when flattened to JSON) with a clear message instead of an out-of-memory crash or a hang.
 */
export const STACK_FILE_LIMITS = {
    /** Bytes of one YAML file. */
    maxBytes: 1024 * 1024,
    /** Alias nodes (`*ref`) per document: js-yaml's own counter. */
    maxAliases: 100,
    /** Nesting depth of collections. */
    maxDepth: 32,
    /** Values (scalars, lists, mappings) of the document once every alias is expanded. */
    maxExpandedNodes: 100_000,
} as const;

function readYaml(file: string): Record<string, unknown> {
    const name = path.basename(file);
    const bytes = fs.statSync(file).size;
    if (bytes > STACK_FILE_LIMITS.maxBytes) {
        throw new StackFileError(`${name} is ${bytes} bytes, more than the ${STACK_FILE_LIMITS.maxBytes} a stack file may have`);
    }
    let parsed: unknown;
    try {
        parsed = yaml.load(fs.readFileSync(file, "utf8"), { maxAliases: STACK_FILE_LIMITS.maxAliases, maxDepth: STACK_FILE_LIMITS.maxDepth });
    } catch (err) {
        throw new StackFileError(`${name} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    checkExpandedSize(name, parsed);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) throw new StackFileError(`${name} must be a YAML mapping`);
    return parsed as Record<string, unknown>;
}

/**
 * Counts the values of a document as if every alias were expanded (shared subtrees are counted once
 * per use, memoized, so this is linear in the parsed size) and refuses cycles and documents that
 * expand beyond {@link STACK_FILE_LIMITS}.maxExpandedNodes.
 */
function checkExpandedSize(name: string, document: unknown): void {
    const sizes = new Map<object, number>();
    const open = new Set<object>();
    const limit = STACK_FILE_LIMITS.maxExpandedNodes;
    const count = (value: unknown): number => {
        if (value === null || typeof value !== "object") return 1;
        const known = sizes.get(value);
        if (known !== undefined) return known;
        if (open.has(value)) throw new StackFileError(`${name}: an alias refers to a value that contains it; a stack file must be a tree`);
        open.add(value);
        let total = 1;
        for (const child of Object.values(value)) {
            total += count(child);
            if (total > limit) {
                throw new StackFileError(`${name} expands to more than ${limit} values once its aliases (*ref) are expanded: write the values out instead of nesting aliases`);
            }
        }
        open.delete(value);
        sizes.set(value, total);
        return total;
    };
    count(document);
}

/** Refuses values a stack program cannot receive: numbers that JSON cannot carry (`.inf`, `.nan`). */
function checkValue(file: string, key: string, value: unknown): void {
    if (typeof value === "number" && !Number.isFinite(value)) {
        throw new StackFileError(`${file}: ${key}: ${value} is not a finite number`);
    }
    if (value === null || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value)) checkValue(file, Array.isArray(value) ? `${key}[${k}]` : `${key}.${k}`, v);
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
        // `network:` is `intergalactic:network:`; with both, one would silently win.
        if (fullKey in config) {
            throw new StackFileError(`Pulumi.${stack}.yaml: ${fullKey} is set twice (as "${fullKey}" and as "${fullKey.slice(project.length + 1)}"): keep one`);
        }
        checkValue(`Pulumi.${stack}.yaml`, fullKey, value);
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            throw new StackFileError(`Pulumi.${stack}.yaml: ${fullKey} is an encrypted secret, which the offline plan cannot decrypt; keep secrets out of stack config (components generate them)`);
        }
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project, stack, main, config };
}
