/**
 * The parts of the offline engine the shipped command uses, in one place: the command
 * depends on these names only, not on where the engine keeps them.
 */
export { StackFileError, StackFiles, knownStacks, loadStackFiles } from "../engine/stackFiles";
export { PulumiProgram, runPlan } from "../engine/runPlan";
export { Plan } from "../engine/format";
export { writePlanFile } from "../engine/planFile";
export { summarize } from "../engine/summary";
export { analyzeDeployability, formatDeployability } from "../engine/deployability/analyze";
export { loadCreationTimes } from "../tools/estimate/creationTimes";
export { estimateSpinUp, formatEstimate } from "../tools/estimate/estimate";
/** The region-loss analysis reads the plan alone (no policy SDK), so it loads with the command. */
export { regionLossCheck } from "../policies/regionLoss";

/** The zone-loss analysis; loaded only when asked for, since it needs `@pulumi/policy` (an optional peer). */
export function loadZoneLoss(): typeof import("../policies/zoneLoss") {
    return require("../policies/zoneLoss");
}
