import * as assert from "assert";
import { AKS_AAD_SERVER_APP_ID, aksKubeconfig, clusterOfAksKubeconfig, eksKubeconfig } from "./kubeconfig";

describe("kubeconfig", () => {
    it("gets EKS tokens from aws eks get-token for the cluster and region, with no embedded credential", () => {
        const config = JSON.parse(eksKubeconfig("cookies-abc123", "https://ABC.gr7.eu-west-1.eks.amazonaws.com", "Q0E=", "eu-west-1"));
        assert.strictEqual(config["current-context"], "cookies-abc123");
        assert.deepStrictEqual(config.clusters[0].cluster, { server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com", "certificate-authority-data": "Q0E=" });
        const exec = config.users[0].user.exec;
        assert.strictEqual(exec.command, "aws");
        assert.deepStrictEqual(exec.args, ["eks", "get-token", "--cluster-name", "cookies-abc123", "--region", "eu-west-1", "--output", "json"]);
        assert.strictEqual(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
        assert.strictEqual(config.users[0].user.token, undefined);
    });

    it("gets AKS tokens from kubelogin for the AKS server application", () => {
        const config = JSON.parse(aksKubeconfig("cluster-aks", "https://x.hcp.westeurope.azmk8s.io:443", "Q0E="));
        const exec = config.users[0].user.exec;
        assert.strictEqual(exec.command, "kubelogin");
        assert.deepStrictEqual(exec.args, ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_APP_ID]);
        assert.strictEqual(exec.interactiveMode, "Never");
    });

    it("reads the server and CA from the base64 kubeconfig AKS returns", () => {
        const yaml = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: TUlJ\n    server: https://c.hcp.northeurope.azmk8s.io:443\n  name: c\n";
        assert.deepStrictEqual(clusterOfAksKubeconfig(Buffer.from(yaml).toString("base64")), { server: "https://c.hcp.northeurope.azmk8s.io:443", caData: "TUlJ" });
        assert.throws(() => clusterOfAksKubeconfig(Buffer.from("apiVersion: v1\n").toString("base64")), /no cluster server/);
    });
});
