/**
 * The connection strings of HaMongo: pure string work on values the cloud
 * implementations read back from the service, kept here so it is unit tested
 * apart from any resource.
 */
import { Credentials } from "../common/dataStore";
import { DocDbLimits } from "./layout";

/** The connection string Azure lists for the primary read-write key. */
const PRIMARY_CONNECTION_STRING = "Primary MongoDB Connection String";

/**
 * The DocumentDB master user's credentials. DocumentDB needs `retryWrites=false` (it has no retryable writes),
 * the user lives in `admin`, and `replicaSet=rs0` lets drivers follow a failover to a new primary
 * (https://docs.aws.amazon.com/documentdb/latest/developerguide/connect_programmatically.html).
 */
export function documentDbCredentials(username: string, databaseName: string, host: string, password: string): Credentials {
    const query = "tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authSource=admin";
    return {
        username,
        password,
        connectionString: `mongodb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${DocDbLimits.port}/${databaseName}?${query}`,
    };
}

/** The primary read-write connection string among the ones Cosmos DB lists for an account. */
export function primaryConnectionString(list: readonly { connectionString: string; description: string }[]): string {
    const primary = list.find((c) => c.description === PRIMARY_CONNECTION_STRING);
    if (!primary) throw new Error(`Cosmos DB listed no "${PRIMARY_CONNECTION_STRING}"; got: ${list.map((c) => c.description).join(", ")}`);
    return primary.connectionString;
}

/**
 * The id of a deleted Cosmos DB account's restorable copy, the value a restore names as its source
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction#restore-scenarios).
 */
export function restorableAccountId(subscriptionId: string, location: string, instanceId: string): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.DocumentDB/locations/${location}/restorableDatabaseAccounts/${instanceId}`;
}

/**
 * The same users' credentials with the connection string pointed at another host, e.g. a DocumentDB global
 * cluster's read-only secondary in the caller's region: the primary's users sign in there (a secondary has no
 * users of its own), and a stamp whose network has no path to the primary's writer must not be handed a
 * string naming it, or its driver cannot reach any member, reads included
 * (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters.html: only the primary writes).
 */
export function credentialsAtHost(credentials: Credentials, host: string): Credentials {
    const at = credentials.connectionString.match(/^(mongodb(?:\+srv)?:\/\/[^@/]*@)([^/?]+)(.*)$/s);
    if (!at) throw new Error("credentialsAtHost: the connection string has no user@host part");
    const port = at[2].includes(":") ? at[2].slice(at[2].lastIndexOf(":")) : "";
    return { ...credentials, connectionString: `${at[1]}${host}${port}${at[3]}` };
}

/**
 * The same credentials for a client that writes (a DocumentDB global cluster's primary, `mongoWriter`): the string
 * without `readPreference`, so the driver's default, `primary`, sends its reads too to the primary instance
 * (https://www.mongodb.com/docs/manual/core/read-preference/: "By default, an application directs its read operations
 * to the primary member"). AWS suggests `secondaryPreferred` for a client that spreads its reads over the primary
 * cluster (https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters-connect.html), but this client
 * reads only what it just wrote, which a replica may not have yet, and a replica's read may cross a region for
 * nothing: the services read through the local reader's string.
 */
export function writerCredentials(credentials: Credentials): Credentials {
    const at = credentials.connectionString.match(/^([^?]*)\?(.*)$/s);
    if (!at) return credentials;
    const query = at[2].split("&").filter((p) => !/^readPreference=/i.test(p)).join("&");
    return { ...credentials, connectionString: query === "" ? at[1] : `${at[1]}?${query}` };
}
