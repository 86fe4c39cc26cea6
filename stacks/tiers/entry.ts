/**
 * The global entry of a stack of several stamps: one GlobalEntry for the services' public host,
 * with an origin per stamp (its ingress's load balancer), probed on the entry service's readiness path.
 */
import * as pulumi from "@pulumi/pulumi";
import { EntryDefaults, GlobalEntry, GlobalEntryArgs } from "../../components/entry";
import { PerCloud } from "../../components/common";
import { NetworkFacts } from "../../components/network";
import { StackConfig } from "../config";
import { buildsGlobalEntry } from "../config/globalEntry";

/** One stamp's public endpoint. */
export interface EntryOrigin {
    readonly region: string;
    readonly address: pulumi.Input<string>;
}

/** The entry's name: part of every resource it creates. */
export const ENTRY_NAME = "entry";

/** The stack's GlobalEntry, or undefined when its services run in one stamp only. */
export function entryTier(config: StackConfig, network: NetworkFacts, origins: readonly EntryOrigin[]): GlobalEntry | undefined {
    if (!buildsGlobalEntry(config)) return undefined;
    return new GlobalEntry(ENTRY_NAME, {
        cloud: config.cloud,
        host: config.services.host,
        origins: origins.map((o) => ({ region: o.region, address: o.address })),
        healthPath: entryHealthPath(config),
        ...CLOUD_ARGS[config.cloud](config, network),
        tags: { ...config.tags },
    });
}

/** Per cloud: the Route 53 zone (AWS); the profile's resource group, the first stamp's network's (Azure: Front Door itself is global). */
const CLOUD_ARGS: PerCloud<(config: StackConfig, network: NetworkFacts) => Pick<GlobalEntryArgs, "aws" | "azure">> = {
    aws: (config) => ({ aws: { hostedZoneId: config.globalEntry.hostedZoneId } }),
    azure: (_config, network) => ({ azure: { resourceGroupName: network.resourceGroupName ?? resourceGroupOf(network.subnets[0].id) } }),
};

/** The resource group of an ARM id, e.g. a subnet's. */
function resourceGroupOf(id: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(id).apply((value) => /\/resourceGroups\/([^/]+)/i.exec(value)?.[1] ?? "");
}

/**
 * The path the probes request: the entry service's readiness path, under the service's own prefix when the
 * ingress routes several entry services (as CookieServices' ingress does).
 */
export function entryHealthPath(config: StackConfig): string {
    const services = config.services.services;
    const entries = config.services.entryServices ?? services.filter((s) => s.public === true).map((s) => s.name);
    const entry = services.find((s) => s.name === entries[0]);
    // A service without its own readiness path answers on CookieServices' default, which is the entry's default too.
    const readiness = entry?.readinessPath ?? EntryDefaults.healthPath;
    return entries.length === 1 ? readiness : `/${entries[0]}${readiness}`;
}
