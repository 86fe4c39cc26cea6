/**
 * The pack's per-stack config (`policies/config/<stack>.json`), in the format
 * `pulumi preview --policy-pack-config` reads: per policy either an
 * enforcement level or an object of properties plus `enforcementLevel`, and
 * `all` for every policy's level. Like the engine, the runner validates it
 * against each policy's config schema, fills in the schema's defaults and
 * sends one `configure` request.
 */
import * as fs from "fs";
import * as path from "path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "./pulumiDeps";
import { POLICIES_DIR } from "./compile";

export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type Level = (typeof LEVELS)[number];

const LEVEL_CODES: Readonly<Record<Level, analyzer.EnforcementLevel>> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    remediate: analyzer.EnforcementLevel.REMEDIATE,
    disabled: analyzer.EnforcementLevel.DISABLED,
};

export function levelName(code: analyzer.EnforcementLevel): Level {
    return (Object.entries(LEVEL_CODES).find(([, c]) => c === code)?.[0] ?? "advisory") as Level;
}

/** One policy's resolved config: its level and every property (defaults filled in). */
export interface ResolvedPolicyConfig {
    level: Level;
    properties: Record<string, unknown>;
}

/** Thrown for a config file that does not match the pack's schemas; lists every problem. */
export class PolicyConfigError extends Error {
    constructor(file: string, readonly problems: string[]) {
        super(`Invalid policy config ${file}:\n${problems.map((p) => ` - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

/** The config file of a stack: `policies/config/<stack>.json`. */
export function configFileFor(stack: string, dir = path.join(POLICIES_DIR, "config")): string {
    return path.join(dir, `${stack}.json`);
}

export function readConfigFile(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new PolicyConfigError(file, ["the file does not exist: every stack needs its policy config"]);
    const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new PolicyConfigError(file, ["must be a JSON object"]);
    return parsed as Record<string, unknown>;
}

/** Validates `raw` against the pack's policies and resolves every policy's level and properties. */
export function resolveConfig(info: analyzer.AnalyzerInfo, raw: Record<string, unknown>, file = "(inline)"): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const policies = new Map(info.getPoliciesList().map((p) => [p.getName(), p]));
    const all = raw.all;
    if (all !== undefined && !LEVELS.includes(all as Level)) problems.push(`all: ${JSON.stringify(all)} is not an enforcement level: use one of ${LEVELS.join(", ")}`);
    for (const key of Object.keys(raw)) if (key !== "all" && !policies.has(key)) problems.push(`${key}: no such policy in the pack`);

    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const [name, policy] of policies) {
        const entry = raw[name];
        const object = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
        const level = (typeof entry === "string" ? entry : object.enforcementLevel) ?? all ?? levelName(policy.getEnforcementlevel());
        if (!LEVELS.includes(level as Level)) problems.push(`${name}.enforcementLevel: ${JSON.stringify(level)} is not an enforcement level: use one of ${LEVELS.join(", ")}`);
        const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, Schema>;
        const { enforcementLevel: _, ...props } = object;
        for (const [key, value] of Object.entries(props)) {
            if (!schema[key]) problems.push(`${name}.${key}: not a config property of the policy (it has: ${Object.keys(schema).join(", ") || "none"})`);
            else problems.push(...checkValue(`${name}.${key}`, value, schema[key]));
        }
        const defaults = Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
        resolved.set(name, { level: level as Level, properties: { ...defaults, ...props } });
    }
    if (problems.length > 0) throw new PolicyConfigError(file, problems);
    return resolved;
}

/** The JSON-schema subset the pack's config schemas use. */
interface Schema { type?: string; enum?: unknown[]; minimum?: number; items?: Schema; default?: unknown }

function checkValue(where: string, value: unknown, schema: Schema): string[] {
    const problems: string[] = [];
    const typeOk = schema.type === undefined
        || (schema.type === "integer" && Number.isInteger(value))
        || (schema.type === "number" && typeof value === "number")
        || (schema.type === "array" && Array.isArray(value))
        || schema.type === typeof value;
    if (!typeOk) return [`${where}: ${JSON.stringify(value)} must be of type ${schema.type}`];
    if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not allowed: use one of ${schema.enum.join(", ")}`);
    if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum) problems.push(`${where}: ${value} must be >= ${schema.minimum}`);
    if (schema.items && Array.isArray(value)) value.forEach((v, i) => problems.push(...checkValue(`${where}[${i}]`, v, schema.items!)));
    return problems;
}

/** The `configure` request for resolved config. */
export function configureRequest(resolved: Map<string, ResolvedPolicyConfig>): analyzer.ConfigureAnalyzerRequest {
    const req = new analyzer.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, config] of resolved) {
        const policyConfig = new analyzer.PolicyConfig();
        policyConfig.setEnforcementlevel(LEVEL_CODES[config.level]);
        policyConfig.setProperties(Struct.fromJavaScript(config.properties as Record<string, never>));
        map.set(name, policyConfig);
    }
    return req;
}
