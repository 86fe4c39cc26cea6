/**
 * The requests the pack in this process is given (`inProcess.ts`): plain objects that answer the
 * getters `@pulumi/policy`'s handlers read from a request message (`server.js`: `getType`,
 * `getProperties().toJavaScript()`, `getOptions()`, `getProvider()`, `getPropertydependenciesMap()`,
 * ...), with the values the message built by `wire.ts` would give back, instead of the message.
 *
 * Why: a protobuf message is slow to build and slow to read. A run built a message per resource
 * for `analyze` and another for `analyzeStack`, and the SDK reads every field of both once per
 * policy (24 policies over 1014 resources at prod + 60): building and reading them was about a fifth
 * of a policy run (tools/bench/PROFILE.md). Only the pack in a process of its own needs messages,
 * to send them.
 *
 * Each getter answers as the message does: properties as their Struct's JavaScript form (keys
 * sorted, computed here, so a value a Struct cannot hold fails here as the message's Struct would),
 * an absent provider as undefined, a repeated field as the same array at each call, a map's entries
 * in sorted key order. `inProcess.test.ts` holds the reports of both ways byte for byte.
 */
import { PlannedResource } from "../../engine/format";
import { structRoundTrip } from "../../engine/monitor";
import { providersOf, toWire } from "./wire";

/** What the SDK reads of a Struct: its JavaScript form. */
interface StructView {
    toJavaScript(): Record<string, unknown>;
}

/**
 * True when `value` is already what `structRoundTrip` would copy it to: plain objects (no inherited
 * keys) whose keys are in sorted order, arrays, and the values a Struct holds. A plan's values are:
 * the engine records them from Structs. The SDK's handlers copy what they read and change nothing.
 */
function inStructForm(value: unknown): boolean {
    if (value === null) return true;
    switch (typeof value) {
        case "string":
        case "number":
        case "boolean":
            return true;
        case "object": {
            if (Array.isArray(value)) return value.every(inStructForm) && !value.includes(undefined);
            const prototype = Object.getPrototypeOf(value);
            if (prototype !== Object.prototype && prototype !== null) return false;
            const keys = Object.keys(value);
            for (let i = 0; i < keys.length; i++) {
                if (i > 0 && !(keys[i - 1] < keys[i])) return false;
                if (!inStructForm((value as Record<string, unknown>)[keys[i]])) return false;
            }
            return true;
        }
        default:
            return false;
    }
}

/** A request's properties: the wire values, as `Struct.fromJavaScript(...).toJavaScript()` gives them (a copy only when not already so). */
function structView(values: Record<string, unknown>): StructView {
    const wire = toWire(values);
    const javascript = (inStructForm(wire) ? wire : structRoundTrip(wire)) as Record<string, unknown>;
    return { toJavaScript: () => javascript };
}

/** `AnalyzerResourceOptions` as `wire.ts` fills it: protect, ignoreChanges, parent, empty custom timeouts. */
function optionsView(resource: PlannedResource) {
    const aliases: string[] = [];
    const additionalSecretOutputs: string[] = [];
    const timeouts = { getCreate: () => 0, getUpdate: () => 0, getDelete: () => 0 };
    return {
        getProtect: () => resource.options.protect,
        getIgnorechangesList: () => resource.options.ignoreChanges,
        getAliasesList: () => aliases,
        getCustomtimeouts: () => timeouts,
        getAdditionalsecretoutputsList: () => additionalSecretOutputs,
        getDeletebeforereplacedefined: () => false,
        getDeletebeforereplace: () => false,
        getParent: () => resource.parent,
    };
}

/** A provider as `wire.ts` sends it: type, name, URN and inputs. */
function providerView(provider: PlannedResource) {
    const properties = structView(provider.inputs);
    return { getType: () => provider.type, getName: () => provider.name, getUrn: () => provider.urn, getProperties: () => properties };
}
type ProviderView = ReturnType<typeof providerView>;

/** What a resource's request and a stack request's resource share: type, name, URN, properties (`values`) and options. */
function resourceView(resource: PlannedResource, values: Record<string, unknown>) {
    const properties = structView(values);
    const options = optionsView(resource);
    return {
        getType: () => resource.type,
        getName: () => resource.name,
        getUrn: () => resource.urn,
        getProperties: () => properties,
        getOptions: () => options,
    };
}

/** An `analyze` or `remediate` request: the resource's inputs, no provider (as `analyzeRequest`). */
export function analyzeView(resource: PlannedResource) {
    return { ...resourceView(resource, resource.inputs), getProvider: (): ProviderView | undefined => undefined };
}

/** A jspb map's reading side: `entries()` in sorted key order, as the message's map iterates. */
function mapView<V>(entries: [string, V][]) {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { entries: () => sorted[Symbol.iterator](), forEach: (f: (v: V, k: string) => void) => sorted.forEach(([k, v]) => f(v, k)), getLength: () => sorted.length };
}

/** One resource of an `analyzeStack` request, as `stackResource` fills it. */
function stackResourceView(resource: PlannedResource, provider: ProviderView | undefined) {
    const propertyDependencies = mapView(Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, { getUrnsList: () => urns }]));
    return {
        ...resourceView(resource, resource.outputs),
        getParent: () => resource.parent,
        getDependenciesList: () => resource.dependencies,
        getProvider: () => provider,
        getPropertydependenciesMap: () => propertyDependencies,
    };
}

/** The `analyzeStack` request for every resource of a plan; a provider's view is shared by the resources on it, as `analyzeStackRequest` shares its message. */
export function analyzeStackView(resources: readonly PlannedResource[]) {
    const providerOf = providersOf(resources, providerView);
    const list = resources.map((r) => stackResourceView(r, providerOf(r)));
    return { getResourcesList: () => list };
}
