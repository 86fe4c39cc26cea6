/**
 * Typed, validating access to one structured stack-config value. Every getter
 * records a problem that names the full key, the value and what is allowed,
 * instead of throwing, so one run reports every mistake in a config file.
 */
import { Problems, show } from "../../components/common";

type Json = unknown;

/**
 * Upper bounds on what one config value may hold when its key has no tighter, documented limit:
 * a stack config is short hand-written text, and an unbounded value would let a typo (or a hostile
 * file) make the plan build millions of resources or carry megabytes of text.
 */
export const CONFIG_LIMITS = {
    /** Characters of one string value. */
    maxStringLength: 4096,
    /** Entries of one list (ranges, topics, services, dates). */
    maxListItems: 256,
    /** Entries of one map (`env`, `snapshots.restore`). */
    maxMapEntries: 256,
} as const;

/** Pulumi passes structured config as JSON and everything else as plain strings. */
function parseValue(text: string): Json {
    if (!/^\s*[[{]/.test(text)) return text;
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

export class ConfigObject {
    private readonly seen = new Set<string>();
    /** Keys only tested for presence so far: listed among the allowed keys, though not yet read. */
    private readonly asked = new Set<string>();

    constructor(
        /** The full key of this object, e.g. `intergalactic:network`. */
        readonly path: string,
        private readonly value: Record<string, Json>,
        readonly problems: Problems,
    ) {}

    /**
     * The root reader over every key of one namespace in a flattened Pulumi config map
     * (`namespace:key -> string`, structured values as JSON).
     */
    static namespace(namespace: string, raw: Readonly<Record<string, string>>, problems: Problems): ConfigObject {
        const values: Record<string, Json> = {};
        for (const [key, text] of Object.entries(raw)) {
            if (!key.startsWith(`${namespace}:`)) continue;
            values[key.slice(namespace.length + 1)] = parseValue(text);
        }
        return new ConfigObject(`${namespace}:`, values, problems);
    }

    /** The full key of a child: `intergalactic:network` at the root, `intergalactic:network.cidrBlock` below. */
    private key(name: string): string {
        return this.path.endsWith(":") ? `${this.path}${name}` : `${this.path}.${name}`;
    }

    private get(name: string): Json {
        this.seen.add(name);
        // Own keys only: `constructor` or `__proto__` in a config file must not read Object's prototype.
        return Object.prototype.hasOwnProperty.call(this.value, name) ? this.value[name] : undefined;
    }

    /** True when the key is present. The key counts as one this section knows (see rejectUnknownKeys). */
    has(name: string): boolean {
        this.asked.add(name);
        return Object.prototype.hasOwnProperty.call(this.value, name) && this.value[name] !== undefined;
    }

    string<T extends string = string>(name: string, fallback: T, allowed?: readonly T[]): T {
        const v = this.get(name);
        if (v === undefined) return fallback;
        if (typeof v !== "string") {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a string`);
            return fallback;
        }
        if (!this.withinLength(this.key(name), v)) return fallback;
        if (allowed && !this.problems.oneOf(this.key(name), v, allowed)) return fallback;
        return v as T;
    }

    /** The full key of a child, for messages of checks made outside this reader. */
    keyOf(name: string): string {
        return this.key(name);
    }

    /** An integer within `[min, max]`: every count has an upper bound (the service's limit where there is one). */
    integer(name: string, fallback: number, min: number, max: number): number {
        const v = this.get(name);
        if (v === undefined) return fallback;
        if (typeof v !== "number" || !this.problems.integer(this.key(name), v, min, max)) {
            if (typeof v !== "number") this.problems.add(`${this.key(name)}: ${show(v)} must be a number`);
            return fallback;
        }
        return v;
    }

    boolean(name: string, fallback: boolean): boolean {
        const v = this.get(name);
        if (v === undefined) return fallback;
        if (typeof v !== "boolean") {
            this.problems.add(`${this.key(name)}: ${show(v)} must be true or false`);
            return fallback;
        }
        return v;
    }

    stringList(name: string, fallback: readonly string[], maxItems: number = CONFIG_LIMITS.maxListItems): string[] {
        const v = this.get(name);
        if (v === undefined) return [...fallback];
        if (!Array.isArray(v) || v.some((e) => typeof e !== "string")) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a list of strings`);
            return [...fallback];
        }
        if (!this.withinCount(this.key(name), v.length, maxItems, "entries")) return [...fallback];
        if (!v.every((e, i) => this.withinLength(`${this.key(name)}[${i}]`, e as string))) return [...fallback];
        return v as string[];
    }

    stringMap(name: string, maxEntries: number = CONFIG_LIMITS.maxMapEntries): Record<string, string> {
        const v = this.get(name);
        if (v === undefined) return {};
        if (v === null || typeof v !== "object" || Array.isArray(v) || Object.values(v).some((e) => typeof e !== "string")) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a map of strings`);
            return {};
        }
        const entries = Object.entries(v as Record<string, string>);
        if (!this.withinCount(this.key(name), entries.length, maxEntries, "entries")) return {};
        if (!entries.every(([k, e]) => this.withinLength(`${this.key(name)}.${k}`, k) && this.withinLength(`${this.key(name)}.${k}`, e))) return {};
        return v as Record<string, string>;
    }

    /** A nested object; absent means empty (all defaults). */
    object(name: string): ConfigObject {
        const v = this.get(name);
        if (v === undefined) return new ConfigObject(this.key(name), {}, this.problems);
        if (v === null || typeof v !== "object" || Array.isArray(v)) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be an object`);
            return new ConfigObject(this.key(name), {}, this.problems);
        }
        return new ConfigObject(this.key(name), v as Record<string, Json>, this.problems);
    }

    /**
     * A nested object for looking only: nothing is marked as read, and a malformed value (reported by
     * the section's own parser) reads as empty.
     */
    peekObject(name: string, problems: Problems): ConfigObject {
        const v = this.value[name];
        const ok = v !== null && typeof v === "object" && !Array.isArray(v);
        return new ConfigObject(this.key(name), ok ? (v as Record<string, Json>) : {}, problems);
    }

    /** A list of objects. */
    objectList(name: string, maxItems: number = CONFIG_LIMITS.maxListItems): ConfigObject[] {
        const v = this.get(name);
        if (v === undefined) return [];
        if (!Array.isArray(v) || v.some((e) => e === null || typeof e !== "object" || Array.isArray(e))) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a list of objects`);
            return [];
        }
        if (!this.withinCount(this.key(name), v.length, maxItems, "entries")) return [];
        return v.map((e, i) => new ConfigObject(`${this.key(name)}[${i}]`, e as Record<string, Json>, this.problems));
    }

    private withinLength(key: string, text: string): boolean {
        if (text.length <= CONFIG_LIMITS.maxStringLength) return true;
        this.problems.add(`${key}: a string of ${text.length} characters is longer than the ${CONFIG_LIMITS.maxStringLength} a config value may have`);
        return false;
    }

    private withinCount(key: string, count: number, max: number, what: string): boolean {
        if (count <= max) return true;
        this.problems.add(`${key}: ${count} ${what} are more than the ${max} allowed here`);
        return false;
    }

    /** Records every key that no getter asked for: a typo must not be silently ignored. */
    rejectUnknownKeys(): void {
        const unknown = Object.keys(this.value).filter((k) => !this.seen.has(k));
        // At the root, name allowed keys in full (`intergalactic:network`); below it, by field name.
        const shown = (k: string) => (this.path.endsWith(":") ? this.key(k) : k);
        for (const k of unknown) {
            this.problems.add(`${this.key(k)}: unknown key: allowed keys are ${[...new Set([...this.seen, ...this.asked])].sort().map(shown).join(", ")}`);
        }
    }
}
