/**
 * Reads a stack's configuration the way the Pulumi CLI does: the project from
 * `Pulumi.yaml` (its project-level `config:` gives every stack's defaults) and the
 * stack's `Pulumi.<stack>.yaml` (in `stackConfigDir` when the project names one),
 * flattened into the `namespace:key -> string` map a Pulumi program sees
 * (structured values as JSON). Project-level config: https://www.pulumi.com/blog/project-config-mvp/
 * (a value, or `{ value: ... }` for an object, or a schema with `type` and optional `default`);
 * `stackConfigDir`: https://www.pulumi.com/docs/iac/concepts/projects/project-file/
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

/**
 * The folder of a project's stack files: `stackConfigDir` of its Pulumi.yaml, else the project's own.
 * An unreadable Pulumi.yaml counts as naming none (loadStackFiles reports it).
 */
export function stackConfigDir(root: string): string {
    let dir: unknown;
    try {
        dir = (yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"), { maxAliases: 0 }) as Record<string, unknown> | null)?.stackConfigDir;
    } catch {
        dir = undefined;
    }
    return typeof dir === "string" && dir !== "" ? path.resolve(root, dir) : root;
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project at `root` (in its `stackConfigDir`). */
export function knownStacks(root: string): string[] {
    const dir = stackConfigDir(root);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
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

    const configDir = stackConfigDir(root);
    const stackFile = path.join(configDir, `Pulumi.${stack}.yaml`);
    if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(stackFile)) {
        const known = knownStacks(root);
        const where = configDir === root ? "" : ` in ${path.relative(root, configDir)} (stackConfigDir)`;
        throw new StackFileError(known.length > 0
            ? `unknown stack "${stack}": there is no Pulumi.${stack}.yaml${where}; known stacks: ${known.join(", ")}`
            : `unknown stack "${stack}": there is no Pulumi.${stack}.yaml${where}, nor any other stack file: create it with a config: section`);
    }
    const raw = readYaml(stackFile).config ?? {};
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new StackFileError(`Pulumi.${stack}.yaml: "config" must be a mapping`);

    const config: Record<string, string> = {};
    const required: string[] = [];
    // Project-level defaults first: the stack file overrides them.
    for (const [key, entry] of Object.entries(projectConfig(projectYaml))) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        if (fullKey in config) throw new StackFileError(`Pulumi.yaml: config: ${fullKey} is set twice (as "${fullKey}" and as "${fullKey.slice(project.length + 1)}"): keep one`);
        const value = projectValue(fullKey, entry);
        if (value === REQUIRED) {
            required.push(fullKey);
            continue;
        }
        checkValue("Pulumi.yaml", fullKey, value);
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const fromStack = new Set<string>();
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        // `network:` is `intergalactic:network:`; with both, one would silently win.
        if (fromStack.has(fullKey)) {
            throw new StackFileError(`Pulumi.${stack}.yaml: ${fullKey} is set twice (as "${fullKey}" and as "${fullKey.slice(project.length + 1)}"): keep one`);
        }
        checkValue(`Pulumi.${stack}.yaml`, fullKey, value);
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            throw new StackFileError(`Pulumi.${stack}.yaml: ${fullKey} is an encrypted secret, which the offline plan cannot decrypt; keep secrets out of stack config (components generate them)`);
        }
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        fromStack.add(fullKey);
    }
    const missing = required.filter((k) => !(k in config));
    if (missing.length > 0) {
        throw new StackFileError(`Pulumi.${stack}.yaml: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} declared in Pulumi.yaml's config without a default: set ${missing.length === 1 ? "it" : "them"} in the stack file`);
    }
    return { project, stack, main, config };
}

/** A project-level config entry that declares a type but no default: each stack must set it. */
const REQUIRED = Symbol("required");

/** The project-level `config:` of a Pulumi.yaml, as a mapping. */
function projectConfig(projectYaml: Record<string, unknown>): Record<string, unknown> {
    const config = projectYaml.config;
    if (config === undefined || config === null) return {};
    // An old form of `config:` named the stack-file folder (now `stackConfigDir`).
    if (typeof config === "string") throw new StackFileError(`Pulumi.yaml: config: "${config}" names a folder; use stackConfigDir: ${config}, and config: for project-level values`);
    if (typeof config !== "object" || Array.isArray(config)) throw new StackFileError("Pulumi.yaml: config must be a mapping of keys to values");
    return config as Record<string, unknown>;
}

/** The value a project-level entry gives every stack: a plain value, `{ value }`, or a schema's `default`. */
function projectValue(key: string, entry: unknown): unknown {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return entry;
    const fields = entry as Record<string, unknown>;
    if ("secure" in fields) throw new StackFileError(`Pulumi.yaml: config: ${key} is an encrypted secret, which the offline plan cannot decrypt`);
    if ("value" in fields) return fields.value;
    if ("default" in fields) return fields.default;
    if ("type" in fields) return REQUIRED;
    throw new StackFileError(`Pulumi.yaml: config: ${key}: an object value must be written under value: (a mapping with type or default is a schema)`);
}
