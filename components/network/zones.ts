/**
 * Looking up the zones a region offers, so stacks can pass them to Vpc3Az as
 * plain values (the layout is planned before anything is created).
 */
import { Cloud } from "../common/cloud";
import { NetworkDefaults } from "./layout";

/**
 * The availability zones the current region offers, in order. On AWS this asks
 * the provider (`aws.getAvailabilityZones`, state `available`, standard zones
 * only); on Azure zones are the logical numbers 1-3.
 */
export async function availabilityZoneNames(cloud: Cloud): Promise<string[]> {
    if (cloud === Cloud.Azure) return [...NetworkDefaults.azureZones];
    // Loaded here so that Azure programs never load the AWS SDK.
    const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
    const zones = await aws.getAvailabilityZones({
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    return zones.names;
}
