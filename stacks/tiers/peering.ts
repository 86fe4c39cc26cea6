/**
 * The stamps' networks joined, so that every stamp's services reach the user database's writer in whichever
 * region it is (AWS: DocumentDB takes writes at the primary cluster's endpoint only, which "might be in a
 * different AWS Region than your application",
 * https://docs.aws.amazon.com/documentdb/latest/developerguide/global-clusters-connect.html).
 *
 * One inter-region VPC peering per pair of stamps (a full mesh: peering is not transitive, and after a global
 * failover any stamp may hold the writer, https://docs.aws.amazon.com/whitepapers/latest/aws-vpc-connectivity-options/vpc-peering.html),
 * requested from the earlier stamp's region and accepted in the later one's, and in every private (app and data)
 * route table of both networks a route to the other's block through it: the app subnets send, the data subnets
 * answer. Names come from the two regions' keys (`peering-euw1-use1`), never a list position, so a third region adds
 * its pairs and changes none. The address blocks are disjoint by construction (`planStamps`); AWS fails a peering of
 * overlapping blocks at once (https://docs.aws.amazon.com/vpc/latest/peering/create-vpc-peering-connection.html).
 *
 * Azure needs none of it: the user database is one Cosmos DB account with a private endpoint in each stamp's
 * network, and the MongoDB driver writes to its write region through that endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, PerCloud, withCloudSdk } from "../../components/common";
import { Vpc3Az } from "../../components/network";
import { StackConfig } from "../config";
import { REGION_NAME_KEY, Stamp } from "../config/stamps";

/**
 * The largest packet an inter-region VPC peering carries: "The MTU for inter-region VPC peering connections is 8500
 * bytes" (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations); a larger
 * one with Don't Fragment set is dropped (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html).
 */
export const INTER_REGION_PEERING_MTU = 8500;

/** A stamp's network, as the peering joins it. */
export interface PeeredNetwork {
    readonly stamp: Stamp;
    readonly network: Vpc3Az;
    /** The stamp's provider; undefined for the first stamp (the stack's default provider). */
    readonly provider?: pulumi.ProviderResource;
}

/** One route the peering adds: in `routeTable` of the `from` stamp, to the other stamp's block. */
export interface PeeringRoute {
    readonly name: string;
    /** The index, in the pair, of the stamp whose table holds it: 0 the requester, 1 the accepter. */
    readonly side: 0 | 1;
    readonly routeTable: string;
    readonly destination: string;
}

/** One peering between two stamps: names, the two ends, and every route it needs. */
export interface PeeringPlan {
    /** `peering-<requester key>-<accepter key>`: the requester's resource; the accepter's adds `-accept`. */
    readonly name: string;
    readonly accepterName: string;
    /** Indexes into the stamps: the earlier stamp requests. */
    readonly requester: number;
    readonly accepter: number;
    readonly routes: readonly PeeringRoute[];
}

/** What the planner needs of each stamp: its region, block and private route tables' names. */
export interface PeeringStampInput {
    readonly region: string;
    readonly cidrBlock: string;
    readonly routeTables: readonly string[];
}

/** The peering's name part for a stamp: its region's key on every stamp, the first's too (its own key is ""). */
const regionKey = (cloud: Cloud, region: string): string => REGION_NAME_KEY[cloud](region);

/** Every pair of stamps, earlier first, with the routes of both sides. Pure. */
export function planPeerings(cloud: Cloud, stamps: readonly PeeringStampInput[]): PeeringPlan[] {
    const plans: PeeringPlan[] = [];
    stamps.forEach((a, i) => stamps.forEach((b, j) => {
        if (j <= i) return;
        const [keyA, keyB] = [regionKey(cloud, a.region), regionKey(cloud, b.region)];
        const name = `peering-${keyA}-${keyB}`;
        const routes = (side: 0 | 1, from: PeeringStampInput, to: PeeringStampInput, toKey: string): PeeringRoute[] =>
            from.routeTables.map((table) => ({ name: `${table}-to-${toKey}`, side, routeTable: table, destination: to.cidrBlock }));
        plans.push({ name, accepterName: `${name}-accept`, requester: i, accepter: j, routes: [...routes(0, a, b, keyB), ...routes(1, b, a, keyA)] });
    }));
    return plans;
}

/** What each cloud builds for the plans: AWS the peerings and routes; Azure nothing (see above). */
const BUILD: PerCloud<(config: StackConfig, plans: readonly PeeringPlan[], networks: readonly PeeredNetwork[]) => void> = {
    [Cloud.Aws]: (config, plans, networks) => withCloudSdk(Cloud.Aws, () => require("./peering.aws") as typeof import("./peering.aws"))
        .buildPeerings(plans, networks, config.tags),
    [Cloud.Azure]: () => undefined,
};

/** Joins the stamps' networks (a stack of one stamp has nothing to join). */
export function peeringTier(config: StackConfig, networks: readonly PeeredNetwork[]): void {
    if (networks.length < 2) return;
    const plans = planPeerings(config.cloud, networks.map((n) => ({
        region: n.stamp.region, cidrBlock: n.stamp.cidrBlock, routeTables: n.network.privateRouteTables().map((t) => t.name),
    })));
    BUILD[config.cloud](config, plans, networks);
}
