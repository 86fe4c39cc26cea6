/**
 * Encryption of every data store, at rest and in transit, and TLS 1.2 or
 * newer wherever clients connect.
 *
 * Azure encrypts Azure Managed Redis, Cosmos DB and Event Hubs at rest on the
 * platform and offers no way to turn that off, so at-rest checks apply to the
 * AWS stores, whose encryption is a choice made at creation.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { Types, at, list } from "../common";

export const encryptionAtRest: ResourceValidationPolicy = {
    name: "encryption-at-rest",
    description: "Data stores encrypt their storage: ElastiCache atRestEncryptionEnabled, DocumentDB storageEncrypted (MSK and the Azure stores always encrypt).",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = args.props;
        switch (args.type) {
            // Encryption at rest can only be chosen when the store is created; both default to off.
            case Types.AwsRedis:
                if (p.atRestEncryptionEnabled !== true) report("atRestEncryptionEnabled must be true");
                return;
            case Types.AwsDocDbCluster:
                if (p.storageEncrypted !== true) report("storageEncrypted must be true");
                return;
            case Types.AwsKafka:
            case Types.AzureRedis:
            case Types.AzureCosmos:
            case Types.AzureEventHubNamespace:
                return; // the service always encrypts at rest
            default:
                return args.notApplicable("not a data store");
        }
    },
};

/** The TLS versions each Azure service names 1.2 and newer with. */
const AZURE_TLS12 = {
    redis: ["1.2"],
    cosmos: ["Tls12"],
    eventHub: ["1.2", "1.3"],
} as const;

export const encryptionInTransit: ResourceValidationPolicy = {
    name: "encryption-in-transit",
    description: "Data stores accept only TLS connections, at TLS 1.2 or newer.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = args.props;
        const tls = (value: unknown, allowed: readonly string[], what: string) => {
            // Absent means the service default, which is TLS 1.2 for new resources of these services.
            if (value !== undefined && !allowed.includes(String(value))) report(`${what} is ${JSON.stringify(value)}; use ${allowed.join(" or ")}`);
        };
        switch (args.type) {
            case Types.AwsRedis:
                if (p.transitEncryptionEnabled !== true) report("transitEncryptionEnabled must be true");
                if (p.transitEncryptionMode === "preferred") report("transitEncryptionMode \"preferred\" still accepts plaintext clients: use \"required\"");
                return;
            case Types.AwsKafka: {
                const clientBroker = at(p, "encryptionInfo.encryptionInTransit.clientBroker") ?? "TLS";
                if (clientBroker !== "TLS") report(`encryptionInfo.encryptionInTransit.clientBroker is ${JSON.stringify(clientBroker)}; use "TLS"`);
                if (at(p, "encryptionInfo.encryptionInTransit.inCluster") === false) report("encryptionInfo.encryptionInTransit.inCluster must not be false");
                return;
            }
            case Types.AwsDocDbParameterGroup: {
                const tlsParam = list<Record<string, unknown>>(p.parameters).find((x) => x.name === "tls");
                if (tlsParam && tlsParam.value === "disabled") report("parameter tls is \"disabled\"; DocumentDB then accepts plaintext connections");
                return;
            }
            case Types.AzureRedisDatabase:
                if (p.clientProtocol === "Plaintext") report("clientProtocol is \"Plaintext\"; use \"Encrypted\"");
                return;
            case Types.AzureRedis: return tls(p.minimumTlsVersion, AZURE_TLS12.redis, "minimumTlsVersion");
            case Types.AzureCosmos: return tls(p.minimalTlsVersion, AZURE_TLS12.cosmos, "minimalTlsVersion");
            case Types.AzureEventHubNamespace: return tls(p.minimumTlsVersion, AZURE_TLS12.eventHub, "minimumTlsVersion");
            default: return args.notApplicable("not a data store");
        }
    },
};
