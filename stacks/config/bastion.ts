/** `intergalactic:bastion`: the BastionHost of the stack. */
import { Size, SIZES } from "../../components/common";
import { BastionDefaults } from "../../components/bastion";
import { ConfigObject } from "./reader";

export interface BastionConfig {
    /** IPv4 ranges allowed to SSH in; empty means Session Manager / Azure Bastion only. */
    readonly sshAllowedCidrs: readonly string[];
    /** Azure: also create a jump box VM in the first app subnet. */
    readonly jumpBox: boolean;
    /** An OpenSSH public key; undefined when not set. */
    readonly sshPublicKey?: string;
    readonly size: Size;
    /** Azure: the Bastion's zones; `[]` for a regional Bastion where zone-redundant Bastion is not offered. */
    readonly zones: readonly string[];
}

export function parseBastion(obj: ConfigObject): BastionConfig {
    // Rules that depend on the cloud (the /0 rule, key requirements, zones) are checked by BastionHost itself.
    const sshPublicKey = obj.string("sshPublicKey", "");
    const config: BastionConfig = {
        sshAllowedCidrs: obj.stringList("sshAllowedCidrs", []),
        jumpBox: obj.boolean("jumpBox", false),
        sshPublicKey: sshPublicKey === "" ? undefined : sshPublicKey,
        size: obj.string("size", BastionDefaults.size, SIZES),
        zones: obj.stringList("zones", BastionDefaults.zones),
    };
    obj.rejectUnknownKeys();
    return config;
}
