/**
 * Name rules of Kubernetes, Kafka and DNS that the API servers enforce at
 * `up` time; checked here so that a bad name fails before anything is created.
 */

/** A DNS-1035 label: what a Kubernetes Service name must be. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: namespaces and most object names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: Secret names. */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The longest label Kubernetes accepts. */
export const MAX_LABEL_LENGTH = 63;

/** Kafka's topic name rule: at most 249 of `[a-zA-Z0-9._-]`, and not `.` or `..`. */
export function isKafkaTopic(name: string): boolean {
    return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== "." && name !== "..";
}

/** What a name `isHostName` refuses is told, by CookieServices and by the stack config alike. */
export const HOST_NAME_RULE = "is not a fully qualified host name such as cookies.example.com (lower-case DNS labels, no wildcard, no trailing dot)";

/** A fully qualified public host name such as `cookies.example.com` (no wildcard, no trailing dot). */
export function isHostName(name: string): boolean {
    return name.length <= 253 && name.includes(".") && name.split(".").every((l) => l.length <= 63 && DNS_1123_LABEL.test(l));
}

/** A POSIX environment variable name, as containers expect. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An image repository without tag or digest, e.g. `ghcr.io/org/name` or `name`. */
export function isImageRepository(image: string): boolean {
    const parts = image.split("/");
    const path = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1) : parts;
    return path.length > 0 && path.every((p) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p)) &&
        (path === parts || /^[a-zA-Z0-9.-]+(:\d+)?$/.test(parts[0]));
}

/** An image tag (`1.4.2`, `2026-11-23.1`) or a digest (`sha256:<64 hex>`). */
/** An OCI content digest as registries and Kubernetes take it: `sha256:` and 64 lowercase hex digits. */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Splits `repository@sha256:<hex>` into its repository and digest; no `@`: the whole string is the repository. */
export function splitImageDigest(image: string): { repository: string; digest?: string } {
    const at = image.indexOf("@");
    return at < 0 ? { repository: image } : { repository: image.slice(0, at), digest: image.slice(at + 1) };
}

export function isImageTag(tag: string): boolean {
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) || /^sha256:[a-f0-9]{64}$/.test(tag);
}

/** Upper snake case of a service name for environment variables: `prepare-cookie` -> `PREPARE_COOKIE`. */
export function envPrefix(name: string): string {
    return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}
