/**
 * The Intergalactic Cookies pipeline as data:
 *
 *   user -> get-cookie (checks the user in Mongo) -> prepare-cookie (Redis cookie cache)
 *        on a miss prepare-cookie -> mix -> [cookie-mixed] -> bake -> [cookie-baked]
 *        -> pack -> [cookie-packed] -> prepare-cookie, which answers get-cookie.
 *
 * mix is called over HTTP; the later stages are asynchronous over Kafka topics.
 */
import { DataStoreKind, ServiceSpec } from "./serviceSpec";

/** The Kafka topics between the asynchronous stages. */
export const CookieTopics = {
    Mixed: "cookie-mixed",
    Baked: "cookie-baked",
    Packed: "cookie-packed",
} as const;

/** The Mongo collections of the user database the services use. */
export const CookieCollections = {
    Users: "users",
} as const;

/** The user database's collections for the default pipeline: sharded on `_id`, which `get-cookie` looks users up by. */
export const COOKIE_COLLECTIONS: readonly { readonly name: string; readonly shardKey: string }[] = [
    { name: CookieCollections.Users, shardKey: "_id" },
];

/** The default image registry of the cookie services. */
export const DEFAULT_REGISTRY = "ghcr.io/intergalactic-cookies";

/** The five cookie services, with images under `registry`. */
export function cookiePipeline(registry: string = DEFAULT_REGISTRY): ServiceSpec[] {
    const image = (name: string) => `${registry}/${name}`;
    return [
        {
            name: "get-cookie", image: image("get-cookie"), public: true,
            dataStores: [DataStoreKind.Mongo], collections: [CookieCollections.Users], maxReplicas: 10,
        },
        {
            name: "prepare-cookie", image: image("prepare-cookie"), callers: ["get-cookie"],
            dataStores: [DataStoreKind.Redis, DataStoreKind.Kafka], consumes: [CookieTopics.Packed], maxReplicas: 10,
        },
        {
            name: "mix", image: image("mix"), callers: ["prepare-cookie"],
            dataStores: [DataStoreKind.Kafka], produces: [CookieTopics.Mixed],
        },
        {
            name: "bake", image: image("bake"),
            dataStores: [DataStoreKind.Kafka], consumes: [CookieTopics.Mixed], produces: [CookieTopics.Baked],
        },
        {
            name: "pack", image: image("pack"),
            dataStores: [DataStoreKind.Kafka], consumes: [CookieTopics.Baked], produces: [CookieTopics.Packed],
        },
    ];
}

/**
 * Every topic the services consume or produce, sorted and without duplicates: the list to give
 * KafkaQuorum so that the topics the services expect exist.
 */
export function pipelineTopics(services: readonly { readonly consumes?: readonly string[]; readonly produces?: readonly string[] }[]): string[] {
    return [...new Set(services.flatMap((s) => [...(s.consumes ?? []), ...(s.produces ?? [])]))].sort();
}
