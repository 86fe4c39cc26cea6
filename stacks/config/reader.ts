/**
 * Typed, validating access to one structured stack-config value. Every getter
 * records a problem that names the full key, the value and what is allowed,
 * instead of throwing, so one run reports every mistake in a config file.
 */
import { Problems, show } from "../../components/common/validation";

type Json = unknown;

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
        return this.value[name];
    }

    /** True when the key is present. */
    has(name: string): boolean {
        return this.value[name] !== undefined;
    }

    string<T extends string = string>(name: string, fallback: T, allowed?: readonly T[]): T {
        const v = this.get(name);
        if (v === undefined) return fallback;
        if (typeof v !== "string") {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a string`);
            return fallback;
        }
        if (allowed && !this.problems.oneOf(this.key(name), v, allowed)) return fallback;
        return v as T;
    }

    integer(name: string, fallback: number, min: number, max?: number): number {
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

    stringList(name: string, fallback: readonly string[]): string[] {
        const v = this.get(name);
        if (v === undefined) return [...fallback];
        if (!Array.isArray(v) || v.some((e) => typeof e !== "string")) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a list of strings`);
            return [...fallback];
        }
        return v as string[];
    }

    stringMap(name: string): Record<string, string> {
        const v = this.get(name);
        if (v === undefined) return {};
        if (v === null || typeof v !== "object" || Array.isArray(v) || Object.values(v).some((e) => typeof e !== "string")) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a map of strings`);
            return {};
        }
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

    /** A list of objects. */
    objectList(name: string): ConfigObject[] {
        const v = this.get(name);
        if (v === undefined) return [];
        if (!Array.isArray(v) || v.some((e) => e === null || typeof e !== "object" || Array.isArray(e))) {
            this.problems.add(`${this.key(name)}: ${show(v)} must be a list of objects`);
            return [];
        }
        return v.map((e, i) => new ConfigObject(`${this.key(name)}[${i}]`, e as Record<string, Json>, this.problems));
    }

    /** Records every key that no getter asked for: a typo must not be silently ignored. */
    rejectUnknownKeys(): void {
        const unknown = Object.keys(this.value).filter((k) => !this.seen.has(k));
        // At the root, name allowed keys in full (`intergalactic:network`); below it, by field name.
        const shown = (k: string) => (this.path.endsWith(":") ? this.key(k) : k);
        for (const k of unknown) {
            this.problems.add(`${this.key(k)}: unknown key: allowed keys are ${[...this.seen].sort().map(shown).join(", ")}`);
        }
    }
}
