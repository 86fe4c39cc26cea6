/**
 * Helpers for tests: run a snippet of component code under the plan mocks and
 * query the recorded resources.
 */
import { stampPlan } from "../regions";
import { Plan, PlannedResource } from "../format";
import { ROOT, loadProgram } from "../planStack";
import { knownStacks, loadStackFiles } from "../stackFiles";
import { attemptPlan, runPlan } from "../runPlan";

export interface SnippetOptions {
    /** Extra config, e.g. `{ "aws:region": "eu-west-1" }`. */
    config?: Record<string, string>;
    stack?: string;
}

const snippetRequest = (body: () => unknown | Promise<unknown>, options: SnippetOptions) => ({
    project: "intergalactic",
    stack: options.stack ?? "test",
    config: { "aws:region": "us-east-1", "azure-native:location": "westeurope", ...options.config },
    program: async () => {
        await body();
    },
});

/** Runs `body` (which creates resources) under the plan mocks and returns the plan. */
export async function planSnippet(body: () => unknown | Promise<unknown>, options: SnippetOptions = {}): Promise<Plan> {
    return runPlan(snippetRequest(body, options));
}

/**
 * Runs `body`, which must fail, and returns its error and the type tokens it registered before
 * failing: for checking that bad input registers nothing but the stack.
 */
export async function planFailure(body: () => unknown | Promise<unknown>, options: SnippetOptions = {}): Promise<{ error: Error; registered: string[] }> {
    const attempt = await attemptPlan(snippetRequest(body, options));
    if (attempt.error === undefined) throw new Error("expected the program to fail, but it succeeded");
    return { error: attempt.error as Error, registered: attempt.resources.map((r) => r.type) };
}

/** Resources of one type token. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

/** The one resource of a type with a logical name; throws when missing, to make test failures clear. */
export function named(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have: ${ofType(plan, type).map((r) => r.name).join(", ") || "none"}`);
    return found;
}

/** The resource with a URN. */
export function byUrn(plan: Plan, urn: string): PlannedResource | undefined {
    return plan.resources.find((r) => r.urn === urn);
}

/** Expects `promise` to reject and returns the error, for asserting on messages. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected a rejection, but the promise resolved");
}

const stackPlans = new Map<string, Promise<Plan>>();
let lastPlan: Promise<unknown> = Promise.resolve();

/**
 * The plan of one of this project's stacks, with `overrides` (full config keys, e.g.
 * `intergalactic:network`) replacing its config values: planned once per test process and shared
 * by every test file that asks (plans are read-only to tests: see {@link copyOf}). Planning a stack
 * costs seconds; plans run one at a time because the mocks are process-wide.
 */
export function stackPlan(stack: string, overrides: Record<string, string> = {}): Promise<Plan> {
    const key = `${stack}:${JSON.stringify(overrides)}`;
    let plan = stackPlans.get(key);
    if (!plan) {
        plan = lastPlan.catch(() => undefined).then(() => {
            const files = loadStackFiles(ROOT, stack);
            return runPlan({ ...files, config: { ...files.config, ...overrides }, program: loadProgram(files.main) });
        });
        lastPlan = plan;
        stackPlans.set(key, plan);
    }
    return plan;
}

/** A copy of a plan, so a test can weaken it without touching the shared one. */
export function copyOf(plan: Plan): Plan {
    return JSON.parse(JSON.stringify(plan)) as Plan;
}

/** One of a project's stacks, with the cloud and environment its stack file declares. */
export interface ProjectStack {
    readonly stack: string;
    /** `intergalactic:cloud`: `aws` or `azure`. */
    readonly cloud: string;
    /** `intergalactic:environment`: `dev` or `prod`. */
    readonly environment: string;
    /** The stack's region: `aws:region` or `azure-native:location`. */
    readonly region: string;
}

/**
 * The project's stacks, one per `Pulumi.<stack>.yaml` at its root (this repository unless `root` is
 * given), so a test that loops over them covers a new stack without listing it. Throws when there is
 * none: a wrong root would otherwise make every such test pass by testing nothing.
 */
export function projectStacks(root = ROOT): ProjectStack[] {
    const stacks = knownStacks(root).map((stack) => {
        const { config } = loadStackFiles(root, stack);
        return {
            stack, cloud: config["intergalactic:cloud"] ?? "", environment: config["intergalactic:environment"] ?? "",
            region: config["aws:region"] ?? config["azure-native:location"] ?? "",
        };
    });
    if (stacks.length === 0) throw new Error(`no Pulumi.<stack>.yaml in ${root}`);
    return stacks;
}

/** The region of one of the project's stacks, from its stack file. */
export function stackRegion(stack: string): string {
    const found = projectStacks().find((s) => s.stack === stack);
    if (!found) throw new Error(`no Pulumi.${stack}.yaml`);
    return found.region;
}

/** The names of the project's stacks on one cloud and in one environment (all when omitted). */
export function stackNames(cloud?: string, environment?: string): string[] {
    return projectStacks().filter((s) => (cloud === undefined || s.cloud === cloud) && (environment === undefined || s.environment === environment)).map((s) => s.stack);
}

/**
 * One regional stamp of a stack's plan (`stampPlan`): the stack's own region by default, so a test
 * of one stamp's tiers reads the same resources in a stack of one or of several regions.
 */
export async function stackStampPlan(stack: string, region = "", overrides: Record<string, string> = {}): Promise<Plan> {
    return stampPlan(await stackPlan(stack, overrides), region);
}
