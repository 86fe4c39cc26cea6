/**
 * A Pulumi program on AWS only, consuming intergalactic-infra as a package: one three-zone network
 * and everything else wired to it by its facts. No subnet id, zone or address range is written
 * here: each component takes `network.facts()`, places itself in the tier it belongs to (the data
 * stores in the data subnets of every zone, the cluster's nodes in the app subnets) and admits the
 * tier that uses it (the app subnets, where the cluster's nodes run).
 */
import * as pulumi from "@pulumi/pulumi";
// Per-module entry points: none loads a cloud SDK until a component is built, and none loads @pulumi/azure-native.
import { Cloud, Size } from "intergalactic-infra/common";
import { KafkaQuorum } from "intergalactic-infra/kafka";
import { KubernetesCluster } from "intergalactic-infra/kubernetes";
import { HaMongo } from "intergalactic-infra/mongo";
import { NatStrategy, SubnetTier, Vpc3Az, availabilityZoneNames } from "intergalactic-infra/network";
import { HaRedis } from "intergalactic-infra/redis";

export = async () => {
    const config = new pulumi.Config();
    const tags = { owner: config.require("owner"), project: pulumi.getProject(), stack: pulumi.getStack() };
    const zones = (await availabilityZoneNames(Cloud.Aws)).slice(0, 3);
    const network = new Vpc3Az("net", {
        cloud: Cloud.Aws,
        cidrBlock: config.require("cidrBlock"),
        availabilityZones: zones,
        natStrategy: NatStrategy.OnePerAz,
        tags,
    });
    // Plain values (tier, zone, range) known before anything exists, and the subnets' ids as Outputs.
    const facts = network.facts();

    const cluster = new KubernetesCluster("k8s", {
        cloud: Cloud.Aws,
        network: facts,
        nodeSize: Size.Small,
        publicEndpointCidrs: config.requireObject<string[]>("deployerCidrs"),
        adminPrincipalArns: config.requireObject<string[]>("adminRoleArns"),
        tags,
    });
    const cache = new HaRedis("cache", { cloud: Cloud.Aws, network: facts, size: Size.Small, tags });
    const users = new HaMongo("users", { cloud: Cloud.Aws, network: facts, size: Size.Small, tags });
    // MSK takes at most three subnets: the store spans the first three zones' data subnets.
    const events = new KafkaQuorum("events", { cloud: Cloud.Aws, network: facts, subnets: network.selectSubnets({ tier: SubnetTier.Data, zones }), size: Size.Small, tags });

    return {
        networkId: network.networkId,
        clusterName: cluster.clusterName,
        cacheHost: cache.connection.host,
        usersHost: users.connection.host,
        eventsBootstrap: events.connection.endpoints,
        // Secrets: they stay encrypted in the state and in `pulumi stack output`.
        cacheConnectionString: cache.credentials.connectionString,
        usersConnectionString: users.credentials.connectionString,
    };
};
