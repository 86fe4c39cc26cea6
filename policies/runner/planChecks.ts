/**
 * Checks the runner makes on the plan itself, for what the analyzer protocol
 * does not carry to a policy pack: `retainOnDelete` is not among the resource
 * options the engine sends, so a pack cannot see it.
 */
import { Plan } from "../../engine/format";
import type { Finding } from "./session";
import { ResolvedPolicyConfig } from "./config";

export const NO_RETAIN_ON_DELETE = "no-retain-on-delete";

/**
 * Resources that must outlive a teardown and cannot collide with the next spin-up. A KMS key has no
 * name of its own (KMS generates its id), and the data stores' snapshots are encrypted with it, so it is
 * retained and the next spin-up adopts it (HaMongo `encryptionKeyId`).
 */
const KEPT_ACROSS_TEARDOWNS: readonly string[] = ["aws:kms/key:Key"];

/**
 * In dev (per `deletion-protection`'s environment), nothing else may be retained on delete: it would outlive
 * the teardown and collide with the next spin-up.
 */
export function planChecks(plan: Plan, config: Map<string, ResolvedPolicyConfig>): Finding[] {
    const teardown = config.get("deletion-protection");
    if (!teardown || teardown.level === "disabled" || teardown.properties.environment !== "dev") return [];
    return plan.resources.filter((r) => r.options.retainOnDelete && !KEPT_ACROSS_TEARDOWNS.includes(r.type)).map((r) => ({
        policy: NO_RETAIN_ON_DELETE,
        level: teardown.level === "advisory" ? "advisory" : "mandatory",
        severity: "medium",
        description: "Dev stacks retain nothing on delete (checked by the runner: retainOnDelete is not sent to policy packs).",
        message: `${r.type} "${r.name}": retainOnDelete leaves the resource behind after the scheduler's teardown, and the next spin-up collides with it`,
        urn: r.urn, resourceType: r.type, resourceName: r.name, phase: "plan",
    }));
}
