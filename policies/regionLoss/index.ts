/**
 * The region-loss check as `npm run plan -- --stack <name> --region-loss` runs it: the report, and
 * whether the run fails. A prod stack must survive the loss of any one region, which a stack of one
 * region cannot (nothing to fail over to); for dev, which runs in one region by design, the check
 * does not apply and never fails.
 */
import { Plan } from "../../engine/format";
import { RegionLossReport, analyzeRegionLoss } from "./analysis";

export { RegionLossReport, RegionLossScenario, RegionTierStatus, RegionTierVerdict, analyzeRegionLoss } from "./analysis";
export { RecoveryPoint, Failover } from "./recovery";
export * from "./readers";
export { planZones, regionalPlan } from "./fromPlan";

/** The report as text: per lost region each tier's status, who fails it over and why; then each store's recovery point. */
export function renderRegionLoss(report: RegionLossReport, required: boolean): string {
    const lines = [`Region-loss analysis of stack ${report.stack} (${report.cloud}): ${report.regions.length} region(s): ${report.regions.join(", ") || "none"}`];
    if (report.regions.length < 2) {
        lines.push(required
            ? `RESULT: ${report.stack} does not survive the loss of its only region: a one-region stack has nothing to fail over to (set intergalactic:regions)`
            : `RESULT: not applicable: ${report.stack} runs in one region, so there is nothing to fail over to (only prod must survive a region loss)`);
        return lines.join("\n");
    }
    for (const s of report.scenarios) {
        lines.push("", `Losing ${s.lostRegion}: ${!s.survives ? "DOES NOT keep serving" : s.needsPerson ? "keeps serving reads; writes wait for a person" : "keeps serving"}`);
        for (const t of s.tiers) lines.push(`  ${t.tier.padEnd(14)} ${t.status.padEnd(8)} ${t.failover.padEnd(9)} ${t.detail}`);
    }
    lines.push("", "With every region up, the user database's writes:", ...report.userDatabaseWrites.map((w) => `  ${w}`));
    lines.push("", "Recovery points (what a region's loss takes, who fails over, source):");
    for (const p of report.recovery) {
        lines.push(`  ${p.store} (${p.kind}): ${p.rpo}; failover ${p.failover}${p.action ? `: ${p.action}` : ""} [${p.source}]`);
    }
    const failing = report.scenarios.filter((s) => !s.survives).map((s) => `${s.lostRegion} (${s.tiers.filter((t) => t.status === "down").map((t) => t.tier).join(", ")})`);
    const manual = report.scenarios.filter((s) => s.needsPerson).map((s) => `${s.lostRegion} (${s.tiers.filter((t) => t.status === "manual").map((t) => t.tier).join(", ")})`);
    lines.push("", report.survives
        ? `RESULT: ${report.stack} survives the loss of any one region${manual.length > 0 ? `; a person must fail over after the loss of ${manual.join("; ")}` : ""}`
        : `RESULT: ${report.stack} does not survive the loss of ${failing.join("; ")}${required ? "" : " (allowed: only prod must survive a region loss)"}`);
    return lines.join("\n");
}

/** The check: the text and whether the run passes (prod must survive; dev never fails it). */
export function regionLossCheck(plan: Plan, environment: string): { text: string; ok: boolean; report: RegionLossReport } {
    const required = environment === "prod";
    const report = analyzeRegionLoss(plan);
    return { text: renderRegionLoss(report, required), ok: report.survives || !required, report };
}
