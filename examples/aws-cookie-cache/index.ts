/**
 * A Pulumi program that consumes intergalactic-infra as a package: the
 * components are installed from the packed tarball, not imported from source.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, Size, SIZES, availabilityZoneNames } from "intergalactic-infra";
import { CacheSite } from "./cacheSite";

export = async () => {
    const config = new pulumi.Config();
    const zoneCount = config.getNumber("zoneCount") ?? 3;
    const cacheSize = config.get("cacheSize") ?? Size.Medium;
    if (!SIZES.includes(cacheSize as Size)) throw new Error(`cacheSize: ${cacheSize} is not one of ${SIZES.join(", ")}`);

    // The region's zones, looked up once and passed on as plain values.
    const zones = (await availabilityZoneNames(Cloud.Aws)).slice(0, zoneCount);
    const site = new CacheSite("cookies", {
        zones,
        cidrBlock: config.require("cidrBlock"),
        cacheSize: cacheSize as Size,
        tags: { owner: config.require("owner"), project: pulumi.getProject(), stack: pulumi.getStack() },
    });

    return {
        networkId: site.networkId,
        clientSecurityGroupId: site.clientSecurityGroupId,
        cacheHost: site.cache.host,
        cachePort: site.cache.port,
        // Already a secret: it stays encrypted in the state and in `pulumi stack output`.
        cacheConnectionString: site.cacheCredentials.connectionString,
        bastion: site.bastionHint,
    };
};
