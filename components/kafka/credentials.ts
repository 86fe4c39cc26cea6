/**
 * The client-facing connection and connection strings of KafkaQuorum: pure
 * string work on values the cloud implementations read back from MSK or Event
 * Hubs, kept here so it is unit tested apart from any resource.
 */
import { ConnectionInfo, Credentials } from "../common/dataStore";

/** The neutral connection from MSK's comma-separated bootstrap broker list (`host:port,host:port`). */
export function mskConnection(bootstrap: string, port: number, mechanism: string): ConnectionInfo {
    const endpoints = bootstrap.split(",").map((e) => e.trim()).filter((e) => e.length > 0);
    return { host: endpoints[0]?.replace(/:\d+$/, "") ?? "", endpoints, port, tls: true, authMechanism: mechanism };
}

/** The neutral connection of an Event Hubs namespace's Kafka endpoint, `<namespace>.servicebus.windows.net`. */
export function eventHubsConnection(namespaceName: string, port: number, mechanism: string): ConnectionInfo {
    const host = `${namespaceName}.servicebus.windows.net`;
    return { host, endpoints: [`${host}:${port}`], port, tls: true, authMechanism: mechanism };
}

/** `kafka://[user:password@]host:port,...?security.protocol=SASL_SSL&sasl.mechanism=...`; the userinfo is percent-encoded. */
export function kafkaUri(connection: ConnectionInfo, mechanism: string, username?: string, password?: string): string {
    const auth = username ? `${encodeURIComponent(username)}:${encodeURIComponent(password ?? "")}@` : "";
    return `kafka://${auth}${connection.endpoints.join(",")}?security.protocol=SASL_SSL&sasl.mechanism=${mechanism}`;
}

/**
 * Event Hubs' Kafka endpoint with a shared access key: SASL/PLAIN with the literal user `$ConnectionString` and the
 * namespace connection string as the password (https://learn.microsoft.com/azure/event-hubs/azure-event-hubs-kafka-overview#shared-access-signature-sas).
 */
export function sharedAccessCredentials(connectionString: string): Credentials {
    return { username: "$ConnectionString", password: connectionString, connectionString };
}

/** No shared secret: clients authenticate with their own identity (MSK IAM, Entra ID on Event Hubs). */
export const IDENTITY_CREDENTIALS: Credentials = { username: "", password: "", connectionString: "" };
