/**
 * Runs a Pulumi program in-process under the plan mocks and returns every
 * resource it registered. No CLI, no provider plugins, no cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { Plan, PlannedResource } from "./format";
import { PlanMocks } from "./mocks";
import { recordRegistrations } from "./recorder";
import { toPlain } from "./serialize";

/** A Pulumi program: what `Pulumi.yaml`'s entry point exports. */
export type PulumiProgram = () => Promise<Record<string, unknown> | void>;

export interface PlanRequest {
    readonly project: string;
    readonly stack: string;
    /** Flattened config, `namespace:key -> string`. */
    readonly config: Record<string, string>;
    readonly program: PulumiProgram;
}

// Not in the SDK's .d.ts, but the documented way for hosts to drain outstanding registrations.
const waitForRPCs: () => Promise<void> = require("@pulumi/pulumi/runtime/settings").waitForRPCs;

/** The outcome of a program run: what it registered, and its outputs or its error. */
export interface PlanAttempt {
    readonly resources: PlannedResource[];
    readonly outputs?: Record<string, unknown>;
    readonly error?: unknown;
}

/** Runs `program` under mocks and records what it registers, whether or not it fails. */
export async function attemptPlan(request: PlanRequest): Promise<PlanAttempt> {
    pulumi.runtime.setAllConfig(request.config);
    await pulumi.runtime.setMocks(new PlanMocks({
        awsRegion: request.config["aws:region"],
        azureLocation: request.config["azure-native:location"],
    }), request.project, request.stack, false);
    const resources = recordRegistrations();
    try {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => (await request.program()) ?? {});
        await waitForRPCs();
        return { resources, outputs: outputs ?? {} };
    } catch (error) {
        await waitForRPCs().catch(() => undefined);
        return { resources, error };
    }
}

/** Runs `program` under mocks with `config` and returns the recorded plan; rejects with the program's error. */
export async function runPlan(request: PlanRequest): Promise<Plan> {
    const { resources, outputs, error } = await attemptPlan(request);
    if (error !== undefined) throw error;
    return {
        stack: request.stack,
        cloud: request.config["intergalactic:cloud"] ?? "",
        formatVersion: 1,
        resources,
        stackOutputs: toPlain(await resolveOutputs(outputs ?? {})) as Record<string, unknown>,
    };
}

/** Resolves a stack's outputs to plain values, secrets as wire secrets so they are redacted. */
async function resolveOutputs(outputs: Record<string, unknown>): Promise<unknown> {
    const { serializeProperties } = require("@pulumi/pulumi/runtime/rpc");
    return serializeProperties("stack outputs", outputs, { keepOutputValues: false });
}
