/**
 * The hibernated plan: what the stack program builds when the scheduler hibernates a stack whose
 * schedule asks for it (`intergalactic:schedule.teardown: hibernate`, `mode: hibernated`). It gives up
 * some availability on purpose (nodes at zero, one DocumentDB instance, the Ingress protected while no
 * node runs the load balancer controller). A policy that takes `acceptHibernated` (per stack, in
 * `policies/config/<stack>.json`) judges such a plan by what hibernation keeps instead; the running plan,
 * and a hibernated plan of a stack whose config does not opt in, keep every check.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { at } from "./common";

/** The stack output the program publishes with a mode other than running: `{ mode, teardown }` (stacks/program.ts). */
export const SCHEDULE_OUTPUT = "schedule";

/** The config property of each policy that may accept the hibernated plan. */
export const acceptHibernatedSchema: PolicyConfigJSONSchema = {
    type: "boolean", default: false,
    description: "Judge the hibernated plan (the stack's outputs say schedule.mode hibernated and schedule.teardown hibernate) by what hibernation keeps; the running plan keeps every check.",
};

/**
 * Whether the plan is the hibernated one of a stack whose schedule asks for hibernation, as its outputs say.
 * The program writes them from `intergalactic:schedule`, whose `mode` it accepts only on a schedulable stack;
 * a plan without them (every running plan, every prod plan) is not.
 */
export function isHibernatedPlan(resources: readonly PolicyResource[]): boolean {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const schedule = at(stack?.props, SCHEDULE_OUTPUT);
    return at(schedule, "mode") === "hibernated" && at(schedule, "teardown") === "hibernate";
}

/** Whether a policy configured with `acceptHibernated` judges these resources as the hibernated plan. */
export function judgedAsHibernated(config: { acceptHibernated?: boolean }, resources: readonly PolicyResource[]): boolean {
    return config.acceptHibernated === true && isHibernatedPlan(resources);
}
