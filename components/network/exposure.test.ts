import * as assert from "assert";
import * as fc from "fast-check";
import { WORLD_OPEN_PUBLIC_ADDRESSES, exposureOf } from "./exposure";

describe("exposureOf", () => {
    it("judges /0, world tags and halves of the internet as world-open", () => {
        for (const sources of [["0.0.0.0/0"], ["::/0"], ["*"], ["Internet"], ["0.0.0.0/1", "128.0.0.0/1"], ["1.0.0.0/8"], ["AzureCloud.westeurope"], ["2001:db8::/32"]]) {
            assert.strictEqual(exposureOf(sources).worldOpen, true, JSON.stringify(sources));
        }
    });

    it("accepts operator-sized public ranges and private space", () => {
        for (const sources of [["203.0.113.0/24"], ["198.51.100.7/32", "203.0.113.0/24"], ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], ["VirtualNetwork"], ["2001:db8:1::/48"]]) {
            assert.strictEqual(exposureOf(sources).worldOpen, false, JSON.stringify(sources));
        }
    });

    it("counts overlapping ranges once and leaves private space out", () => {
        assert.strictEqual(exposureOf(["1.2.3.0/24", "1.2.3.128/25", "1.2.3.4"]).publicIpv4Addresses, 256);
        assert.strictEqual(exposureOf(["10.0.0.0/8"]).publicIpv4Addresses, 0);
        // 8.0.0.0/6 holds 10.0.0.0/8: four /8s, one of them private.
        assert.strictEqual(exposureOf(["8.0.0.0/6"]).publicIpv4Addresses, 3 * 2 ** 24);
    });

    it("is open exactly when more than a /16 of public addresses is admitted, however the ranges are cut", () => {
        fc.assert(fc.property(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 1, max: 600 }), (prefix, count) => {
            // `count` consecutive public ranges of length `prefix` starting at 1.0.0.0.
            const size = 2 ** (32 - prefix);
            const n = Math.min(count, Math.floor(2 ** 24 / size));
            const ranges = Array.from({ length: n }, (_, i) => {
                const base = 0x01000000 + i * size;
                return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`;
            });
            assert.strictEqual(exposureOf(ranges).worldOpen, n * size > WORLD_OPEN_PUBLIC_ADDRESSES);
        }), { numRuns: 50 });
    });
});
