/**
 * Entry health: the global entry sends clients only to stamps its health checks find serving, and
 * reaches every stamp. AWS: each Route 53 latency or failover record evaluates its alias target's
 * health or carries a Route 53 health check; Azure: the Front Door origin group probes its origins
 * and each stamp's Ingress is an origin. The routes are the region-loss analysis' reading
 * (`shared/regionReaders`).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "../common";
import { regionalView } from "../regions";
import { EntryRoute, EntryService, entryRoutes, servicesByRegion } from "../shared/regionReaders";

/** What a route lacking a health check needs, and what the entry calls a route, per entry service. */
const ROUTE: Readonly<Record<EntryService, { fix: string; noun: string }>> = {
    [EntryService.Route53]: { fix: "set evaluateTargetHealth on its alias or a healthCheckId", noun: "latency or failover record" },
    [EntryService.FrontDoor]: { fix: "give its origin group health probe settings (a probe path)", noun: "origin" },
};

const entrySchema: PolicyConfigSchema = {
    properties: {
        drainedRegions: {
            type: "array", items: { type: "string" }, default: [],
            description: "Stamp regions the entry may leave without a route while they are built or taken out (e.g. `us-east-1`); every route it has is still health-checked.",
        },
    },
};

export const entryHealth: StackValidationPolicy = {
    name: "entry-health",
    description: "The global entry health-checks every route (Route 53: evaluate target health or a health check; Front Door: the origin group's probe) and has one to every stamp that runs services, but for `drainedRegions`.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["redundancy", "regions"],
    configSchema: entrySchema,
    validateStack: (args, report) => {
        const { drainedRegions } = configOf<{ drainedRegions: string[] }>(args, entrySchema);
        const view = regionalView(args.resources);
        if (view.regions.length < 2) args.notApplicable(`the stack has one region (${view.regions[0] || "its own"}): no global entry chooses between stamps`);
        const serving = [...servicesByRegion(view.resources).keys()];
        if (serving.length === 0) args.notApplicable("the stack runs no services");
        const routes = entryRoutes(view.resources);
        const urnOf = (r: EntryRoute) => view.resources.find((x) => x.name === r.resource)?.urn;
        if (routes.length === 0) {
            report(`the stamps in ${serving.join(", ")} have no global entry (Route 53 records with a routing policy, or Front Door origins): nothing sends a lost region's clients to another`);
            return;
        }
        for (const route of routes.filter((r) => r.enabled && r.healthCheck === undefined)) {
            report(`${route.service} ${ROUTE[route.service].noun} "${route.resource}" to ${route.region} has nothing checking the region's health: ${ROUTE[route.service].fix}, or clients keep being sent to a lost region`, urnOf(route));
        }
        const routed = new Set(routes.filter((r) => r.enabled).map((r) => r.region));
        for (const region of serving.filter((r) => !routed.has(r) && !drainedRegions.includes(r))) {
            report(`the stamp in ${region} runs services but the global entry has no enabled route to it (a ${routes[0].service} ${ROUTE[routes[0].service].noun}): its clients cannot reach it, nor fail over to it (or list it in drainedRegions)`);
        }
    },
};
