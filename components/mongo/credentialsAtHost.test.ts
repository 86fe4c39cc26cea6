import * as assert from "assert";
import { credentialsAtHost, documentDbCredentials, writerCredentials } from "./credentials";

describe("credentialsAtHost (a global cluster's secondary signed in with the primary's users)", () => {
    const primary = documentDbCredentials("cookie admin", "cookies", "users.cluster-abc.eu-west-1.docdb.amazonaws.com", "p@ss:/word");

    it("names the other host and keeps the users, the port, the database and every option", () => {
        const copy = credentialsAtHost(primary, "users-use1.cluster-def.us-east-1.docdb.amazonaws.com");
        assert.strictEqual(copy.connectionString, primary.connectionString.replace("users.cluster-abc.eu-west-1.", "users-use1.cluster-def.us-east-1."));
        assert.doesNotMatch(copy.connectionString, /eu-west-1/);
        assert.deepStrictEqual([copy.username, copy.password], [primary.username, primary.password]);
        assert.match(copy.connectionString, /:27017\/cookies\?tls=true&replicaSet=rs0&/);
    });

    it("refuses a string without a user@host part instead of returning it unchanged", () => {
        assert.throws(() => credentialsAtHost({ ...primary, connectionString: "not a url" }, "h"), /no user@host part/);
    });
});

describe("writerCredentials (the string a service writes through)", () => {
    const primary = documentDbCredentials("cookie admin", "cookies", "users.cluster-abc.eu-west-1.docdb.amazonaws.com", "p@ss:/word");

    it("drops readPreference, so its reads of what it wrote go to the primary (the driver's default), and keeps every other option", () => {
        const writer = writerCredentials(primary);
        assert.doesNotMatch(writer.connectionString, /readPreference/);
        assert.strictEqual(writer.connectionString, primary.connectionString.replace("readPreference=secondaryPreferred&", ""));
        assert.match(writer.connectionString, /\?tls=true&replicaSet=rs0&retryWrites=false&authSource=admin$/);
        assert.deepStrictEqual([writer.username, writer.password], [primary.username, primary.password]);
        assert.strictEqual(writerCredentials({ ...primary, connectionString: "mongodb://u:p@h:27017/db?readPreference=nearest" }).connectionString, "mongodb://u:p@h:27017/db");
    });
});
