/**
 * The keys a stack may set outside the project's own sections, and the keys that only mean
 * something on one cloud. One table each, so a new key is one more line here.
 *
 * Keys inside `intergalactic:<section>` are checked by the section's parser (every key no getter
 * asked for is an error, see `ConfigObject.rejectUnknownKeys`); this file covers the rest.
 */
import { Cloud, Problems } from "../../components/common";
import { ConfigObject } from "./reader";

/**
 * Provider namespaces a stack may use, the cloud each belongs to, and their keys: every
 * configuration variable of the provider SDK this project pins (`@pulumi/aws` 7 `config/vars`,
 * `@pulumi/azure-native` 3 `config/vars`). A key outside them (`aws:regoin`) is a typo the
 * provider would ignore.
 */
export const PROVIDER_KEYS: Readonly<Record<string, { readonly cloud?: Cloud; readonly keys: readonly string[] }>> = {
    "aws": {
        cloud: Cloud.Aws,
        keys: [
            "accessKey", "allowedAccountIds", "assumeRoleWithWebIdentity", "assumeRoles", "customCaBundle", "defaultTags",
            "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints", "forbiddenAccountIds", "httpProxy",
            "httpsProxy", "ignoreTags", "insecure", "maxRetries", "noProxy", "profile", "region", "retryMode",
            "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "secretKey", "sharedConfigFiles", "sharedCredentialsFiles",
            "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId", "stsRegion",
            "tagPolicyCompliance", "token", "tokenBucketRateLimiterCapacity", "useDualstackEndpoint", "useFipsEndpoint", "userAgents",
        ],
    },
    "azure-native": {
        cloud: Cloud.Azure,
        keys: [
            "auxiliaryTenantIds", "clientCertificatePassword", "clientCertificatePath", "clientId", "clientSecret",
            "disableInstanceDiscovery", "disablePulumiPartnerId", "environment", "location", "metadataHost", "msiEndpoint",
            "oidcRequestToken", "oidcRequestUrl", "oidcToken", "oidcTokenFilePath", "partnerId", "subscriptionId", "tenantId",
            "useDefaultAzureCredential", "useMsi", "useOidc",
        ],
    },
    // The engine's own switch to refuse default providers; every resource here names its provider or uses the default.
    "pulumi": { keys: ["disable-default-providers"] },
};

/** Checks every key outside `namespace`: a known provider namespace of this stack's cloud, and a key it has. */
export function checkProviderKeys(raw: Readonly<Record<string, string>>, namespace: string, cloud: Cloud, problems: Problems): void {
    for (const key of Object.keys(raw).sort()) {
        const colon = key.indexOf(":");
        const ns = colon < 0 ? "" : key.slice(0, colon);
        if (ns === namespace) continue;
        const name = key.slice(colon + 1);
        const provider = Object.prototype.hasOwnProperty.call(PROVIDER_KEYS, ns) ? PROVIDER_KEYS[ns] : undefined;
        if (!provider) {
            problems.add(`${key}: unknown namespace "${ns}": a stack here sets only ${[namespace, ...Object.keys(PROVIDER_KEYS)].map((n) => `${n}:`).join(", ")} keys`);
        } else if (provider.cloud !== undefined && provider.cloud !== cloud) {
            problems.add(`${key}: does nothing on a ${cloud} stack (it configures the ${provider.cloud} provider): remove it`);
        } else if (!provider.keys.includes(name)) {
            problems.add(`${key}: unknown key: the ${ns} provider has no "${name}"; its keys are ${provider.keys.join(", ")}`);
        }
    }
}

/**
 * Keys of the project's sections that only one cloud uses, and what to set instead on the other.
 * Setting one on the other cloud would be silently ignored; here it is an error.
 */
