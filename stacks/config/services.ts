/**
 * `intergalactic:services`: the CookieServices of the stack. The service list
 * is data: absent, it is the cookie pipeline under `registry`; a new service is
 * one more entry in `services`. Range and consistency checks happen in
 * CookieServices itself; here only types and the keys a stack must set.
 */
import { cookiePipeline, DATA_STORE_KINDS, DEFAULT_REGISTRY, ForwardCacheArgs, HOST_NAME_RULE, IMAGE_DIGEST, isHostName, MAX_CACHE_TTL_SECONDS, SecretEnvVar, ServiceMeshArgs, ServicesDefaults, ServiceSpec } from "../../components/services";
import { KEY_VAULT_ID } from "../../components/kubernetes";
import { MAX_SERVICE_REPLICAS } from "./limits";
import { ConfigObject } from "./reader";

export interface ServicesConfig {
    /** False (or no `intergalactic:services` key at all) leaves the services out of the stack. */
    readonly enabled: boolean;
    /** The component's name. */
    readonly name: string;
    readonly namespace: string;
    /** The registry of the default pipeline's images. */
    readonly registry: string;
    /** The tag of every service without its own. */
    readonly imageTag?: string;
    /** Per service name, the `sha256:` digest its image is pinned to (already applied to `services[].image`). */
    readonly imageDigests: Readonly<Record<string, string>>;
    /** Whether `services` was given in the config (else the default pipeline). */
    readonly servicesListed: boolean;
    /** The public host name. */
    readonly host: string;
    /** AWS: the ALB's ACM certificate. */
    readonly certificateArn?: string;
    /** AWS, a stack of several stamps: per other stamp's region, its ALB's ACM certificate (in that region). */
    readonly regionCertificateArns: Readonly<Record<string, string>>;
    /** Azure: the Key Vault certificate of the Ingress. */
    readonly keyVaultCertificateUri?: string;
    /** Azure: the resource id of the vault that holds `keyVaultCertificateUri`; the ingress gets read access to it. */
    readonly keyVaultId?: string;
    /** Azure: a TLS Secret instead of Key Vault. */
    readonly tlsSecretName?: string;
    readonly services: readonly ServiceSpec[];
    readonly entryServices?: readonly string[];
    readonly forwardCache: ForwardCacheArgs;
    readonly mesh: ServiceMeshArgs;
}

/** Parses the section; `present` is whether the stack has the `intergalactic:services` key at all. */
export function parseServices(obj: ConfigObject, present: boolean): ServicesConfig {
    const enabled = obj.boolean("enabled", present);
    const registry = obj.string("registry", DEFAULT_REGISTRY);
    if (enabled && !obj.has("host")) obj.problems.add(`${obj.path}.host: missing: the public host name, e.g. cookies.example.com`);
    const mesh = obj.object("mesh");
    const config: ServicesConfig = {
        enabled,
        name: obj.string("name", "cookies"),
        namespace: obj.string("namespace", ServicesDefaults.namespace),
        registry,
        imageTag: optionalString(obj, "imageTag"),
        host: obj.string("host", ""),
        certificateArn: optionalString(obj, "certificateArn"),
        regionCertificateArns: obj.stringMap("regionCertificateArns"),
        keyVaultCertificateUri: optionalString(obj, "keyVaultCertificateUri"),
        keyVaultId: optionalString(obj, "keyVaultId"),
        tlsSecretName: optionalString(obj, "tlsSecretName"),
        imageDigests: obj.stringMap("imageDigests"),
        servicesListed: obj.has("services"),
        services: obj.has("services") ? obj.objectList("services").map(parseServiceSpec) : cookiePipeline(registry),
        entryServices: obj.has("entryServices") ? obj.stringList("entryServices", []) : undefined,
        forwardCache: parseForwardCache(obj.object("forwardCache")),
        mesh: { enabled: mesh.boolean("enabled", false) },
    };
    // CookieServices checks it too, but only once the tiers before it (data stores, certificates and the
    // certificate's validation record, which outlives a destroy) are registered: checked here before anything.
    if (enabled && obj.has("host")) obj.problems.check(isHostName(config.host), `${obj.path}.host`, config.host, HOST_NAME_RULE);
    checkKeyVault(obj, config);
    mesh.rejectUnknownKeys();
    obj.rejectUnknownKeys();
    return { ...config, services: pinImages(obj, config) };
}

/** `imageDigests` pins a service's image, e.g. one of the default pipeline's, without listing the service. */
function pinImages(obj: ConfigObject, config: ServicesConfig): ServiceSpec[] {
    const names = config.services.map((s) => s.name);
    for (const [name, digest] of Object.entries(config.imageDigests)) {
        const key = `${obj.path}.imageDigests.${name}`;
        obj.problems.check(names.includes(name), key, digest, `names no service (${names.join(", ")})`);
        obj.problems.check(IMAGE_DIGEST.test(digest), key, digest, "must be an image digest: sha256: and 64 lowercase hex digits");
    }
    return config.services.map((spec, i) => {
        const digest = config.imageDigests[spec.name];
        if (digest === undefined) return spec;
        obj.problems.check(!spec.image.includes("@"), `${obj.path}.services[${i}].image`, spec.image,
            `is already pinned by digest; ${obj.path}.imageDigests.${spec.name} would pin it twice`);
        return { ...spec, image: `${spec.image}@${digest}` };
    });
}

