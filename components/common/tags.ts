/**
 * One tag merge order for every resource: the resource's `Name`, then the
 * user's tags, then the component's own tags (which must not be overridden,
 * because policies and the zone-loss analysis read them).
 */
export type Tags = Record<string, string>;

/**
 * The tag keys this project sets on every resource, read by policies and reports. Components import
 * nothing outside their folder, so this is a copy of `engine/tags.ts` (what the engine and the policy
 * pack read); `tags.test.ts` fails when the two differ.
 */
export const TagKeys = {
    Component: "intergalactic:component",
    Tier: "intergalactic:tier",
    Zone: "intergalactic:zone",
} as const;

/** `{ Name, ...userTags, ...componentTags }`; `Name` is omitted when undefined. */
export function mergeTags(name: string | undefined, userTags: Tags | undefined, componentTags: Tags = {}): Tags {
    return { ...(name === undefined ? {} : { Name: name }), ...(userTags ?? {}), ...componentTags };
}
