/**
 * Network policies: deny everything in the namespace, then open exactly the
 * pipeline's flows: callers to callees on the callee's port, the ingress
 * controller to the public services, every pod to cluster DNS, each service
 * to the data tier's ranges on its own stores' ports (and, with the mesh, to istiod).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { selectorLabels } from "./manifests";
import { DataStoreKind } from "./serviceSpec";
import type { ServicePlan, ServicesPlan } from "./servicesPlan";

type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;

/** The ports each data store listens on (from its connection), as policy ports. */
export type StorePorts = Partial<Record<DataStoreKind, pulumi.Input<Port[]>>>;

const namespaceOf = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/** No pod in the namespace sends or receives anything not allowed by another policy. */
export function defaultDenySpec(): Spec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** Every pod may resolve names through the cluster DNS in kube-system. */
export function dnsEgressSpec(): Spec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{
            to: [{ namespaceSelector: namespaceOf("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
        }],
    };
}

/** The one policy of a service: who may call it, and whom and what it may reach. */
export function servicePolicySpec(plan: ServicesPlan, s: ServicePlan, ingressPeers: Peer[], stores: StorePorts, writers: StorePorts = {}): Spec {
    const byName = new Map(plan.services.map((x) => [x.name, x]));
    const pods = (name: string): Peer => ({ podSelector: { matchLabels: selectorLabels(plan.name, name) } });
    const tcp = (port: number): Port => ({ protocol: "TCP", port });
    const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
    if (s.callers.length > 0) ingress.push({ from: s.callers.map(pods), ports: [tcp(s.port)] });
    if (s.public) ingress.push({ from: ingressPeers, ports: [tcp(s.port)] });

    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = s.callees.map((callee) => ({
        to: [pods(callee)], ports: [tcp(byName.get(callee)!.port)],
    }));
    const dataTier = cidrPeers(plan.dataCidrs);
    for (const kind of s.dataStores) egress.push({ to: dataTier, ports: stores[kind] });
    // A store whose writer is in another network (a global cluster's primary across a peering): its ranges, on its ports.
    for (const kind of s.writerStores) {
        const cidrs = plan.writerCidrs[kind] ?? [];
        if (cidrs.length > 0) egress.push({ to: cidrPeers(cidrs), ports: writers[kind] });
    }
    if (plan.edge.mesh) {
        // Sidecars fetch their configuration and certificates from istiod.
        egress.push({ to: [{ namespaceSelector: namespaceOf("istio-system"), podSelector: { matchLabels: { app: "istiod" } } }], ports: [tcp(15012)] });
    }
    return {
        podSelector: { matchLabels: selectorLabels(plan.name, s.name) },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
    };
}

/** Policy ports for the given port numbers. */
export function tcpPorts(ports: number[]): Port[] {
    return ports.map((port) => ({ protocol: "TCP", port }));
}

/** Where the Azure application routing add-on runs its nginx ingress controllers. */
export const APP_ROUTING_NAMESPACE = "app-routing-system";

/** Peers for an ingress controller running in the cluster, by namespace. */
export function namespacePeers(namespace: string): Peer[] {
    return [{ namespaceSelector: namespaceOf(namespace) }];
}

/** Peers for a load balancer that sends to pod IPs from its subnets (ALB, target type ip). */
export function cidrPeers(cidrs: readonly string[]): Peer[] {
    return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}
