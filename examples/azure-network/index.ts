/**
 * A Pulumi program on Azure only, consuming intergalactic-infra as a package: the project
 * installs @pulumi/azure-native and not @pulumi/aws (an optional peer dependency of the package).
 */
import * as pulumi from "@pulumi/pulumi";
// The module entry point: it loads no cloud SDK until a component is built.
import { Cloud } from "intergalactic-infra/common";
import { NatStrategy, Vpc3Az, availabilityZoneNames } from "intergalactic-infra/network";

export = async () => {
    const config = new pulumi.Config();
    const zones = await availabilityZoneNames(Cloud.Azure);
    const network = new Vpc3Az("net", {
        cloud: Cloud.Azure,
        cidrBlock: config.require("cidrBlock"),
        availabilityZones: zones,
        natStrategy: NatStrategy.OnePerAz,
        tags: { owner: config.require("owner"), project: pulumi.getProject(), stack: pulumi.getStack() },
    });
    return {
        networkId: network.networkId,
        resourceGroupName: network.resourceGroupName,
        appSubnetIds: network.appSubnetIds,
        egressIps: network.egressIps,
    };
};
