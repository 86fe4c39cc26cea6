/**
 * The plan's findings as SARIF 2.1.0 (the format code-scanning tools read):
 * every resource that would be created before, or deleted after, what it needs,
 * every tier a zone or region loss takes down, and a prod stack of one region (nothing to fail
 * over to). Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import type { DeployabilityReport } from "../engine/deployability/analyze";
import type { ZoneLossReport } from "../policies/zoneLoss/analysis";
import type { RegionLossReport } from "../policies/regionLoss/analysis";

interface SarifResult {
    ruleId: string;
    level: "error" | "warning";
    message: { text: string };
    locations: { logicalLocations: { fullyQualifiedName: string; kind: string }[] }[];
}

/** A SARIF log of one run of the command. */
export function planSarif(
    deployability: DeployabilityReport, zoneLoss: ZoneLossReport | undefined, zoneLossRequired: boolean, version: string,
    regionLoss?: { readonly report: RegionLossReport; readonly required: boolean },
): object {
    const results: SarifResult[] = deployability.findings.map((f) => ({
        ruleId: `deployability/${f.gate}`,
        level: "error",
        message: { text: `${f.type} ${f.name} misses ${f.missing}: ${f.reason} (${f.source})` },
        locations: [{ logicalLocations: [{ fullyQualifiedName: f.urn, kind: "resource" }] }],
    }));
    for (const scenario of zoneLoss?.scenarios ?? []) {
        for (const tier of scenario.tiers.filter((t) => t.status === "down")) {
            results.push({
                ruleId: "zone-loss",
                level: zoneLossRequired ? "error" : "warning",
                message: { text: `losing zone ${scenario.lostZone} takes down ${tier.tier}: ${tier.detail}` },
                locations: [{ logicalLocations: [{ fullyQualifiedName: `${deployability.stack}/${tier.tier}`, kind: "module" }] }],
            });
        }
    }
    const regionResult = (text: string, tier: string): SarifResult => ({
        ruleId: "region-loss",
        level: regionLoss?.required ? "error" : "warning",
        message: { text },
        locations: [{ logicalLocations: [{ fullyQualifiedName: `${deployability.stack}/${tier}`, kind: "module" }] }],
    });
    if (regionLoss?.required && regionLoss.report.regions.length < 2) results.push(regionResult("a one-region stack has nothing to fail over to", "regions"));
    for (const scenario of regionLoss?.report.scenarios ?? []) {
        for (const tier of scenario.tiers.filter((t) => t.status === "down")) results.push(regionResult(`losing region ${scenario.lostRegion} takes down ${tier.tier}: ${tier.detail}`, tier.tier));
    }
    const ruleIds = [...new Set(results.map((r) => r.ruleId))].sort();
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: "intergalactic", version, informationUri: "https://www.npmjs.com/package/intergalactic-infra", rules: ruleIds.map((id) => ({ id })) } },
            results,
        }],
    };
}
