/**
 * Looking up the zones a region offers, so stacks can pass them to Vpc3Az as
 * plain values (the layout is planned before anything is created).
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, withCloudSdk } from "../common/cloud";
import { NetworkDefaults } from "./layout";

/**
 * Zone IDs where EKS does not place clusters; a cluster subnet there fails with
 * UnsupportedAvailabilityZoneException. Zone names map to physical zones per
 * account (us-east-1a in one account is another zone in the next), so these
 * are matched by zone ID, never by name.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets
 * (use1-az3, usw1-az2, cac1-az3); cnn1-az4 is also refused in practice (weaveworks/eksctl#3916).
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3", "cnn1-az4"];

/**
 * The availability zones the current region offers, in order. On AWS this asks
 * the provider (`aws.getAvailabilityZones`, state `available`, standard zones
 * only) and leaves out the zone IDs EKS rejects, for every stack: the network's
 * zones must not move when the cluster is switched on later. On Azure zones are
 * the logical numbers 1-3. `opts` picks the region's provider (another region's stamp); without
 * it the lookup asks the default provider, in the stack's own region.
 */
export function availabilityZoneNames(cloud: Cloud, opts: pulumi.InvokeOptions = {}): Promise<string[]> {
    return ZONE_NAMES[cloud](opts);
}

/** Per cloud, where the zones come from: the AWS provider's lookup, Azure's fixed logical zones. */
const ZONE_NAMES: PerCloud<(opts: pulumi.InvokeOptions) => Promise<string[]>> = {
    aws: async (opts) => {
        // Loaded here so that Azure programs never load the AWS SDK; by submodule, as its root index loads all 250 services.
        const { getAvailabilityZones }: typeof import("@pulumi/aws/getAvailabilityZones") = withCloudSdk(Cloud.Aws, () => require("@pulumi/aws/getAvailabilityZones"));
        const zones = await getAvailabilityZones({
            state: "available",
            filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
            excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
        }, opts);
        return zones.names;
    },
    azure: async () => [...NetworkDefaults.azureZones],
};
