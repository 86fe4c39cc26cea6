/**
 * The service list is data: one `ServiceSpec` per microservice. Adding a
 * service is a new entry in this list (in args or stack config), never new code.
 */

/** A data store a service can use; its connection reaches the pods as a Kubernetes Secret. */
export const DataStoreKind = {
    /** The cookie cache (HaRedis). */
    Redis: "redis",
    /** The user database (HaMongo). */
    Mongo: "mongo",
    /** The message queue between the asynchronous stages (KafkaQuorum). */
    Kafka: "kafka",
} as const;
export type DataStoreKind = (typeof DataStoreKind)[keyof typeof DataStoreKind];

/** Every data store kind, in a stable order. */
export const DATA_STORE_KINDS: readonly DataStoreKind[] = [DataStoreKind.Redis, DataStoreKind.Mongo, DataStoreKind.Kafka];

/** One microservice, deployed as a Deployment with autoscaling, a disruption budget and its own network policy. */
export interface ServiceSpec {
    /** The service's name: a DNS-1035 label (lowercase letters, digits, `-`; starts with a letter; at most 63 characters). */
    name: string;
    /**
     * The image repository without a tag, optionally pinned by digest, e.g. `ghcr.io/intergalactic-cookies/get-cookie`
     * or `ghcr.io/intergalactic-cookies/get-cookie@sha256:<64 hex digits>`.
     */
    image: string;
    /**
     * The image tag (or `sha256:<digest>`); `latest` is refused because it makes rollouts unrepeatable.
     * @default - the component's `imageTag`
     */
    tag?: string;
    /**
     * The HTTP port the container listens on.
     * @default 8080
     */
    port?: number;
    /**
     * The fewest replicas, kept by the autoscaler; at least 2 so that one pod or zone can fail.
     * @default 2
     */
    minReplicas?: number;
    /**
     * The most replicas the autoscaler may run.
     * @default 6
     */
    maxReplicas?: number;
    /**
     * CPU the scheduler reserves per pod (a Kubernetes quantity).
     * @default "100m"
     */
    cpuRequest?: string;
    /**
     * CPU limit per pod; at least `cpuRequest`.
     * @default "500m"
     */
    cpuLimit?: string;
    /**
     * Memory the scheduler reserves per pod.
     * @default "128Mi"
     */
    memoryRequest?: string;
    /**
     * Memory limit per pod; at least `memoryRequest`.
     * @default "256Mi"
     */
    memoryLimit?: string;
    /**
     * Average CPU use, in percent of the request, the autoscaler aims for.
     * @default 70
     */
    cpuTargetPercent?: number;
    /**
     * Average memory use, in percent of the request, the autoscaler aims for.
     * @default 80
     */
    memoryTargetPercent?: number;
    /**
     * The data stores the service uses: `redis`, `mongo`, `kafka`. Only these get a Secret reference
     * and a network path. A service with topics must list `kafka`.
     * @default []
     */
    dataStores?: DataStoreKind[];
    /**
     * The services allowed to call this one over HTTP; nothing else inside the cluster may.
     * @default []
     */
    callers?: string[];
    /**
     * The Mongo collections the service reads or writes. A service with collections must list `mongo`; on
     * Azure each must be one the user database declares (clients there cannot create collections).
     * @default []
     */
    collections?: string[];
    /**
     * Kafka topics the service consumes.
     * @default []
     */
    consumes?: string[];
    /**
     * Kafka topics the service produces.
     * @default []
     */
    produces?: string[];
    /**
     * Whether the Ingress exposes the service to the internet.
     * @default false
     */
    public?: boolean;
    /**
     * The HTTP path the readiness probe calls.
     * @default "/ready"
     */
    readinessPath?: string;
    /**
     * The HTTP path the liveness probe calls.
     * @default "/healthz"
     */
    livenessPath?: string;
    /**
     * Plain (non-secret) settings passed as environment variables. A name or value that looks like a
     * secret (`DB_PASSWORD`, a token, a URL with a password) is refused: use `secretEnv`.
     * @default {}
     */
    env?: Record<string, string>;
    /**
     * Environment variables whose values come from keys of Kubernetes Secrets in the namespace, by
     * reference (`valueFrom.secretKeyRef`): the value is never in a manifest, a plan or the state.
     * The cloud's secret store fills such a Secret through External Secrets or the Secrets Store CSI
     * driver's sync; the pod waits until the Secret exists.
     * @default []
     */
    secretEnv?: SecretEnvVar[];
    /**
     * Whether the pod gets a Kubernetes API token (mounted service account token).
     * @default false
     */
    kubernetesApiAccess?: boolean;
    /**
     * The non-root user id the container runs as.
     * @default 65532
     */
    runAsUser?: number;
}

/** One environment variable read from a key of a Kubernetes Secret. */
export interface SecretEnvVar {
    /** The variable name, e.g. `PAYMENT_API_KEY`. */
    name: string;
    /** The Secret in the services' namespace, e.g. `payment-provider`. */
    secretName: string;
    /** The key in the Secret, e.g. `api-key`. */
    key: string;
}

/** Defaults applied to an omitted field of a {@link ServiceSpec}, resolved once. */
export const ServiceDefaults = {
    port: 8080,
    minReplicas: 2,
    maxReplicas: 6,
    cpuRequest: "100m",
    cpuLimit: "500m",
    memoryRequest: "128Mi",
    memoryLimit: "256Mi",
    cpuTargetPercent: 70,
    memoryTargetPercent: 80,
    readinessPath: "/ready",
    livenessPath: "/healthz",
    /** The `nonroot` user of distroless images. */
    runAsUser: 65532,
} as const;
