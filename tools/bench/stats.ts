/**
 * The statistics of paired measurements. The machine is shared, so its speed drifts
 * between runs: two programs are compared by runs taken in turn (A B, B A, ...), the
 * ratio A/B taken pair by pair, and the median of those ratios quoted, so that a
 * disturbance hits both sides of a pair and one disturbed pair does not move the result.
 */

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("the median of no values is undefined");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Minimum, median and maximum: the median to quote, the range to show how noisy the runs were. */
export interface Spread {
    readonly min: number;
    readonly median: number;
    readonly max: number;
}

export function spread(values: readonly number[]): Spread {
    if (values.length === 0) throw new Error("the spread of no values is undefined");
    return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** The ratio a[i] / b[i] of each pair; both lists hold one value per pair, in pair order. */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
    if (a.length !== b.length) throw new Error(`paired lists differ in length (${a.length} and ${b.length})`);
    return a.map((x, i) => {
        if (!(b[i] > 0)) throw new Error(`pair ${i + 1}: the divisor ${b[i]} is not positive`);
        return x / b[i];
    });
}

/** Whether a ratio meets a goal of "at most `goal`" (the median ratio decides, not the best pair). */
export function meets(ratio: Spread, goal: number): boolean {
    return ratio.median <= goal;
}

/** `1.23x (1.10-1.41)`: the median ratio and its range over the pairs. */
export function formatRatio(ratio: Spread): string {
    return `${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)})`;
}
