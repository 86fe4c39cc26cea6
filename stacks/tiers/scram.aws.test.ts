import * as assert from "assert";
import { scramSlots } from "../../components/kafka/scramRotation";
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../components/services/cookieServices";
import { Plan, REDACTED } from "../../engine/format";
import { named, ofType, stackNames, stackPlan } from "../../engine/testing/plan";

const SECRET = "aws:secretsmanager/secret:Secret";
const PASSWORD = "random:index/randomPassword:RandomPassword";

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's Kafka client credentials`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it("alternate between two SCRAM users, each in an AmazonMSK_ secret under the cluster key, both associated", () => {
            const key = named(plan, "aws:kms/key:Key", "kafka-kms");
            const secrets = ["a", "b"].map((slot) => named(plan, SECRET, `kafka-scram-${slot}`));
            for (const secret of secrets) {
                assert.match(String(secret.inputs.namePrefix), /^AmazonMSK_/);
                assert.strictEqual(secret.inputs.kmsKeyId, key.outputs.arn);
            }
            const association = named(plan, "aws:msk/scramSecretAssociation:ScramSecretAssociation", "kafka-scram");
            assert.deepStrictEqual(association.inputs.secretArnLists, secrets.map((s) => s.outputs.arn));
        });

        it("give the services the credentials only after MSK has been told the active user (association and secret value)", () => {
            const secret = named(plan, "kubernetes:core/v1:Secret", "cookies-kafka-secret");
            const active = scramSlots(Date.now()).find((s) => s.active)!.label;
            const association = named(plan, "aws:msk/scramSecretAssociation:ScramSecretAssociation", "kafka-scram");
            const version = named(plan, "aws:secretsmanager/secretVersion:SecretVersion", `kafka-scram-${active}`);
            for (const before of [association, version]) assert.ok(secret.dependencies.includes(before.urn), `the Kubernetes Secret does not wait for ${before.name}`);
        });

        it("regenerate each user's password once per rotation period, the two a period apart", () => {
            const slots = scramSlots(Date.now());
            const keepers = ["a", "b"].map((slot) => (named(plan, PASSWORD, `kafka-scram-${slot}-password`).inputs.keepers as { generation: string }).generation);
            assert.deepStrictEqual(keepers, slots.map((s) => String(s.generation)));
            assert.strictEqual(Math.abs(Number(keepers[0]) - Number(keepers[1])), 1);
        });

        it("keep the first user's resources across the change (aliases), so the upgrade replaces no secret", () => {
            for (const [type, name, old] of [[SECRET, "kafka-scram-a", "kafka-scram"], [PASSWORD, "kafka-scram-a-password", "kafka-scram-password"]]) {
                const aliases = named(plan, type, name).options.aliases ?? [];
                assert.ok(aliases.some((a) => a === old || a.endsWith(`::${old}`)), `${name} has no alias to ${old}: ${aliases.join(", ")}`);
            }
        });

        it("roll the pods that read Kafka credentials when the credentials change", () => {
            const deployments = ofType(plan, "kubernetes:apps/v1:Deployment");
            assert.ok(deployments.length > 0);
            for (const deployment of deployments) {
                const template = (deployment.inputs.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
                const digest = template.metadata.annotations?.[CREDENTIALS_DIGEST_ANNOTATION];
                assert.match(String(digest), /^[0-9a-f]{16}$/, `${deployment.name}: ${digest}`);
                assert.notStrictEqual(digest, REDACTED);
            }
        });
    });
}
