/**
 * The zone-loss check as `npm run plan -- --stack <name> --zone-loss` runs it:
 * the report, and whether the run fails (a prod stack that does not survive
 * the loss of any one zone).
 */
import { Plan } from "../../engine/format";
import { analyzeZoneLoss, renderZoneLoss } from "./analysis";

export { analyzeZoneLoss, renderZoneLoss } from "./analysis";
export { withoutZones, planZones } from "./removal";

/** Only prod must survive a zone loss; dev stacks share a NAT gateway by design. */
export function zoneLossCheck(plan: Plan, environment: string): { text: string; ok: boolean } {
    const report = analyzeZoneLoss(plan);
    const required = environment === "prod";
    return { text: renderZoneLoss(report, required), ok: report.survives || !required };
}
