/**
 * CacheSite: this project's own building block, composed from intergalactic-infra
 * components and one resource of its own. A three-zone network, a private cache
 * in its data tier that only the site's client security group may reach, and a
 * bastion for operators (Session Manager only: no SSH port).
 */
// Submodule imports keep type-checking fast: the root "@pulumi/aws" module declares every service.
import { SecurityGroup } from "@pulumi/aws/ec2";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
// The root module and a per-module subpath both work; neither loads @pulumi/azure-native.
import { BastionHost, Cloud, ConnectionInfo, Credentials, NatStrategy, Size, Vpc3Az } from "intergalactic-infra";
import { HaRedis, RedisEngine } from "intergalactic-infra/redis";

export interface CacheSiteArgs {
    /** The zones to use, in order; one subnet of each tier per zone. */
    zones: string[];
    /** The network's IPv4 range. */
    cidrBlock: string;
    /** The cache's capacity tier. */
    cacheSize: Size;
    /** Tags for every resource. */
    tags: Record<string, string>;
}

export class CacheSite extends pulumi.ComponentResource {
    public readonly networkId: pulumi.Output<string>;
    /** Attach this group to whatever should use the cache. */
    public readonly clientSecurityGroupId: pulumi.Output<string>;
    public readonly cache: pulumi.Output<ConnectionInfo>;
    /** A Pulumi secret. */
    public readonly cacheCredentials: pulumi.Output<Credentials>;
    public readonly bastionHint: pulumi.Output<string>;

    constructor(name: string, args: CacheSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cookie-cache:index:CacheSite", name, {}, opts);
        const parent = { parent: this };

        const network = new Vpc3Az(`${name}-net`, {
            cloud: Cloud.Aws,
            cidrBlock: args.cidrBlock,
            zoneCount: args.zones.length,
            availabilityZones: args.zones,
            natStrategy: NatStrategy.OnePerAz,
            tags: args.tags,
        }, parent);

        const clients = new SecurityGroup(`${name}-cache-clients`, {
            description: "Members may use the cookie cache",
            vpcId: network.networkId,
            // Only the explicit rule below: no default allow-all egress.
            egress: [],
            tags: { ...args.tags, Name: `${name}-cache-clients` },
        }, parent);

        // The network's facts place the cache in its data subnets, one per zone. Only the client group
        // may connect: given groups replace the default (the app subnets' ranges), so no range is admitted.
        const cache = new HaRedis(`${name}-cache`, {
            cloud: Cloud.Aws,
            network: network.facts(),
            aws: { allowedClientSecurityGroupIds: [clients.id] },
            engine: RedisEngine.Valkey,
            size: args.cacheSize,
            tags: args.tags,
        }, parent);

        new SecurityGroupEgressRule(`${name}-cache-clients-to-cache`, {
            securityGroupId: clients.id,
            description: "The cache, over TLS, inside the network",
            ipProtocol: "tcp",
            cidrIpv4: network.facts().cidrBlock,
            fromPort: cache.connection.port,
            toPort: cache.connection.port,
        }, parent);

        const bastion = new BastionHost(`${name}-bastion`, {
            cloud: Cloud.Aws,
            // The public subnets of every zone, so a lost zone means a replacement instance in another.
            network: network.facts(),
            size: Size.Small,
            tags: args.tags,
        }, parent);

        this.networkId = network.networkId;
        this.clientSecurityGroupId = clients.id;
        this.cache = cache.connection;
        this.cacheCredentials = cache.credentials;
        this.bastionHint = bastion.connectionHint;
        this.registerOutputs({
            networkId: this.networkId, clientSecurityGroupId: this.clientSecurityGroupId, cache: this.cache,
            cacheCredentials: this.cacheCredentials, bastionHint: this.bastionHint,
        });
    }
}
