/**
 * The cloud-neutral credentials of a Redis cache: the password and a
 * `rediss://` URI (TLS) built from the connection, kept secret end to end.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectionInfo, Credentials } from "../common/dataStore";

/**
 * `rediss://[user]:<password>@<host>:<port>`. The userinfo is percent-encoded: AUTH tokens may
 * contain `#`, `&` and `$`, which would otherwise end or corrupt the URI.
 */
export function redisUri(host: string, port: number, username: string, password: string): string {
    return `rediss://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}`;
}

/** Credentials for `connection`, secret even if `password` was not. */
export function redisCredentials(connection: pulumi.Output<ConnectionInfo>, username: string, password: pulumi.Input<string>): pulumi.Output<Credentials> {
    return pulumi.secret(pulumi.all([connection, password]).apply(([c, p]) => ({
        username, password: p, connectionString: redisUri(c.host, c.port, username, p),
    })));
}
