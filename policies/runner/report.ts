/**
 * The run's outputs: a readable report, JSON, SARIF 2.1.0 (for code-scanning
 * UIs) and JUnit XML (for CI test reports).
 */
import { Finding, PolicyRunResult, hasMandatoryViolation } from "./session";

const line = (f: Finding) => `  [${f.policy}] ${f.resourceName ? `${f.resourceType} "${f.resourceName}": ` : ""}${f.message.replace(/\n/g, "\n    ")}`;

/** The report a person reads in a terminal or CI log. */
export function textReport(result: PolicyRunResult): string {
    const mandatory = result.findings.filter((f) => f.level === "mandatory");
    const advisory = result.findings.filter((f) => f.level === "advisory");
    const out = [
        `Policy pack ${result.pack.name}@${result.pack.version} on stack ${result.stack} (${result.cloud}): ${result.resourceCount} resources, ${result.policies.length} policies`,
        `Levels: ${result.policies.map((p) => `${p.name}=${p.level}`).join(", ")}`,
        "",
    ];
    if (mandatory.length > 0) out.push(`Mandatory violations (${mandatory.length}):`, ...mandatory.map(line), "");
    if (advisory.length > 0) out.push(`Advisory (${advisory.length}):`, ...advisory.map(line), "");
    // A stack policy that did not apply says why, and what would make it apply (e.g. prod-data-loss's opt-in).
    const skipped = result.policies.filter((p) => p.kind === "stack" && p.level !== "disabled")
        .flatMap((p) => (result.notApplicable[p.name] ?? []).map((reason) => `  [${p.name}] ${reason}`));
    if (skipped.length > 0) out.push(`Not applicable (${skipped.length}):`, ...skipped, "");
    if (result.remediations.length > 0) {
        out.push(`Remediated (${result.remediations.length}):`, ...result.remediations.map((r) => `  [${r.policy}] ${r.urn}: set ${r.properties.join(", ")}`), "");
    }
    out.push(hasMandatoryViolation(result) ? `FAILED: ${mandatory.length} mandatory violation(s)` : "PASSED: no mandatory violations");
    return out.join("\n");
}

export function jsonReport(result: PolicyRunResult): string {
    return JSON.stringify({ ...result, passed: !hasMandatoryViolation(result) }, null, 2) + "\n";
}

/** SARIF 2.1.0: one rule per policy, one result per violation, located at the stack's config file and the resource's URN. */
export function sarifReport(result: PolicyRunResult): string {
    const rules = [...result.policies.map((p) => ({ id: p.name, description: p.description, level: p.level })),
        ...unlisted(result).map((name) => ({ id: name, description: result.findings.find((f) => f.policy === name)!.description, level: "mandatory" }))];
    const sarif = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: {
                driver: {
                    name: result.pack.name,
                    version: result.pack.version,
                    rules: rules.map((r) => ({
                        id: r.id, name: r.id,
                        shortDescription: { text: r.description },
                        defaultConfiguration: { level: sarifLevel(r.level), enabled: r.level !== "disabled" },
                    })),
                },
            },
            automationDetails: { id: `policy/${result.stack}/` },
            results: result.findings.map((f) => ({
                ruleId: f.policy,
                ruleIndex: rules.findIndex((r) => r.id === f.policy),
                level: sarifLevel(f.level),
                message: { text: `${f.resourceName ? `${f.resourceType} "${f.resourceName}": ` : ""}${f.message}` },
                locations: [{
                    physicalLocation: { artifactLocation: { uri: `Pulumi.${result.stack}.yaml` }, region: { startLine: 1 } },
                    logicalLocations: f.urn ? [{ fullyQualifiedName: f.urn, name: f.resourceName, kind: "resource" }] : [],
                }],
                partialFingerprints: { "policyViolation/v1": `${f.policy}|${f.urn}|${f.message}` },
            })),
        }],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}

function sarifLevel(level: string): "error" | "warning" | "none" {
    return level === "mandatory" || level === "remediate" ? "error" : level === "advisory" ? "warning" : "none";
}

/** Policies that report findings but are not in the pack's list (the runner's plan checks). */
function unlisted(result: PolicyRunResult): string[] {
    return [...new Set(result.findings.map((f) => f.policy))].filter((n) => !result.policies.some((p) => p.name === n));
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: one test case per policy; mandatory violations fail it, advisory ones are printed, disabled ones skipped. */
export function junitReport(result: PolicyRunResult): string {
    const names = [...result.policies.map((p) => p.name), ...unlisted(result)];
    const cases = names.map((name) => {
        const policy = result.policies.find((p) => p.name === name);
        const findings = result.findings.filter((f) => f.policy === name);
        const failures = findings.filter((f) => f.level === "mandatory");
        const advisories = findings.filter((f) => f.level === "advisory");
        const body = [
            policy?.level === "disabled" ? "<skipped/>" : "",
            failures.length > 0 ? `<failure message="${xml(`${failures.length} mandatory violation(s)`)}">${xml(failures.map(line).join("\n"))}</failure>` : "",
            advisories.length > 0 ? `<system-out>${xml(advisories.map(line).join("\n"))}</system-out>` : "",
        ].join("");
        return `    <testcase classname="policy.${xml(result.stack)}" name="${xml(name)}">${body}</testcase>`;
    });
    const failed = names.filter((n) => result.findings.some((f) => f.policy === n && f.level === "mandatory")).length;
    const skipped = result.policies.filter((p) => p.level === "disabled").length;
    return [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites name="${xml(result.pack.name)}" tests="${names.length}" failures="${failed}">`,
        `  <testsuite name="policy ${xml(result.stack)}" tests="${names.length}" failures="${failed}" skipped="${skipped}">`,
        ...cases,
        "  </testsuite>",
        "</testsuites>",
        "",
    ].join("\n");
}
