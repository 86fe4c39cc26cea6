/** The options a real `up` needs on both ends of an inter-region peering (reasons in peering.aws.ts). */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { planSnippet } from "../../engine/testing/plan";
import type { Vpc3Az } from "../../components/network";
import type { PeeredNetwork } from "./peering";
import { buildPeerings } from "./peering.aws";

const network = (region: string, vpc: string): PeeredNetwork => ({
    stamp: { region } as PeeredNetwork["stamp"],
    network: { networkId: pulumi.output(vpc), privateRouteTables: () => [] } as unknown as Vpc3Az,
});

describe("the AWS peering's ends", () => {
    it("are replaced delete-first and wait 10 minutes, not the provider's 1", async () => {
        const seen = new Map<string, pulumi.CustomResourceOptions>();
        await planSnippet(() => {
            pulumi.runtime.registerStackTransformation((a) => { seen.set(a.type, a.opts); return undefined; });
            buildPeerings([{ name: "peering-euw1-use1", accepterName: "peering-euw1-use1-accept", requester: 0, accepter: 1, routes: [] }],
                [network("eu-west-1", "vpc-a"), network("us-east-1", "vpc-b")], {});
        });
        const request = seen.get("aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
        const accept = seen.get("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter");
        // One connection per pair of VPCs at a time (vpc-peering-basics.html#vpc-peering-limitations): create-first fails.
        assert.strictEqual(request?.deleteBeforeReplace, true);
        assert.strictEqual(accept?.deleteBeforeReplace, true);
        // terraform-provider-aws vpc_peering_connection.go / vpc_peering_connection_accepter.go: 1-minute defaults.
        assert.deepStrictEqual(request?.customTimeouts, { create: "10m", update: "10m", delete: "10m" });
        assert.deepStrictEqual(accept?.customTimeouts, { create: "10m", update: "10m" });
    });
});
