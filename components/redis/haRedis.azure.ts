/**
 * HaRedis on Azure: an Azure Managed Redis cluster (`redisenterprise`) with
 * high availability on, TLS 1.2+ only, public network access disabled, its
 * `default` database with access-key auth and hourly RDB persistence, reached
 * through a private endpoint in the data subnet whose name resolves through the
 * `privatelink.redis.azure.net` private DNS zone linked to the VNet.
 *
 * Zones: Azure Managed Redis SKUs reject an explicit `zones` list ("Specifying
 * zones for SKU ... is not supported. Zone redundancy is enabled by default for
 * this SKU in regions with zones"), so the cluster sets none and relies on the
 * region having zones, which the stack config checks.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as redisenterprise from "@pulumi/azure-native/redisenterprise";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceGroup } from "../common/dataStore";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { Tier } from "../network/layout";
import { AZURE_DATABASE_NAME, AZURE_REDIS_PRIVATE_DNS_ZONE, AZURE_REDIS_PRIVATE_LINK_GROUP, AZURE_SKUS } from "./layout";
import { HaRedisImplementation, HaRedisInputs, HaRedisResources } from "./haRedis";
import { RedisPlan } from "./redisPlan";
import { redisCredentials } from "./credentials";

export class AzureHaRedis implements HaRedisImplementation {
    build(parent: pulumi.Resource, plan: RedisPlan, inputs: HaRedisInputs): HaRedisResources {
        const opts = { parent };
        const tags: Tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: Tier.Data });
        const subnetId = inputs.subnetIds[0];
        const resourceGroupName = dataResourceGroup(inputs);
        const stateful = { ...opts, protect: plan.deletionProtection };

        const cluster = new redisenterprise.RedisEnterprise(childName(plan.name, "cluster"), {
            resourceGroupName,
            sku: { name: AZURE_SKUS[plan.size] },
            highAvailability: "Enabled",
            minimumTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
            tags,
        }, stateful);
        const database = new redisenterprise.Database(childName(plan.name, "db"), {
            resourceGroupName,
            clusterName: cluster.name,
            databaseName: AZURE_DATABASE_NAME,
            clientProtocol: "Encrypted",
            port: plan.port,
            // EnterpriseCluster hides sharding behind one endpoint; OSSCluster exposes it to cluster-aware clients.
            clusteringPolicy: plan.clustered ? "OSSCluster" : "EnterpriseCluster",
            evictionPolicy: "VolatileLRU",
            accessKeysAuthentication: "Enabled",
            persistence: { rdbEnabled: true, rdbFrequency: "1h" },
        }, stateful);
        // One control-plane operation on the cluster at a time: the private endpoint (a connection on the
        // cluster) after the database, the lock after both (the same serialisation Cosmos DB requires).
        const endpoint = this.privateEndpoint(plan, inputs, cluster, resourceGroupName, subnetId, tags, database, opts);
        if (plan.deletionProtection) {
            // Pulumi's protect only guards this program; the lock also stops deletion from the portal or CLI.
            // After the endpoint, so that a destroy removes the lock before the endpoint, whose connection proxy
            // on the cluster the lock would refuse to delete (ScopeLocked, hashicorp/terraform-provider-azurerm#17478).
            new authorization.ManagementLockByScope(childName(plan.name, "lock"), {
                scope: cluster.id, level: "CanNotDelete", notes: `Deletion protection of ${plan.name}`,
            }, { ...opts, dependsOn: [endpoint, database] });
        }

        const keys = redisenterprise.listDatabaseKeysOutput({ resourceGroupName, clusterName: cluster.name, databaseName: database.name }, opts);
        const connection = cluster.hostName.apply((host) => ({
            host, endpoints: [`${host}:${plan.port}`], port: plan.port, tls: true, authMechanism: "password",
        }));
        return { connection, credentials: redisCredentials(connection, "", keys.primaryKey), resourceId: cluster.id, encryptionKeyArn: pulumi.output("") };
    }

    private privateEndpoint(
        plan: RedisPlan, inputs: HaRedisInputs, cluster: redisenterprise.RedisEnterprise, resourceGroupName: pulumi.Output<string>,
        subnetId: pulumi.Input<string>, tags: Tags, database: redisenterprise.Database, opts: pulumi.CustomResourceOptions,
    ): network.PrivateEndpoint {
        const zone = new privatedns.PrivateZone(childName(plan.name, "dns"), {
            resourceGroupName, privateZoneName: AZURE_REDIS_PRIVATE_DNS_ZONE, location: "global", tags,
        }, opts);
        new privatedns.VirtualNetworkLink(childName(plan.name, "dns-link"), {
            resourceGroupName, privateZoneName: zone.name, location: "global",
            virtualNetwork: { id: inputs.networkId }, registrationEnabled: false, tags,
        }, opts);
        const endpoint = new network.PrivateEndpoint(childName(plan.name, "pe"), {
            resourceGroupName,
            subnet: { id: subnetId },
            privateLinkServiceConnections: [{
                name: childName(plan.name, "pe"), privateLinkServiceId: cluster.id, groupIds: [AZURE_REDIS_PRIVATE_LINK_GROUP],
            }],
            tags,
        }, {
            ...opts,
            dependsOn: [database],
            // Under the cluster's lock the endpoint cannot be deleted or replaced (ScopeLocked): refuse it up front.
            protect: plan.deletionProtection,
        });
        new network.PrivateDnsZoneGroup(childName(plan.name, "pe-dns"), {
            resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: "redis", privateDnsZoneId: zone.id }],
        }, opts);
        return endpoint;
    }
}
