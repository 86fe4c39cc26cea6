/**
 * Instances and containers: EC2 instances and launch templates require
 * IMDSv2 session tokens, and containers run as a non-root user without
 * privilege escalation.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { Types, at, list } from "../common";

const INSTANCE_TYPES: readonly string[] = [Types.AwsInstance, Types.AwsLaunchTemplate];

export const imdsV2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description: "EC2 instances and launch templates require IMDSv2 (metadataOptions.httpTokens \"required\"); remediation sets it.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "compute"],
    validateResource: (args, report) => {
        if (!INSTANCE_TYPES.includes(args.type)) return args.notApplicable("not an instance or launch template");
        const options = (args.props.metadataOptions ?? {}) as Record<string, unknown>;
        // With the endpoint off there is nothing to steal credentials from.
        if (options.httpEndpoint === "disabled") return;
        if (options.httpTokens !== "required") report(`metadataOptions.httpTokens is ${JSON.stringify(options.httpTokens ?? "optional (the default)")}; use "required" so only IMDSv2 session requests get credentials`);
    },
    remediateResource: (args) => {
        if (!INSTANCE_TYPES.includes(args.type)) return undefined;
        const options = (args.props.metadataOptions ?? {}) as Record<string, unknown>;
        if (options.httpTokens === "required" || options.httpEndpoint === "disabled") return undefined;
        return { ...args.props, metadataOptions: { ...options, httpTokens: "required" } };
    },
};

const POD_OWNERS: readonly string[] = [Types.K8sDeployment, Types.K8sStatefulSet, Types.K8sDaemonSet];

export const containersNonRoot: ResourceValidationPolicy = {
    name: "containers-non-root",
    description: "Containers run as non-root (runAsNonRoot or a non-zero runAsUser) and never privileged or with privilege escalation.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "kubernetes"],
    validateResource: (args, report) => {
        if (!POD_OWNERS.includes(args.type)) return args.notApplicable("not a pod controller");
        const pod = (at(args.props, "spec.template.spec") ?? {}) as Record<string, unknown>;
        const podContext = (pod.securityContext ?? {}) as Record<string, unknown>;
        const containers = [...list<Record<string, unknown>>(pod.initContainers), ...list<Record<string, unknown>>(pod.containers)];
        for (const c of containers) {
            const context = (c.securityContext ?? {}) as Record<string, unknown>;
            const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
            const user = context.runAsUser ?? podContext.runAsUser;
            const name = `container ${JSON.stringify(c.name ?? "?")}`;
            if (user === 0 || (nonRoot !== true && !(typeof user === "number" && user > 0))) report(`${name}: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)`);
            if (context.privileged === true) report(`${name}: must not be privileged`);
            if (context.allowPrivilegeEscalation === true) report(`${name}: must not allow privilege escalation`);
        }
    },
};
