/**
 * What the README claims, read from its text, and what the code says, so a test can hold them
 * equal: the config keys of each `intergalactic:` section, and the commands it tells a user to run.
 */
import { InvalidArgumentsError } from "../../components/common/validation";
import { NAMESPACE, parseStackConfig } from "../../stacks/config";

/** A key no section has: each parser's unknown-key error then lists the keys it reads. */
const PROBE = "readmeProbe";

/**
 * The backticked names written at the top level of a table cell (outside parentheses and brackets):
 * "`a` (x), `b` with `c` (uses `d`)" names a, b and c, not d.
 */
export function topLevelNames(cell: string): string[] {
    const names: string[] = [];
    let depth = 0;
    for (let i = 0; i < cell.length; i++) {
        const ch = cell[i];
        if (ch === "`") {
            const end = cell.indexOf("`", i + 1);
            if (end < 0) break;
            const token = cell.slice(i + 1, end);
            if (depth === 0 && /^[A-Za-z][A-Za-z0-9]*$/.test(token)) names.push(token);
            i = end;
        } else if (ch === "(" || ch === "[") depth++;
        else if ((ch === ")" || ch === "]") && depth > 0) depth--;
    }
    return names;
}

/** The rows of the README's stack configuration table: section (`network`) -> the fields it names. */
export function configTable(readme: string): Map<string, string[]> {
    const start = readme.indexOf("\n## Stack configuration");
    if (start < 0) throw new Error("the README has no \"Stack configuration\" section");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1) >>> 0 || undefined);
    const rows = new Map<string, string[]>();
    for (const line of section.split("\n")) {
        const match = new RegExp(`^\\| \`${NAMESPACE}:([A-Za-z]+)\` \\| (.*) \\|$`).exec(line);
        if (match) rows.set(match[1], topLevelNames(match[2]));
    }
    return rows;
}

/** The unknown-key lines `parseStackConfig` reports for a config, by the key path before `.PROBE`. */
function allowedKeysReported(raw: Record<string, string>): Map<string, string[]> {
    const reported = new Map<string, string[]>();
    try {
        parseStackConfig(raw);
    } catch (err) {
        if (!(err instanceof InvalidArgumentsError)) throw err;
        for (const problem of err.problems) {
            const match = new RegExp(`^(\\S+?)[.:]?${PROBE}: unknown key: allowed keys are (.*)$`).exec(problem);
            if (match) reported.set(match[1], match[2].split(", ").map((k) => k.replace(`${NAMESPACE}:`, "")));
        }
    }
    return reported;
}

/**
 * The keys the config parser reads, per `intergalactic:` section, for the given stack configs (the
 * union: some keys are read on one cloud only). A section with no fixed keys (a map such as `tags`,
 * a list, a plain value) maps to `[]`.
 */
export function configKeysInCode(configs: readonly Record<string, string>[]): Map<string, string[]> {
    const keys = new Map<string, Set<string>>();
    for (const raw of configs) {
        const roots = allowedKeysReported({ ...raw, [`${NAMESPACE}:${PROBE}`]: "1" }).get(NAMESPACE) ?? [];
        for (const section of roots) {
            const fields = keys.get(section) ?? new Set<string>();
            keys.set(section, fields);
            const full = `${NAMESPACE}:${section}`;
            let value: unknown = {};
            try {
                value = raw[full] === undefined ? {} : JSON.parse(raw[full]);
            } catch {
                value = raw[full];
            }
            if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
            const probed = allowedKeysReported({ ...raw, [full]: JSON.stringify({ ...value, [PROBE]: 1 }) }).get(full);
            probed?.forEach((f) => fields.add(f));
        }
    }
    return new Map([...keys].map(([section, fields]) => [section, [...fields].sort()]));
}

/** The `npm run <script>` commands a text names. */
export function npmRunCommands(text: string): string[] {
    return [...new Set([...text.matchAll(/npm run ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]))].sort();
}

/** A stack's weekly cost in dollars: always on, on the schedule with full teardown, on the schedule with hibernation. */
export interface WeeklyCostFigures {
    readonly alwaysOn: string;
    readonly teardown: string;
    readonly hibernation: string;
}

/** The weekly figures `npm run schedule -- --report` prints (its "Cost per week" lines); undefined when one is missing. */
export function reportedWeeklyCosts(report: string): WeeklyCostFigures | undefined {
    const figure = (label: string) => report.match(new RegExp(`^\\s*${label}:\\s+\\$([0-9.]+)`, "m"))?.[1];
    const [alwaysOn, teardown, hibernation] = ["always on", "schedule, full teardown", "schedule, hibernation"].map(figure);
    return alwaysOn && teardown && hibernation ? { alwaysOn, teardown, hibernation } : undefined;
}

/**
 * What a text says a stack costs a week, in its two phrasings: the cost list's line
 * (`- dev (us-east-1): $A always on, $B on the schedule with teardown, $C on the schedule with hibernation`)
 * and the prose's `dev costs $B a week with full teardown and $C with hibernation`. Line breaks count as spaces.
 */
export function claimedWeeklyCosts(text: string, stack: string): { list: WeeklyCostFigures[]; prose: Omit<WeeklyCostFigures, "alwaysOn">[] } {
    const flat = text.replace(/\s*\n\s*/g, " ");
    const name = stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const money = "\\$([0-9.]+)";
    const list = [...flat.matchAll(new RegExp(`- ${name} \\([a-z0-9-]+\\): ${money} always on, ${money} on the schedule with teardown, ${money} on the schedule with hibernation`, "g"))]
        .map((m) => ({ alwaysOn: m[1], teardown: m[2], hibernation: m[3] }));
    const prose = [...flat.matchAll(new RegExp(`(?<![\\w-])${name} costs ${money} a week with full teardown and ${money} with hibernation`, "g"))]
        .map((m) => ({ teardown: m[1], hibernation: m[2] }));
    return { list, prose };
}
