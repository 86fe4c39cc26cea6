/**
 * One offline policy run, done the way the engine does it: start the compiled
 * pack once, read its policies, configure it from the stack's policy config,
 * then per resource `remediate` (when a policy is set to remediate) and
 * `analyze`, and finally `analyzeStack` over every resource. The pack runs
 * inside this process by default (`inProcess.ts`: the SDK's own handlers,
 * without the transport), or in a `run-policy-pack` process of its own.
 */
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Plan, PlannedResource } from "../../engine/format";
import { Analyzer, AnalyzerProcess } from "./analyzer";
import { POLICIES_DIR, compilePack } from "./compile";
import { Level, ResolvedPolicyConfig, configureRequest, levelName, resolveConfig } from "./config";
import { AnalyzerInProcess } from "./inProcess";
import { fromWire } from "./wire";
import { planChecks } from "./planChecks";

/** One violation, as the engine would print it. */
export interface Finding {
    policy: string;
    /** `mandatory` fails the run; `advisory` is reported only. */
    level: Level;
    severity: string;
    description: string;
    message: string;
    /** The resource the violation is about ("" for the whole stack). */
    urn: string;
    resourceType: string;
    resourceName: string;
    /** `analyze` (one resource's inputs), `analyzeStack` (the whole stack) or `plan` (a runner-side plan check). */
    phase: "analyze" | "analyzeStack" | "plan";
}

/** A change a remediating policy made to a resource's inputs before it was analysed. */
export interface AppliedRemediation {
    policy: string;
    urn: string;
    properties: string[];
}

export interface PolicyInfoSummary {
    name: string;
    description: string;
    level: Level;
    kind: "resource" | "stack";
}

export interface PolicyRunResult {
    stack: string;
    cloud: string;
    pack: { name: string; version: string };
    policies: PolicyInfoSummary[];
    findings: Finding[];
    remediations: AppliedRemediation[];
    /** Policy name -> reasons it did not apply (deduplicated). */
    notApplicable: Record<string, string[]>;
    resourceCount: number;
}

/** True when a mandatory policy was violated: the run (and a `pulumi up`) fails. */
export function hasMandatoryViolation(result: PolicyRunResult): boolean {
    return result.findings.some((f) => f.level === "mandatory");
}

const SEVERITIES = ["", "low", "medium", "high", "critical"];

/**
 * How many resources are analysed at once: enough to keep the pack busy while answers travel
 * back (one at a time, each resource waited for a full gRPC round trip), few enough that the
 * requests in flight stay a small part of a plan's memory.
 */
export const ANALYZE_WINDOW = 16;

/** `work` over every item with at most `window` running at once; the results in the items' order. */
export async function inOrder<T, R>(items: readonly T[], window: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const lane = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(window, items.length) }, lane));
    return results;
}

/** The SDK sends `<description>\n<message>`; the report shows the description once per policy. */
function detail(message: string, description: string): string {
    return message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
}

/** Where the pack runs: in this process (the default), or in a `run-policy-pack` process as `pulumi preview` starts it. */
export const PackHost = { InProcess: "in-process", OwnProcess: "own-process" } as const;
export type PackHost = (typeof PackHost)[keyof typeof PackHost];

/**
 * The runs of every session in this process, one after the other: an in-process pack has one config for the
 * whole process (the SDK keeps it in a module), so a run configures the pack and analyses before the next may.
 */
let turns: Promise<unknown> = Promise.resolve();

function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = turns.then(work);
    turns = run.catch(() => undefined);
    return run;
}

/**
 * `work` with no stack trace captured for an Error. Why: the SDK's handlers and the pack throw an
 * Error to say a policy does not apply (`args.notApplicable(reason)`, `NotApplicableError`), thousands
 * per run (a policy per resource it does not apply to), and capturing each one's stack was about a
 * tenth of a policy run's time (tools/bench/PROFILE.md); only the reason is read.
 */
async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

export class PolicySession {
    private resolved = new Map<string, ResolvedPolicyConfig>();

    private constructor(private readonly process: Analyzer, readonly info: analyzer.AnalyzerInfo) {}

    /**
     * Starts the pack: by default the repository's, compiled first if needed; the shipped command passes
     * its prebuilt copy (`program`) and a folder whose package.json gives the pack's version (`cwd`).
     * One session serves any number of runs.
     */
    static async open(pack?: { readonly program: string; readonly cwd: string }, host: PackHost = PackHost.InProcess): Promise<PolicySession> {
        const { program, cwd } = pack ?? { program: compilePack(), cwd: POLICIES_DIR };
        const process = host === PackHost.InProcess ? AnalyzerInProcess.start(program, cwd) : await AnalyzerProcess.start(program, cwd);
        try {
            return new PolicySession(process, await process.info());
        } catch (err) {
            process.stop();
            throw err;
        }
    }

