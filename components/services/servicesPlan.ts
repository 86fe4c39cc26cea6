/**
 * The services planner: validates the service list and the edge args and
 * resolves every default, so the component only loops over plain data.
 * Every rule the Kubernetes API server, the HPA controller or Kafka would
 * enforce at `up` time is checked here first, and all problems are reported together.
 */
import { Cloud, PerCloud, checkCloud } from "../common/cloud";
import { Tags } from "../common/tags";
import { Problems } from "../common/validation";
import { cookiePipeline, pipelineTopics } from "./cookiePipeline";
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkFacts } from "../network/facts";
import { isPrivate, parseCidr } from "../network/cidr";
import { EdgePlan, ForwardCacheArgs, ServiceMeshArgs, ServicesIngressArgs, planEdge } from "./edgePlan";
import { ServicesPlacement, placeServices } from "./placement";
import { resolveServicesArgs } from "./servicesCloudArgs";
import type { CookieServicesAzureArgs } from "./cookieServices";
import { DNS_1035_LABEL, DNS_1123_LABEL, ENV_NAME, IMAGE_DIGEST, MAX_LABEL_LENGTH, isImageRepository, isImageTag, isKafkaTopic, splitImageDigest } from "./names";
import { QuantityKind, parseQuantity, quantityProblem } from "./quantity";
import { secretLooking } from "./secrets";
import { DATA_STORE_KINDS, DataStoreKind, SecretEnvVar, ServiceDefaults, ServiceSpec } from "./serviceSpec";
import { RESERVED_ENV_NAMES } from "./wiring";

/** The plain values the planner needs: the structural part of CookieServicesArgs. */
export interface ServicesPlanInput {
    cloud: string;
    /** The Kubernetes provider from the resource options; required. */
    kubernetesProvider?: unknown;
    namespace?: string;
    services?: readonly ServiceSpec[];
    imageTag?: string;
    requireDigests?: boolean;
    awaitReadiness?: boolean;
    protectIngress?: boolean;
    entryServices?: readonly string[];
    /** Present when the Redis connection is given. */
    redis?: unknown;
    mongo?: unknown;
    /** The user database's writer when it is not where the services read (`mongoWriter`): its ranges. */
    mongoWriter?: { readonly cidrs?: readonly string[] };
    kafka?: unknown;
    kafkaTopics?: readonly string[];
    mongoCollections?: readonly string[];
    /** The network the services' cluster runs in: the data tier's ranges and the load balancer's subnets come from it. */
    network?: NetworkFacts;
    /** The placement, when the component resolved it already (see `placeServices`); else it is resolved here. */
    placement?: ServicesPlacement;
    ingress: ServicesIngressArgs;
    forwardCache?: ForwardCacheArgs;
    /** The Azure-only args (`CookieServicesAzureArgs`). */
    azure?: CookieServicesAzureArgs;
    /** Deprecated alias of `azure.resourceGroupName`. */
    resourceGroupName?: pulumi.Input<string>;
    mesh?: ServiceMeshArgs;
    tags?: Readonly<Record<string, string>>;
}

/** One service with every default resolved. */
export interface ServicePlan {
    readonly name: string;
    /** `repository:tag` or `repository@sha256:...`. */
    readonly image: string;
    readonly port: number;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly cpuRequest: string;
    readonly cpuLimit: string;
    readonly memoryRequest: string;
    readonly memoryLimit: string;
    readonly cpuTargetPercent: number;
    readonly memoryTargetPercent: number;
    readonly dataStores: readonly DataStoreKind[];
    readonly callers: readonly string[];
    /** The services this one calls: the inverse of `callers`. */
    readonly callees: readonly string[];
    /** Its stores that take writes elsewhere than where it reads (`mongoWriter`): it gets their writer's keys too. */
    readonly writerStores: readonly DataStoreKind[];
    readonly consumes: readonly string[];
    readonly produces: readonly string[];
    readonly collections: readonly string[];
    readonly public: boolean;
    readonly readinessPath: string;
    readonly livenessPath: string;
    readonly env: Readonly<Record<string, string>>;
    readonly secretEnv: readonly SecretEnvVar[];
    readonly kubernetesApiAccess: boolean;
    readonly runAsUser: number;
}

