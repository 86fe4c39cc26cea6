/**
 * The deployability analysis: checks a recorded plan against the rules
 * (`rules.ts`) on the dependency graph the engine orders by
 * (`../dependencies.ts`). Mocks accept any order and any network path; this
 * proves what they cannot: that a first `pulumi up` creates each resource after
 * what it needs, and a `pulumi destroy` deletes it while that still exists.
 */
import { DependencyGraph } from "../dependencies";
import { Plan, PlannedResource } from "../format";
import { GateFinder } from "./gates";
import { ALL_RULES, Gate, Need, TypeRule } from "./rules";

/** One broken rule: the resource, what it misses and why. */
export interface Finding {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly gate: Gate | "unknown-type";
    /** The missing dependency's `type name`, or "" when nothing in the plan provides the gate. */
    readonly missing: string;
    readonly reason: string;
    readonly source: string;
}

/** The outcome for one plan. */
export interface DeployabilityReport {
    readonly stack: string;
    readonly findings: Finding[];
    /** Resources checked, and how many (resource, gate) pairs were met. */
    readonly checked: number;
    readonly satisfied: number;
}

const label = (r: PlannedResource) => `${r.type} ${r.name}`;

function reasonOf(need: Need): string {
    return need.destroy ? `create: ${need.create}; destroy: ${need.destroy}` : need.create;
}

/** Checks every custom resource of the plan against its type's rule. */
export function analyzeDeployability(plan: Plan, rules: Readonly<Record<string, TypeRule>> = ALL_RULES): DeployabilityReport {
    const graph = new DependencyGraph(plan);
    const gates = new GateFinder(graph);
    const findings: Finding[] = [];
    let checked = 0;
    let satisfied = 0;
    for (const resource of graph.ordered()) {
        checked++;
        const base = { urn: resource.urn, type: resource.type, name: resource.name };
        const rule = rules[resource.type];
        if (!rule) {
            findings.push({
                ...base, gate: "unknown-type", missing: "",
                reason: "no deployability rule knows this type: add it to engine/deployability/rules.ts (its needs, or why it has none)",
                source: "",
            });
            continue;
        }
        for (const need of rule.needs) {
            const demand = gates.demand(need.gate, resource);
            let met = true;
            if (demand.problem) {
                met = false;
                findings.push({ ...base, gate: need.gate, missing: "", reason: `${demand.problem} (${reasonOf(need)})`, source: need.source });
            }
            for (const gate of demand.required) {
                if (gate.urn === resource.urn || graph.dependsOn(resource.urn, gate.urn)) continue;
                met = false;
                findings.push({ ...base, gate: need.gate, missing: label(gate), reason: reasonOf(need), source: need.source });
            }
            for (const sibling of demand.orderedWith ?? []) {
                if (graph.dependsOn(resource.urn, sibling.urn) || graph.dependsOn(sibling.urn, resource.urn)) continue;
                met = false;
                findings.push({ ...base, gate: need.gate, missing: label(sibling), reason: reasonOf(need), source: need.source });
            }
            if (met) satisfied++;
        }
    }
    return { stack: plan.stack, findings, checked, satisfied };
}

/** The report as text for the plan CLI: one line per finding, naming the resource, the missing dependency and the reason. */
export function formatDeployability(report: DeployabilityReport): string {
    if (report.findings.length === 0) {
        return `Deployability (${report.stack}): ${report.checked} resources, ${report.satisfied} readiness and destroy-order needs met, none missing`;
    }
    const lines = [`Deployability (${report.stack}): ${report.findings.length} problems`];
    for (const f of report.findings) {
        const relation = f.gate === Gate.SerialSiblings ? "must be ordered before or after" : "must depend on";
        const missing = f.missing ? ` ${relation} ${f.missing}` : "";
        lines.push(`  ${f.type} ${f.name}${missing} [${f.gate}]: ${f.reason}${f.source ? ` (${f.source})` : ""}`);
    }
    return lines.join("\n");
}
