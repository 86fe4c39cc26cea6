/**
 * Kubeconfigs as plain functions. Neither embeds a credential: each runs the
 * cloud's token helper (`aws eks get-token`, `kubelogin`) at connection time,
 * so a leaked kubeconfig grants nothing by itself and tokens never go stale
 * in state. Rendered as JSON, which every kubeconfig reader accepts (YAML 1.2
 * is a superset of JSON).
 */

/** The client authentication API every supported kubectl and the Pulumi provider speak. */
const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/**
 * The Entra ID application of the AKS AAD server: the audience of every AKS
 * token, the same in every tenant (Microsoft documents this fixed id).
 */
export const AKS_AAD_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

interface ExecSpec {
    readonly command: string;
    readonly args: readonly string[];
    readonly env?: readonly { name: string; value: string }[];
}

function render(name: string, server: string, caData: string, exec: ExecSpec): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
        users: [{ name, user: { exec: { apiVersion: EXEC_API_VERSION, interactiveMode: "Never", ...exec } } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        "current-context": name,
    });
}

/** An EKS kubeconfig that gets tokens from `aws eks get-token` with the caller's AWS credentials. */
export function eksKubeconfig(clusterName: string, endpoint: string, caData: string, region: string): string {
    return render(clusterName, endpoint, caData, {
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
    });
}

/**
 * An AKS kubeconfig that gets Entra ID tokens from `kubelogin`. It defaults to the Azure CLI
 * login (`az login` in CI and on laptops); kubelogin's `AAD_LOGIN_METHOD` environment variable
 * switches it, e.g. to `workloadidentity` or `msi`.
 */
export function aksKubeconfig(clusterName: string, server: string, caData: string): string {
    return render(clusterName, server, caData, {
        command: "kubelogin",
        args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_APP_ID],
    });
}

/** The API server URL and CA of the first cluster in a kubeconfig AKS returns (base64-encoded YAML). */
export function clusterOfAksKubeconfig(base64: string): { server: string; caData: string } {
    const text = Buffer.from(base64, "base64").toString("utf8");
    const server = /^\s*server:\s*(\S+)\s*$/m.exec(text)?.[1];
    const caData = /^\s*certificate-authority-data:\s*(\S+)\s*$/m.exec(text)?.[1];
    if (!server || !caData) throw new Error("the kubeconfig AKS returned has no cluster server or certificate-authority-data");
    return { server, caData };
}
