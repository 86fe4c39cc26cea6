/**
 * CookieServices: the Intergalactic Cookies microservices on Kubernetes, on an
 * EKS or AKS cluster, behind one cloud-neutral interface. The service list is
 * data; every service gets the same hardened, highly available shape.
 */
import { createHash } from "crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as appsV1 from "@pulumi/kubernetes/apps/v1";
import * as autoscalingV2 from "@pulumi/kubernetes/autoscaling/v2";
import * as coreV1 from "@pulumi/kubernetes/core/v1";
import * as networkingV1 from "@pulumi/kubernetes/networking/v1";
import * as policyV1 from "@pulumi/kubernetes/policy/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { Cloud, implementationFor } from "../common/cloud";
import { ConnectionInfo, Credentials } from "../common/dataStore";
import { childName } from "../common/naming";
import { Problems } from "../common/validation";
import type { NetworkFacts } from "../network/facts";
import { CERTIFICATE_ARN_RULE, ForwardCacheArgs, ServiceMeshArgs, ServicesIngressArgs, isAcmCertificateArn } from "./edgePlan";
import { autoscalerSpec, deploymentSpec, disruptionBudgetSpec, serviceLabels, serviceSpec } from "./manifests";
import { StorePorts, defaultDenySpec, dnsEgressSpec, servicePolicySpec, tcpPorts } from "./networkPolicies";
import { buildIngress, buildMesh, restrictedNamespaceLabels } from "./edgeObjects";
import { DATA_STORE_KINDS, DataStoreKind, ServiceSpec } from "./serviceSpec";
import { placeServices } from "./placement";
import { ServicePlan, ServicesPlan, planServices } from "./servicesPlan";
import { secretName, secretStringData, serviceUrl, storePorts, writerStringData } from "./wiring";

/**
 * The Kubernetes provider given in the options (`providers: { kubernetes }`, a providers list, or `provider`).
 * It is required: without it the objects would go to whatever cluster the ambient kubeconfig points at.
 */
export function kubernetesProviderOf(opts: pulumi.ComponentResourceOptions | undefined): k8s.Provider | undefined {
    const candidates = [opts?.provider, ...Object.values(opts?.providers ?? {})];
    return candidates.find((p): p is k8s.Provider => KubernetesProvider.isInstance(p));
}

/** The pod template annotation that changes, and so rolls the pods, when a credential they read changes. */
export const CREDENTIALS_DIGEST_ANNOTATION = "intergalactic.io/credentials-digest";
/** The Kubernetes provider's per-object switch that turns its await logic off (see `awaitReadiness`). */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/**
 * A short SHA-256 digest of credentials. Not secret: the passwords are 32 or more random characters,
 * so their digest reveals nothing, and a secret annotation would make the whole Deployment spec secret.
 */
export function credentialsDigest(credentials: pulumi.Input<Credentials>[], writers: pulumi.Input<string>[] = []): pulumi.Output<string> {
    // The writers' hosts too, when there are any: pods read their environment once, so a writer that moves (a global
    // failover, then intergalactic:mongo.writerRegion) must roll them. Without writers the digest is as it always was.
    return pulumi.unsecret(pulumi.all([pulumi.all(credentials), pulumi.all(writers)]).apply(([all, hosts]) => {
        const pairs: unknown[] = all.map((c) => [c.username, c.password]);
        return createHash("sha256").update(JSON.stringify(hosts.length > 0 ? [...pairs, hosts] : pairs)).digest("hex").slice(0, 16);
    }));
}

/** The writer hosts of the stores among `kinds` that have one (`mongoWriter`). */
function writerHosts(plan: ServicesPlan, kinds: readonly DataStoreKind[], args: CookieServicesArgs): pulumi.Output<string>[] {
    return kinds.filter((kind) => plan.writerCidrs[kind] !== undefined && args.mongoWriter !== undefined && kind === DataStoreKind.Mongo)
        .map(() => pulumi.output(args.mongoWriter!.connection).apply((c) => c.host));
}

