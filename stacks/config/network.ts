/** `intergalactic:network`: the Vpc3Az of the stack. */
import { NAT_STRATEGIES, NatStrategy, NetworkDefaults } from "../../components/network/layout";
import { ConfigObject } from "./reader";

export interface NetworkConfig {
    readonly cidrBlock: string;
    readonly zoneCount: number;
    readonly natStrategy: NatStrategy;
    readonly avoidCidrs: readonly string[];
    readonly flowLogRetentionDays: number;
}

export function parseNetwork(obj: ConfigObject): NetworkConfig {
    const config: NetworkConfig = {
        cidrBlock: obj.string("cidrBlock", NetworkDefaults.cidrBlock),
        // Range checks against the region and layout happen in Vpc3Az itself.
        zoneCount: obj.integer("zoneCount", NetworkDefaults.zoneCount, 1),
        natStrategy: obj.string("natStrategy", NetworkDefaults.natStrategy, NAT_STRATEGIES),
        avoidCidrs: obj.stringList("avoidCidrs", []),
        flowLogRetentionDays: obj.integer("flowLogRetentionDays", NetworkDefaults.flowLogRetentionDays, 1),
    };
    obj.rejectUnknownKeys();
    return config;
}
