/** Helpers for tests that run this project's stack program with a changed config. */
import * as path from "path";
import { Plan } from "../engine/format";
import { planStack } from "../engine/planStack";
import { PlanAttempt, attemptPlan } from "../engine/runPlan";
import { loadStackFiles } from "../engine/stackFiles";
import { program } from "./program";

const ROOT = path.resolve(__dirname, "..");

/**
 * Runs a stack's program with some keys of its stack file replaced (undefined removes a key) and,
 * optionally, the outputs of its last deployment; returns the error's message, or "" when it plans.
 */
export async function planError(stack: string, overrides: Record<string, unknown>, previousOutputs?: Record<string, unknown>): Promise<string> {
    const attempt = await planAttemptWith(stack, overrides, previousOutputs);
    return attempt.error === undefined ? "" : (attempt.error as Error).message;
}

/** The stack's program run under mocks with `overrides` on its stack file's config (undefined deletes a key), failed or not. */
export async function planAttemptWith(stack: string, overrides: Record<string, unknown>, previousOutputs?: Record<string, unknown>): Promise<PlanAttempt> {
    const files = loadStackFiles(ROOT, stack);
    const config = { ...files.config };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete config[key];
        else config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return attemptPlan({ project: files.project, stack, config, program, previousOutputs });
}

/** A stack file's section as an object, to change one field of it. */
export function stackSection(stack: string, name: string): Record<string, unknown> {
    const value = loadStackFiles(ROOT, stack).config[`intergalactic:${name}`];
    return value === undefined ? {} : JSON.parse(value);
}

/** Plans a stack with `intergalactic:schedule.mode` set, as the scheduler's `up`s run it. */
export function planInMode(stack: string, mode: "running" | "hibernated" | "waking", snapshotSuffix?: string): Promise<Plan> {
    const suffix: Record<string, string> = snapshotSuffix === undefined ? {} : { "intergalactic:snapshots": JSON.stringify({ ...stackSection(stack, "snapshots"), finalSnapshotSuffix: snapshotSuffix }) };
    return planStack(stack, ROOT, undefined, { "intergalactic:schedule": JSON.stringify({ ...stackSection(stack, "schedule"), mode }), ...suffix });
}
