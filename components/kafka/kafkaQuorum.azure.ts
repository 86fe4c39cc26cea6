/**
 * KafkaQuorum on Azure: an Event Hubs Premium namespace (Kafka endpoint on
 * 9093), zone-redundant, reachable only through a private endpoint in the
 * data subnet with the `privatelink.servicebus.windows.net` private DNS zone,
 * TLS 1.2 or later, and one event hub per declared topic.
 *
 * Local (shared access key) authentication is the trade-off of `password`:
 * Kafka clients log in with SASL/PLAIN and a connection string, which works
 * with every client but is a long-lived shared key. The rule created here can
 * only send and listen (not manage). `iam` (local authentication off, only
 * Entra ID SASL/OAUTHBEARER tokens accepted) is refused by planKafka: no
 * client identity is made to hold such a token.
 */
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { Credentials, dataResourceGroup } from "../common/dataStore";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { Tier } from "../network/layout";
import { KafkaPlan } from "./kafkaPlan";
import { IDENTITY_CREDENTIALS, eventHubsConnection, sharedAccessCredentials } from "./credentials";
import { KafkaQuorumImplementation, KafkaQuorumInputs, KafkaQuorumResources } from "./kafkaQuorum";
import { EVENT_HUBS_PRIVATE_DNS_ZONE, EVENT_HUBS_PRIVATE_LINK_GROUP, KafkaAuthentication } from "./layout";

export class AzureKafkaQuorum implements KafkaQuorumImplementation {
    build(parent: pulumi.Resource, plan: KafkaPlan, inputs: KafkaQuorumInputs): KafkaQuorumResources {
        const opts = { parent };
        const tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: Tier.Data });
        const resourceGroupName = dataResourceGroup(inputs);
        const localAuth = plan.authentication === KafkaAuthentication.Password;

        const namespace = new eventhub.Namespace(plan.eventHubs.namespaceResourceName, {
            resourceGroupName,
            sku: { name: "Premium", tier: "Premium", capacity: plan.eventHubs.processingUnits },
            // Premium replicates every partition across the region's availability zones.
            zoneRedundant: true,
            kafkaEnabled: true,
            minimumTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
            disableLocalAuth: !localAuth,
            tags,
            // The namespace holds every event hub's data: a prod event bus is a data store like the others.
        }, { ...opts, protect: plan.deletionProtection });
        for (const topic of plan.topics) {
            new eventhub.EventHub(topic.resourceName, {
                resourceGroupName,
                namespaceName: namespace.name,
                // The event hub's name is the Kafka topic name clients use.
                eventHubName: topic.name,
                partitionCount: topic.partitions,
                retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: topic.retentionHours },
            }, opts);
        }
        this.privateEndpoint(plan, inputs, namespace, resourceGroupName, tags, opts);

        const connection = namespace.name.apply((n) => eventHubsConnection(n, plan.port, plan.mechanism));
        const credentials: pulumi.Output<Credentials> = localAuth
            ? this.sharedAccessCredentials(plan, namespace, resourceGroupName, opts)
            : pulumi.output(IDENTITY_CREDENTIALS);
        return { connection, credentials, resourceId: namespace.id, securityGroupId: pulumi.output("") };
    }

    /** The namespace's only way in: a private endpoint in the data subnet, resolved through the privatelink zone. */
    private privateEndpoint(
        plan: KafkaPlan, inputs: KafkaQuorumInputs, namespace: eventhub.Namespace, resourceGroupName: pulumi.Output<string>,
        tags: Tags, opts: pulumi.CustomResourceOptions,
    ): void {
        const endpoint = new network.PrivateEndpoint(childName(plan.name, "pe"), {
            resourceGroupName,
            subnet: { id: inputs.subnetIds[0] },
            privateLinkServiceConnections: [{
                name: childName(plan.name, "pe"),
                privateLinkServiceId: namespace.id,
                groupIds: [EVENT_HUBS_PRIVATE_LINK_GROUP],
            }],
            tags,
        }, opts);
        const zone = new privatedns.PrivateZone(childName(plan.name, "dns"), {
            resourceGroupName, privateZoneName: EVENT_HUBS_PRIVATE_DNS_ZONE, location: "global", tags,
        }, opts);
        new privatedns.VirtualNetworkLink(childName(plan.name, "dns-link"), {
            resourceGroupName,
            privateZoneName: zone.name,
            virtualNetwork: { id: inputs.networkId },
            registrationEnabled: false,
            location: "global",
            tags,
        }, opts);
        new network.PrivateDnsZoneGroup(childName(plan.name, "dns-group"), {
            resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneConfigs: [{ name: "servicebus", privateDnsZoneId: zone.id }],
        }, opts);
    }

    /** SASL/PLAIN with a send-and-listen key: user `$ConnectionString`, password the connection string. */
    private sharedAccessCredentials(
        plan: KafkaPlan, namespace: eventhub.Namespace, resourceGroupName: pulumi.Output<string>, opts: pulumi.CustomResourceOptions,
    ): pulumi.Output<Credentials> {
        const rule = new eventhub.NamespaceAuthorizationRule(childName(plan.name, "clients"), {
            resourceGroupName,
            namespaceName: namespace.name,
            authorizationRuleName: "kafka-clients",
            rights: ["Listen", "Send"],
        }, opts);
        const keys = eventhub.listNamespaceKeysOutput({
            resourceGroupName, namespaceName: namespace.name, authorizationRuleName: rule.name,
        }, { parent: opts.parent });
        return pulumi.secret(keys.primaryConnectionString.apply(sharedAccessCredentials));
    }
}