/** The vault of the certificate URI must be the vault the ingress is given access to. */
function checkKeyVault(obj: ConfigObject, config: ServicesConfig): void {
    const { keyVaultCertificateUri: uri, keyVaultId: id } = config;
    if (uri === undefined && id === undefined) return;
    if (id === undefined) {
        obj.problems.add(`${obj.path}.keyVaultId: missing: the resource id of the vault in keyVaultCertificateUri, so the ingress gets read access to it`);
        return;
    }
    const vault = KEY_VAULT_ID.exec(id)?.[1];
    if (vault === undefined) {
        obj.problems.add(`${obj.path}.keyVaultId: ${JSON.stringify(id)} is not a Key Vault resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>)`);
    } else if (uri === undefined) {
        obj.problems.add(`${obj.path}.keyVaultId: ${JSON.stringify(id)} does nothing without keyVaultCertificateUri`);
    } else if ((/^https:\/\/([^./]+)\.vault\.azure\.net\//.exec(uri)?.[1] ?? vault).toLowerCase() !== vault.toLowerCase()) {
        // A malformed URI passes here: CookieServices reports it with its rule.
        obj.problems.add(`${obj.path}.keyVaultId: ${JSON.stringify(id)} is vault ${vault}, but keyVaultCertificateUri ${uri} is in another vault`);
    }
}

function optionalString(obj: ConfigObject, name: string): string | undefined {
    return obj.has(name) ? obj.string(name, "") : undefined;
}

/** An integer key the component defaults when absent; `[min, max]` bounds it here, the component checks its own rule. */
function optionalInteger(obj: ConfigObject, name: string, min: number, max: number): number | undefined {
    return obj.has(name) ? obj.integer(name, 0, min, max) : undefined;
}

function optionalList(obj: ConfigObject, name: string): string[] | undefined {
    return obj.has(name) ? obj.stringList(name, []) : undefined;
}

/** One entry of `services`; omitted keys take the ServiceSpec defaults. */
function parseServiceSpec(obj: ConfigObject): ServiceSpec {
    if (!obj.has("name")) obj.problems.add(`${obj.path}.name: missing: every service needs a name`);
    if (!obj.has("image")) obj.problems.add(`${obj.path}.image: missing: the image repository, without tag`);
    const env = obj.has("env") ? obj.stringMap("env") : undefined;
    const secretEnv = obj.has("secretEnv") ? obj.objectList("secretEnv").map(parseSecretEnv) : undefined;
    const dataStores = obj.has("dataStores") ? obj.stringList("dataStores", []) : undefined;
    dataStores?.forEach((kind, i) => obj.problems.oneOf(`${obj.path}.dataStores[${i}]`, kind, DATA_STORE_KINDS));
    const spec: ServiceSpec = {
        name: obj.string("name", ""),
        image: obj.string("image", ""),
        tag: optionalString(obj, "tag"),
        port: optionalInteger(obj, "port", 1, 65535),
        minReplicas: optionalInteger(obj, "minReplicas", 0, MAX_SERVICE_REPLICAS),
        maxReplicas: optionalInteger(obj, "maxReplicas", 0, MAX_SERVICE_REPLICAS),
        cpuRequest: optionalString(obj, "cpuRequest"),
        cpuLimit: optionalString(obj, "cpuLimit"),
        memoryRequest: optionalString(obj, "memoryRequest"),
        memoryLimit: optionalString(obj, "memoryLimit"),
        cpuTargetPercent: optionalInteger(obj, "cpuTargetPercent", 1, 100),
        memoryTargetPercent: optionalInteger(obj, "memoryTargetPercent", 1, 100),
        dataStores: dataStores as ServiceSpec["dataStores"],
        callers: optionalList(obj, "callers"),
        consumes: optionalList(obj, "consumes"),
        produces: optionalList(obj, "produces"),
        collections: optionalList(obj, "collections"),
        public: obj.has("public") ? obj.boolean("public", false) : undefined,
        readinessPath: optionalString(obj, "readinessPath"),
        livenessPath: optionalString(obj, "livenessPath"),
        env,
        secretEnv,
        kubernetesApiAccess: obj.has("kubernetesApiAccess") ? obj.boolean("kubernetesApiAccess", false) : undefined,
        runAsUser: optionalInteger(obj, "runAsUser", 0, 2147483647),
    };
    obj.rejectUnknownKeys();
    // Undefined keys stay out, so the spec reads like the config entry it came from.
    return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as ServiceSpec;
}

/** One `secretEnv` entry: a variable read from a key of a Kubernetes Secret. */
function parseSecretEnv(obj: ConfigObject): SecretEnvVar {
    for (const key of ["name", "secretName", "key"]) if (!obj.has(key)) obj.problems.add(`${obj.path}.${key}: missing: secretEnv entries need name, secretName and key`);
    const entry: SecretEnvVar = { name: obj.string("name", ""), secretName: obj.string("secretName", ""), key: obj.string("key", "") };
    obj.rejectUnknownKeys();
    return entry;
}

function parseForwardCache(obj: ConfigObject): ForwardCacheArgs {
    const cache: ForwardCacheArgs = {
        enabled: obj.boolean("enabled", false),
        defaultTtlSeconds: optionalInteger(obj, "defaultTtlSeconds", 0, MAX_CACHE_TTL_SECONDS),
        maxTtlSeconds: optionalInteger(obj, "maxTtlSeconds", 0, MAX_CACHE_TTL_SECONDS),
        originHostname: optionalString(obj, "originHostname"),
        certificateArn: optionalString(obj, "certificateArn"),
    };
    obj.rejectUnknownKeys();
    return Object.fromEntries(Object.entries(cache).filter(([, v]) => v !== undefined)) as ForwardCacheArgs;
}
