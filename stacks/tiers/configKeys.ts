/**
 * A component's arg error, retold in the config keys the user wrote. The tiers turn config into
 * component args (`intergalactic:network.zoneCount: 2` becomes HaMongo's `zones`), so a component's
 * `zones: [...] must name at least 3 zones` would name an arg nobody set; this names the key.
 */
import { CLOUDS, InvalidArgumentsError } from "../../components/common";
import { NAMESPACE, StackConfig } from "../config";

/** The stack-config sections a tier reads, by the name of its section key. */
export type Section = "network" | "bastion" | "cluster" | "redis" | "mongo" | "kafka" | "services" | "globalEntry";

/** Args a tier derives from keys of other sections (or of the provider), and the key each comes from. */
const DERIVED_ARGS: Readonly<Record<string, string>> = {
    availabilityZones: "aws:region",
    zones: `${NAMESPACE}:network.zoneCount`,
    subnetIds: `${NAMESPACE}:network.zoneCount`,
    subnets: `${NAMESPACE}:network.zoneCount`,
    network: `${NAMESPACE}:network`,
    subnetCidrs: `${NAMESPACE}:network.cidrBlock`,
    allowedClientCidrs: `${NAMESPACE}:network.cidrBlock`,
    networkCidr: `${NAMESPACE}:network.cidrBlock`,
    loadBalancerSubnets: `${NAMESPACE}:network.zoneCount`,
    finalSnapshotSuffix: `${NAMESPACE}:snapshots.finalSnapshotSuffix`,
    restoreFromSnapshot: `${NAMESPACE}:snapshots.restore`,
    encryptionKeyId: `${NAMESPACE}:snapshots.encryptionKeys`,
    requireDigests: `${NAMESPACE}:environment`,
    location: "azure-native:location",
    tags: `${NAMESPACE}:tags`,
    kafkaTopics: `${NAMESPACE}:kafka.topics`,
    mongoCollections: `${NAMESPACE}:mongo.collections`,
    // The global entry's: the services' host and probe path, and one origin per region.
    host: `${NAMESPACE}:services.host`,
    healthPath: `${NAMESPACE}:services.services`,
    origins: `${NAMESPACE}:regions`,
};

/** Arg prefixes that stand for a section's own keys under another name (`ingress.host` is `services.host`). */
const ARG_PREFIXES: Partial<Record<Section, Readonly<Record<string, string>>>> = {
    services: { ingress: "" },
};

const PROBLEM = /^([A-Za-z][A-Za-z0-9]*)((?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*)(: [\s\S]*)$/;

/** `aws.` / `azure.`: a component's cloud group, which the tiers fill from the section's keys of the same name. */
const CLOUD_GROUP = new RegExp(`^\\.(?:${CLOUDS.join("|")})(?=\\.)`);

/** One problem line of a component, with its arg replaced by the config key it comes from. */
export function retell(problem: string, section: Section, config: StackConfig, component: string): string {
    const match = PROBLEM.exec(problem);
    if (!match) return `${component}: ${problem}`;
    const [, written, writtenRest, tail] = match;
    const arg = `${written}${writtenRest}`;
    // `aws.engine` is `redis.engine`, `ingress.aws.certificateArn` is `services.certificateArn`: drop the cloud group.
    let root = written;
    let rest = writtenRest;
    const grouped = CLOUD_GROUP.exec(`.${root}${rest}`);
    if (grouped) {
        const next = /^\.([A-Za-z][A-Za-z0-9]*)/.exec(rest)!;
        root = next[1];
        rest = rest.slice(next[0].length);
    }
    const alias = ARG_PREFIXES[section]?.[root];
    if (alias !== undefined && rest.startsWith(".")) {
        const next = /^\.([A-Za-z][A-Za-z0-9]*)/.exec(rest.replace(CLOUD_GROUP, ""))!;
        root = next[1];
        rest = rest.replace(CLOUD_GROUP, "").slice(next[0].length);
    }
    rest = rest.replace(CLOUD_GROUP, "");
    const fields = config[section] as unknown as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(fields, root)) return `${NAMESPACE}:${section}.${root}${rest}${tail}`;
    const derived = DERIVED_ARGS[root];
    if (derived !== undefined) return `${derived} (${component} ${arg})${tail}`;
    return `${component} ${arg}${tail}`;
}

/** Builds a tier; an arg error of its component comes back naming the config keys. */
export function inSection<T>(section: Section, config: StackConfig, build: () => T): T {
    try {
        return build();
    } catch (err) {
        if (!(err instanceof InvalidArgumentsError)) throw err;
        throw new InvalidArgumentsError(`stack config (checked by ${err.subject})`,
            err.problems.map((p) => retell(p, section, config, err.subject)));
    }
}
