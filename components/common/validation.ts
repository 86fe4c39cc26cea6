/**
 * Argument validation shared by every component and by the stack config.
 *
 * Validators collect every problem first and throw once, so a user fixes all
 * of them in one pass instead of one `pulumi up` per mistake. Each problem
 * names the argument, the value it got and the rule it broke.
 */

/** Thrown for arguments or config that break a rule; raised before any resource is registered. */
export class InvalidArgumentsError extends Error {
    constructor(
        /** What was being validated, e.g. `Vpc3Az "net"`. */
        public readonly subject: string,
        /** One line per problem. */
        public readonly problems: readonly string[],
    ) {
        super(`Invalid arguments for ${subject}:\n${problems.map((p) => ` - ${p}`).join("\n")}`);
        this.name = "InvalidArgumentsError";
    }
}

/** The longest rendering of one value in a message: a huge value is cut, so the message stays readable. */
const MAX_SHOWN = 1000;

/** Renders a value for an error message: strings quoted, everything else as JSON, cut after {@link MAX_SHOWN} characters. */
export function show(value: unknown): string {
    if (value === undefined) return "undefined";
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}... (${text.length} characters)`;
}

/** Collects problems for one subject and throws them together. */
export class Problems {
    private readonly found: string[] = [];

    /**
     * @param subject What is validated, e.g. `Vpc3Az "net"`.
     * @param written Per arg key, the path the user wrote it at (`azure.zones` for a key of a cloud group,
     *   `zones` for its deprecated top-level alias; `ResolvedCloudArgs.paths`): a check of `zones` or
     *   `zones[0]` then names `azure.zones` or `azure.zones[0]`, the key the user has, not the planner's.
     */
    constructor(private readonly subject: string, private readonly written: Readonly<Record<string, string>> = {}) {}

    /**
     * The arg as the user wrote it: the longest key of `written` that `arg` is or starts with (followed by `.` or `[`)
     * replaced by its path, the rest (`[0]`, `.zone`) kept.
     */
    path(arg: string): string {
        let best = "";
        for (const key of Object.keys(this.written)) {
            const starts = arg === key || arg.startsWith(`${key}.`) || arg.startsWith(`${key}[`);
            if (starts && key.length > best.length) best = key;
        }
        return best ? this.written[best] + arg.slice(best.length) : arg;
    }

    /** Records `"<arg>: <value> <rule>"` when `ok` is false, `<arg>` as the user wrote it; returns `ok` so checks can be chained. */
    check(ok: boolean, arg: string, value: unknown, rule: string): boolean {
        if (!ok) this.add(`${this.path(arg)}: ${show(value)} ${rule}`);
        return ok;
    }

    /** Records a problem that is already a full sentence. */
    add(problem: string): void {
        this.found.push(problem);
    }

    /** Checks that `value` is an integer within `[min, max]`. */
    integer(arg: string, value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): boolean {
        const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
        return this.check(Number.isInteger(value) && value >= min && value <= max, arg, value, `must be an integer ${range}`);
    }

    /** Checks that `value` is one of `allowed`. */
    oneOf<T extends string>(arg: string, value: string, allowed: readonly T[]): value is T {
        return this.check((allowed as readonly string[]).includes(value), arg, value, `is not allowed: use one of ${allowed.join(", ")}`);
    }

    get count(): number {
        return this.found.length;
    }

    /** Every problem recorded so far, e.g. to hand to the planner that reports them with its own. */
    get all(): readonly string[] {
        return [...this.found];
    }

    /** Throws an {@link InvalidArgumentsError} if any problem was recorded. */
    throwIfAny(): void {
        if (this.found.length > 0) throw new InvalidArgumentsError(this.subject, this.found);
    }
}
