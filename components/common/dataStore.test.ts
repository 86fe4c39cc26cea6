import * as assert from "assert";
import { planFailure } from "../../engine/testing/plan";
import { HaRedis } from "../redis/haRedis";
import { HaMongo } from "../mongo/haMongo";
import { KafkaQuorum } from "../kafka/kafkaQuorum";
import { InvalidArgumentsError } from "./validation";

/** The args a data store took before `network` (#15), as a JavaScript caller or another language still sends them. */
const OLD_ARGS = { cloud: "aws", networkId: "vpc-1", subnetIds: ["subnet-1", "subnet-2", "subnet-3"], zones: ["us-east-1a", "us-east-1b", "us-east-1c"] };

describe("a data store given the args of before network (review R4 of #15)", () => {
    for (const [store, build] of [
        ["HaRedis", () => new HaRedis("c", OLD_ARGS as never)],
        ["HaMongo", () => new HaMongo("c", OLD_ARGS as never)],
        ["KafkaQuorum", () => new KafkaQuorum("c", OLD_ARGS as never)],
    ] as const) {
        it(`${store}: names what replaced each old key and reports the missing network once, nothing that only follows from it`, async () => {
            const { error, registered } = await planFailure(build);
            assert.ok(error instanceof InvalidArgumentsError, String(error));
            assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
            const problems = error.problems.map((p) => p.replace(/use one of [^;]*; /, ""));
            assert.deepStrictEqual(problems, [
                'networkId: "vpc-1" is not an arg: it was replaced by `network` (e.g. vpc.facts())',
                'subnetIds: ["subnet-1","subnet-2","subnet-3"] is not an arg: it was replaced by `subnets` (e.g. vpc.selectSubnets({ tier: "data" })) of the `network`',
                'zones: ["us-east-1a","us-east-1b","us-east-1c"] is not an arg: it was replaced by `network` (the store spans its subnets\' zones)',
                "network: undefined is required: pass the network's facts, e.g. `vpc.facts()` of a Vpc3Az",
            ]);
        });
    }

    it("keeps a problem the user wrote, such as an explicit instance count, when the network is missing", async () => {
        const { error } = await planFailure(() => new HaMongo("c", { cloud: "aws", aws: { instanceCount: 0 } } as never));
        assert.match(error.message, /aws\.instanceCount: 0 must be an integer from 1 to 16/);
    });
});
