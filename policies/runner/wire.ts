/**
 * Plan resources in the shape the engine sends them to an analyzer: inputs for
 * `analyze`/`remediate`, outputs with parent and dependencies for
 * `analyzeStack`. Redacted secrets go back on the wire as secrets and unknown
 * values as the engine's unknown sentinel, so the pack sees what it would see
 * in a real preview.
 */
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "./pulumiDeps";
import { PlannedResource, REDACTED, UNKNOWN } from "../../engine/format";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Plain plan values to wire values: `[secret]` becomes a secret, `[unknown]` the unknown sentinel,
 * and an object's undefined properties are left out. What needs no change is returned as it is,
 * not copied: the Struct a request carries copies its values anyway (`struct` below), so a copy
 * here was a second one of every resource's properties.
 */
export function toWire(value: unknown): unknown {
    if (value === REDACTED) return { [SIG_KEY]: SECRET_SIG, value: REDACTED };
    if (value === UNKNOWN) return UNKNOWN_VALUE;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const wire = toWire(value[i]);
            if (wire !== value[i]) (copy ??= value.slice())[i] = wire;
        }
        return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let copy: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
        const v = record[keys[i]];
        const wire = v === undefined ? undefined : toWire(v);
        if (!copy) {
            if (wire === v && v !== undefined) continue;
            // The first change: a copy of the properties before it, then of every one after.
            copy = {};
            for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
        }
        if (wire !== undefined) copy[keys[i]] = wire;
    }
    return copy ?? value;
}

/** Wire values back to plain values (for remediated properties). */
export function fromWire(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) return UNKNOWN;
    if (Array.isArray(value)) return value.map(fromWire);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return REDACTED;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromWire(v)]));
}

/** The values as the Struct a message carries (the pack in this process is given views.ts instead). */
function struct(values: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(toWire(values) as Record<string, never>);
}

function options(resource: PlannedResource): analyzer.AnalyzerResourceOptions {
    const opts = new analyzer.AnalyzerResourceOptions();
    opts.setProtect(resource.options.protect);
    opts.setIgnorechangesList(resource.options.ignoreChanges);
    opts.setParent(resource.parent);
    opts.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
    return opts;
}

/** An `analyze` or `remediate` request: the resource's inputs. */
export function analyzeRequest(resource: PlannedResource, inputs: Record<string, unknown> = resource.inputs): analyzer.AnalyzeRequest {
    const req = new analyzer.AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(resource.urn);
    req.setProperties(struct(inputs));
    req.setOptions(options(resource));
    return req;
}

/**
 * Each resource's explicit provider as the engine sends it (type, name, URN, inputs), `build` once per
 * provider: a regional stamp's resources name their region's provider, hundreds of resources on one
 * provider whose inputs (a cluster's kubeconfig) were converted again for each of them. The plan
 * records no default provider, so a resource on it is sent without one.
 */
export function providersOf<T>(resources: readonly PlannedResource[], build: (provider: PlannedResource) => T): (resource: PlannedResource) => T | undefined {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const built = new Map<string, T>();
    return (resource) => {
        const reference = resource.options.provider;
        if (!reference) return undefined;
        const at = reference.lastIndexOf("::");
        const urn = at < 0 ? reference : reference.slice(0, at);
        if (built.has(urn)) return built.get(urn);
        const provider = byUrn.get(urn);
        if (!provider) return undefined;
        const value = build(provider);
        built.set(urn, value);
        return value;
    };
}

function providerMessage(provider: PlannedResource): analyzer.AnalyzerProviderResource {
    const p = new analyzer.AnalyzerProviderResource();
    p.setType(provider.type);
    p.setName(provider.name);
    p.setUrn(provider.urn);
    p.setProperties(struct(provider.inputs));
    return p;
}

/** One resource of an `analyzeStack` request: outputs, parent, dependencies, property dependencies and provider. */
export function stackResource(resource: PlannedResource, provider?: analyzer.AnalyzerProviderResource): analyzer.AnalyzerResource {
    const r = new analyzer.AnalyzerResource();
    r.setType(resource.type);
    r.setName(resource.name);
    r.setUrn(resource.urn);
    r.setProperties(struct(resource.outputs));
    r.setOptions(options(resource));
    r.setParent(resource.parent);
    r.setDependenciesList(resource.dependencies);
    if (provider) r.setProvider(provider);
    const deps = r.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
        const d = new analyzer.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(key, d);
    }
    return r;
}

/** The `analyzeStack` request for every resource of a plan. */
export function analyzeStackRequest(resources: readonly PlannedResource[]): analyzer.AnalyzeStackRequest {
    const req = new analyzer.AnalyzeStackRequest();
    const providerOf = providersOf(resources, providerMessage);
    req.setResourcesList(resources.map((r) => stackResource(r, providerOf(r))));
    return req;
}
