/**
 * The zone-loss check as `npm run plan -- --stack <name> --zone-loss` runs it:
 * the report, and whether the run fails (a prod stack that does not survive
 * the loss of any one zone).
 */
import { Plan } from "../../engine/format";
import { planRegions, stampPlan } from "../../engine/regions";
import { analyzeZoneLoss, renderZoneLoss } from "./analysis";

export { analyzeZoneLoss, renderZoneLoss } from "./analysis";
export { withoutZones, planZones } from "./removal";

/**
 * Only prod must survive a zone loss; dev stacks share a NAT gateway by design. A stack of several
 * regional stamps is judged stamp by stamp (a zone is lost in one region, and Azure numbers every
 * region's zones 1-3): each stamp must survive the loss of any one of its own zones.
 */
export function zoneLossCheck(plan: Plan, environment: string): { text: string; ok: boolean } {
    const required = environment === "prod";
    const regions = planRegions(plan);
    if (regions.length === 1) {
        const report = analyzeZoneLoss(plan);
        return { text: renderZoneLoss(report, required), ok: report.survives || !required };
    }
    const stamps = regions.map((region) => ({ region, report: analyzeZoneLoss(stampPlan(plan, region)) }));
    const text = stamps.map(({ region, report }) => `Stamp in ${region || "the stack's own region"}:\n${renderZoneLoss(report, required)}`).join("\n\n");
    return { text, ok: stamps.every((s) => s.report.survives) || !required };
}
