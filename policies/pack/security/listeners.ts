/**
 * TLS 1.2+ listeners: load balancer listeners negotiate TLS 1.2 or newer, and
 * plain HTTP listeners only redirect to HTTPS. Remediation sets the AWS
 * listener's policy to the current TLS 1.3/1.2 policy.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { albOf } from "../albIngress";
import { Types, at, list } from "../common";

/** The AWS ELB security policy used when a listener names none is `ELBSecurityPolicy-2016-08`, which allows TLS 1.0. */
export const RECOMMENDED_AWS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** ELB security policies whose minimum protocol is TLS 1.2 or 1.3. */
const AWS_TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;
/** Application Gateway predefined policies with TLS 1.2 as the minimum. */
const AZURE_TLS12_POLICIES = ["AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"];
const AZURE_TLS12_VERSIONS = ["TLSv1_2", "TLSv1_3"];
const AWS_LISTENERS: readonly string[] = [Types.AwsListener, Types.AwsAlbListener];

function awsListenerProblems(p: Record<string, unknown>): string[] {
    const protocol = String(p.protocol ?? "");
    if (protocol === "HTTPS" || protocol === "TLS") {
        const policy = p.sslPolicy === undefined ? undefined : String(p.sslPolicy);
        return policy !== undefined && AWS_TLS12_POLICY.test(policy) ? []
            : [`sslPolicy ${JSON.stringify(policy ?? "ELBSecurityPolicy-2016-08 (the default)")} allows TLS below 1.2; use ${RECOMMENDED_AWS_SSL_POLICY}`];
    }
    if (protocol === "HTTP") {
        const redirects = list<Record<string, unknown>>(p.defaultActions).every((a) => a.type === "redirect" && at(a, "redirect.protocol") === "HTTPS");
        return redirects ? [] : ["an HTTP listener may only redirect to HTTPS"];
    }
    return [];
}

function azureGatewayProblems(p: Record<string, unknown>): string[] {
    const policy = p.sslPolicy as Record<string, unknown> | undefined;
    // Without sslPolicy, API versions from 2023-02-01 apply AppGwSslPolicy20220101 (TLS 1.2 minimum).
    if (policy === undefined) return [];
    const type = policy.policyType;
    if (type === "Predefined") {
        return AZURE_TLS12_POLICIES.includes(String(policy.policyName)) ? [] : [`sslPolicy.policyName ${JSON.stringify(policy.policyName)} allows TLS below 1.2; use AppGwSslPolicy20220101S`];
    }
    return AZURE_TLS12_VERSIONS.includes(String(policy.minProtocolVersion)) ? [] : [`sslPolicy.minProtocolVersion ${JSON.stringify(policy.minProtocolVersion)} is below TLSv1_2`];
}

/** An ALB Ingress: HTTPS listeners with a TLS 1.2+ policy, HTTP only with the controller's redirect to HTTPS. */
function albIngressProblems(p: Record<string, unknown>): string[] {
    const alb = albOf(p);
    if (!alb) return [];
    const problems: string[] = [];
    if (alb.listeners.some((l) => l.protocol === "HTTPS") && !AWS_TLS12_POLICY.test(alb.sslPolicy)) {
        problems.push(`annotation alb.ingress.kubernetes.io/ssl-policy ${JSON.stringify(alb.sslPolicy)} allows TLS below 1.2; use ${RECOMMENDED_AWS_SSL_POLICY}`);
    }
    if (alb.listeners.some((l) => l.protocol === "HTTP") && !alb.sslRedirect) problems.push("an HTTP listener needs alb.ingress.kubernetes.io/ssl-redirect so it only redirects to HTTPS");
    return problems;
}

export const tlsListeners: ResourceValidationPolicy = {
    name: "tls-listeners",
    description: "Load balancer listeners (including ALB Ingresses) use TLS 1.2 or newer, and HTTP listeners only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        if (AWS_LISTENERS.includes(args.type)) return awsListenerProblems(args.props).forEach((m) => report(m));
        if (args.type === Types.AzureAppGateway) return azureGatewayProblems(args.props).forEach((m) => report(m));
        if (args.type === Types.K8sIngress) return albIngressProblems(args.props).forEach((m) => report(m));
        args.notApplicable("not a load balancer listener");
    },
    remediateResource: (args) => {
        if (!AWS_LISTENERS.includes(args.type)) return undefined;
        const protocol = args.props.protocol;
        if ((protocol !== "HTTPS" && protocol !== "TLS") || AWS_TLS12_POLICY.test(String(args.props.sslPolicy ?? ""))) return undefined;
        return { ...args.props, sslPolicy: RECOMMENDED_AWS_SSL_POLICY };
    },
};
