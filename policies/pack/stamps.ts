/**
 * Regional stamps in the policy pack. A stack of several regions holds one network, cluster and
 * set of stores per region; a zone rule judged over the whole stack would mix them (Azure numbers
 * every region's zones 1-3, an app subnet of one region is no client of another region's store).
 * So the zone and network policies run once per stamp, each seeing one region's resources.
 *
 * A resource's region: a cloud resource's is its provider's `region` (AWS) or `location` (Azure),
 * as the engine sends it; a component's is its cloud resources'; anything else (passwords,
 * Kubernetes providers and objects) takes its parent's, else its provider resource's, else its
 * dependencies'. What has none (the stack itself) is seen by every stamp.
 */
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

const PROVIDER_REGION: Readonly<Record<string, string>> = { "pulumi:providers:aws": "region", "pulumi:providers:azure-native": "location" };
const CLOUD_TYPE = /^(aws|azure-native):/;

function providerRegion(type: string, props: Record<string, unknown> | undefined): string {
    const key = PROVIDER_REGION[type];
    const value = key === undefined ? undefined : props?.[key];
    return typeof value === "string" ? value : "";
}

/** Every resource's region by URN; "" when it has none (the stack, or a stack on one default provider offline). */
export function policyRegions(resources: readonly PolicyResource[]): Map<string, string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const regions = new Map<string, string>();
    for (const r of resources) if (PROVIDER_REGION[r.type] !== undefined) regions.set(r.urn, providerRegion(r.type, r.props));
    for (const r of resources) {
        if (!CLOUD_TYPE.test(r.type)) continue;
        const region = r.provider ? providerRegion(r.provider.type, r.provider.props) : "";
        regions.set(r.urn, region);
        for (let p = r.parent; p && !CLOUD_TYPE.test(p.type) && p.type !== "pulumi:pulumi:Stack"; p = p.parent) {
            if (!regions.has(p.urn)) regions.set(p.urn, region);
        }
    }
    const resolve = (r: PolicyResource, seen: Set<string>): string => {
        const known = regions.get(r.urn);
        if (known !== undefined) return known;
        if (seen.has(r.urn)) return "";
        seen.add(r.urn);
        const via = [r.parent?.type === "pulumi:pulumi:Stack" ? undefined : r.parent, r.provider ? byUrn.get(r.provider.urn) : undefined, ...r.dependencies]
            .filter((x): x is PolicyResource => x !== undefined);
        for (const next of via) {
            const region = resolve(byUrn.get(next.urn) ?? next, seen);
            if (region !== "") return region;
        }
        return "";
    };
    for (const r of resources) if (!regions.has(r.urn)) regions.set(r.urn, resolve(r, new Set()));
    return regions;
}

/** The stack's resources per region; one group when the stack is in one region. */
export function stampsOf(resources: readonly PolicyResource[]): { region: string; resources: PolicyResource[] }[] {
    const regions = policyRegions(resources);
    // A stack on its default provider offline has region "" for the first stamp; every region with cloud resources is a stamp.
    const stamps = [...new Set(resources.filter((r) => CLOUD_TYPE.test(r.type)).map((r) => regions.get(r.urn) ?? ""))];
    if (stamps.length <= 1) return [{ region: stamps[0] ?? "", resources: [...resources] }];
    // The stack resource (its outputs, its config) is seen by every stamp.
    const stack = resources.filter((r) => r.type === "pulumi:pulumi:Stack");
    return stamps.map((region) => {
        const own = resources.filter((r) => regions.get(r.urn) === region && r.type !== "pulumi:pulumi:Stack");
        return { region, resources: [...stack, ...own] };
    });
}

class NotApplicableHere extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}

/**
 * The policy judged once per stamp. A stamp where it does not apply (no store of its kind there)
 * is skipped; the policy is not applicable only when no stamp applies. Messages of a stamp other
 * than a single-region stack's name its region.
 */
export function perStamp(policy: StackValidationPolicy): StackValidationPolicy {
    const validate = policy.validateStack;
    return {
        ...policy,
        validateStack: async (args, report) => {
            const stamps = stampsOf(args.resources);
            if (stamps.length === 1) return validate(args, report);
            const reasons: string[] = [];
            for (const stamp of stamps) {
                const local: StackValidationArgs = {
                    ...args, resources: stamp.resources,
                    notApplicable: (reason?: string): never => { throw new NotApplicableHere(reason ?? ""); },
                };
                const prefix = stamp.region === "" ? "" : `[${stamp.region}] `;
                try {
                    await validate(local, (message, urn) => report(`${prefix}${message}`, urn));
                } catch (err) {
                    if (!(err instanceof NotApplicableHere)) throw err;
                    reasons.push(err.reason);
                }
            }
            if (reasons.length === stamps.length) args.notApplicable(reasons[0]);
        },
    };
}
