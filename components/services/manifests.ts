/**
 * Pure builders of each service's Kubernetes objects from the plan: the pod
 * template (hardened for the `restricted` pod security level), the autoscaler,
 * the disruption budget and the Service. Typed with the SDK's input types so
 * that a misspelled field fails to compile.
 */
import * as k8s from "@pulumi/kubernetes";
import type { ServicePlan } from "./servicesPlan";
import { containerEnv } from "./wiring";

type Labels = Record<string, string>;

/** The labels that select a service's pods; immutable once the Deployment exists. */
export function selectorLabels(component: string, service: string): Labels {
    return { "app.kubernetes.io/name": service, "app.kubernetes.io/instance": component };
}

/** Labels of every object of a service. */
export function serviceLabels(component: string, service: string): Labels {
    return { ...selectorLabels(component, service), "app.kubernetes.io/part-of": "intergalactic-cookies", "app.kubernetes.io/managed-by": "pulumi" };
}

/** The named container port every probe, Service and Ingress refers to. */
export const HTTP_PORT_NAME = "http";
/** The port Services listen on; the in-cluster URLs need no port. */
export const SERVICE_PORT = 80;

export function deploymentSpec(component: string, namespace: string, s: ServicePlan): k8s.types.input.apps.v1.DeploymentSpec {
    const selector = selectorLabels(component, s.name);
    return {
        // No `replicas`: every service has an autoscaler, which owns the count. A count here would be applied again
        // by every update (server-side apply takes the field back from the autoscaler's `scale` writes,
        // pulumi/pulumi-kubernetes#2491), scaling a loaded service down to its minimum; `ignoreChanges` would not
        // help, since Pulumi then sends the count from its state. Kubernetes' HPA docs: remove `spec.replicas`
        // (kubernetes/website#29739). A new Deployment starts with 1 pod and the autoscaler raises it to
        // `minReplicas` at its next sync (a count below the minimum is corrected without metrics).
        selector: { matchLabels: selector },
        // Surge first, never go below the desired count during a rollout.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
        revisionHistoryLimit: 5,
        template: {
            metadata: { labels: serviceLabels(component, s.name) },
            spec: podSpec(namespace, s, selector),
        },
    };
}

function podSpec(namespace: string, s: ServicePlan, selector: Labels): k8s.types.input.core.v1.PodSpec {
    return {
        serviceAccountName: s.name,
        automountServiceAccountToken: s.kubernetesApiAccess,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 30,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: s.runAsUser,
            runAsGroup: s.runAsUser,
            fsGroup: s.runAsUser,
            seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: [
            // Zones are the failure domain that matters: refuse to stack replicas in one zone.
            spread("topology.kubernetes.io/zone", "DoNotSchedule", selector),
            spread("kubernetes.io/hostname", "ScheduleAnyway", selector),
        ],
        containers: [container(namespace, s)],
        // The root filesystem is read-only; the only writable place is a small scratch directory.
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    };
}

function spread(topologyKey: string, whenUnsatisfiable: string, selector: Labels): k8s.types.input.core.v1.TopologySpreadConstraint {
    // pod-template-hash keeps a rollout's new pods spread among themselves, not against the old ones.
    return { maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: selector }, matchLabelKeys: ["pod-template-hash"] };
}

function container(namespace: string, s: ServicePlan): k8s.types.input.core.v1.Container {
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path, port: HTTP_PORT_NAME }, periodSeconds, timeoutSeconds: 2, failureThreshold,
    });
    return {
        name: s.name,
        image: s.image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: HTTP_PORT_NAME, containerPort: s.port, protocol: "TCP" }],
        env: containerEnv(s, namespace),
        resources: {
            requests: { cpu: s.cpuRequest, memory: s.memoryRequest },
            limits: { cpu: s.cpuLimit, memory: s.memoryLimit },
        },
        // Gives slow starters time without making liveness lenient for the pod's whole life.
        startupProbe: probe(s.livenessPath, 5, 24),
        readinessProbe: probe(s.readinessPath, 5, 3),
        livenessProbe: probe(s.livenessPath, 10, 3),
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

export function autoscalerSpec(s: ServicePlan): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: s.name },
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
        metrics: [utilization("cpu", s.cpuTargetPercent), utilization("memory", s.memoryTargetPercent)],
        // Scale up at once, scale down slowly so a short lull does not drop capacity a burst needs.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] } },
    };
}

export function disruptionBudgetSpec(component: string, s: ServicePlan): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return {
        // One pod at a time, whatever the current scale; with >= 2 replicas one always serves.
        maxUnavailable: 1,
        selector: { matchLabels: selectorLabels(component, s.name) },
        // A crash-looping pod must not block node drains.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
    };
}

export function serviceSpec(component: string, s: ServicePlan): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(component, s.name),
        ports: [{ name: HTTP_PORT_NAME, port: SERVICE_PORT, targetPort: HTTP_PORT_NAME, protocol: "TCP", appProtocol: "http" }],
    };
}
