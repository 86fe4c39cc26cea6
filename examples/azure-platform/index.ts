/**
 * A Pulumi program on Azure only, consuming intergalactic-infra as a package: the project installs
 * @pulumi/azure-native and not @pulumi/aws (an optional peer dependency of the package). One
 * three-zone VNet and everything else wired to it by its facts: no subnet id, zone, range or
 * resource group is written here. The data stores take the network's data subnet (their private
 * endpoints) and its resource group; the cluster's nodes take the app subnet; the API server admits
 * the network's NAT addresses besides the deployers'.
 */
import * as pulumi from "@pulumi/pulumi";
// Per-module entry points: none loads a cloud SDK until a component is built, and none loads @pulumi/aws.
import { Cloud, Size } from "intergalactic-infra/common";
import { KafkaQuorum } from "intergalactic-infra/kafka";
import { KubernetesCluster } from "intergalactic-infra/kubernetes";
import { HaMongo } from "intergalactic-infra/mongo";
import { NatStrategy, Vpc3Az, availabilityZoneNames } from "intergalactic-infra/network";
import { HaRedis } from "intergalactic-infra/redis";

export = async () => {
    const config = new pulumi.Config();
    const tags = { owner: config.require("owner"), project: pulumi.getProject(), stack: pulumi.getStack() };
    const zones = await availabilityZoneNames(Cloud.Azure);
    const network = new Vpc3Az("net", {
        cloud: Cloud.Azure,
        cidrBlock: config.require("cidrBlock"),
        availabilityZones: zones,
        natStrategy: NatStrategy.OnePerAz,
        tags,
    });
    const facts = network.facts();

    const cluster = new KubernetesCluster("k8s", {
        cloud: Cloud.Azure,
        network: facts,
        nodeSize: Size.Small,
        publicEndpointCidrs: config.requireObject<string[]>("deployerCidrs"),
        tags,
    });
    const cache = new HaRedis("cache", { cloud: Cloud.Azure, network: facts, size: Size.Small, tags });
    // Cosmos DB names its region itself: the network's facts carry the VNet's location.
    const users = new HaMongo("users", { cloud: Cloud.Azure, network: facts, size: Size.Small, tags });
    const events = new KafkaQuorum("events", { cloud: Cloud.Azure, network: facts, size: Size.Small, tags });

    return {
        networkId: network.networkId,
        resourceGroupName: network.resourceGroupName,
        egressIps: network.egressIps,
        clusterName: cluster.clusterName,
        cacheHost: cache.connection.host,
        usersHost: users.connection.host,
        eventsBootstrap: events.connection.endpoints,
        // Secrets: they stay encrypted in the state and in `pulumi stack output`.
        cacheConnectionString: cache.credentials.connectionString,
        usersConnectionString: users.credentials.connectionString,
    };
};
