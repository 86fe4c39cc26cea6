/** The tag keys: the engine's one definition, shared with the pack (see `SHARED_MODULES`). */
export * from "../../../engine/tags";
