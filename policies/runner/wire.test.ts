/**
 * The plan's values on the wire: secrets and unknowns become the engine's forms, undefined
 * properties are left out, and what needs no change is shared rather than copied; a stack
 * request sends each provider's inputs converted once.
 */
import * as assert from "assert";
import { REDACTED, UNKNOWN } from "../../engine/format";
import { resource } from "../fixtures/build";
import { analyzeStackRequest, toWire } from "./wire";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: REDACTED };
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("plan values on the wire", () => {
    it("turns secrets and unknowns anywhere into the engine's forms and leaves out undefined properties", () => {
        const value = { a: 1, b: [REDACTED, "x", { c: UNKNOWN, d: undefined }], e: { f: null, g: undefined }, h: "plain" };
        const before = JSON.stringify(value);
        const wire = toWire(value) as Record<string, unknown>;
        assert.deepStrictEqual(wire, { a: 1, b: [SECRET, "x", { c: UNKNOWN_VALUE }], e: { f: null }, h: "plain" });
        assert.deepStrictEqual(Object.keys(wire), ["a", "b", "e", "h"]);
        assert.deepStrictEqual(Object.keys(wire.e as object), ["f"], "a property left out is not there at all");
        assert.strictEqual(JSON.stringify(value), before, "the plan's value is not changed");
    });

    it("shares what needs no change instead of copying it", () => {
        const tags = { team: "core" };
        const value = { name: "web", tags, ports: [80, 443], password: REDACTED };
        const wire = toWire(value) as Record<string, unknown>;
        assert.notStrictEqual(wire, value, "an object with a change is a copy");
        assert.strictEqual(wire.tags, tags);
        assert.strictEqual(wire.ports, value.ports);
        const plain = { a: { b: [1, { c: "d" }] } };
        assert.strictEqual(toWire(plain), plain);
    });

    it("sends a provider's inputs once for all the resources on it", () => {
        const provider = resource("pulumi:providers:kubernetes", "eks", { kubeconfig: REDACTED });
        const on = (name: string) => ({ ...resource("kubernetes:core/v1:Service", name, { metadata: { name } }), options: { ...resource("x", "y", {}).options, provider: `${provider.urn}::id` } });
        const request = analyzeStackRequest([provider, on("a"), on("b")]);
        const [, a, b] = request.getResourcesList();
        assert.strictEqual(a.getProvider(), b.getProvider());
        assert.deepStrictEqual(a.getProvider()?.getProperties()?.toJavaScript(), { kubeconfig: SECRET });
        assert.strictEqual(a.getProvider()?.getUrn(), provider.urn);
    });
});
