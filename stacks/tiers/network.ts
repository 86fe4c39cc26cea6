/** The network tier of a stack: the Vpc3Az, configured from stack config. */
import { Vpc3Az } from "../../components/network/vpc3az";
import { StackConfig } from "../config";

export function networkTier(config: StackConfig, availabilityZones: string[]): Vpc3Az {
    return new Vpc3Az("net", {
        cloud: config.cloud,
        cidrBlock: config.network.cidrBlock,
        zoneCount: config.network.zoneCount,
        availabilityZones,
        natStrategy: config.network.natStrategy,
        avoidCidrs: [...config.network.avoidCidrs],
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        tags: { ...config.tags },
    });
}
