/** The region of each resource: the engine's one answer, shared with the pack (see `SHARED_MODULES`). */
export * from "../../../engine/regions";
