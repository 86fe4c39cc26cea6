/** `intergalactic:network`: the Vpc3Az of the stack. */
import { MAX_ZONES, NAT_STRATEGIES, NatStrategy, NetworkDefaults } from "../../components/network";
import { CLOUDWATCH_MAX_RETENTION_DAYS, PROD_LOG_RETENTION_DAYS } from "./limits";
import { ConfigObject } from "./reader";

export interface NetworkConfig {
    readonly cidrBlock: string;
    readonly zoneCount: number;
    readonly natStrategy: NatStrategy;
    readonly avoidCidrs: readonly string[];
    readonly flowLogRetentionDays: number;
}

/** `prod` keeps flow logs a year unless the stack says otherwise. */
export function parseNetwork(obj: ConfigObject, prod = false): NetworkConfig {
    const config: NetworkConfig = {
        cidrBlock: obj.string("cidrBlock", NetworkDefaults.cidrBlock),
        // Range checks against the region and layout happen in Vpc3Az itself.
        zoneCount: obj.integer("zoneCount", NetworkDefaults.zoneCount, 2, MAX_ZONES),
        natStrategy: obj.string("natStrategy", NetworkDefaults.natStrategy, NAT_STRATEGIES),
        avoidCidrs: obj.stringList("avoidCidrs", []),
        flowLogRetentionDays: obj.integer("flowLogRetentionDays", prod ? PROD_LOG_RETENTION_DAYS : NetworkDefaults.flowLogRetentionDays, 1, CLOUDWATCH_MAX_RETENTION_DAYS),
    };
    obj.rejectUnknownKeys();
    return config;
}