/** A store's writer elsewhere, resolved (`mongoWriter`), or undefined when the store takes writes where it is read. */
function writerOf(plan: ServicesPlan, kind: DataStoreKind, args: CookieServicesArgs): pulumi.Output<{ connection: ConnectionInfo; credentials: Credentials } | undefined> {
    const writer = kind === DataStoreKind.Mongo && plan.writerCidrs[kind] !== undefined ? args.mongoWriter : undefined;
    if (writer === undefined) return pulumi.output(undefined);
    return pulumi.all([writer.connection, writer.credentials]).apply(([connection, credentials]) => ({ connection, credentials }));
}

/** A data store's neutral outputs, e.g. `HaRedis.connection` and `HaRedis.credentials`. */
export interface DataStoreConnectionArgs {
    /** Where the store is; contains no credentials. */
    connection: pulumi.Input<ConnectionInfo>;
    /** The store's credentials; a secret, kept secret end to end. */
    credentials: pulumi.Input<Credentials>;
}

/**
 * Where a data store takes writes when that is not where the services read: a DocumentDB global cluster's primary in
 * another region, whose secondary in this one is read-only. The services get its host, endpoints and connection string
 * beside the reader's (`MONGO_WRITER_HOST`, `MONGO_WRITER_ENDPOINTS`, `MONGO_WRITER_URL`) and may reach its ranges.
 */
export interface DataStoreWriterArgs {
    /** Where writes go (the primary cluster's endpoint); contains no credentials. */
    connection: pulumi.Input<ConnectionInfo>;
    /** The credentials at the writer's host; a secret, kept secret end to end. */
    credentials: pulumi.Input<Credentials>;
    /** The writer's address ranges (its network's data subnets): the services' egress policy opens the writer's ports to them. Private ranges only. */
    cidrs: string[];
}

/** The args of {@link CookieServices} that only Azure uses; each is an error on AWS, where it would do nothing. */
export interface CookieServicesAzureArgs {
    /**
     * The resource group for the Front Door profile of the forward cache.
     * @default - the network's resource group
     */
    resourceGroupName?: pulumi.Input<string>;
}

