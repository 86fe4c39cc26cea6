/**
 * Which failures are worth another attempt, and how long to wait between them.
 * Only failures that say nothing about our program (network, throttling, the
 * backend's 5xx) are retried: `up` and `destroy` converge, so a retry is safe.
 */

export interface RetryPolicy {
    /** Total attempts per operation, the first included. */
    readonly attempts: number;
    /** Wait before the second attempt; each further wait is three times longer. */
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
}

export const DefaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 15_000, maxDelayMs: 120_000 };

const TRANSIENT = [
    /\[(429|500|502|503|504)\]/,
    /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE)\b/,
    /socket hang up|connection reset by peer|i\/o timeout|TLS handshake timeout|unexpected EOF/i,
    /Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequests|Rate exceeded|SlowDown/,
    /ServiceUnavailable|InternalServerError|RetryableError/,
];

export function isTransient(message: string): boolean {
    return TRANSIENT.some((pattern) => pattern.test(message));
}

/** The wait before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
    return Math.min(policy.maxDelayMs, policy.baseDelayMs * 3 ** (attempt - 1));
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
