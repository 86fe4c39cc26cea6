/**
 * Whether a series of measurements grows linearly: the cost of one more
 * service must not rise as the service count rises. Fixed costs (SDK loading,
 * the network and data tiers) are the intercept, so the test compares
 * marginal costs between segments, not totals.
 */

/** One point of the scaling series. */
export interface GrowthPoint {
    readonly services: number;
    readonly resources: number;
    readonly cpuMs: number;
    readonly wallMs: number;
    readonly peakMiB: number;
}

export interface GrowthVerdict {
    readonly linear: boolean;
    /** Marginal CPU milliseconds per added service, per segment. */
    readonly msPerService: number[];
    /** Marginal resources per added service, per segment. */
    readonly resourcesPerService: number[];
    readonly text: string;
}

/**
 * How much the marginal cost may rise from the first segment to the last and
 * still count as linear: room for measurement noise on a shared machine,
 * far below the 4x an O(n^2) step would show from 60 to 240.
 */
export const LINEAR_TOLERANCE = 1.5;

/** Marginal cost per service between consecutive points (sorted by service count). */
function marginal(points: readonly GrowthPoint[], cost: (p: GrowthPoint) => number): number[] {
    return points.slice(1).map((p, i) => (cost(p) - cost(points[i])) / (p.services - points[i].services));
}

/** Judges a series of at least two points with distinct service counts. */
export function growthVerdict(series: readonly GrowthPoint[]): GrowthVerdict {
    const points = [...series].sort((a, b) => a.services - b.services);
    if (points.length < 2 || new Set(points.map((p) => p.services)).size !== points.length) {
        throw new Error("the growth series needs at least two points with distinct service counts");
    }
    const msPerService = marginal(points, (p) => p.cpuMs);
    const resourcesPerService = marginal(points, (p) => p.resources);
    const worst = (values: number[]) => values[values.length - 1] / Math.max(values[0], Number.EPSILON);
    // A first segment at or below zero (noise) cannot anchor a ratio; judge by the later segments' sign then.
    const timeRise = msPerService[0] > 0 ? worst(msPerService) : (msPerService[msPerService.length - 1] <= 0 ? 1 : Infinity);
    const resourceRise = worst(resourcesPerService);
    const linear = timeRise <= LINEAR_TOLERANCE && resourceRise <= LINEAR_TOLERANCE;
    const text = `${linear ? "linear" : "NOT linear"}: ${msPerService.map((m) => `${m.toFixed(0)} ms`).join(" then ")} of plan CPU and ` +
        `${resourcesPerService.map((r) => r.toFixed(1)).join(" then ")} resources per added service ` +
        `(last/first ${timeRise.toFixed(2)} and ${resourceRise.toFixed(2)}; linear means <= ${LINEAR_TOLERANCE})`;
    return { linear, msPerService, resourcesPerService, text };
}
