/**
 * Runs a Pulumi program in-process under the plan mocks and returns every
 * resource it registered. No CLI, no provider plugins, no cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { withoutAliasUrns } from "./aliasUrns";
import { Plan, PlannedResource, REDACTED } from "./format";
import { PlanMocks } from "./mocks";
import { withLazyStructs } from "./monitor";
import { withLeanPromiseTracking } from "./promiseTracking";
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
    const restoreAliasUrns = withoutAliasUrns();
    const restoreStructs = withLazyStructs();
    const restorePromiseTracking = withLeanPromiseTracking();
    const rejected = firstUnhandledRejection();
    try {
        // Keep the program's own return value: the stack's resolved outputs have lost which values were secret.
        let outputs: Record<string, unknown> = {};
        await Promise.race([
            pulumi.runtime.runInPulumiStack(async () => (outputs = (await request.program()) ?? {})).then(() => waitForRPCs()),
            rejected.promise,
        ]);
        // A resource nothing waits for can fail after the program has settled: its rejection is reported a turn later.
        await rejected.settled();
        if (refused !== undefined) return { resources, error: refused };
        return { resources, outputs };
    } catch (error) {
        if (!rejected.happened()) await waitForRPCs().catch(() => undefined);
        return { resources, error: ended(refused ?? error) };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        restoreAliasUrns();
        restoreStackTraces();
        restoreStructs();
        restorePromiseTracking();
        await rejected.stop();
    }
}

/**
 * The errors earlier plans ended with. The SDK rejects more than one promise with a program's error,
 * and one it leaves unhandled can be reported while the next plan runs (a test process plans many
 * times): it belongs to the plan that already failed with it, not to the next one.
 */
const endedErrors = new WeakSet<object>();
function ended(error: unknown): unknown {
    if (typeof error === "object" && error !== null) endedErrors.add(error);
    return error;
}
const isEnded = (error: unknown) => typeof error === "object" && error !== null && endedErrors.has(error);

// Not in the SDK's .d.ts: empties the list of promises the SDK reports as leaked when the process exits.
const forgetLeakedPromises: () => unknown = require("@pulumi/pulumi/runtime/debuggable").leakedPromises;

/**
 * The first promise the program leaves rejected and unhandled while it runs, as a rejection of
 * `promise`. Why: an error thrown inside an Output's `apply` (a check a component can make only once
 * a value is known) surfaces when the SDK serializes a resource's inputs, in a promise nothing
 * awaits; the SDK then never resolves that resource's outputs, so whatever waits for them (the
 * stack's outputs, the program) never settles, and a program that waits for nothing of it would
 * seem to succeed. Under the Pulumi engine, the SDK's program runner fails the program with every
 * unhandled rejection, each error once (`uncaughtHandler` in `@pulumi/pulumi/cmd/run/run.js`); this
 * ends the plan with the first, as the SDK made it (the apply's message, prefixed with the property).
 */
function firstUnhandledRejection(): { promise: Promise<never>; happened(): boolean; settled(): Promise<void>; stop(): Promise<void> } {
    let reject: (error: unknown) => void = () => undefined;
    let first: { error: unknown } | undefined;
    const promise = new Promise<never>((_, r) => (reject = r));
    const listener = (error: unknown) => {
        if (first !== undefined || isEnded(error)) return;
        first = { error };
        reject(error);
    };
    process.on("unhandledRejection", listener);
    return {
        promise,
        happened: () => first !== undefined,
        settled: async () => {
            await new Promise((resolve) => setImmediate(resolve));
            if (first !== undefined) throw first.error;
        },
        stop: async () => {
            if (first !== undefined) {
                // The same error surfaces from each of the failed resource's awaiters, a turn of the event loop later:
                // they belong to this plan's failure, not to whatever runs next.
                await new Promise((resolve) => setTimeout(resolve, 10));
                // The failed resources' promises never settle; the SDK would report them as leaked when the process exits.
                forgetLeakedPromises();
            }
            process.removeListener("unhandledRejection", listener);
        },
    };
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
