import * as assert from "assert";
import * as fc from "fast-check";
import { QuantityKind, parseQuantity, quantityProblem } from "./quantity";

describe("parseQuantity", () => {
    const table: [string, number][] = [
        ["100m", 0.1], ["0.5", 0.5], ["2", 2], [".25", 0.25], ["1k", 1000], ["128Mi", 128 * 2 ** 20],
        ["1Gi", 2 ** 30], ["1G", 1e9], ["1e3", 1000], ["5E-1", 0.5], ["250u", 0.00025],
    ];
    for (const [text, value] of table) {
        it(`reads ${text} as ${value}`, () => assert.ok(Math.abs(parseQuantity(text)! - value) < 1e-12));
    }

    it("refuses text that is not a quantity", () => {
        for (const text of ["", "lots", "1 Gi", "1GiB", "1.2.3", "Mi", "1mi", "0x10"]) assert.strictEqual(parseQuantity(text), undefined, text);
    });

    it("scales binary suffixes by powers of 1024 for any whole amount", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(["Ki", 10], ["Mi", 20], ["Gi", 30]), (n, [suffix, power]) =>
            parseQuantity(`${n}${suffix}`) === n * 2 ** (power as number)));
    });

    it("orders millicores the same way as their numbers", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 64_000 }), fc.integer({ min: 1, max: 64_000 }), (a, b) =>
            (parseQuantity(`${a}m`)! <= parseQuantity(`${b}m`)!) === (a <= b)));
    });
});

describe("quantityProblem", () => {
    it("accepts usual CPU and memory amounts", () => {
        for (const cpu of ["1m", "250m", "0.5", "4"]) assert.strictEqual(quantityProblem(cpu, QuantityKind.Cpu), undefined, cpu);
        for (const memory of ["1Mi", "128Mi", "2Gi", "1G"]) assert.strictEqual(quantityProblem(memory, QuantityKind.Memory), undefined, memory);
    });

    it("explains zero, sub-millicore CPU and millibyte memory", () => {
        assert.match(quantityProblem("0", QuantityKind.Cpu)!, /greater than zero/);
        assert.match(quantityProblem("0.0001", QuantityKind.Cpu)!, /below 1m/);
        assert.match(quantityProblem("128m", QuantityKind.Memory)!, /below 1Mi: .*m means milli-bytes/);
        assert.match(quantityProblem("big", QuantityKind.Memory)!, /not a Kubernetes quantity \(e\.g\. 256Mi or 1Gi\)/);
    });
});
