/**
 * The Key Vaults whose certificates the AKS managed ingress (application
 * routing add-on) serves: what `az aks approuting update --enable-kv --attach-kv`
 * sets up, as data. Without the Key Vault secrets provider add-on and a role for
 * the add-on's identity on the vault, NGINX serves its built-in fake certificate
 * (https://learn.microsoft.com/azure/aks/app-routing-dns-ssl).
 */
import { Cloud, PerCloud } from "../common/cloud";
import { Problems } from "../common/validation";

/** A Key Vault's ARM resource id; group 1 is the vault's name. */
export const KEY_VAULT_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/([a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9])$/;

/**
 * Built-in roles the add-on's identity gets on each vault (fixed ids in every tenant): the
 * certificate's private key is read as a secret (Key Vault Secrets User), its metadata as a
 * certificate (Key Vault Certificate User). Both are read-only; the vault must use the Azure RBAC
 * permission model (https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
 */
export const KeyVaultReadRoles = {
    secretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    certificateUser: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
} as const;

/** The Key Vault secrets provider add-on, with rotation so a renewed certificate reaches NGINX without a restart. */
export const KEY_VAULT_SECRETS_PROVIDER = {
    name: "azureKeyvaultSecretsProvider",
    config: { enableSecretRotation: "true", rotationPollInterval: "2m" },
} as const;

/** Per cloud, whether the managed ingress serves Key Vault certificates (AKS application routing); EKS ingresses take ACM certificates. */
const INGRESS_FROM_KEY_VAULT: PerCloud<boolean> = { aws: false, azure: true };

/** Checks `ingressKeyVaultIds` (Azure only: EKS ingresses take ACM certificates) and returns them. */
export function checkIngressKeyVaults(problems: Problems, cloud: Cloud, ids: readonly string[]): string[] {
    if (!INGRESS_FROM_KEY_VAULT[cloud]) {
        problems.check(ids.length === 0, "ingressKeyVaultIds", ids, "is for azure only: on aws the load balancer takes an ACM certificate");
        return [];
    }
    ids.forEach((id, i) => problems.check(KEY_VAULT_ID.test(id), `ingressKeyVaultIds[${i}]`, id,
        "is not a Key Vault resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>)"));
    problems.check(new Set(ids.map((id) => id.toLowerCase())).size === ids.length, "ingressKeyVaultIds", ids, "lists a vault twice");
    return [...ids];
}
