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
}

function own(obj: unknown, key: string): unknown {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * Resolves `args.aws` / `args.azure` (and the top-level aliases of their keys) for a component built on
 * `cloud`. Pure: the component's planner reports the problems with its own, before anything is registered.
 * An unknown cloud resolves nothing (the cloud check reports it).
 */
export function resolveCloudArgs(cloud: unknown, args: object, rules: CloudArgRules): ResolvedCloudArgs {
    const problems: string[] = [];
    const groups = Object.fromEntries(CLOUDS.map((c) => [c, {}])) as Record<Cloud, Record<string, unknown>>;
    if (!CLOUDS.includes(cloud as Cloud)) return { groups, problems };
    const built = cloud as Cloud;
    for (const group of CLOUDS) {
        const given = own(args, group);
        if (given !== undefined && (given === null || typeof given !== "object" || Array.isArray(given))) {
            problems.push(`${group}: ${show(given)} must be an object of the ${group}-only args`);
            continue;
        }
        const values: Record<string, unknown> = {};
        const shownAs: Record<string, string> = {};
        for (const [key, value] of Object.entries((given ?? {}) as Record<string, unknown>)) {
            if (value === undefined) continue;
            values[key] = value;
            shownAs[key] = `${group}.${key}`;
        }
        for (const key of rules.aliases[group]) {
            const flat = own(args, key);
            if (flat === undefined) continue;
            if (values[key] !== undefined) {
                problems.push(`${key}: ${show(flat)} is also given as ${group}.${key}: give it only as ${group}.${key} (the top-level ${key} is deprecated)`);
                continue;
            }
            values[key] = flat;
            shownAs[key] = key;
        }
        if (group === built) {
            groups[group] = values;
            continue;
        }
        for (const key of Object.keys(values)) {
            const why = rules.elsewhere[group][key] ?? rules.elsewhere[group]["*"] ?? "";
            problems.push(`${shownAs[key]}: ${show(values[key])} does nothing on ${built} (only ${group} uses it)${why ? `: ${why}` : ""}`);
        }
    }
    return { groups, problems };
}
