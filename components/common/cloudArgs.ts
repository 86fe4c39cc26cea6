/**
 * Cloud-specific args. What applies to one cloud only sits in that cloud's group of a component's args
 * (`aws?: {...}`, `azure?: {...}`), so the type shows where a key has an effect; a key given for
 * another cloud than the one being built is an error, because it would do nothing there.
 *
 * Keys that were top-level args before they got a group stay accepted at the top level for one release
 * (deprecated aliases): on their cloud they mean the same as the grouped key, on the other cloud they
 * are the same error, and given both ways they are an error naming the one place to keep.
 */
import { CLOUDS, Cloud, PerCloud } from "./cloud";
import { show } from "./validation";

/** What a component says about its cloud groups: the planner's table, one entry per cloud. */
export interface CloudArgRules {
    /**
     * Per cloud, every key its group knows (from `argKeys`, which TypeScript checks against the group's
     * interface): any other key in the group is an error, wherever the component is built, because a
     * misspelt key would otherwise do nothing and leave its default in place without a word.
     */
    readonly keys: PerCloud<readonly string[]>;
    /**
     * Every top-level key of the component's args (from `argKeys` over its args interface): any other is an
     * error, for the callers TypeScript does not check (JavaScript, config-built objects, other languages).
     */
    readonly topLevel: readonly string[];
    /** Per cloud, the keys of its group that are also accepted at the top level, deprecated. */
    readonly aliases: PerCloud<readonly string[]>;
    /**
     * Per cloud and key, why the key does nothing on the other clouds (and what to use there instead);
     * `"*"` is the reason for the keys without their own.
     */
    readonly elsewhere: PerCloud<Readonly<Record<string, string>>>;
}

/** The cloud groups of a component, resolved: the built cloud's group with the aliases folded in, every problem as `<arg>: <value> <rule>`. */
export interface ResolvedCloudArgs {
    /** Per cloud, the group's keys with their values; only the built cloud's group is filled. */
    readonly groups: PerCloud<Readonly<Record<string, unknown>>>;
    readonly problems: readonly string[];
    /** Per key of the built cloud's group, the arg as the user wrote it (`aws.allowedClientCidrs`, or the deprecated top-level key). */
    readonly shownAs: Readonly<Record<string, string>>;
    /**
     * Per key of the built cloud's group (prefixed by `at`), the path a problem with it names: as written when given
     * (`shownAs`), else the group's (`azure.zones`), since a default's problem is fixed in the group.
     * The planner's `Problems` takes it, so its checks of `zones` name `azure.zones`.
     */
    readonly paths: Readonly<Record<string, string>>;
}

/**
 * The keys of an args interface, from a table with one `true` per key: TypeScript refuses the table when it
 * misses a key of `T` or names one `T` lacks, so a field added to the interface must be listed here too.
 */
export function argKeys<T>(table: { readonly [K in keyof T]-?: true }): readonly string[] {
    return Object.keys(table);
}

/** Whether `a` and `b` differ only in case or by one edit (a letter added, removed or changed, or two neighbours swapped). */
function near(a: string, b: string): boolean {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    if (x === y) return true;
    if (Math.abs(x.length - y.length) > 1) return false;
    let i = 0;
    while (i < x.length && i < y.length && x[i] === y[i]) i++;
    const tail = (m: number, n: number) => x.slice(i + m) === y.slice(i + n);
    return tail(1, 1) || tail(1, 0) || tail(0, 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && tail(2, 2));
}

/** The problem for a key its group does not know, suggesting the known key it is nearest to. */
export function unknownKey(path: string, value: unknown, known: readonly string[], prefix: string): string {
    const key = path.slice(prefix.length);
    const guess = known.find((k) => near(k, key));
    const rule = known.length === 0 ? `is not an arg: ${prefix ? `the ${prefix.slice(0, -1)} group has no args; remove it` : "remove it"}`
        : `is not an arg${prefix ? ` of ${prefix.slice(0, -1)}` : ""}: ${guess ? `did you mean ${prefix}${guess}? ` : ""}use one of ${known.map((k) => prefix + k).join(", ")}`;
    return `${path}: ${show(value)} ${rule}`;
}

function own(obj: unknown, key: string): unknown {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * Resolves `args.aws` / `args.azure` (and the top-level aliases of their keys) for a component built on
 * `cloud`. Pure: the component's planner reports the problems with its own, before anything is registered.
 * An unknown cloud resolves nothing (the cloud check reports it).
 *
 * `at` is where `args` sits in the component's args when the groups belong to a nested arg
 * (`"ingress."` for CookieServices' `ingress.aws`): every path in the problems, `shownAs` and `paths` starts with it.
 */
export function resolveCloudArgs(cloud: unknown, args: object, rules: CloudArgRules, at = ""): ResolvedCloudArgs {
    const problems: string[] = [];
    const groups = Object.fromEntries(CLOUDS.map((c) => [c, {}])) as Record<Cloud, Record<string, unknown>>;
    let builtShownAs: Record<string, string> = {};
    if (!CLOUDS.includes(cloud as Cloud)) return { groups, problems, shownAs: builtShownAs, paths: {} };
    const built = cloud as Cloud;
    for (const [key, value] of Object.entries(args)) {
        if (value !== undefined && !rules.topLevel.includes(key)) problems.push(unknownKey(`${at}${key}`, value, rules.topLevel, at));
    }
    for (const group of CLOUDS) {
        const given = own(args, group);
        if (given !== undefined && (given === null || typeof given !== "object" || Array.isArray(given))) {
            problems.push(`${at}${group}: ${show(given)} must be an object of the ${group}-only args`);
            continue;
        }
        const values: Record<string, unknown> = {};
        const shownAs: Record<string, string> = {};
        for (const [key, value] of Object.entries((given ?? {}) as Record<string, unknown>)) {
            if (value === undefined) continue;
            if (!rules.keys[group].includes(key)) {
                problems.push(unknownKey(`${at}${group}.${key}`, value, rules.keys[group], `${at}${group}.`));
                continue;
            }
            values[key] = value;
            shownAs[key] = `${at}${group}.${key}`;
        }
        for (const key of rules.aliases[group]) {
            const flat = own(args, key);
            if (flat === undefined) continue;
            const grouped = `${at}${group}.${key}`;
            if (values[key] !== undefined) {
                const deprecated = at ? `the ungrouped ${at}${key}` : `the top-level ${key}`;
                problems.push(`${at}${key}: ${show(flat)} is also given as ${grouped}: give it only as ${grouped} (${deprecated} is deprecated)`);
                continue;
            }
            values[key] = flat;
            shownAs[key] = `${at}${key}`;
        }
        if (group === built) {
            groups[group] = values;
            builtShownAs = shownAs;
            continue;
        }
        for (const key of Object.keys(values)) {
            const why = rules.elsewhere[group][key] ?? rules.elsewhere[group]["*"] ?? "";
            problems.push(`${shownAs[key]}: ${show(values[key])} does nothing on ${built} (only ${group} uses it)${why ? `: ${why}` : ""}`);
        }
    }
    const paths = Object.fromEntries(rules.keys[built].map((key) => [`${at}${key}`, builtShownAs[key] ?? `${at}${built}.${key}`]));
    return { groups, problems, shownAs: builtShownAs, paths };
}
