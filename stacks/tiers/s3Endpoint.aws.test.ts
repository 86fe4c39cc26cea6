import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, stackNames, stackPlan, stackRegion } from "../../engine/testing/plan";

type Statement = { Sid: string; Effect: string; Principal: unknown; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> };
const ACCOUNT = "123456789012";

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's S3 gateway endpoint`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it("admits this account's buckets and reads of the AWS-owned buckets the nodes pull from, not every bucket", () => {
            const endpoint = named(plan, "aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3-endpoint");
            assert.strictEqual(typeof endpoint.inputs.policy, "string", "no endpoint policy: the default is full access to every bucket");
            const statements: Statement[] = JSON.parse(endpoint.inputs.policy as string).Statement;
            const region = stackRegion(stack);
            for (const s of statements) {
                assert.strictEqual(s.Effect, "Allow");
                const resources = [s.Resource].flat();
                if (resources.includes("*")) {
                    assert.deepStrictEqual(s.Condition, { StringEquals: { "aws:ResourceAccount": ACCOUNT } }, `${s.Sid} admits every account's buckets`);
                } else {
                    assert.deepStrictEqual([s.Action].flat(), ["s3:GetObject"], `${s.Sid} does more than read`);
                    assert.deepStrictEqual(resources.sort(), [
                        `arn:aws:s3:::al2023-repos-${region}-*/*`, `arn:aws:s3:::prod-${region}-starport-layer-bucket/*`, `arn:aws:s3:::prod-registry-k8s-io-${region}/*`,
                    ].sort());
                }
            }
            assert.strictEqual(statements.length, 2);
        });
    });
}
