/**
 * The plan's answer to the SDK's registrations: what the SDK's own mock monitor
 * (`MockMonitor.registerResource` in `@pulumi/pulumi/runtime/mocks.js`) answers, the same
 * URN, id and state, reached with fewer conversions.
 *
 * Why: under the SDK's mock monitor every registration crosses protobuf four times. The SDK
 * builds the request's inputs as a protobuf Struct; the mock monitor turns it back into
 * JavaScript for the mocks, turns the mocks' state into a Struct for the response, and the SDK
 * turns that Struct back into JavaScript; the recorder converted request and response once
 * more. Those conversions and their garbage were the largest share of a plan's registrations
 * that is not the SDK's own bookkeeping (tools/bench/PROFILE.md). Here the request's Struct is
 * converted once, for the mocks and the recorder alike, and the response carries a Struct whose
 * JavaScript form is computed directly from the state, exactly as the Struct would give it back
 * (`structRoundTrip`). Everything else (invokes, reads, outputs, `getResource`) stays the SDK's.
 */
import { createRequire } from "module";
import type * as pulumi from "@pulumi/pulumi";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import { mockInputs, serializedState as serialized } from "./plainValues";

/** `require` as `@pulumi/pulumi` sees its own dependencies: its messages must get its google-protobuf's Struct. */
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
const { Struct, Value } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;
const resproto = require("@pulumi/pulumi/proto/resource_pb");

type Callback = (err: Error | null, response?: any) => void;

/** The SDK's mock monitor, with the members its registration uses (`newUrn` is private in its .d.ts). */
export interface SdkMockMonitor {
    readonly mocks: pulumi.runtime.Mocks;
    readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
    registerResource(req: any, callback: Callback): void;
    newUrn(parent: string, type: string, name: string): string;
}

/** What one registration gives the recorder: the request's inputs and the response's state, as JavaScript. */
export interface Registration {
    readonly req: any;
    /** The request's inputs Struct as JavaScript (wire form: secrets and resources as signature objects). */
    readonly inputs: Record<string, unknown>;
}

export interface Registered extends Registration {
    readonly urn: string;
    readonly id: string;
    /** The response's state as JavaScript, as the SDK reads it back. */
    readonly state: Record<string, unknown>;
}

/**
 * `Struct.fromJavaScript(value).toJavaScript()` without building the Struct: a copy with each
 * object's keys in sorted order (a Struct's map iterates its keys sorted) and, like
 * `Value.fromJavaScript`, an error for a value a Struct cannot hold (undefined, a function).
 * Like the Struct, it copies an object's enumerable keys, inherited ones included (`for...in`).
 */
export function structRoundTrip(value: unknown): unknown {
    if (value === null) return null;
    switch (typeof value) {
        case "string":
        case "number":
        case "boolean":
            return value;
        case "object":
            if (Array.isArray(value)) return value.map(structRoundTrip);
            return objectRoundTrip(value as Record<string, unknown>);
        default:
            throw new Error("Unexpected struct type.");
    }
}

function objectRoundTrip(object: Record<string, unknown>): Record<string, unknown> {
    const keys: string[] = [];
    for (const key in object) keys.push(key);
    // Struct.fromJavaScript sets every value first (a bad one fails before any is read back).
    const values = keys.map((key) => structRoundTrip(object[key]));
    // Keys in code-unit order, as the Struct's map and `Array.prototype.sort` order them (for...in yields each once).
    let sorted = true;
    for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
    const order = sorted ? undefined : keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
    const result: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
        const at = order ? order[i] : i;
        result[keys[at]] = values[at];
    }
    return result;
}

/** A Struct that answers `toJavaScript()` with a value already computed (as its own fields would give it). */
function knownStruct(javascript: Record<string, unknown>): StructModule.Struct {
    const struct = new Struct();
    // The fields stay empty: under mocks nothing reads the Struct but the SDK's deserializeProperties.
    struct.toJavaScript = () => javascript as ReturnType<StructModule.Struct["toJavaScript"]>;
    return struct;
}

/**
 * Replaces the SDK mock monitor's `registerResource` with the same answer reached with fewer
 * conversions; `before` sees each request as it arrives, `after` its answer (with what `before` returned)
 * before the SDK does; `refused` hears of each registration the engine would refuse (the SDK only turns
 * the answer into an unhandled rejection, which would not fail the plan).
 */
export function answerRegistrations<T>(monitor: SdkMockMonitor, before: (r: Registration) => T, after: (seen: T, r: Registered) => void,
    refused: (error: Error) => void = () => undefined): void {
    // The engine refuses a second registration of one URN (pulumi/pulumi pkg/diag/errors.go,
    // GetDuplicateResourceURNError, code 2001); the SDK's mock monitor overwrites the first, so without
    // this an offline plan would pass a program every real preview stops. Reserved before the first
    // await: registrations are in flight together, and `resources` is filled only after the mocks answer.
    const urns = new Set<string>();
    monitor.registerResource = async (req: any, callback: Callback) => {
        // As MockMonitor.registerResource does, step by step; only the conversions differ.
        try {
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            if (urns.has(urn)) {
                const error = new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
                refused(error);
                throw error;
            }
            urns.add(urn);
            const inputs = req.getObject().toJavaScript() as Record<string, unknown>;
            const seen = before({ req, inputs });
            const result = await monitor.mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                inputs: mockInputs(inputs),
                provider: req.getProvider(),
                custom: req.getCustom(),
                id: req.getImportid(),
            });
            const serializedState = await serialized(result.state);
            monitor.resources.set(urn, { urn, id: result.id ?? null, state: serializedState });
            const state = structRoundTrip(serializedState) as Record<string, unknown>;
            const response = new resproto.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(result.id || "");
            response.setObject(knownStruct(state));
            // The SDK writes every answer into a debug line (`resp: ${innerResponse}`) that under mocks goes nowhere:
            // protobuf's toString would turn the whole message into an array first, a cost of every registration.
            response.toString = () => urn;
            after(seen, { req, inputs, urn, id: response.getId(), state });
            callback(null, response);
        } catch (err) {
            callback(err as Error, undefined);
        }
    };
}

/**
 * Until the returned function is called, `Struct.fromJavaScript` (the google-protobuf copy the SDK
 * uses) builds no protobuf fields: it computes the object's JavaScript form at once (the same copy,
 * the same errors at the same moment) and fills the fields only when something reads them
 * (`getFieldsMap`, which serialising and every field accessor go through). During a plan the SDK
 * builds each request's inputs this way and the monitor above reads them back with `toJavaScript()`,
 * so a registration builds no protobuf Struct at all.
 */
export function withLazyStructs(): () => void {
    const original = Struct.fromJavaScript;
    const getFieldsMap = Struct.prototype.getFieldsMap;
    Struct.fromJavaScript = (object: Parameters<typeof original>[0]) => {
        const javascript = structRoundTrip(object) as Record<string, unknown>;
        const struct = new Struct();
        let filled = false;
        struct.toJavaScript = () => javascript as ReturnType<StructModule.Struct["toJavaScript"]>;
        struct.getFieldsMap = function (this: StructModule.Struct, ...args: Parameters<typeof getFieldsMap>) {
            if (!filled) {
                filled = true;
                const fields = getFieldsMap.call(this);
                for (const key of Object.keys(javascript)) fields.set(key, Value.fromJavaScript(javascript[key] as never));
            }
            return getFieldsMap.apply(this, args);
        };
        return struct;
    };
    return () => {
        Struct.fromJavaScript = original;
    };
}
