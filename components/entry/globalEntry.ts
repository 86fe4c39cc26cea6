/**
 * GlobalEntry: one public host in front of a stack's regional stamps that sends each user to the
 * nearest healthy region and takes a region out when its health fails. AWS: Route 53 latency
 * records, one per region, aliasing each region's load balancer with target health evaluated.
 * Azure: a Front Door (Standard) profile whose origin group holds one origin per region, probed
 * for health, with a managed certificate for the host.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, CloudImplementation, implementationFor } from "../common/cloud";
import { EntryPlan, planGlobalEntry } from "./entryPlan";

/** One region's public endpoint behind the entry. */
export interface GlobalEntryOriginArgs {
    /** The region, e.g. `us-east-1` or `eastus2`. */
    region: string;
    /** Its load balancer's address: the ALB's DNS name (AWS) or the ingress' public IP or name (Azure). */
    address: pulumi.Input<string>;
}

/** The args of {@link GlobalEntry} that only AWS uses. */
export interface GlobalEntryAwsArgs {
    /**
     * The Route 53 hosted zone (`Z...`) holding `host`, where the latency records go. Required on AWS.
     * @default - none; required on AWS
     */
    hostedZoneId?: string;
}

/** The args of {@link GlobalEntry} that only Azure uses. */
export interface GlobalEntryAzureArgs {
    /**
     * The resource group of the Front Door profile, e.g. the first stamp's network's. Required on Azure.
     * @default - none; required on Azure
     */
    resourceGroupName?: pulumi.Input<string>;
}

export interface GlobalEntryArgs {
    /** `aws` or `azure`. */
    cloud: string;
    /** The public host name users reach, e.g. `cookies.example.com`. */
    host: string;
    /** Every region's endpoint, the stack's own region first; at least two. */
    origins: GlobalEntryOriginArgs[];
    /**
     * The path the health probes request on each region's endpoint: the entry service's readiness path.
     * @default "/ready"
     */
    healthPath?: string;
    /**
     * What only AWS uses.
     * @default {}
     */
    aws?: GlobalEntryAwsArgs;
    /**
     * What only Azure uses.
     * @default {}
     */
    azure?: GlobalEntryAzureArgs;
    /**
     * Tags for every resource that takes them.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** A DNS record the host's domain must hold for the entry to serve (Azure: the CNAME and the certificate's TXT). */
export interface EntryDnsRecord {
    readonly name: string;
    readonly type: string;
    readonly value: string;
}

export interface GlobalEntryResources {
    /** What users' DNS resolves the host to: the host itself (AWS, records in the zone) or the Front Door endpoint. */
    readonly entryHost: pulumi.Output<string>;
    /** The records a person must create in the host's DNS; empty when the entry writes them itself (AWS). */
    readonly dnsRecords: pulumi.Output<EntryDnsRecord[]>;
}

export interface GlobalEntryInputs {
    readonly origins: readonly GlobalEntryOriginArgs[];
    readonly resourceGroupName?: pulumi.Input<string>;
}

export type GlobalEntryImplementation = CloudImplementation<EntryPlan, GlobalEntryInputs, GlobalEntryResources>;

export class GlobalEntry extends pulumi.ComponentResource {
    /** The public host. */
    public readonly host: pulumi.Output<string>;
    /** What the host resolves to. */
    public readonly entryHost: pulumi.Output<string>;
    /** The DNS records the host's domain must hold (Azure); empty on AWS. */
    public readonly dnsRecords: pulumi.Output<EntryDnsRecord[]>;

    constructor(name: string, args: GlobalEntryArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planGlobalEntry(name, {
            cloud: args.cloud, host: args.host, healthPath: args.healthPath, hostedZoneId: args.aws?.hostedZoneId, tags: args.tags,
            hasResourceGroup: args.azure?.resourceGroupName !== undefined,
            origins: args.origins.map((o) => ({ region: o.region })),
        });
        super("intergalactic:index:GlobalEntry", name, {}, opts);
        const implementation = implementationFor<GlobalEntryImplementation>(plan.cloud, {
            [Cloud.Aws]: () => new (require("./globalEntry.aws").AwsGlobalEntry)(),
            [Cloud.Azure]: () => new (require("./globalEntry.azure").AzureGlobalEntry)(),
        });
        const built = implementation.build(this, plan, { origins: args.origins, resourceGroupName: args.azure?.resourceGroupName });
        this.host = pulumi.output(plan.host);
        this.entryHost = built.entryHost;
        this.dnsRecords = built.dnsRecords;
        this.registerOutputs({ host: this.host, entryHost: this.entryHost, dnsRecords: this.dnsRecords });
    }
}