    /** Validates the pack config (policy name -> level or properties); each run sends it to the pack. */
    async configure(raw: Record<string, unknown>, file?: string): Promise<void> {
        this.resolved = resolveConfig(this.info, raw, file);
    }

    /**
     * Runs every policy over a plan with the current config. Resources are analysed independently,
     * so up to ANALYZE_WINDOW of them are in flight at once instead of one round trip after the
     * other; their remediations and findings are reported in plan order, as one at a time would.
     */
    run(plan: Plan): Promise<PolicyRunResult> {
        return inTurn(async () => {
            await this.process.configure(configureRequest(this.resolved));
            // A pack in a process of its own takes its stack traces there.
            if (!(this.process instanceof AnalyzerInProcess)) return this.analyse(plan);
            try {
                return await withoutStackTraces(() => this.analyse(plan));
            } catch {
                // A policy that fails has its stack in the SDK's error message (`err.stack`): analysing again with stack
                // traces gives the same error as the pack's own process. A failing policy is rare; other runs pay nothing.
                return this.analyse(plan);
            }
        });
    }

    private async analyse(plan: Plan): Promise<PolicyRunResult> {
        const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        const result = this.emptyResult(plan);
        const remediating = [...this.resolved.values()].some((c) => c.level === "remediate");
        const outcomes = await inOrder(plan.resources, ANALYZE_WINDOW, async (resource) => {
            const remediated = remediating ? await this.remediate(resource) : { resource, applied: [] };
            return { ...remediated, response: await this.process.analyze(remediated.resource) };
        });
        for (const { resource, applied, response } of outcomes) {
            result.remediations.push(...applied);
            this.collect(response, "analyze", byUrn, result, resource.urn);
        }
        this.collect(await this.process.analyzeStack(outcomes.map((o) => o.resource)), "analyzeStack", byUrn, result, "");
        result.findings.push(...planChecks(plan, this.resolved));
        return result;
    }

    stop(): void {
        this.process.stop();
    }

    /** Applies every remediation to a resource's inputs (and so its outputs), as the engine does before analysing. */
    private async remediate(resource: PlannedResource): Promise<{ resource: PlannedResource; applied: AppliedRemediation[] }> {
        const response = await this.process.remediate(resource);
        let inputs = resource.inputs;
        const applied: AppliedRemediation[] = [];
        for (const r of response.getRemediationsList()) {
            const properties = r.getProperties()?.toJavaScript();
            if (!properties) continue;
            const next = fromWire(properties) as Record<string, unknown>;
            const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(inputs[k]));
            applied.push({ policy: r.getPolicyname(), urn: resource.urn, properties: changed });
            inputs = next;
        }
        return { resource: inputs === resource.inputs ? resource : { ...resource, inputs, outputs: { ...resource.outputs, ...inputs } }, applied };
    }

    private collect(response: analyzer.AnalyzeResponse, phase: Finding["phase"], byUrn: Map<string, PlannedResource>, result: PolicyRunResult, urn: string): void {
        for (const d of response.getDiagnosticsList()) {
            const target = d.getUrn() || urn;
            const resource = byUrn.get(target);
            result.findings.push({
                policy: d.getPolicyname(), level: levelName(d.getEnforcementlevel()), severity: SEVERITIES[d.getSeverity()] ?? "",
                description: d.getDescription(), message: detail(d.getMessage(), d.getDescription()), urn: target,
                resourceType: resource?.type ?? "", resourceName: resource?.name ?? "", phase,
            });
        }
        for (const na of response.getNotApplicableList()) {
            const reasons = (result.notApplicable[na.getPolicyName()] ??= []);
            if (!reasons.includes(na.getReason())) reasons.push(na.getReason());
        }
    }

    private emptyResult(plan: Plan): PolicyRunResult {
        return {
            stack: plan.stack, cloud: plan.cloud,
            pack: { name: this.info.getName(), version: this.info.getVersion() },
            policies: this.info.getPoliciesList().map((p) => ({
                name: p.getName(), description: p.getDescription(),
                level: this.resolved.get(p.getName())?.level ?? levelName(p.getEnforcementlevel()),
                kind: p.getPolicyType() === analyzer.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
            })),
            findings: [], remediations: [], notApplicable: {}, resourceCount: plan.resources.length,
        };
    }
}
