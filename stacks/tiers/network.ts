/** The network tier of a stack: the Vpc3Az, configured from stack config. */
import { Vpc3Az } from "../../components/network";
import { StackConfig } from "../config";
import { NETWORK_NAME, networkArgs } from "./layout";
import { PRIMARY_SCOPE, StampScope } from "./stamp";
import { stampName } from "../config/stamps";

/** In another stamp than the primary: `net-<region key>`, with the stamp's provider. */
export function networkTier(config: StackConfig, availabilityZones: string[], scope: StampScope = PRIMARY_SCOPE): Vpc3Az {
    return new Vpc3Az(stampName(scope, NETWORK_NAME), networkArgs(config, availabilityZones), scope.opts);
}
