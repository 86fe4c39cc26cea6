/** The network tier of a stack: the Vpc3Az, configured from stack config. */
import { Vpc3Az } from "../../components/network/vpc3az";
import { StackConfig } from "../config";
import { NETWORK_NAME, networkArgs } from "./layout";

export function networkTier(config: StackConfig, availabilityZones: string[]): Vpc3Az {
    return new Vpc3Az(NETWORK_NAME, networkArgs(config, availabilityZones));
}