/** Arguments of {@link CookieServices}. Structural fields are plain values: the services are planned before anything is created. */
export interface CookieServicesArgs {
    /** The cloud the cluster runs on: `aws` (EKS, ALB) or `azure` (AKS, application routing). */
    cloud: Cloud;
    /**
     * The namespace to create for the services.
     * @default "cookies"
     */
    namespace?: string;
    /**
     * The services; a new service is a new entry.
     * @default - the cookie pipeline: get-cookie, prepare-cookie, mix, bake, pack (see `cookiePipeline()`)
     */
    services?: ServiceSpec[];
    /**
     * The image tag of every service that sets no `tag` of its own, e.g. the release version.
     * @default - each service must set `tag`
     */
    imageTag?: string;
    /**
     * Refuse any image not pinned by digest (`<repository>@sha256:<digest>` or a `sha256:` tag): a tag can be
     * pushed again with other content, a digest cannot. The stacks turn it on in prod.
     * @default false
     */
    requireDigests?: boolean;
    /**
     * False: the Deployments and Services carry `pulumi.com/skipAwait: "true"`, so the Kubernetes provider
     * applies them without waiting for their pods (pulumi/pulumi-kubernetes#417; the value "true" skips the
     * await on create, update and delete, pulumi/pulumi-kubernetes#3147). For a cluster going to zero nodes
     * (the stacks' hibernated plan), where a rollout the day's changes start could never finish and would
     * fail the `up` after the provider's 10-minute timeout. True again removes the annotation (an update
     * that awaits the rollout once nodes exist).
     * @default true
     */
    awaitReadiness?: boolean;
    /**
     * True: the Ingress is `protect`ed, so a `pulumi destroy` with a preview is refused before it deletes
     * anything (pulumi/pulumi#8158); one with `--skip-preview` deletes what does not depend on the Ingress
     * first and then fails on it (pulumi/pulumi#18396). For a cluster at zero nodes (the stacks' hibernated plan on AWS): the
     * AWS Load Balancer Controller's finalizer holds the Ingress until the controller's pods have deleted the
     * ALB (kubernetes-sigs/aws-load-balancer-controller#1629), and with no node for them such a destroy would
     * hang and leak the ALB. False again removes the protection (an `up` that changes nothing in the cluster).
     * @default false
     */
    protectIngress?: boolean;
    /**
     * The services the Ingress exposes; must equal the services marked `public`. Needed only for more than one.
     * @default - the one service marked public, at `/`
     */
    entryServices?: string[];
    /**
     * The cookie cache (HaRedis outputs).
     * @default - none; required when a service uses redis
     */
    redis?: DataStoreConnectionArgs;
    /**
     * The user database (HaMongo outputs).
     * @default - none; required when a service uses mongo
     */
    mongo?: DataStoreConnectionArgs;
    /**
     * The user database's writer, when it is not the store the services read (`mongo`): e.g. a global cluster's
     * primary in another region. Its keys go into the same Secret, beside the reader's.
     * @default - none: the services write where they read
     */
    mongoWriter?: DataStoreWriterArgs;
    /**
     * The message queue (KafkaQuorum outputs).
     * @default - none; required when a service uses kafka
     */
    kafka?: DataStoreConnectionArgs;
    /**
     * The topics the Kafka tier creates; must include every topic a service uses (see `pipelineTopics()`).
     * @default - not checked
     */
    kafkaTopics?: string[];
    /**
     * The collections the user database declares (HaMongo's `collections`, Azure); must include every collection a
     * service uses.
     * @default - not checked
     */
    mongoCollections?: string[];
    /**
     * The network the cluster runs in, e.g. `vpc.facts()` of a Vpc3Az: the services reach their stores only in
     * its data subnets' ranges, and on AWS the ALB spans its public subnets (see `ingress.aws.loadBalancerSubnets`).
     */
    network: NetworkFacts;
    /** The public entry: host, certificate and load balancer placement. */
    ingress: ServicesIngressArgs;
    /**
     * A CDN in front of the load balancer for cacheable GETs.
     * @default { enabled: false }
     */
    forwardCache?: ForwardCacheArgs;
    /**
     * The args only Azure uses; each is an error on AWS, where it would do nothing.
     * @default {}
     */
    azure?: CookieServicesAzureArgs;
    /**
     * Deprecated: give it as `azure.resourceGroupName`. An error on AWS.
     * @default - the network's resource group (azure)
     * @deprecated Use `azure.resourceGroupName`.
     */
    resourceGroupName?: pulumi.Input<string>;
    /**
     * Mutual TLS between services through an Istio mesh.
     * @default { enabled: false }
     */
    mesh?: ServiceMeshArgs;
    /**
     * Tags for the cloud resources (forward cache, load balancer).
     * @default {}
     */
    tags?: Record<string, string>;
}

/** A DNS record the operator must create in the zone of the public host. */
export interface DnsRecord {
    /** The record's full name, e.g. `_dnsauth.cookies.example.com`. */
    name: string;
    /** `CNAME` or `TXT`. */
    type: string;
    value: string;
}

/** What a cloud's forward cache returns. */
export interface ForwardCacheResources {
    /** The host name the cache answers on. */
    readonly host: pulumi.Output<string>;
    /** DNS records the cache needs for the public host (Azure: the domain's CNAME and its validation TXT record). */
    readonly dnsRecords?: pulumi.Output<DnsRecord[]>;
}

/** The resource references the edge implementations need besides the plan. */
export interface ServicesEdgeInputs {
    /** AWS: the load balancer's subnets; empty on Azure. */
    readonly loadBalancerSubnetIds: readonly pulumi.Input<string>[];
    /** Azure: the resource group of the Front Door profile (planned as required with the forward cache there). */
    readonly resourceGroupName?: pulumi.Input<string>;
    /** AWS: the ALB's certificate as given, text or a certificate resource's output; undefined on Azure. */
    readonly certificateArn?: pulumi.Input<string>;
}

/**
 * What differs per cloud at the edge: who reaches the public services, the Ingress flavour, the forward cache.
 * CookieServices builds its Kubernetes objects itself, so its cloud part is a few calls rather than one `build`,
 * with the same rule: each reads only the plan and the resource references in {@link ServicesEdgeInputs}.
 */
