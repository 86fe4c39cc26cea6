/**
 * Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1G`, `1e3`), parsed
 * to numbers so that requests can be compared with limits before anything is
 * sent to the API server, which would otherwise reject the pod at `up` time.
 */

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// The quantity grammar of k8s.io/apimachinery: a signed decimal number and one suffix.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The value of a quantity in base units (cores or bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
    const match = QUANTITY.exec(text);
    if (!match) return undefined;
    const number = Number(match[1]);
    const suffix = match[2] ?? "";
    if (suffix in BINARY) return number * BINARY[suffix];
    if (suffix in DECIMAL) return number * DECIMAL[suffix];
    return number * 10 ** Number(suffix.slice(1));
}

/** What a resource quantity measures; memory in millibytes (`128m`) is almost always a typo for `128Mi`. */
export const QuantityKind = {
    Cpu: "cpu",
    Memory: "memory",
} as const;
export type QuantityKind = (typeof QuantityKind)[keyof typeof QuantityKind];

/** Why `text` is not a usable positive quantity of `kind`, or undefined when it is. */
export function quantityProblem(text: string, kind: QuantityKind): string | undefined {
    const value = parseQuantity(text);
    if (value === undefined) return `is not a Kubernetes quantity (e.g. ${kind === QuantityKind.Cpu ? "250m or 0.5" : "256Mi or 1Gi"})`;
    if (value <= 0) return "must be greater than zero";
    if (kind === QuantityKind.Cpu && value < 0.001) return "is below 1m, the smallest CPU amount Kubernetes allows";
    if (kind === QuantityKind.Memory && (/[mnu]$/.test(text) || value < 2 ** 20)) return "is below 1Mi: memory takes binary suffixes such as Mi or Gi (m means milli-bytes)";
    return undefined;
}