export const CLOUD_ONLY_KEYS: Readonly<Record<string, { readonly cloud: Cloud; readonly elsewhere: string }>> = {
    "network.flowLogRetentionDays": { cloud: Cloud.Aws, elsewhere: "the Azure network has no flow logs here; there is no equivalent" },
    "cluster.logRetentionDays": { cloud: Cloud.Aws, elsewhere: "AKS control-plane logs are not collected here; there is no equivalent" },
    "cluster.privateEndpointCidrs": { cloud: Cloud.Aws, elsewhere: "the AKS private endpoint is reachable from the whole network; there is no equivalent" },
    "bastion.jumpBox": { cloud: Cloud.Azure, elsewhere: "the AWS bastion is itself an instance; there is no equivalent" },
    "bastion.zones": { cloud: Cloud.Azure, elsewhere: "the AWS bastion's group spans the public subnets of every zone (intergalactic:network.zoneCount)" },
    "redis.engine": { cloud: Cloud.Aws, elsewhere: "Azure Managed Redis has one engine; there is no equivalent" },
    "redis.engineVersion": { cloud: Cloud.Aws, elsewhere: "Azure Managed Redis picks its version; there is no equivalent" },
    "redis.replicasPerShard": { cloud: Cloud.Aws, elsewhere: "Azure Managed Redis keeps one replica per shard with high availability on; set intergalactic:redis.shards" },
    "redis.backupRetentionDays": { cloud: Cloud.Aws, elsewhere: "Azure Managed Redis has RDB persistence, not retained snapshots; there is no equivalent" },
    "redis.finalSnapshot": { cloud: Cloud.Aws, elsewhere: "Azure Managed Redis takes no final snapshot; its data is kept only while intergalactic:redis.deletionProtection keeps it" },
    "mongo.instanceCount": { cloud: Cloud.Aws, elsewhere: "Cosmos DB keeps replicas in every zone of the region itself; set intergalactic:mongo.size for throughput" },
    "mongo.masterUsername": { cloud: Cloud.Aws, elsewhere: "Cosmos DB authenticates with account keys; there is no equivalent" },
    "mongo.finalSnapshot": { cloud: Cloud.Aws, elsewhere: "Cosmos DB keeps continuous backups instead (intergalactic:mongo.backupRetentionDays)" },
    "mongo.writerRegion": { cloud: Cloud.Aws, elsewhere: "Cosmos DB moves its write region itself (service-managed failover) and the MongoDB driver follows it through each network's endpoint" },
    "mongo.restoreTimestampUtc": { cloud: Cloud.Azure, elsewhere: "DocumentDB restores a snapshot as a whole (intergalactic:snapshots.restore)" },
    "kafka.brokerCount": { cloud: Cloud.Aws, elsewhere: "Event Hubs scales by processing units: set intergalactic:kafka.size" },
    "kafka.storageGiB": { cloud: Cloud.Aws, elsewhere: "Event Hubs storage is part of its processing units: set intergalactic:kafka.size" },
    "kafka.maxStorageGiB": { cloud: Cloud.Aws, elsewhere: "Event Hubs storage is part of its processing units: set intergalactic:kafka.size" },
    "kafka.storageAutoScaling": { cloud: Cloud.Aws, elsewhere: "Event Hubs storage is part of its processing units: set intergalactic:kafka.size" },
    "kafka.kafkaVersion": { cloud: Cloud.Aws, elsewhere: "Event Hubs speaks the Kafka protocol itself; there is no equivalent" },
    "kafka.replicationFactor": { cloud: Cloud.Aws, elsewhere: "Event Hubs Premium replicates every event over the region's zones itself; there is no equivalent" },
    "kafka.minInSyncReplicas": { cloud: Cloud.Aws, elsewhere: "Event Hubs Premium acknowledges a write once it is replicated over the zones; there is no equivalent" },
    "kafka.logRetentionDays": { cloud: Cloud.Aws, elsewhere: "Event Hubs broker logs are not collected here; topic retention is intergalactic:kafka.topics[].retentionHours" },
    "services.certificateArn": { cloud: Cloud.Aws, elsewhere: "set intergalactic:services.keyVaultCertificateUri or intergalactic:services.tlsSecretName" },
    "globalEntry.managedCertificates": { cloud: Cloud.Aws, elsewhere: "Front Door issues the host's managed certificate on its custom domain, and each stamp's ingress uses intergalactic:services.keyVaultCertificateUri" },
    "globalEntry.hostedZoneId": { cloud: Cloud.Aws, elsewhere: "Front Door serves the host: point its CNAME at the entry's endpoint (the stack output globalEntry.dnsRecords)" },
    "services.regionCertificateArns": { cloud: Cloud.Aws, elsewhere: "every stamp's ingress uses intergalactic:services.keyVaultCertificateUri; Key Vault certificates have no region rule" },
    "services.forwardCache.certificateArn": { cloud: Cloud.Aws, elsewhere: "Front Door manages the certificate of its endpoint; there is no equivalent" },
    "services.keyVaultCertificateUri": { cloud: Cloud.Azure, elsewhere: "set intergalactic:services.certificateArn" },
    "services.tlsSecretName": { cloud: Cloud.Azure, elsewhere: "set intergalactic:services.certificateArn" },
    "services.keyVaultId": { cloud: Cloud.Azure, elsewhere: "set intergalactic:services.certificateArn" },
    "services.forwardCache.maxTtlSeconds": { cloud: Cloud.Aws, elsewhere: "Front Door keeps a response for the origin's Cache-Control max-age and cannot cap it; set the origin's Cache-Control, and intergalactic:services.forwardCache.defaultTtlSeconds for responses without one" },
};

/** Refuses every key of {@link CLOUD_ONLY_KEYS} that the stack sets on the other cloud. */
export function checkCloudOnlyKeys(root: ConfigObject, cloud: Cloud, problems: Problems): void {
    for (const [path, { cloud: only, elsewhere }] of Object.entries(CLOUD_ONLY_KEYS)) {
        if (only === cloud) continue;
        const parts = path.split(".");
        const field = parts.pop()!;
        // A fresh reader per lookup: it reads without marking anything, and a malformed section is reported by its parser.
        const quiet = new Problems("lookup");
        const section = parts.reduce((obj, part) => obj.peekObject(part, quiet), root);
        if (section.has(field)) {
            problems.add(`${root.path}${path}: does nothing on ${cloud} (only ${only} uses it): ${elsewhere}`);
        }
    }
}