/** Everything the component needs to build the services. */
export interface ServicesPlan {
    readonly name: string;
    readonly cloud: Cloud;
    readonly namespace: string;
    readonly services: readonly ServicePlan[];
    /** The services the Ingress routes to. */
    readonly entryServices: readonly string[];
    /** Every topic a service consumes or produces. */
    readonly topics: readonly string[];
    /** Every Mongo collection a service uses, sorted. */
    readonly collections: readonly string[];
    /** The data stores at least one service uses. */
    readonly dataStores: readonly DataStoreKind[];
    readonly dataCidrs: readonly string[];
    /** Per store with a writer of its own (`mongoWriter`), the writer's ranges that the data tier's do not cover: the services' egress admits them. */
    readonly writerCidrs: Readonly<Partial<Record<DataStoreKind, readonly string[]>>>;
    readonly edge: EdgePlan;
    /** False: the Deployments and Services carry `pulumi.com/skipAwait: "true"` (see `CookieServicesArgs.awaitReadiness`). */
    readonly awaitReadiness: boolean;
    /** True: the Ingress is `protect`ed (see `CookieServicesArgs.protectIngress`). */
    readonly protectIngress: boolean;
    /** The user's tags, merged under the component's own on every cloud resource. */
    readonly tags: Tags;
}

