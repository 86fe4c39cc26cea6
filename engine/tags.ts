/**
 * The tag keys the components set on every resource and the engine, the
 * policies and the reports read. The one definition outside `components/`:
 * components import nothing outside their folder, so `components/common/tags.ts`
 * keeps the writer's copy and `components/common/tags.test.ts` checks that the
 * two agree. The policy pack compiles this module in (`policies/pack/shared/tags.ts`).
 */
export const TagKeys = {
    Component: "intergalactic:component",
    Tier: "intergalactic:tier",
    Zone: "intergalactic:zone",
} as const;
