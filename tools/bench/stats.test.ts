import * as assert from "assert";
import * as fc from "fast-check";
import { formatRatio, median, meets, pairRatios, spread } from "./stats";

describe("the paired-run statistics", () => {
    it("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
        assert.strictEqual(median([5, 1, 3]), 3);
        assert.strictEqual(median([4, 1, 3, 2]), 2.5);
        assert.throws(() => median([]), /no values/);
    });

    it("divides pair by pair, so a slow moment that hits both runs of a pair cancels out", () => {
        // The second pair ran while the machine was twice as slow: its ratio is still 0.5.
        assert.deepStrictEqual(pairRatios([1, 2, 1], [2, 4, 2]), [0.5, 0.5, 0.5]);
        assert.strictEqual(spread(pairRatios([1, 2, 1], [2, 4, 2])).median, 0.5);
    });

    it("refuses pairs of different lengths and divisors that are not positive", () => {
        assert.throws(() => pairRatios([1, 2], [1]), /differ in length/);
        assert.throws(() => pairRatios([1], [0]), /pair 1: the divisor 0 is not positive/);
    });

    it("judges a goal by the median ratio, not by the best pair", () => {
        const ratio = spread([0.8, 1.2, 1.3]);
        assert.strictEqual(meets(ratio, 1.0), false);
        assert.strictEqual(meets(ratio, 1.2), true);
        assert.strictEqual(formatRatio(ratio), "1.20x (0.80-1.30)");
    });

    it("keeps the median within the range, whatever the values", () => {
        fc.assert(fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
            const s = spread(values);
            return s.min <= s.median && s.median <= s.max;
        }));
    });
});
