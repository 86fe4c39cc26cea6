/**
 * One regional stamp of a stack: its view of the stack config (its region, network block and
 * names) and the options that put its components in its region. The primary stamp is exactly the
 * stack as it was before regions: same config, same names, the stack's default provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, withCloudSdk } from "../../components/common";
import { StackConfig } from "../config";
import { Stamp } from "../config/stamps";

/** What a tier needs to build its component in a stamp. */
export interface StampScope {
    /** Ends the stamp's names: "" for the primary stamp. */
    readonly key: string;
    /** `{ providers: [regional provider] }`, or `{}` for the primary (the stack's default provider). */
    readonly opts: pulumi.ComponentResourceOptions;
    /** The same provider for lookups (the region's zones). */
    readonly invokeOpts: pulumi.InvokeOptions;
}

/** The primary stamp's scope: today's names, the default provider. */
export const PRIMARY_SCOPE: StampScope = { key: "", opts: {}, invokeOpts: {} };

/**
 * The provider of a stamp in another region. Loaded here so that an AWS program never loads
 * `@pulumi/azure-native` and an Azure one never loads `@pulumi/aws`.
 */
const REGIONAL_PROVIDER: PerCloud<(name: string, region: string) => pulumi.ProviderResource> = {
    [Cloud.Aws]: (name, region) => {
        const aws: typeof import("@pulumi/aws/provider") = withCloudSdk(Cloud.Aws, () => require("@pulumi/aws/provider"));
        return new aws.Provider(name, { region });
    },
    [Cloud.Azure]: (name, location) => {
        const azure: typeof import("@pulumi/azure-native/provider") = withCloudSdk(Cloud.Azure, () => require("@pulumi/azure-native/provider"));
        return new azure.Provider(name, { location });
    },
};

/** The provider's logical name: one per region, by region name, so a new region adds one provider and moves none. */
export const regionalProviderName = (stamp: Pick<Stamp, "region">): string => `region-${stamp.region}`;

/** The scope of a stamp: the primary's, or a new explicit provider for its region. */
export function stampScope(config: StackConfig, stamp: Stamp): StampScope {
    if (stamp.primary) return PRIMARY_SCOPE;
    const provider = REGIONAL_PROVIDER[config.cloud](regionalProviderName(stamp), stamp.region);
    return { key: stamp.key, opts: { providers: [provider] }, invokeOpts: { provider } };
}
