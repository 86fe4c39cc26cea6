/**
 * Synthetic stack configurations for the benchmarks: a real stack's config
 * with `intergalactic:services` grown to N services, M of them public, written
 * in the services config format (stacks/config/services.ts).
 */
import { ServiceSpec } from "../../components/services/serviceSpec";

/** The shape of the synthetic service list. */
export interface SyntheticShape {
    /** How many services. */
    readonly services: number;
    /** How many of them the Ingress exposes. */
    readonly publicEntries: number;
}

/** `svc-007`: stable, DNS-1035 names that sort in creation order. */
export function serviceName(i: number): string {
    return `svc-${String(i + 1).padStart(3, "0")}`;
}

/**
 * N services shaped like the cookie pipeline: every service is called by the
 * one before it, and they take turns on the cache, the database and the queue
 * (the queue users produce and consume `topic`), so every kind of object a
 * service can need is exercised and the work per service stays constant.
 */
export function syntheticServices(shape: SyntheticShape, topic: string): ServiceSpec[] {
    if (!Number.isInteger(shape.services) || shape.services < 1) throw new Error(`services: ${shape.services} must be an integer >= 1`);
    if (!Number.isInteger(shape.publicEntries) || shape.publicEntries < 1 || shape.publicEntries > shape.services) {
        throw new Error(`publicEntries: ${shape.publicEntries} must be an integer from 1 to services (${shape.services})`);
    }
    return Array.from({ length: shape.services }, (_, i): ServiceSpec => {
        const store = (["redis", "mongo", "kafka"] as const)[i % 3];
        return {
            name: serviceName(i),
            image: `ghcr.io/intergalactic-cookies/${serviceName(i)}`,
            dataStores: [store],
            callers: i === 0 ? [] : [serviceName(i - 1)],
            ...(store === "kafka" ? { consumes: [topic], produces: [topic] } : {}),
            public: i < shape.publicEntries,
        };
    });
}

/** A digest per synthetic service, so a prod stack, which runs every image by digest, accepts the list. */
export function syntheticDigest(i: number): string {
    return `sha256:${(i + 1).toString(16).padStart(64, "0")}`;
}

/**
 * A stack config with its services section replaced by the synthetic list (other settings kept).
 * The base's image digests name the base's services, so they are replaced by one per synthetic service.
 */
export function syntheticConfig(base: Readonly<Record<string, string>>, shape: SyntheticShape): Record<string, string> {
    const services = JSON.parse(base["intergalactic:services"] ?? "{}") as Record<string, unknown>;
    const kafka = JSON.parse(base["intergalactic:kafka"] ?? "{}") as { topics?: { name: string }[] };
    const topic = kafka.topics?.[0]?.name;
    if (!topic) throw new Error("the base stack declares no Kafka topic for the synthetic services to use");
    const list = syntheticServices(shape, topic);
    return {
        ...base,
        "intergalactic:services": JSON.stringify({
            ...services,
            enabled: true,
            services: list,
            entryServices: list.filter((s) => s.public).map((s) => s.name),
            imageDigests: Object.fromEntries(list.map((s, i) => [s.name, syntheticDigest(i)])),
        }),
    };
}
