/** The region-loss analysis' plan readers (stores and their copies, the entry's routes), shared with the pack (see `SHARED_MODULES`). */
export * from "../../regionLoss/readers";
