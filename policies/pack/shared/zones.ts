/** The zone reader: the engine's one implementation, shared with the pack (see `SHARED_MODULES`); it imports `tags`. */
export * from "../../../engine/zones";