export interface ServicesEdgeImplementation {
    /** Who may send traffic to the public services. */
    ingressPeers(plan: ServicesPlan): k8s.types.input.networking.v1.NetworkPolicyPeer[];
    /** The Ingress class, annotations and TLS section. */
    ingressSettings(plan: ServicesPlan, inputs: ServicesEdgeInputs): IngressSettings;
    /** Annotations for a public service's Service object, e.g. the load balancer's health check. */
    publicServiceAnnotations(service: ServicePlan): Record<string, string>;
    /** Creates the forward cache in front of `ingress`; returns the host name it answers on and the DNS records it needs. */
    forwardCache(parent: pulumi.Resource, plan: ServicesPlan, inputs: ServicesEdgeInputs, ingress: k8s.networking.v1.Ingress): ForwardCacheResources;
}

export interface IngressSettings {
    readonly ingressClassName: string;
    readonly annotations: pulumi.Input<Record<string, string>>;
    readonly tls: k8s.types.input.networking.v1.IngressTLS[];
}

/**
 * The Intergalactic Cookies services: one hardened, autoscaled, disruption-tolerant Deployment per service spec.
 * Pass the cluster's Kubernetes provider in the resource options: `{ providers: { kubernetes: provider } }`.
 */
export class CookieServices extends pulumi.ComponentResource {
    /** The namespace holding the services. */
    public readonly namespace: pulumi.Output<string>;
    /** The services' names, in spec order. */
    public readonly serviceNames: pulumi.Output<string[]>;
    /** Each service's in-cluster URL, by name. */
    public readonly serviceUrls: pulumi.Output<Record<string, string>>;
    /** The public host name. */
    public readonly publicHost: pulumi.Output<string>;
    /** The load balancer's DNS name (AWS) or address (Azure), once the controller has provisioned it. */
    public readonly loadBalancerAddress: pulumi.Output<string>;
    /** The Kafka topics the services use: give them to KafkaQuorum. */
    public readonly kafkaTopics: pulumi.Output<string[]>;
    /** Every Mongo collection a service uses. */
    public readonly mongoCollections: pulumi.Output<string[]>;
    /** The forward cache's host name; empty when it is off. */
    public readonly forwardCacheHost: pulumi.Output<string>;
    /**
     * Azure: the DNS records to create for the public host when the forward cache is on: a CNAME to the
     * Front Door endpoint and the TXT record that validates the domain for its managed certificate. Empty otherwise.
     */
    public readonly forwardCacheDnsRecords: pulumi.Output<DnsRecord[]>;

