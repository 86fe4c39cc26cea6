/**
 * The stack's regional stamps for the region policies: every policy resource placed by the engine's
 * region reading (`shared/regions`, the one the offline plan, the zone-loss and region-loss analyses
 * use, so a policy and `--region-loss` place every resource alike), and each as the region-loss
 * readers' regional resource (`shared/regionReaders`). The stack's own region is its default
 * provider's, which the engine sends offline as ""; its resources' locations, ARNs and zones name it,
 * as the region-loss analysis names it in a plan.
 */
import type { PolicyResource } from "@pulumi/policy";
import { known } from "./common";
import { RegionalResource, regionNamedBy } from "./shared/regionReaders";
import { PlacedResource, resourceRegions } from "./shared/regions";

export interface RegionalView {
    /** Every stamp's region, the stack's own first ("" only when nothing names it). */
    readonly regions: readonly string[];
    /** Every resource but the stack, in its stamp's region. */
    readonly resources: readonly RegionalResource[];
    /** Each stamp's policy resources, by region (the stack resource in none). */
    readonly stamps: ReadonlyMap<string, readonly PolicyResource[]>;
}

const CLOUD_TYPE = /^(aws|azure-native):/;

/** A plain copy of a value in which every unknown part (a preview's output not yet computed) reads as undefined. */
function plainKnown(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => known(() => plainKnown(v), undefined));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).map((k) => [k, known(() => plainKnown((value as Record<string, unknown>)[k]), undefined)]));
    }
    return value;
}

/**
 * A resource's properties as `plainKnown` copies them, each top-level property copied when first read: a
 * stack policy reads a few properties of a few resources, and copying every property of every resource
 * through the SDK's unknown-checking proxy, once per policy, cost more than the policies themselves.
 */
function props(r: PolicyResource): Record<string, unknown> {
    const source = known(() => r.props as Record<string, unknown>, {});
    const copy: Record<string, unknown> = {};
    for (const key of known(() => Object.keys(source), [] as string[])) {
        let read = false;
        let value: unknown;
        Object.defineProperty(copy, key, {
            enumerable: true,
            get: () => {
                if (!read) [value, read] = [known(() => plainKnown(source[key]), undefined), true];
                return value;
            },
        });
    }
    return copy;
}

/**
 * The top-level properties a preview does not know yet (each reads as undefined in `props`): the SDK's proxy throws
 * on reading one, and not on reading one that only holds an unknown deeper down.
 */
function unknownKeys(r: PolicyResource): string[] {
    const source = known(() => r.props as Record<string, unknown>, {});
    return known(() => Object.keys(source), [] as string[]).filter((key) => known(() => (source[key], false), true));
}

/** A policy resource as the engine's region reading sees a planned one. */
function placed(r: PolicyResource, inputs: Record<string, unknown>): PlacedResource {
    return {
        urn: r.urn, type: r.type, parent: r.parent?.urn ?? "", inputs, dependencies: r.dependencies.map((d) => d.urn),
        custom: CLOUD_TYPE.test(r.type) || r.type.startsWith("pulumi:providers:"),
        options: { provider: r.provider ? `${r.provider.urn}::id` : "" },
    };
}

/** The stamps of the stack's resources, in the order their regions first appear (the stack's own first). */
export function regionalView(resources: readonly PolicyResource[]): RegionalView {
    const inputs = new Map(resources.map((r) => [r.urn, props(r)]));
    // A provider the engine sends only as a resource's provider (not in the list) still names its region.
    const providers = new Map(resources.flatMap((r) => (r.provider ? [[r.provider.urn, r.provider] as const] : [])));
    for (const r of resources) providers.delete(r.urn);
    const views = [
        ...resources.map((r) => placed(r, inputs.get(r.urn) ?? {})),
        ...[...providers.values()].map((p) => ({ urn: p.urn, type: p.type, parent: "", inputs: { ...p.props }, dependencies: [], custom: true, options: { provider: "" } })),
    ];
    const regions = resourceRegions(views);
    const own = regionNamedBy(resources.filter((r) => CLOUD_TYPE.test(r.type) && regions.get(r.urn) === "").map((r) => inputs.get(r.urn) ?? {}));
    const name = (region: string) => (region === "" ? own : region);
    const stamps = new Map<string, PolicyResource[]>(resources.some((r) => CLOUD_TYPE.test(r.type) && regions.get(r.urn) === "") ? [[own, []]] : []);
    const regional: RegionalResource[] = [];
    for (const r of resources) {
        if (r.type === "pulumi:pulumi:Stack") continue;
        const region = name(regions.get(r.urn) ?? "");
        if (CLOUD_TYPE.test(r.type) && !stamps.has(region)) stamps.set(region, []);
        let unknown: string[] | undefined;
        regional.push({
            urn: r.urn, type: r.type, name: r.name, region, inputs: inputs.get(r.urn) ?? {}, dependencies: r.dependencies.map((d) => d.urn),
            // Read when a reader asks, as the properties are.
            get unknown() { return (unknown ??= unknownKeys(r)); },
        });
    }
    // Only a region holding cloud resources is a stamp; what sits elsewhere (a stray Kubernetes object) joins no stamp.
    for (const r of resources) stamps.get(name(regions.get(r.urn) ?? ""))?.push(r);
    return { regions: [...stamps.keys()], resources: regional, stamps };
}
