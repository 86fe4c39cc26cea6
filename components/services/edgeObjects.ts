/**
 * The cloud-neutral Kubernetes objects of the edge: the namespace's pod
 * security labels, the public Ingress, and the mesh's mTLS policies.
 */
import type * as k8s from "@pulumi/kubernetes";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import * as networkingV1 from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import type { IngressSettings } from "./cookieServices";
import { HTTP_PORT_NAME, selectorLabels } from "./manifests";
import { ServicesPlan, entryServiceOfPath } from "./servicesPlan";

/** The Ingress object's name in the namespace. */
export const INGRESS_NAME = "public";

/** Pod Security Admission at `restricted`, enforced, audited and warned; plus sidecar injection with the mesh. */
export function restrictedNamespaceLabels(mesh: boolean): Record<string, string> {
    const level = "restricted";
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": level,
        "pod-security.kubernetes.io/warn": level,
        ...(mesh ? { "istio-injection": "enabled" } : {}),
    };
}

/** The Ingress paths: one entry service at `/`, several at `/<name>`. */
export function ingressPaths(plan: ServicesPlan): k8s.types.input.networking.v1.HTTPIngressPath[] {
    const single = plan.entryServices.length === 1;
    return plan.entryServices.map((name) => ({
        path: single ? "/" : `/${name}`,
        pathType: "Prefix",
        backend: { service: { name, port: { name: HTTP_PORT_NAME } } },
    }));
}

/**
 * AWS: the rule without a host for `ingress.aws.anyHostHealthPath`, so a Route 53 health check of the ALB's own name
 * (sent as the Host header) reaches the entry service; the exact path only, everything else still needs the public host.
 */
function anyHostRules(plan: ServicesPlan): k8s.types.input.networking.v1.IngressRule[] {
    const path = plan.edge.anyHostHealthPath;
    const service = path === "" ? undefined : entryServiceOfPath(plan.entryServices, path);
    if (service === undefined) return [];
    return [{ http: { paths: [{ path, pathType: "Exact", backend: { service: { name: service, port: { name: HTTP_PORT_NAME } } } }] } }];
}

/** The public Ingress: TLS on `host` (and on the forward cache's origin host name, when there is one). */
export function buildIngress(plan: ServicesPlan, settings: IngressSettings, opts: pulumi.CustomResourceOptions): k8s.networking.v1.Ingress {
    const hosts = [plan.edge.host, ...(plan.edge.forwardCache ? [plan.edge.forwardCache.originHostname] : [])];
    const paths = ingressPaths(plan);
    return new networkingV1.Ingress(childName(plan.name, "ingress"), {
        metadata: {
            name: INGRESS_NAME,
            namespace: plan.namespace,
            labels: { "app.kubernetes.io/part-of": "intergalactic-cookies" },
            annotations: settings.annotations,
        },
        spec: {
            ingressClassName: settings.ingressClassName,
            tls: settings.tls,
            rules: [...hosts.map((host) => ({ host, http: { paths } })), ...anyHostRules(plan)],
        },
    }, opts);
}

/** The Istio API version of PeerAuthentication (GA since Istio 1.22). */
export const ISTIO_SECURITY_API = "security.istio.io/v1";

/**
 * Strict mTLS for the whole namespace. The public services keep their port permissive: the load
 * balancer or ingress controller outside the mesh sends them plain HTTP.
 */
export function buildMesh(plan: ServicesPlan, opts: pulumi.CustomResourceOptions): void {
    new CustomResource(childName(plan.name, "mtls"), {
        apiVersion: ISTIO_SECURITY_API,
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: plan.namespace },
        spec: { mtls: { mode: "STRICT" } },
    }, opts);
    for (const s of plan.services.filter((x) => x.public)) {
        new CustomResource(childName(plan.name, s.name, "mtls"), {
            apiVersion: ISTIO_SECURITY_API,
            kind: "PeerAuthentication",
            metadata: { name: s.name, namespace: plan.namespace },
            spec: {
                selector: { matchLabels: selectorLabels(plan.name, s.name) },
                mtls: { mode: "STRICT" },
                portLevelMtls: { [String(s.port)]: { mode: "PERMISSIVE" } },
            },
        }, opts);
    }
}
