/** The prod data-loss rules, shared with the stack program (see `SHARED_MODULES`). */
export * from "../../../stacks/config/dataLoss";
