/**
 * `intergalactic:globalEntry`: the public host in front of a stack's stamps (README, Regions). A prod
 * stack with more than one stamp and services has one; on AWS it writes latency records into the
 * Route 53 hosted zone `hostedZoneId`, on Azure Front Door serves the host and names the DNS records
 * its domain must hold.
 */
import { PerCloud, Problems } from "../../components/common";
import type { ConfigObject } from "./reader";
import type { StackConfig } from "./index";

export interface GlobalEntryConfig {
    /** AWS: the Route 53 hosted zone (`Z...`) holding `intergalactic:services.host`. */
    readonly hostedZoneId?: string;
    /**
     * AWS: issue each stamp's certificate for the host (ACM, validated by DNS in `hostedZoneId`) instead of taking
     * `intergalactic:services.certificateArn` and `regionCertificateArns`. Default false.
     */
    readonly managedCertificates: boolean;
    /** Whether the section was given. */
    readonly present: boolean;
}

const KEY = "intergalactic:globalEntry";

export function parseGlobalEntry(obj: ConfigObject, present: boolean): GlobalEntryConfig {
    const hostedZoneId = obj.has("hostedZoneId") ? obj.string("hostedZoneId", "") : undefined;
    const managedCertificates = obj.boolean("managedCertificates", false);
    obj.rejectUnknownKeys();
    return { hostedZoneId, managedCertificates, present };
}

/** Whether the stack builds a global entry: its services run in more than one stamp. */
export function buildsGlobalEntry(config: StackConfig): boolean {
    return config.services.enabled && config.stamps.length > 1;
}

/** Per cloud, what the entry needs from config: Route 53's hosted zone (AWS); nothing on Azure, where Front Door serves the host. */
const NEEDS: PerCloud<(config: StackConfig, problems: Problems) => void> = {
    aws: (config, problems) => {
        problems.check(/^Z[A-Z0-9]{1,31}$/.test(config.globalEntry.hostedZoneId ?? ""), `${KEY}.hostedZoneId`, config.globalEntry.hostedZoneId,
            `is required with ${config.stamps.length} regions: the Route 53 hosted zone (Z...) that holds ${config.services.host}, where each region's latency record goes`);
    },
    azure: () => undefined,
};

/**
 * A multi-stamp stack with services needs its entry's settings; a stack without one may set none; the
 * services' own forward cache would claim the same host.
 */
export function checkGlobalEntry(config: StackConfig, problems: Problems): void {
    const entry = config.globalEntry;
    if (config.stamps.length < 2) {
        problems.check(entry.hostedZoneId === undefined, `${KEY}.hostedZoneId`, entry.hostedZoneId,
            `does nothing here: a global entry stands in front of more than one stamp (intergalactic:regions lists ${config.stamps.length}); remove it`);
        problems.check(!entry.managedCertificates, `${KEY}.managedCertificates`, entry.managedCertificates,
            `does nothing here: the certificates are validated in the global entry's hosted zone, and a stack of ${config.stamps.length} region has none; give intergalactic:services.certificateArn`);
        return;
    }
    if (!buildsGlobalEntry(config)) return;
    NEEDS[config.cloud](config, problems);
    problems.check(config.services.forwardCache.enabled !== true, "intergalactic:services.forwardCache.enabled", true,
        `cannot be on with a global entry: both would serve ${config.services.host} (the forward cache in front of one region's ingress only)`);
}
