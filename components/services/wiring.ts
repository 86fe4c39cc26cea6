/**
 * How a service finds its data stores and the services it calls: environment
 * variables whose values come from one Kubernetes Secret per data store
 * (`valueFrom.secretKeyRef`), so no credential is ever written into a
 * Deployment manifest, plus plain URLs for the services it may call.
 */
import * as k8s from "@pulumi/kubernetes";
import { ConnectionInfo, Credentials } from "../common/dataStore";
import { envPrefix } from "./names";
import { DataStoreKind } from "./serviceSpec";
import type { ServicePlan } from "./servicesPlan";

/** Variable names the wiring sets; a spec's own `env` may not use them. */
export const RESERVED_ENV_NAMES = /^(PORT|(REDIS|MONGO|KAFKA|SERVICE)_.*)$/;

/** Key in the data store Secret -> suffix of the environment variable that reads it. */
export const SECRET_KEYS: Readonly<Record<string, string>> = {
    host: "HOST",
    port: "PORT",
    endpoints: "ENDPOINTS",
    tls: "TLS",
    "auth-mechanism": "AUTH_MECHANISM",
    username: "USERNAME",
    password: "PASSWORD",
    "connection-string": "URL",
};

/**
 * Keys a store's Secret holds besides {@link SECRET_KEYS} when it takes writes elsewhere than where the services read
 * (`mongoWriter`: a DocumentDB global cluster's primary in another region): where to write, signed in with the same user.
 */
export const WRITER_SECRET_KEYS: Readonly<Record<string, string>> = {
    "writer-host": "WRITER_HOST",
    "writer-endpoints": "WRITER_ENDPOINTS",
    "writer-connection-string": "WRITER_URL",
};

/**
 * The writer's keys of a store's Secret (see {@link WRITER_SECRET_KEYS}). `writer-endpoints` is the writer's host and
 * port only: the store's other endpoints (a DocumentDB cluster's reader endpoint) lead to replicas, where a client that
 * seeds from them without replica-set discovery gets NotWritablePrimary; the cluster endpoint "points to the primary
 * instance" (https://docs.aws.amazon.com/documentdb/latest/developerguide/endpoints.html).
 */
export function writerStringData(connection: ConnectionInfo, credentials: Credentials): Record<string, string> {
    return { "writer-host": connection.host, "writer-endpoints": `${connection.host}:${connection.port}`, "writer-connection-string": credentials.connectionString };
}

/** The Secret holding one data store's connection and credentials. */
export function secretName(kind: DataStoreKind): string {
    return `${kind}-connection`;
}

/** The Secret's `stringData`: every key of {@link SECRET_KEYS}. */
export function secretStringData(connection: ConnectionInfo, credentials: Credentials): Record<string, string> {
    return {
        host: connection.host,
        port: String(connection.port),
        endpoints: connection.endpoints.join(","),
        tls: String(connection.tls),
        "auth-mechanism": connection.authMechanism,
        username: credentials.username,
        password: credentials.password,
        "connection-string": credentials.connectionString,
    };
}

/** The in-cluster URL of a service. */
export function serviceUrl(name: string, namespace: string): string {
    return `http://${name}.${namespace}.svc.cluster.local`;
}

/** The container environment of a service: its settings, its callees' URLs, its topics and its stores' Secret references. */
export function containerEnv(service: ServicePlan, namespace: string): k8s.types.input.core.v1.EnvVar[] {
    const plain = (name: string, value: string): k8s.types.input.core.v1.EnvVar => ({ name, value });
    const env = [
        plain("PORT", String(service.port)),
        ...Object.entries(service.env).map(([name, value]) => plain(name, value)),
        ...service.callees.map((callee) => plain(`SERVICE_${envPrefix(callee)}_URL`, serviceUrl(callee, namespace))),
    ];
    for (const v of service.secretEnv) env.push({ name: v.name, valueFrom: { secretKeyRef: { name: v.secretName, key: v.key, optional: false } } });
    if (service.consumes.length > 0) env.push(plain("KAFKA_CONSUME_TOPICS", service.consumes.join(",")));
    if (service.produces.length > 0) env.push(plain("KAFKA_PRODUCE_TOPICS", service.produces.join(",")));
    for (const kind of service.dataStores) {
        const keys = { ...SECRET_KEYS, ...(service.writerStores.includes(kind) ? WRITER_SECRET_KEYS : {}) };
        for (const [key, suffix] of Object.entries(keys)) {
            env.push({ name: `${envPrefix(kind)}_${suffix}`, valueFrom: { secretKeyRef: { name: secretName(kind), key, optional: false } } });
        }
    }
    return env;
}

/** The distinct TCP ports of a data store's endpoints: what its network path opens. */
export function storePorts(connection: ConnectionInfo): number[] {
    const fromEndpoints = connection.endpoints.map((e) => Number(/:(\d+)$/.exec(e)?.[1])).filter((p) => Number.isInteger(p) && p > 0);
    return [...new Set([connection.port, ...fromEndpoints])].sort((a, b) => a - b);
}
