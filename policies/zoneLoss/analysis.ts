/**
 * Zone-loss analysis: for each zone of a stack, remove every resource that
 * lives only in it and judge, tier by tier, whether the environment keeps
 * serving. A prod stack must survive the loss of any one zone.
 */
import { Plan } from "../../engine/format";
import { PlanGraph } from "../../engine/graph";
import { planZones, withoutZones } from "./removal";
import { LossContext, TierVerdict, egressTier, kafkaTier, loadBalancerTier, mongoTier, redisTier, servicesTier } from "./tiers";

export interface ZoneLossScenario {
    readonly lostZone: string;
    readonly tiers: readonly TierVerdict[];
    /** No tier is down (absent tiers do not count). */
    readonly survives: boolean;
}

export interface ZoneLossReport {
    readonly stack: string;
    readonly cloud: string;
    readonly zones: readonly string[];
    readonly scenarios: readonly ZoneLossScenario[];
    /** The stack survives the loss of any one zone; false too when it has fewer than two zones. */
    readonly survives: boolean;
}

/** Analyses the loss of each zone of the plan in turn. */
export function analyzeZoneLoss(plan: Plan): ZoneLossReport {
    const zones = planZones(plan);
    const beforeGraph = new PlanGraph(plan);
    const scenarios = zones.map((lost) => {
        const survivors = withoutZones(plan, [lost]);
        const ctx: LossContext = { before: plan, beforeGraph, survivors, graph: new PlanGraph(survivors), lost, remaining: zones.filter((z) => z !== lost) };
        const tiers = [egressTier(ctx), loadBalancerTier(ctx), kafkaTier(ctx), redisTier(ctx), mongoTier(ctx), servicesTier(ctx)];
        return { lostZone: lost, tiers, survives: tiers.every((t) => t.status !== "down") };
    });
    return { stack: plan.stack, cloud: plan.cloud, zones, scenarios, survives: zones.length >= 2 && scenarios.every((s) => s.survives) };
}

/** The report as text: per lost zone, each tier's status and why. */
export function renderZoneLoss(report: ZoneLossReport, required: boolean): string {
    const lines = [`Zone-loss analysis of stack ${report.stack} (${report.cloud}): ${report.zones.length} zone(s): ${report.zones.join(", ") || "none"}`];
    if (report.zones.length < 2) lines.push("  a single-zone stack cannot survive the loss of its zone");
    for (const s of report.scenarios) {
        lines.push("", `Losing ${s.lostZone}: ${s.survives ? "keeps serving" : "DOES NOT keep serving"}`);
        for (const t of s.tiers) lines.push(`  ${t.tier.padEnd(16)} ${t.status.padEnd(8)} ${t.detail}`);
    }
    const failing = report.scenarios.filter((s) => !s.survives).map((s) => `${s.lostZone} (${s.tiers.filter((t) => t.status === "down").map((t) => t.tier).join(", ")})`);
    lines.push("", report.survives
        ? `RESULT: ${report.stack} survives the loss of any one zone`
        : `RESULT: ${report.stack} does not survive the loss of ${failing.join("; ") || "its only zone"}${required ? "" : " (allowed: only prod must survive a zone loss)"}`);
    return lines.join("\n");
}
