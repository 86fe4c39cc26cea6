/**
 * Runs a Pulumi program in-process under the plan mocks and returns every
 * resource it registered. No CLI, no provider plugins, no cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { Plan, PlannedResource, REDACTED } from "./format";
import { PlanMocks } from "./mocks";
import { withLazyStructs } from "./monitor";
import { recordRegistrations } from "./recorder";

/** A Pulumi program: what `Pulumi.yaml`'s entry point exports. */
export type PulumiProgram = () => Promise<Record<string, unknown> | void>;

export interface PlanRequest {
    readonly project: string;
    readonly stack: string;
    /** Flattened config, `namespace:key -> string`. */
    readonly config: Record<string, string>;
    readonly program: PulumiProgram;
    /** The stack's last deployed outputs, for programs that read them back (see PlanMocksOptions). */
    readonly previousOutputs?: Record<string, unknown>;
    /** What the cloud holds, for invokes that read live resources (see PlanMocksOptions). */
    readonly deployed?: readonly PlannedResource[];
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
        previousOutputs: request.previousOutputs,
        deployed: request.deployed,
    }), request.project, request.stack, false, "organization");
    let refused: Error | undefined;
    const resources = recordRegistrations((error) => (refused ??= error));
    // The SDK captures a stack trace for every internal promise and resource; under mocks nothing reads
    // them, and capturing them is most of a plan's time.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const restoreStackTraces = withoutSourcePositions();
    const restoreStructs = withLazyStructs();
    try {
        // Keep the program's own return value: the stack's resolved outputs have lost which values were secret.
        let outputs: Record<string, unknown> = {};
        await pulumi.runtime.runInPulumiStack(async () => (outputs = (await request.program()) ?? {}));
        await waitForRPCs();
        if (refused !== undefined) return { resources, error: refused };
        return { resources, outputs };
    } catch (error) {
        await waitForRPCs().catch(() => undefined);
        return { resources, error: refused ?? error };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        restoreStackTraces();
        restoreStructs();
    }
}

/**
 * Turns off, until the returned function is called, the SDK's capture of each resource's source
 * position: every resource's constructor takes a stack trace of unlimited depth (`new Error().stack`
 * with `Error.stackTraceLimit` raised) and parses it line by line (`Resource.stackTrace`, private in
 * the SDK's .d.ts), for the engine to show where a resource was declared. Under mocks nothing reads
 * it and the plan does not record it; it was about 3% of a plan's time (tools/bench/PROFILE.md).
 */
function withoutSourcePositions(): () => void {
    const resource = pulumi.Resource as unknown as { stackTrace?: (skip: number) => unknown[] };
    const original = resource.stackTrace;
    if (typeof original !== "function") return () => undefined;
    resource.stackTrace = () => [];
    return () => {
        resource.stackTrace = original;
    };
}

/** Runs `program` under mocks with `config` and returns the recorded plan; rejects with the program's error. */
export async function runPlan(request: PlanRequest): Promise<Plan> {
    const { resources, outputs, error } = await attemptPlan(request);
    if (error !== undefined) throw error;
    return {
        stack: request.stack,
        cloud: request.config["intergalactic:cloud"] ?? cloudOf(resources),
        formatVersion: 1,
        resources,
        stackOutputs: (await resolveOutputs(outputs ?? {})) as Record<string, unknown>,
    };
}

/**
 * The cloud of a program that does not say (a consumer project has no `intergalactic:cloud`): the
 * clouds its resources are on, `aws`, `azure` or `aws+azure`; `none` when it creates no cloud resource.
 */
export function cloudOf(resources: readonly PlannedResource[]): string {
    const clouds = [["aws", /^aws:/], ["azure", /^azure-native:/]] as const;
    const found = clouds.filter(([, pattern]) => resources.some((r) => pattern.test(r.type))).map(([name]) => name);
    return found.length > 0 ? found.join("+") : "none";
}

/** Resolves a stack's outputs to plain values; a secret Output anywhere becomes `[secret]`. */
async function resolveOutputs(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value)) return REDACTED;
        return resolveOutputs(await (value as unknown as { promise(): Promise<unknown> }).promise());
    }
    if (value instanceof Promise) return resolveOutputs(await value);
    if (pulumi.Resource.isInstance(value)) return (await (value.urn as unknown as { promise(): Promise<string> }).promise());
    if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
    if (value !== null && typeof value === "object") {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}
