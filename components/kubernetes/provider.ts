/**
 * A Kubernetes provider for a KubernetesCluster. The component exposes its
 * kubeconfig rather than a provider: the multi-language schema can reference
 * resources but not provider instances, and a kubeconfig works from every
 * language and from kubectl alike.
 */
import type * as k8s from "@pulumi/kubernetes";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";

/** A provider that deploys into the cluster the kubeconfig points at. */
export function kubernetesProvider(name: string, kubeconfig: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): k8s.Provider {
    return new Provider(name, {
        kubeconfig: pulumi.secret(kubeconfig),
        // Objects the provider did not create are never silently taken over.
        enableServerSideApply: true,
        // deleteUnreachable stays off: with it, a destroy run from an address the API does not admit
        // "succeeds" by dropping the Ingress from state without deleting it, and the ALB and its security
        // groups leak and block the VPC's deletion (pulumi/pulumi-kubernetes#2489,
        // kubernetes-sigs/aws-load-balancer-controller#1629). Left unset, not false, so that for a cluster
        // really deleted outside Pulumi, PULUMI_K8S_DELETE_UNREACHABLE=true lets that one destroy go on.
    }, opts);
}
