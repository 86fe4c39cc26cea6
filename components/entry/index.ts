/** The global entry module (`intergalactic-infra/entry`): GlobalEntry, one public host in front of several regions. Loads no cloud SDK until a GlobalEntry is built. */
export { GlobalEntry } from "./globalEntry";
export type { EntryDnsRecord, GlobalEntryArgs, GlobalEntryAwsArgs, GlobalEntryAzureArgs, GlobalEntryOriginArgs } from "./globalEntry";
export { EntryDefaults } from "./entryPlan";
