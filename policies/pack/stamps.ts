/**
 * Regional stamps in the policy pack. A stack of several regions holds one network, cluster and
 * set of stores per region; a zone rule judged over the whole stack would mix them (Azure numbers
 * every region's zones 1-3, an app subnet of one region is no client of another region's store).
 * So the zone and network policies run once per stamp, each seeing one region's resources.
 *
 * A resource's region is the engine's reading (`engine/regions.ts`, compiled in as `shared/regions`,
 * through `regions.ts`), the one the offline plan and the zone-loss and region-loss analyses use: a
 * cloud resource's provider's region (an Azure resource's own `location` when it names another
 * stamp's), a component's its cloud resources', anything else its parent's, provider's or
 * dependencies'. What has none (the stack itself) is seen by every stamp.
 */
import type { StackValidationArgs, StackValidationPolicy, PolicyResource } from "@pulumi/policy";
import { regionalView } from "./regions";

/** The stack's resources per region, the stack's own first; one group when the stack is in one region. */
export function stampsOf(resources: readonly PolicyResource[]): { region: string; resources: PolicyResource[] }[] {
    const view = regionalView(resources);
    if (view.stamps.size <= 1) return [{ region: view.regions[0] ?? "", resources: [...resources] }];
    // The stack resource (its outputs, its config) is seen by every stamp.
    const stack = resources.filter((r) => r.type === "pulumi:pulumi:Stack");
    return [...view.stamps].map(([region, own]) => ({ region, resources: [...stack, ...own.filter((r) => r.type !== "pulumi:pulumi:Stack")] }));
}

/** The whole stack's resources behind a stamp's view (`perStamp`), for a policy that must see past its stamp. */
const STACK_RESOURCES = new WeakMap<StackValidationArgs, readonly PolicyResource[]>();

/**
 * Every resource of the stack, also inside a stamp's view: a stamp's policy that admits what another stamp holds (a data
 * store's clients across a peering) looks it up here. Outside `perStamp` it is the args' own resources.
 */
export function stackResources(args: StackValidationArgs): readonly PolicyResource[] {
    return STACK_RESOURCES.get(args) ?? args.resources;
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
                STACK_RESOURCES.set(local, args.resources);
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
