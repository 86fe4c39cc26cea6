/**
 * The parts of the offline engine the shipped command uses, in one place: the command
 * depends on these names only, not on where the engine keeps them.
 */
export { StackFileError, StackFiles, knownStacks, loadStackFiles } from "../tools/plan/stackFiles";
export { PulumiProgram, runPlan } from "../tools/plan/runPlan";
export { Plan } from "../tools/plan/format";
export { summarize } from "../tools/plan/summary";
export { analyzeDeployability, formatDeployability } from "../tools/plan/deployability/analyze";
export { loadCreationTimes } from "../tools/estimate/creationTimes";
export { estimateSpinUp, formatEstimate } from "../tools/estimate/estimate";

/** The zone-loss analysis; loaded only when asked for, since it needs `@pulumi/policy` (an optional peer). */
export function loadZoneLoss(): typeof import("../policies/zoneLoss") {
    return require("../policies/zoneLoss");
}
