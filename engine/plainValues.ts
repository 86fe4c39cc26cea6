/**
 * The registration's two conversions through the SDK (`rpc.js`), skipped when they would only copy.
 *
 * Why: under mocks every registration's inputs go through `deserializeProperties` (a deep copy that
 * decodes signature objects and unknowns) and the mocks' state through `serializeProperties` (a deep
 * copy, one async step per value). The plan's values are nearly always plain JSON, for which both
 * only copy; the copies and the SDK's promises per value are garbage of every registration
 * (tools/bench/PROFILE.md). The registrations' order depends on how many microtask turns each step
 * takes, so a skipped `serializeProperties` still settles after exactly as many turns as the SDK's.
 */
const rpc: {
    readonly specialSigKey: string;
    readonly unknownValue: string;
    deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }, keepUnknowns?: boolean): Record<string, unknown>;
    serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
} = require("@pulumi/pulumi/runtime/rpc");

/** Whether an object is a plain one, as the SDK's copies make them (an object literal's prototype). */
function plainObject(value: object): boolean {
    return Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Whether `deserializeProperty` (rpc.js) would give back a copy of this wire value: no unknown
 * sentinel, no object with the signature key (a secret, resource, asset, archive or output value),
 * nothing a Struct cannot hold (undefined, on which it throws).
 */
function plainWire(value: unknown): boolean {
    if (value === null) return true;
    switch (typeof value) {
        case "string":
            return value !== rpc.unknownValue;
        case "number":
        case "boolean":
            return true;
        case "object":
            if (Array.isArray(value)) {
                for (let i = 0; i < value.length; i++) if (!plainWire(value[i])) return false;
                return true;
            }
            if (!plainObject(value)) return false;
            for (const key of Object.keys(value)) {
                if (key === rpc.specialSigKey || key === "__proto__" || !plainWire((value as Record<string, unknown>)[key])) return false;
            }
            return true;
        default:
            return false;
    }
}

/**
 * The request's inputs as the mocks get them: `deserializeProperties`, or the wire values themselves
 * when it would only copy them (the mocks build their state from the inputs and never change them).
 */
export function mockInputs(wire: Record<string, unknown>): Record<string, unknown> {
    return plainWire(wire) ? wire : rpc.deserializeProperties({ toJavaScript: () => wire });
}

/**
 * The microtask turns `serializeProperty` (rpc.js) takes to settle on a value it would only copy,
 * -1 for any other: a primitive settles at once, an array after one turn per element's await, an
 * object one turn more (its keys are awaited in a nested async function). Anything it treats
 * specially (undefined, functions, promises, Outputs, resources, assets, unknowns: each marked by a
 * `__pulumi...` member, see `utils.isInstance`) or a class instance is not plain.
 */
function plainTurns(value: unknown): number {
    if (value === null) return 0;
    switch (typeof value) {
        case "string":
        case "number":
        case "boolean":
            return 0;
        case "object": {
            if (Array.isArray(value)) {
                if (Object.getPrototypeOf(value) !== Array.prototype) return -1;
                let turns = 0;
                for (let i = 0; i < value.length; i++) {
                    const inner = plainTurns(value[i]);
                    if (inner < 0) return -1;
                    turns += 1 + inner;
                }
                return turns;
            }
            const keys = plainObject(value) ? keysTurns(value as Record<string, unknown>) : -1;
            return keys < 0 ? -1 : 1 + keys;
        }
        default:
            return -1;
    }
}

/** One turn per key's await, and what its value takes; -1 when a value or key is not plain. */
function keysTurns(object: Record<string, unknown>): number {
    let turns = 0;
    for (const key of Object.keys(object)) {
        if (key.startsWith("__pulumi") || key === "__proto__") return -1;
        const inner = plainTurns(object[key]);
        if (inner < 0) return -1;
        turns += 1 + inner;
    }
    return turns;
}

async function settleAfter<T>(turns: number, value: T): Promise<T> {
    for (let i = 0; i < turns; i++) await undefined;
    return value;
}

/**
 * `serializeProperties("", state)`, or, when it would only copy the state, the state itself, settling
 * after as many turns as the SDK's would (`serializeFilteredProperties` awaits each key in turn, and
 * `serializeProperties` awaits it once more).
 */
export function serializedState(state: Record<string, unknown>): Promise<Record<string, unknown>> {
    const turns = plainObject(state) ? keysTurns(state) : -1;
    return turns < 0 ? rpc.serializeProperties("", state) : settleAfter(1 + turns, state);
}
