/**
 * The inter-region VPC peerings of `peering.ts` on AWS. What a real `up` needs, from the provider:
 *
 * - The requester (`ec2.VpcPeeringConnection`, in the earlier stamp's region) names the other VPC and its region
 *   (`peerRegion`); `autoAccept` is left unset, as an inter-region request must not set it ("`autoAccept` must be
 *   `false`, and use the `aws.ec2.VpcPeeringConnectionAccepter` to manage the accepter side": the `peerRegion`
 *   argument in @pulumi/aws ec2/vpcPeeringConnection.d.ts; `autoAccept` itself only works "both VPCs ... in the same
 *   AWS account and region"). `peerOwnerId` is left out: both VPCs are the stack's, in the provider's account, which
 *   it defaults to (the same .d.ts). "For an inter-Region VPC peering connection, the request must be made from the
 *   Region of the requester VPC, and the request must be accepted from the Region of the accepter VPC"
 *   (https://docs.aws.amazon.com/vpc/latest/peering/create-vpc-peering-connection.html): hence each end's provider.
 * - The accepter (`ec2.VpcPeeringConnectionAccepter`, `autoAccept: true`, through the later stamp's provider) accepts
 *   the pending request and waits for the accept (terraform-provider-aws internal/service/ec2/vpc_peering_connection_accepter.go,
 *   `acceptVPCPeeringConnection`). Its delete does nothing but forget it ("not deleted, removing from state", the same
 *   file): the requester's delete removes the connection.
 * - Every route names the accepter's id (the connection's id), so it is created once the connection is active and
 *   deleted before the connection is (the deployability rule of `aws:ec2/route:Route`). AWS would take a route to a
 *   connection still pending-acceptance, but as a blackhole that drops the traffic until the accept
 *   (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html).
 * - No DNS options (`ec2.PeeringConnectionOptions`): `allowRemoteVpcDnsResolution` makes the peer's EC2 public DNS
 *   host names resolve to private addresses (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PeeringConnectionOptionsRequest.html),
 *   and nothing here is reached by such a name (the services reach a DocumentDB cluster endpoint, not an EC2 instance's
 *   public host name): DocumentDB "can be accessed by EC2 instances or other AWS services in different VPCs in the same
 *   AWS Region or other Regions via VPC peering"
 *   (https://docs.aws.amazon.com/documentdb/latest/developerguide/connect-from-outside-a-vpc.html). The options would also need the connection active first (`modifyVPCPeeringConnectionOptions`
 *   runs after the accept in the accepter's create, vpc_peering_connection_accepter.go).
 * - No security-group references across the peering: "You can't reference the security group of a peer VPC that's
 *   in a different Region. Instead, use the CIDR block of the peer VPC"
 *   (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html): the stores admit the other
 *   stamps' app subnets by range (HaMongo `aws.peerClientCidrs`).
 * - Both ends are replaced delete-first (`deleteBeforeReplace`): `vpcId`, `peerVpcId`, `peerRegion` and `peerOwnerId`
 *   of the request and the accepter's `vpcPeeringConnectionId` force a new connection (ForceNew in the provider's
 *   schemas, vpc_peering_connection.go and vpc_peering_connection_accepter.go), and "You cannot have more than one VPC
 *   peering connection between two VPCs at the same time"
 *   (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations), so Pulumi's
 *   default create-first replacement of the same pair would fail. A replacement is a short cross-region outage.
 * - Both ends get 10 minutes (`customTimeouts`) instead of the provider's 1-minute defaults (`Timeouts` in the same two
 *   files): the request waits for `pending-acceptance` and the accept for `active` inside them, an inter-region
 *   connection passes `initiating-request` and `provisioning` on the way, and accepts that outlast the wait are reported
 *   (hashicorp/terraform-provider-aws#16625, #28705); a timed-out first up leaves the connection half made.
 */
import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import type { PeeredNetwork, PeeringPlan } from "./peering";

/**
 * Options of the two ends (see above: one connection per pair, the provider's 1-minute waits). The accepter's schema
 * has no delete timeout (its delete only forgets it), so it gets create and update only.
 */
export const PEERING_REQUEST_OPTIONS: Readonly<pulumi.CustomResourceOptions> = {
    deleteBeforeReplace: true,
    customTimeouts: { create: "10m", update: "10m", delete: "10m" },
};
export const PEERING_ACCEPT_OPTIONS: Readonly<pulumi.CustomResourceOptions> = {
    deleteBeforeReplace: true,
    customTimeouts: { create: "10m", update: "10m" },
};

export function buildPeerings(plans: readonly PeeringPlan[], networks: readonly PeeredNetwork[], tags: Readonly<Record<string, string>>): void {
    for (const plan of plans) {
        const requester = networks[plan.requester];
        const accepter = networks[plan.accepter];
        const request = new ec2.VpcPeeringConnection(plan.name, {
            vpcId: requester.network.networkId,
            peerVpcId: accepter.network.networkId,
            peerRegion: accepter.stamp.region,
            tags: { ...tags, Name: plan.name },
        }, { ...PEERING_REQUEST_OPTIONS, provider: requester.provider });
        const accept = new ec2.VpcPeeringConnectionAccepter(plan.accepterName, {
            vpcPeeringConnectionId: request.id,
            autoAccept: true,
            tags: { ...tags, Name: plan.name },
        }, { ...PEERING_ACCEPT_OPTIONS, provider: accepter.provider });
        const sides = [requester, accepter].map((side) => ({ side, tables: new Map(side.network.privateRouteTables().map((t) => [t.name, t.id])) }));
        for (const route of plan.routes) {
            const { side, tables } = sides[route.side];
            new ec2.Route(route.name, {
                routeTableId: tables.get(route.routeTable)!,
                destinationCidrBlock: route.destination,
                vpcPeeringConnectionId: accept.id,
            }, { provider: side.provider });
        }
    }
}
