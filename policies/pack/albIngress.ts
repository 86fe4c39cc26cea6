/**
 * Kubernetes Ingresses served by the AWS Load Balancer Controller: the ALB is
 * made by the controller, not by Pulumi, so its listeners, scheme and subnets
 * are read from the Ingress's `alb.ingress.kubernetes.io/*` annotations, with
 * the controller's documented defaults.
 */
import { at, known } from "./common";

const PREFIX = "alb.ingress.kubernetes.io/";
/** The controller's default `ssl-policy`, which still allows TLS 1.0. */
export const ALB_CONTROLLER_DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

export interface AlbIngress {
    readonly internetFacing: boolean;
    /** Listeners as `HTTP:80`, `HTTPS:443`. */
    readonly listeners: readonly { protocol: string; port: number }[];
    readonly sslPolicy: string;
    readonly sslRedirect: boolean;
    /**
     * Subnet ids or names from the `subnets` annotation; empty when the controller discovers them by tag, and in a
     * preview that does not know the annotation yet (made from the ids of subnets the same up creates).
     */
    readonly subnets: readonly string[];
    readonly inboundCidrs: readonly string[];
}

/** The ALB an Ingress asks for, or undefined when another controller serves it. */
export function albOf(props: Record<string, unknown>): AlbIngress | undefined {
    const annotations = (at(props, "metadata.annotations") ?? {}) as Record<string, string>;
    const klass = at(props, "spec.ingressClassName") ?? annotations["kubernetes.io/ingress.class"];
    if (klass !== "alb") return undefined;
    const a = (key: string) => annotations[`${PREFIX}${key}`];
    const hasCertificate = a("certificate-arn") !== undefined;
    return {
        internetFacing: a("scheme") === "internet-facing",
        listeners: parseListenPorts(a("listen-ports"), hasCertificate),
        sslPolicy: a("ssl-policy") ?? ALB_CONTROLLER_DEFAULT_SSL_POLICY,
        sslRedirect: a("ssl-redirect") !== undefined,
        subnets: known(() => a("subnets") ?? "", "").split(",").map((s) => s.trim()).filter((s) => s !== ""),
        inboundCidrs: (a("inbound-cidrs") ?? "0.0.0.0/0").split(",").map((s) => s.trim()),
    };
}

/** `[{"HTTP":80},{"HTTPS":443}]`; the default is HTTPS:443 with a certificate, else HTTP:80. */
function parseListenPorts(text: string | undefined, hasCertificate: boolean): { protocol: string; port: number }[] {
    if (text === undefined) return [hasCertificate ? { protocol: "HTTPS", port: 443 } : { protocol: "HTTP", port: 80 }];
    try {
        const parsed = JSON.parse(text) as Record<string, number>[];
        return parsed.flatMap((entry) => Object.entries(entry).map(([protocol, port]) => ({ protocol, port: Number(port) })));
    } catch {
        return [{ protocol: "INVALID", port: 0 }];
    }
}