    constructor(name: string, args: CookieServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, so bad input creates nothing.
        const provider = kubernetesProviderOf(opts);
        const placement = placeServices(args);
        const plan = planServices(name, { ...args, kubernetesProvider: provider, placement });
        super("intergalactic:index:CookieServices", name, {}, opts);

        const implementation = implementationFor<ServicesEdgeImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./cookieServices.aws").AwsServicesEdge)(),
            [Cloud.Azure]: () => new (require("./cookieServices.azure").AzureServicesEdge)(),
        });
        const k8sOpts: pulumi.CustomResourceOptions = { parent: this, provider };
        const namespace = new coreV1.Namespace(childName(name, "namespace"), {
            metadata: { name: plan.namespace, labels: restrictedNamespaceLabels(plan.edge.mesh) },
        }, k8sOpts);
        const nsOpts: pulumi.CustomResourceOptions = { ...k8sOpts, dependsOn: [namespace] };

        const secrets = this.dataStoreSecrets(plan, args, nsOpts);
        this.networkPolicies(plan, args, implementation, nsOpts);
        // One digest per set of stores, shared by the services that use that set: each digest is a few Outputs
        // the SDK keeps in flight until the Deployments that read it are registered.
        const digests = new Map<string, pulumi.Output<string>>();
        const digestOf = (kinds: readonly DataStoreKind[]) => {
            const key = kinds.join(",");
            if (!digests.has(key)) digests.set(key, credentialsDigest(kinds.map((kind) => args[kind]!.credentials), writerHosts(plan, kinds, args)));
            return digests.get(key)!;
        };
        for (const service of plan.services) this.service(plan, service, implementation, secrets, digestOf, nsOpts);
        const edgeInputs: ServicesEdgeInputs = {
            loadBalancerSubnetIds: [...placement.loadBalancerSubnetIds], resourceGroupName: placement.resourceGroupName,
            certificateArn: knownCertificateArn(`CookieServices "${name}"`, args.ingress),
        };
        const ingress = buildIngress(plan, implementation.ingressSettings(plan, edgeInputs), plan.protectIngress ? { ...nsOpts, protect: true } : nsOpts);
        if (plan.edge.mesh) buildMesh(plan, nsOpts);

        this.namespace = namespace.metadata.name;
        this.serviceNames = pulumi.output(plan.services.map((s) => s.name));
        this.serviceUrls = pulumi.output(Object.fromEntries(plan.services.map((s) => [s.name, serviceUrl(s.name, plan.namespace)])));
        this.publicHost = pulumi.output(plan.edge.host);
        this.loadBalancerAddress = ingress.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? s?.loadBalancer?.ingress?.[0]?.ip ?? "");
        this.kafkaTopics = pulumi.output([...plan.topics]);
        this.mongoCollections = pulumi.output([...plan.collections]);
        const cache = plan.edge.forwardCache ? implementation.forwardCache(this, plan, edgeInputs, ingress) : undefined;
        this.forwardCacheHost = cache?.host ?? pulumi.output("");
        this.forwardCacheDnsRecords = cache?.dnsRecords ?? pulumi.output([]);

        this.registerOutputs({
            namespace: this.namespace, serviceNames: this.serviceNames, serviceUrls: this.serviceUrls, publicHost: this.publicHost,
            loadBalancerAddress: this.loadBalancerAddress, kafkaTopics: this.kafkaTopics, mongoCollections: this.mongoCollections, forwardCacheHost: this.forwardCacheHost,
            forwardCacheDnsRecords: this.forwardCacheDnsRecords,
        });
    }

    /** One Secret per used data store; `stringData` comes from the secret credentials, so Pulumi keeps it secret. */
    private dataStoreSecrets(plan: ServicesPlan, args: CookieServicesArgs, opts: pulumi.CustomResourceOptions): Map<string, k8s.core.v1.Secret> {
        const secrets = new Map<string, k8s.core.v1.Secret>();
        for (const kind of plan.dataStores) {
            const store = args[kind]!;
            secrets.set(kind, new coreV1.Secret(childName(plan.name, kind, "secret"), {
                metadata: { name: secretName(kind), namespace: plan.namespace, labels: { "app.kubernetes.io/part-of": "intergalactic-cookies" } },
                type: "Opaque",
                stringData: pulumi.secret(pulumi.all([store.connection, store.credentials, writerOf(plan, kind, args)]).apply(([c, k, writer]) =>
                    ({ ...secretStringData(c, k), ...(writer ? writerStringData(writer.connection, writer.credentials) : {}) }))),
            }, opts));
        }
        return secrets;
    }

    private networkPolicies(plan: ServicesPlan, args: CookieServicesArgs, implementation: ServicesEdgeImplementation, opts: pulumi.CustomResourceOptions): void {
        const policy = (role: string, name: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new networkingV1.NetworkPolicy(childName(plan.name, role), { metadata: { name, namespace: plan.namespace }, spec }, opts);
        policy("default-deny", "default-deny", defaultDenySpec());
        policy("allow-dns", "allow-dns", dnsEgressSpec());
        const ports: StorePorts = Object.fromEntries(plan.dataStores.map((kind) =>
            [kind, pulumi.output(args[kind]!.connection).apply((c) => tcpPorts(storePorts(c)))]));
        // From the writer's connection alone: its credentials are a secret, and would make the policy's ports one.
        const writers: StorePorts = Object.fromEntries(DATA_STORE_KINDS.filter((kind) => plan.writerCidrs[kind] !== undefined && args.mongoWriter !== undefined).map((kind) =>
            [kind, pulumi.output(args.mongoWriter!.connection).apply((c) => tcpPorts(storePorts(c)))]));
        const peers = implementation.ingressPeers(plan);
        for (const s of plan.services) policy(`${s.name}-policy`, `${s.name}-flows`, servicePolicySpec(plan, s, peers, ports, writers));
    }

    private service(
        plan: ServicesPlan, s: ServicePlan, implementation: ServicesEdgeImplementation, secrets: Map<string, k8s.core.v1.Secret>,
        digestOf: (kinds: readonly DataStoreKind[]) => pulumi.Output<string>, opts: pulumi.CustomResourceOptions,
    ): void {
        const metadata = (annotations: Record<string, string> = {}) => ({
            name: s.name, namespace: plan.namespace, labels: serviceLabels(plan.name, s.name), annotations,
        });
        // Only the objects whose await needs running pods (a rollout, a Service's endpoints).
        const awaited = (annotations: Record<string, string> = {}) =>
            metadata(plan.awaitReadiness ? annotations : { ...annotations, [SKIP_AWAIT_ANNOTATION]: "true" });
        const account = new coreV1.ServiceAccount(childName(plan.name, s.name, "account"), {
            metadata: metadata(), automountServiceAccountToken: s.kubernetesApiAccess,
        }, opts);
        const uses = s.dataStores.map((kind) => secrets.get(kind)!);
        const spec = deploymentSpec(plan.name, plan.namespace, s);
        // Environment variables from a Secret are read when a container starts, so a rotated credential
        // (the MSK SCRAM users alternate every period) reaches running pods only through a rollout:
        // the template carries a digest of the credentials the service uses.
        if (s.dataStores.length > 0) {
            const template = spec.template as k8s.types.input.core.v1.PodTemplateSpec;
            const meta = template.metadata as k8s.types.input.meta.v1.ObjectMeta;
            template.metadata = { ...meta, annotations: { [CREDENTIALS_DIGEST_ANNOTATION]: digestOf(s.dataStores) } };
        }
        new appsV1.Deployment(childName(plan.name, s.name, "deployment"), {
            metadata: awaited(), spec,
        }, {
            // No `ignoreChanges: ["spec.replicas"]`: Pulumi would send the count from its state on every update.
            ...opts, dependsOn: [...opts.dependsOn as pulumi.Resource[], account, ...uses],
        });
        new autoscalingV2.HorizontalPodAutoscaler(childName(plan.name, s.name, "autoscaler"), {
            metadata: metadata(), spec: autoscalerSpec(s),
        }, opts);
        new policyV1.PodDisruptionBudget(childName(plan.name, s.name, "pdb"), {
            metadata: metadata(), spec: disruptionBudgetSpec(plan.name, s),
        }, opts);
        new coreV1.Service(childName(plan.name, s.name, "service"), {
            metadata: awaited(s.public ? implementation.publicServiceAnnotations(s) : {}), spec: serviceSpec(plan.name, s),
        }, opts);
    }
}

/**
 * The Ingress's certificate as given. Text was checked with the plan; an output (a certificate resource's
 * ARN) is checked once its value is known: at preview for one already deployed or read from config, at up
 * for one being created. A wrong one fails the program naming the arg as written, the value and the rule,
 * instead of the load balancer controller failing on the cluster later. The output keeps its resources,
 * so the Ingress still waits for them.
 */
function knownCertificateArn(subject: string, ingress: ServicesIngressArgs): pulumi.Input<string> | undefined {
    const arn = ingress.aws?.certificateArn ?? ingress.certificateArn;
    if (arn === undefined || typeof arn === "string") return arn;
    const key = ingress.aws?.certificateArn !== undefined ? "ingress.aws.certificateArn" : "ingress.certificateArn";
    return pulumi.output(arn).apply((value) => {
        const problems = new Problems(subject);
        problems.check(isAcmCertificateArn(value), key, value, CERTIFICATE_ARN_RULE);
        problems.throwIfAny();
        return value;
    });
}