export const ServicesDefaults = { namespace: "cookies" } as const;
/** Namespaces that belong to the cluster itself. */
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Per cloud, whether the forward cache is a resource of a resource group (Azure Front Door's profile); CloudFront is global. */
const FORWARD_CACHE_IN_RESOURCE_GROUP: PerCloud<boolean> = { aws: false, azure: true };

/** Validates the args and plans the services; throws one error listing every problem. */
export function planServices(name: string, input: ServicesPlanInput): ServicesPlan {
    // The cloud groups first: every key is then checked under the name the user wrote it with.
    const cloudArgs = resolveServicesArgs(input);
    const problems = new Problems(`CookieServices "${name}"`, cloudArgs.paths);
    const cloudOk = checkCloud(problems, "cloud", input.cloud);
    cloudArgs.problems.forEach((p) => problems.add(p));
    problems.check(input.kubernetesProvider !== undefined, "opts.providers", undefined,
        "has no kubernetes provider: pass the cluster's, e.g. { providers: { kubernetes: provider } }, so the services cannot land in another cluster");
    const namespace = input.namespace ?? ServicesDefaults.namespace;
    problems.check(DNS_1123_LABEL.test(namespace) && namespace.length <= MAX_LABEL_LENGTH && !SYSTEM_NAMESPACES.includes(namespace) &&
        !namespace.startsWith("kube-"), "namespace", namespace, "must be a DNS-1123 label of at most 63 characters and not a system namespace");
    const specs = input.services ?? cookiePipeline();
    problems.check(specs.length > 0, "services", specs, "must list at least one service");

    const services = specs.map((spec, i) => resolveService(problems, `services[${i}]`, spec, input.imageTag, input.requireDigests ?? false));
    checkNames(problems, services);
    checkCalls(problems, services);
    const topics = checkTopics(problems, services, input.kafkaTopics);
    const collections = checkCollections(problems, services, input.mongoCollections);
    const entryServices = checkEntries(problems, services, input.entryServices);
    const placement = input.placement ?? placeServices(input);
    placement.problems.forEach((p) => problems.add(p));
    const dataStores = checkDataStores(problems, services, input, placement);
    const writerCidrs = checkWriter(problems, input, placement);
    const edge = planEdge(problems, cloudOk ? input.cloud as Cloud : Cloud.Aws, cloudArgs.ingress, cloudArgs.forwardCache, input.mesh ?? {}, placement);
    problems.check(edge.anyHostHealthPath === "" || entryServiceOfPath(entryServices, edge.anyHostHealthPath) !== undefined, "ingress.aws.anyHostHealthPath",
        edge.anyHostHealthPath, `must fall under an entry service's path (${entryServices.map((n) => `/${n}`).join(", ")}): the Ingress sends it there`);
    problems.check(!(cloudOk && FORWARD_CACHE_IN_RESOURCE_GROUP[input.cloud as Cloud] && edge.forwardCache && placement.resourceGroupName === undefined), "resourceGroupName", undefined,
        "is required on azure when forwardCache is enabled and the network's facts name no resource group: the Front Door profile goes into it");
    for (const flag of ["awaitReadiness", "protectIngress"] as const) {
        problems.check(input[flag] === undefined || typeof input[flag] === "boolean", flag, input[flag], "must be true or false");
    }
    problems.throwIfAny();

    const callees = (service: string) => services.filter((s) => s.callers.includes(service)).map((s) => s.name);
    return {
        name, cloud: input.cloud as Cloud, namespace, entryServices, topics, collections, dataStores, edge,
        services: services.map((s) => ({ ...s, callees: callees(s.name), writerStores: s.dataStores.filter((kind) => writerCidrs[kind] !== undefined) })),
        dataCidrs: [...placement.dataCidrs],
        writerCidrs,
        awaitReadiness: input.awaitReadiness !== false,
        protectIngress: input.protectIngress === true,
        tags: { ...(input.tags ?? {}) },
    };
}

/** The entry service the Ingress sends `path` to: the only one (at `/`), else the one whose `/<name>` prefix holds it. */
export function entryServiceOfPath(entryServices: readonly string[], path: string): string | undefined {
    if (entryServices.length === 1) return entryServices[0];
    return entryServices.find((name) => path === `/${name}` || path.startsWith(`/${name}/`));
}

function resolveService(problems: Problems, arg: string, spec: ServiceSpec, defaultTag: string | undefined, requireDigest: boolean): Omit<ServicePlan, "callees" | "writerStores"> {
    const d = ServiceDefaults;
    const image = resolveImage(problems, arg, spec, defaultTag);
    // A tag can be moved to other content; only a digest names what runs, on every pull and node.
    problems.check(!requireDigest || image.includes("@sha256:"), `${arg}.image`, spec.image,
        "must be pinned by digest (<repository>@sha256:<64 hex digits>, or tag sha256:<digest>): requireDigests is on (prod)");
    const resolved = {
        name: spec.name, image,
        port: spec.port ?? d.port, minReplicas: spec.minReplicas ?? d.minReplicas, maxReplicas: spec.maxReplicas ?? d.maxReplicas,
        cpuRequest: spec.cpuRequest ?? d.cpuRequest, cpuLimit: spec.cpuLimit ?? d.cpuLimit,
        memoryRequest: spec.memoryRequest ?? d.memoryRequest, memoryLimit: spec.memoryLimit ?? d.memoryLimit,
        cpuTargetPercent: spec.cpuTargetPercent ?? d.cpuTargetPercent, memoryTargetPercent: spec.memoryTargetPercent ?? d.memoryTargetPercent,
        dataStores: [...spec.dataStores ?? []], callers: [...spec.callers ?? []],
        consumes: [...spec.consumes ?? []], produces: [...spec.produces ?? []], collections: [...spec.collections ?? []], public: spec.public ?? false,
        readinessPath: spec.readinessPath ?? d.readinessPath, livenessPath: spec.livenessPath ?? d.livenessPath,
        env: { ...spec.env }, secretEnv: (spec.secretEnv ?? []).map((v) => ({ ...v })), kubernetesApiAccess: spec.kubernetesApiAccess ?? false, runAsUser: spec.runAsUser ?? d.runAsUser,
    };
    problems.integer(`${arg}.port`, resolved.port, 1, 65535);
    if (problems.integer(`${arg}.minReplicas`, resolved.minReplicas, 2)) {
        problems.check(Number.isInteger(resolved.maxReplicas) && resolved.maxReplicas >= resolved.minReplicas, `${arg}.maxReplicas`,
            resolved.maxReplicas, `must be an integer >= minReplicas (${resolved.minReplicas})`);
    }
    problems.integer(`${arg}.cpuTargetPercent`, resolved.cpuTargetPercent, 1, 100);
    problems.integer(`${arg}.memoryTargetPercent`, resolved.memoryTargetPercent, 1, 100);
    checkResources(problems, arg, resolved);
    for (const [field, path] of [["readinessPath", resolved.readinessPath], ["livenessPath", resolved.livenessPath]] as const) {
        problems.check(/^\/[^\s]*$/.test(path), `${arg}.${field}`, path, "must be an absolute HTTP path such as /healthz");
    }
    const usable = "is not a usable variable name: use [A-Za-z_][A-Za-z0-9_]* and none of PORT or the *_URL, REDIS_*, MONGO_*, KAFKA_* names the wiring sets";
    for (const [key, value] of Object.entries(resolved.env)) {
        problems.check(ENV_NAME.test(key) && !RESERVED_ENV_NAMES.test(key), `${arg}.env`, key, usable);
        const secret = typeof value === "string" ? secretLooking(key, value) : undefined;
        // The value stays out of the message: it may be the very secret.
        if (secret) problems.add(`${arg}.env.${key}: a plain value that looks like a secret (${secret}): take it from a Kubernetes Secret with secretEnv: [{ name: "${key}", secretName, key }] instead`);
    }
    resolved.secretEnv.forEach((v, i) => {
        const at = `${arg}.secretEnv[${i}]`;
        problems.check(ENV_NAME.test(v.name ?? "") && !RESERVED_ENV_NAMES.test(v.name ?? ""), `${at}.name`, v.name, usable);
        problems.check(Object.prototype.hasOwnProperty.call(resolved.env, v.name) === false, `${at}.name`, v.name, "is also set in env: set each variable once");
        problems.check(DNS_1123_SUBDOMAIN_NAME.test(v.secretName ?? "") && (v.secretName ?? "").length <= 253, `${at}.secretName`, v.secretName, "is not a Kubernetes Secret name (lowercase letters, digits, '-' and '.')");
        problems.check(/^[-._a-zA-Z0-9]{1,253}$/.test(v.key ?? ""), `${at}.key`, v.key, "is not a Secret key ([-._a-zA-Z0-9]+)");
    });
    const secretNames = resolved.secretEnv.map((v) => v.name);
    problems.check(new Set(secretNames).size === secretNames.length, `${arg}.secretEnv`, secretNames, "sets a variable more than once");
    problems.integer(`${arg}.runAsUser`, resolved.runAsUser, 1, 2147483647);
    return resolved;
}

/** Kubernetes object names (DNS-1123 subdomain). */
const DNS_1123_SUBDOMAIN_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `repository:tag`, `repository@sha256:<digest>` or `repository:tag@sha256:<digest>` (the runtime pulls by the
 * digest; the tag only labels it). A digest comes from the image itself or from a `sha256:` tag.
 */
function resolveImage(problems: Problems, arg: string, spec: ServiceSpec, defaultTag: string | undefined): string {
    const { repository, digest } = splitImageDigest(spec.image ?? "");
    problems.check(isImageRepository(repository), `${arg}.image`, spec.image,
        "must be an image repository without tag, optionally pinned by digest: ghcr.io/org/name or ghcr.io/org/name@sha256:<64 hex digits>");
    if (digest !== undefined) {
        problems.check(IMAGE_DIGEST.test(digest), `${arg}.image`, spec.image, "has a digest that is not sha256:<64 lowercase hex digits>");
        problems.check(spec.tag === undefined || !spec.tag.startsWith("sha256:"), `${arg}.tag`, spec.tag, "is a second digest: the image already names one");
        const tag = spec.tag;
        problems.check(tag === undefined || (isImageTag(tag) && tag !== "latest"), `${arg}.tag`, tag, "must be an image tag, and not latest");
        return tag === undefined ? `${repository}@${digest}` : `${repository}:${tag}@${digest}`;
    }
    const tag = spec.tag ?? defaultTag;
    problems.check(tag !== undefined && isImageTag(tag) && tag !== "latest", `${arg}.tag`, tag,
        "must be an image tag or sha256 digest, and not latest (set it here or in imageTag, or pin the image by digest)");
    return tag?.startsWith("sha256:") ? `${repository}@${tag}` : `${repository}:${tag}`;
}

function checkResources(problems: Problems, arg: string, s: Pick<ServicePlan, "cpuRequest" | "cpuLimit" | "memoryRequest" | "memoryLimit">): void {
    const pairs = [["cpu", QuantityKind.Cpu, s.cpuRequest, s.cpuLimit], ["memory", QuantityKind.Memory, s.memoryRequest, s.memoryLimit]] as const;
    for (const [field, kind, request, limit] of pairs) {
        const requestProblem = quantityProblem(request, kind);
        const limitProblem = quantityProblem(limit, kind);
        problems.check(requestProblem === undefined, `${arg}.${field}Request`, request, requestProblem ?? "");
        problems.check(limitProblem === undefined, `${arg}.${field}Limit`, limit, limitProblem ?? "");
        if (requestProblem === undefined && limitProblem === undefined) {
            problems.check(parseQuantity(request)! <= parseQuantity(limit)!, `${arg}.${field}Request`, request, `must not exceed ${field}Limit (${limit})`);
        }
    }
}

function checkNames(problems: Problems, services: readonly { name: string }[]): void {
    const seen = new Map<string, number>();
    services.forEach((s, i) => {
        const name = s.name ?? "";
        problems.check(DNS_1035_LABEL.test(name) && name.length <= MAX_LABEL_LENGTH, `services[${i}].name`, s.name,
            "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, at most 63 characters");
        const first = seen.get(name);
        problems.check(first === undefined, `services[${i}].name`, s.name, `is already used by services[${first}]: names must be unique`);
        if (first === undefined) seen.set(name, i);
    });
}

function checkCalls(problems: Problems, services: readonly Omit<ServicePlan, "callees" | "writerStores">[]): void {
    const names = new Set(services.map((s) => s.name));
    services.forEach((s, i) => s.callers.forEach((caller, j) => {
        problems.check(names.has(caller), `services[${i}].callers[${j}]`, caller, "is not a service in the list");
        problems.check(caller !== s.name, `services[${i}].callers[${j}]`, caller, "is the service itself");
    }));
}

function checkTopics(problems: Problems, services: readonly Omit<ServicePlan, "callees" | "writerStores">[], declared: readonly string[] | undefined): string[] {
    const topics = pipelineTopics(services);
    const producers = new Set(services.flatMap((s) => s.produces));
    const consumers = new Set(services.flatMap((s) => s.consumes));
    services.forEach((s, i) => {
        for (const [field, list] of [["consumes", s.consumes], ["produces", s.produces]] as const) {
            list.forEach((t, j) => problems.check(isKafkaTopic(t), `services[${i}].${field}[${j}]`, t, "is not a Kafka topic name: 1-249 of [a-zA-Z0-9._-]"));
        }
        s.consumes.forEach((t, j) => problems.check(producers.has(t), `services[${i}].consumes[${j}]`, t, "is produced by no service"));
        s.produces.forEach((t, j) => problems.check(consumers.has(t), `services[${i}].produces[${j}]`, t, "is consumed by no service"));
        problems.check(topics.length === 0 || s.consumes.length + s.produces.length === 0 || s.dataStores.includes(DataStoreKind.Kafka),
            `services[${i}].dataStores`, s.dataStores, "must include kafka: the service consumes or produces topics");
    });
    if (declared !== undefined) {
        const missing = topics.filter((t) => !declared.includes(t));
        problems.check(missing.length === 0, "kafkaTopics", declared, `lacks ${missing.join(", ")}: give KafkaQuorum every topic the services use (pipelineTopics(services))`);
    }
    return topics;
}

function checkCollections(problems: Problems, services: readonly Omit<ServicePlan, "callees" | "writerStores">[], declared: readonly string[] | undefined): string[] {
    services.forEach((s, i) => problems.check(s.collections.length === 0 || s.dataStores.includes(DataStoreKind.Mongo),
        `services[${i}].dataStores`, s.dataStores, "must include mongo: the service uses collections"));
    const collections = [...new Set(services.flatMap((s) => s.collections))].sort();
    if (declared !== undefined) {
        const missing = collections.filter((c) => !declared.includes(c));
        problems.check(missing.length === 0, "mongoCollections", declared,
            `lacks ${missing.join(", ")}: declare every collection the services use in HaMongo's collections (clients cannot create them on Azure)`);
    }
    return collections;
}

function checkEntries(problems: Problems, services: readonly Omit<ServicePlan, "callees" | "writerStores">[], explicit: readonly string[] | undefined): string[] {
    const flagged = services.filter((s) => s.public).map((s) => s.name);
    if (explicit === undefined) {
        problems.check(flagged.length === 1, "services", `${flagged.length} public service(s)`,
            "must mark exactly one service public (the entry point), or list several in entryServices");
        return flagged;
    }
    problems.check(explicit.length > 0 && new Set(explicit).size === explicit.length, "entryServices", explicit, "must list distinct services");
    problems.check(flagged.length === explicit.length && flagged.every((n) => explicit.includes(n)), "entryServices", explicit,
        `must equal the services marked public (${flagged.join(", ") || "none"})`);
    return [...explicit];
}

/**
 * `mongoWriter`: the user database's writer elsewhere (another region's cluster, across a peering). It needs the
 * reader (`mongo`) beside it, and at least one range, each private: the services' egress policy opens the writer's
 * ports to them, never to the internet. Returns the ranges the data tier's do not already cover.
 */
function checkWriter(problems: Problems, input: ServicesPlanInput, placement: ServicesPlacement): Partial<Record<DataStoreKind, readonly string[]>> {
    if (input.mongoWriter === undefined) return {};
    problems.check(input.mongo !== undefined, "mongoWriter", "given", "needs mongo: the writer is where the services write, beside the store they read");
    const cidrs = [...(input.mongoWriter.cidrs ?? [])];
    problems.check(cidrs.length > 0, "mongoWriter.cidrs", cidrs, "must name the writer's ranges (e.g. its data subnets): the services' network policy admits only them");
    cidrs.forEach((text, i) => {
        const parsed = parseCidr(text);
        if (typeof parsed === "string") problems.check(false, `mongoWriter.cidrs[${i}]`, text, parsed);
        else problems.check(isPrivate(parsed), `mongoWriter.cidrs[${i}]`, text, "is not private address space: a data store is never reached over the internet");
    });
    return { [DataStoreKind.Mongo]: cidrs.filter((c) => !placement.dataCidrs.includes(c)) };
}

function checkDataStores(problems: Problems, services: readonly Omit<ServicePlan, "callees" | "writerStores">[], input: ServicesPlanInput, placement: ServicesPlacement): DataStoreKind[] {
    services.forEach((s, i) => s.dataStores.forEach((kind, j) => {
        problems.oneOf(`services[${i}].dataStores[${j}]`, kind, DATA_STORE_KINDS);
        problems.check(s.dataStores.indexOf(kind) === j, `services[${i}].dataStores[${j}]`, kind, "is listed twice");
    }));
    const used = DATA_STORE_KINDS.filter((kind) => services.some((s) => s.dataStores.includes(kind)));
    for (const kind of used) {
        const users = services.filter((s) => s.dataStores.includes(kind)).map((s) => s.name);
        problems.check(input[kind] !== undefined, kind, undefined, `is required: ${users.join(", ")} use ${kind} (pass the store's connection and credentials)`);
    }
    // The network's facts were checked (private, inside the network) by the placement; a network without a data tier leaves nowhere to reach.
    problems.check(used.length === 0 || placement.dataCidrs.length > 0 || input.network === undefined, "network.subnets", "no data subnets",
        "must hold data subnets: the services reach their stores only in the network's data tier");
    return used;
}
