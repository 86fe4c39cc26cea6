/** The operator access module (`intergalactic-infra/bastion`): BastionHost. Loads no cloud SDK until a BastionHost is built. */
export { BastionHost } from "./bastionHost";
export type { BastionHostArgs } from "./bastionHost";
export { BastionDefaults } from "./layout";
