/** `intergalactic:bastion`: the BastionHost of the stack. */
import { ConfigObject } from "./reader";

export interface BastionConfig {
    readonly sshAllowedCidrs: readonly string[];
    readonly jumpBox: boolean;
}

export function parseBastion(obj: ConfigObject): BastionConfig {
    const config: BastionConfig = {
        sshAllowedCidrs: obj.stringList("sshAllowedCidrs", []),
        jumpBox: obj.boolean("jumpBox", false),
    };
    obj.rejectUnknownKeys();
    return config;
}
