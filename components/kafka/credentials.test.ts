import * as assert from "assert";
import { eventHubsConnection, kafkaUri, mskConnection, sharedAccessCredentials } from "./credentials";
import { brokerLogGroupPrefix } from "./kafkaPlan";

describe("KafkaQuorum connections", () => {
    it("reads MSK's comma-separated bootstrap list into endpoints, with the first broker as host", () => {
        assert.deepStrictEqual(mskConnection("b-1.k:9096, b-2.k:9096,,b-3.k:9096", 9096, "SCRAM-SHA-512"), {
            host: "b-1.k", endpoints: ["b-1.k:9096", "b-2.k:9096", "b-3.k:9096"], port: 9096, tls: true, authMechanism: "SCRAM-SHA-512",
        });
    });

    it("reaches an Event Hubs namespace's Kafka endpoint at <namespace>.servicebus.windows.net", () => {
        assert.deepStrictEqual(eventHubsConnection("bus-eventhubs1a2b", 9093, "PLAIN"), {
            host: "bus-eventhubs1a2b.servicebus.windows.net", endpoints: ["bus-eventhubs1a2b.servicebus.windows.net:9093"],
            port: 9093, tls: true, authMechanism: "PLAIN",
        });
    });

    it("puts percent-encoded credentials and every endpoint into a SASL_SSL kafka URI, and no userinfo without a user", () => {
        const connection = mskConnection("b-1.k:9096,b-2.k:9096", 9096, "SCRAM-SHA-512");
        assert.strictEqual(kafkaUri(connection, "SCRAM-SHA-512", "bus-client-a", "p@ss/w:rd"),
            "kafka://bus-client-a:p%40ss%2Fw%3Ard@b-1.k:9096,b-2.k:9096?security.protocol=SASL_SSL&sasl.mechanism=SCRAM-SHA-512");
        assert.strictEqual(kafkaUri(connection, "AWS_MSK_IAM"), "kafka://b-1.k:9096,b-2.k:9096?security.protocol=SASL_SSL&sasl.mechanism=AWS_MSK_IAM");
    });

    it("logs Event Hubs clients in as $ConnectionString with the connection string as password", () => {
        assert.deepStrictEqual(sharedAccessCredentials("Endpoint=sb://x/;SharedAccessKey=k"),
            { username: "$ConnectionString", password: "Endpoint=sb://x/;SharedAccessKey=k", connectionString: "Endpoint=sb://x/;SharedAccessKey=k" });
    });

    it("names broker log groups under /aws/vendedlogs/ per stack and component", () => {
        assert.strictEqual(brokerLogGroupPrefix("dev", "bus"), "/aws/vendedlogs/msk/dev-bus-");
    });
});
