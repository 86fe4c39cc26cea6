/**
 * Test helpers for Kubernetes objects in a plan: rebuild each recorded object
 * from its inputs, validate it against the Kubernetes API schema
 * (kubernetes-models), and check that selectors and references line up, which
 * the schema cannot. The Secret keys a workload may refer to are the caller's
 * (a component's wiring), passed in.
 */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Plan, PlannedResource, REDACTED } from "../format";

/** A Kubernetes object as it would be sent to the API server. */
export interface Manifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

type Validator = (manifest: Manifest) => void;
const SCHEMAS: Readonly<Record<string, Validator>> = {
    Namespace: (m) => new Namespace(m as never).validate(),
    Secret: (m) => new Secret(m as never).validate(),
    Service: (m) => new Service(m as never).validate(),
    ServiceAccount: (m) => new ServiceAccount(m as never).validate(),
    Deployment: (m) => new Deployment(m as never).validate(),
    HorizontalPodAutoscaler: (m) => new HorizontalPodAutoscaler(m as never).validate(),
    PodDisruptionBudget: (m) => new PodDisruptionBudget(m as never).validate(),
    NetworkPolicy: (m) => new NetworkPolicy(m as never).validate(),
    Ingress: (m) => new Ingress(m as never).validate(),
};

/** The recorded Kubernetes objects (custom resources of the kubernetes provider, not the provider itself). */
export function kubernetesResources(plan: Plan): PlannedResource[] {
    return plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
}

