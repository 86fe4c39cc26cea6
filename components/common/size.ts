/**
 * Cloud-neutral sizes. Components take a size tier; each cloud implementation
 * maps it to its own instance type or SKU in one table.
 */

/** A capacity tier, the same words on every cloud. */
export const Size = {
    /** Development and tests. */
    Small: "small",
    /** Typical production load. */
    Medium: "medium",
    /** Heavy production load. */
    Large: "large",
} as const;
export type Size = (typeof Size)[keyof typeof Size];

/** Every size, smallest first. */
export const SIZES: readonly Size[] = [Size.Small, Size.Medium, Size.Large];
