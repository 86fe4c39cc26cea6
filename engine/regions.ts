/**
 * The one answer to "which region is this resource in" over a recorded plan: a stack of regional
 * stamps creates each stamp's cloud resources through an explicit provider of its region, and its
 * first region's through the stack's default provider (the plan records no default provider, so that
 * region is ""). Everything else follows what it belongs to:
 *
 * 1. A cloud provider (`pulumi:providers:aws`, `pulumi:providers:azure-native`) is in the region it
 *    was given; a resource created through it is in that region; a cloud resource on the default
 *    provider is in the stack's own region (""). An Azure resource names its location itself: one
 *    whose `location` is another stamp's region is in that region whatever its provider (the user
 *    database's private endpoint in another stamp's network), and one on the default provider that
 *    depends on another stamp's resources is in that stamp (its private DNS zone, global by name,
 *    lives in that stamp's resource group and serves that stamp's network).
 * 2. A component is in the region of its cloud resources (a stamp's components never span two).
 * 3. Anything else (passwords, Kubernetes providers and objects) is in the region of its parent,
 *    else of its provider, else of what it depends on, else (a component of Kubernetes objects only)
 *    of its children; with none of these, the stack's own region.
 *
 * Pure: it imports nothing (a plan's resources are read by the shape below, which the policy pack
 * also builds from its policy resources), so the pack compiles it in as `shared/regions`.
 */

/** What the reading needs of a resource: a plan's `PlannedResource` has it. */
export interface PlacedResource {
    readonly urn: string;
    readonly type: string;
    /** The parent's URN ("" for the stack). */
    readonly parent: string;
    /** A cloud (or provider) resource rather than a component. */
    readonly custom: boolean;
    readonly inputs: Readonly<Record<string, unknown>>;
    /** URNs of what it depends on. */
    readonly dependencies: readonly string[];
    /** Its explicit provider's reference (`<urn>::<id>`), "" for the default provider. */
    readonly options: { readonly provider: string };
}

/** The input holding a cloud provider's region, per provider type. */
export const CLOUD_PROVIDER_REGION: Readonly<Record<string, string>> = {
    "pulumi:providers:aws": "region",
    "pulumi:providers:azure-native": "location",
};

const CLOUD_TYPE = /^(aws|azure-native):/;

/** The URN part of a provider reference (`<urn>::<id>`). */
export function providerUrn(reference: string): string {
    const at = reference.lastIndexOf("::");
    return at < 0 ? reference : reference.slice(0, at);
}

/** Every resource's region by URN ("" for the stack's own region, the default provider's). */
export function resourceRegions(resources: readonly PlacedResource[]): Map<string, string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlacedResource[]>();
    for (const r of resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const regions = new Map<string, string>();
    for (const r of resources) {
        const input = CLOUD_PROVIDER_REGION[r.type];
        if (input !== undefined) regions.set(r.urn, typeof r.inputs[input] === "string" ? (r.inputs[input] as string) : "");
    }
    // The regions of the explicit providers: the other stamps' (the first's has no name in the plan).
    const stampRegions = new Set([...regions.values()].filter((region) => region !== ""));
    for (const r of resources) {
        if (!r.custom || !CLOUD_TYPE.test(r.type)) continue;
        const provider = r.options.provider === "" ? undefined : regions.get(providerUrn(r.options.provider));
        const location = r.type.startsWith("azure-native:") && typeof r.inputs.location === "string" ? r.inputs.location : undefined;
        regions.set(r.urn, location !== undefined && stampRegions.has(location) ? location : provider ?? azureDependencyRegion(r, regions, stampRegions));
        // A component takes its cloud resources' region, up the parent chain.
        for (let parent = byUrn.get(r.parent); parent && !parent.custom && parent.type !== "pulumi:pulumi:Stack"; parent = byUrn.get(parent.parent)) {
            if (!regions.has(parent.urn)) regions.set(parent.urn, provider ?? "");
        }
    }
    const resolve = (r: PlacedResource, seen: Set<string>): string => {
        const known = regions.get(r.urn);
        if (known !== undefined) return known;
        if (seen.has(r.urn)) return "";
        seen.add(r.urn);
        const parent = byUrn.get(r.parent);
        const via = [
            parent && parent.type !== "pulumi:pulumi:Stack" ? parent : undefined,
            r.options.provider !== "" ? byUrn.get(providerUrn(r.options.provider)) : undefined,
            ...r.dependencies.map((d) => byUrn.get(d)),
            ...(r.custom ? [] : children.get(r.urn) ?? []),
        ].filter((x): x is PlacedResource => x !== undefined);
        for (const next of via) {
            const region = resolve(next, seen);
            if (region !== "" || regions.has(next.urn)) return region;
        }
        return "";
    };
    for (const r of resources) if (!regions.has(r.urn)) regions.set(r.urn, resolve(r, new Set()));
    return regions;
}

/** An Azure resource on the default provider: the other stamp's region that everything it depends on is in (placed in registration order), else "". */
function azureDependencyRegion(r: PlacedResource, regions: ReadonlyMap<string, string>, stampRegions: ReadonlySet<string>): string {
    if (!r.type.startsWith("azure-native:")) return "";
    // Only when all it depends on is there: the first stamp's lock waits for every stamp's endpoint and stays in the first.
    const placed = new Set(r.dependencies.map((d) => regions.get(d)).filter((region): region is string => region !== undefined));
    const [only] = [...placed];
    return placed.size === 1 && stampRegions.has(only) ? only : "";
}

/** The regions a plan's stamps are in: "" (the stack's own) first, then the others in plan order. */
export function planRegions(plan: { readonly resources: readonly PlacedResource[] }): string[] {
    return ["", ...new Set([...resourceRegions(plan.resources).values()].filter((r) => r !== ""))];
}

/**
 * One stamp of a plan: the stack resource and every resource in `region` ("" for the stack's own).
 * A plan of a single-region stack is its own primary stamp.
 */
export function stampPlan<P extends { readonly resources: readonly PlacedResource[] }>(plan: P, region = ""): P {
    const regions = resourceRegions(plan.resources);
    // The filter keeps the plan's own resource type: only the element type is read here.
    const resources = plan.resources.filter((r) => r.type === "pulumi:pulumi:Stack" || regions.get(r.urn) === region) as P["resources"];
    return { ...plan, resources };
}