/** `kubernetes:apps/v1:Deployment` -> apps/v1 + Deployment; the core group is plain `v1`. */
export function typeMetaOf(type: string): { apiVersion: string; kind: string } {
    const [, groupVersion, kind] = type.split(":");
    return { apiVersion: groupVersion.replace(/^core\//, ""), kind };
}

/**
 * The manifest of a recorded object, rebuilt from its type token and inputs. A Secret's redacted
 * `stringData` becomes one placeholder per key of `secretKeys`, so its shape can still be validated.
 */
export function manifestOf(resource: PlannedResource, secretKeys: readonly string[] = []): Manifest {
    const { apiVersion, kind } = typeMetaOf(resource.type);
    const { apiVersion: _a, kind: _k, metadata, ...body } = resource.inputs;
    if (kind === "Secret" && body.stringData === REDACTED) {
        body.stringData = Object.fromEntries(secretKeys.map((k) => [k, REDACTED]));
    }
    return { apiVersion, kind, metadata: metadata as Manifest["metadata"], ...body };
}

/** Validates a manifest against the Kubernetes schema; throws with the object's name on failure. */
export function validateManifest(manifest: Manifest): void {
    const validate = SCHEMAS[manifest.kind];
    if (!validate) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
    try {
        validate(manifest);
    } catch (err) {
        throw new Error(`${manifest.kind} ${manifest.metadata?.name}: ${(err as Error).message}`);
    }
}

/** Manifests of one kind. */
export function manifests(plan: Plan, kind: string, secretKeys: readonly string[] = []): Manifest[] {
    return kubernetesResources(plan).map((r) => manifestOf(r, secretKeys)).filter((m) => m.kind === kind);
}

/** True when a `matchLabels` selector selects an object with `labels`. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
    return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

type Obj = Record<string, any>;

/** Checks that every selector and reference in the plan points at something that exists; env vars may name only `secretKeys`. */
export function assertConsistent(plan: Plan, secretKeys: readonly string[]): void {
    const deployments = manifests(plan, "Deployment");
    const podLabels = deployments.map((d) => (d.spec as Obj).template.metadata.labels as Record<string, string>);
    const matchingPods = (selector: Record<string, string>) => podLabels.filter((labels) => selects(selector, labels)).length;
    const services = new Map(manifests(plan, "Service").map((s) => [s.metadata.name, s.spec as Obj]));
    const secrets = new Set(manifests(plan, "Secret").map((s) => s.metadata.name));
    const accounts = new Set(manifests(plan, "ServiceAccount").map((s) => s.metadata.name));
    for (const d of deployments) {
        const spec = d.spec as Obj;
        const pod = spec.template.spec as Obj;
        assert.ok(selects(spec.selector.matchLabels, spec.template.metadata.labels), `${d.metadata.name}: selector must match its pod labels`);
        assert.strictEqual(matchingPods(spec.selector.matchLabels), 1, `${d.metadata.name}: selector must select only its own pods`);
        assert.ok(accounts.has(pod.serviceAccountName), `${d.metadata.name}: service account ${pod.serviceAccountName} exists`);
        for (const c of pod.topologySpreadConstraints) assert.ok(selects(c.labelSelector.matchLabels, spec.template.metadata.labels), `${d.metadata.name}: spread selector`);
        const portNames = new Set(pod.containers[0].ports.map((p: Obj) => p.name));
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
            assert.ok(portNames.has(pod.containers[0][probe].httpGet.port), `${d.metadata.name}: ${probe} port`);
        }
        for (const env of pod.containers[0].env as Obj[]) {
            const ref = env.valueFrom?.secretKeyRef;
            if (ref) assert.ok(secrets.has(ref.name) && secretKeys.includes(ref.key), `${d.metadata.name}: ${env.name} refers to ${ref.name}/${ref.key}`);
        }
    }
    for (const [name, spec] of services) assert.strictEqual(matchingPods(spec.selector), 1, `Service ${name} selects one deployment's pods`);
    for (const pdb of manifests(plan, "PodDisruptionBudget")) assert.strictEqual(matchingPods((pdb.spec as Obj).selector.matchLabels), 1, `PDB ${pdb.metadata.name}`);
    for (const hpa of manifests(plan, "HorizontalPodAutoscaler")) {
        const target = (hpa.spec as Obj).scaleTargetRef;
        assert.ok(deployments.some((d) => d.metadata.name === target.name && target.kind === "Deployment" && target.apiVersion === "apps/v1"), `HPA ${hpa.metadata.name}`);
    }
    for (const np of manifests(plan, "NetworkPolicy")) assertPolicyPeersExist(np, matchingPods);
    for (const ing of manifests(plan, "Ingress")) {
        for (const rule of (ing.spec as Obj).rules) for (const path of rule.http.paths) {
            const service = services.get(path.backend.service.name);
            assert.ok(service?.ports.some((p: Obj) => p.name === path.backend.service.port.name), `Ingress backend ${path.backend.service.name}`);
        }
    }
}

function assertPolicyPeersExist(np: Manifest, matchingPods: (s: Record<string, string>) => number): void {
    const spec = np.spec as Obj;
    const selector = spec.podSelector.matchLabels;
    if (selector) assert.strictEqual(matchingPods(selector), 1, `NetworkPolicy ${np.metadata.name} applies to one service`);
    const peers = [...(spec.ingress ?? []).flatMap((r: Obj) => r.from ?? []), ...(spec.egress ?? []).flatMap((r: Obj) => r.to ?? [])];
    for (const peer of peers) {
        if (peer.podSelector && !peer.namespaceSelector) assert.strictEqual(matchingPods(peer.podSelector.matchLabels), 1, `NetworkPolicy ${np.metadata.name} peer`);
    }
}

/**
 * Runs `body` with stack capture off and restores it afterwards. The SDK records a stack trace for
 * each of its internal promises, and with source maps that dominates the time of a large plan.
 */
export async function withoutStackTraces<T>(body: () => Promise<T>): Promise<T> {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await body();
    } finally {
        Error.stackTraceLimit = saved;
    }
}

/** A Kubernetes provider with a dummy kubeconfig; nothing connects to it under the mocks. */
export function testProvider(): k8s.Provider {
    return new k8s.Provider("test-cluster", {
        kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
    });
}
