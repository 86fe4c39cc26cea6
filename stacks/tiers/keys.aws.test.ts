import * as assert from "assert";
import { KEY_USE_ACTIONS } from "../../components/common/keyPolicy";
import { Plan, PlannedResource } from "../../engine/format";
import { named, ofType, projectStacks, stackNames, stackRegion, stackStampPlan } from "../../engine/testing/plan";

type Statement = {
    Sid?: string; Effect: string; Principal: { AWS?: string | string[]; Service?: string }; Action: string | string[]; Resource: string;
    Condition?: Record<string, Record<string, string | string[]>>;
};
const KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ACCOUNT = "123456789012";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

const statementsOf = (key: PlannedResource): Statement[] => JSON.parse(key.inputs.policy as string).Statement;
const actions = (s: Statement) => [s.Action].flat();
const principals = (s: Statement) => [s.Principal.AWS ?? s.Principal.Service ?? []].flat();
/** IAM ARN matching, as ArnLike does: `*` matches any run of characters. */
const arnLike = (pattern: string, arn: string) =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+^${}()|[\]\\?]/g, "\\$&")).join(".*")}$`).test(arn);
/** IAM action matching: `*` matches any run of characters, case-insensitively. */
const actionLike = (pattern: string, action: string) =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+^${}()|[\]\\?]/g, "\\$&")).join(".*")}$`, "i").test(action);
/** Whether a key grants cryptographic use through the given service endpoints, for principals of this account only. */
const viaServices = (key: PlannedResource): string[] => {
    const s = statementsOf(key).find((st) => st.Condition?.StringEquals?.["kms:ViaService"]);
    if (!s) return [];
    assert.deepStrictEqual([principals(s), s.Condition!.StringEquals["kms:CallerAccount"]], [[ROOT], ACCOUNT], `${key.name}: via-service use is for this account only`);
    return [s.Condition!.StringEquals["kms:ViaService"]].flat() as string[];
};

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's KMS keys`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackStampPlan(stack, "");
        });

        it("each have a policy of their own and rotate yearly, with KMS's longest deletion window", () => {
            const keys = ofType(plan, KEY);
            assert.deepStrictEqual(keys.map((k) => k.name).sort(), ["cache-key", "cluster-secrets-key", "kafka-kms", "net-logs-key", "users-key"]);
            for (const key of keys) {
                assert.strictEqual(typeof key.inputs.policy, "string", `${key.name} has no key policy`);
                assert.deepStrictEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], [true, 30], key.name);
            }
        });

        it("let the account administer them through IAM, but use them only as each key's policy says", () => {
            for (const key of ofType(plan, KEY)) {
                for (const s of statementsOf(key)) {
                    assert.ok(!principals(s).includes("*"), `${key.name}: a statement for everyone`);
                    assert.ok(!actions(s).includes("kms:*"), `${key.name}: kms:* in ${s.Sid}`);
                    const usesKey = actions(s).some((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a));
                    if (usesKey && principals(s).includes(ROOT)) assert.ok(s.Condition?.StringEquals?.["kms:ViaService"], `${key.name}: the account decrypts directly`);
                }
            }
        });

        it("let nobody create a grant on a key except an AWS service for the resource it attaches the key to", () => {
            // IAM matches action wildcards by name: `kms:Create*` is `kms:CreateGrant`, and a grant gives its grantee Decrypt
            // past every kms:ViaService condition (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html).
            for (const key of ofType(plan, KEY)) {
                for (const s of statementsOf(key)) {
                    if (!actions(s).some((a) => actionLike(a, "kms:CreateGrant"))) continue;
                    assert.deepStrictEqual(s.Condition?.Bool, { "kms:GrantIsForAWSResource": "true" }, `${key.name}: ${s.Sid} creates grants for anything`);
                }
            }
        });

        it("still let each storing service create the grants it needs: DocumentDB, ElastiCache and MSK through their endpoints, EKS for the cluster creator", () => {
            const region = stackRegion(stack);
            const grantsVia = (name: string) => statementsOf(named(plan, KEY, name))
                .filter((s) => actions(s).includes("kms:CreateGrant") && principals(s).includes(ROOT))
                .map((s) => s.Condition?.StringEquals?.["kms:ViaService"] ?? "any service");
            assert.deepStrictEqual(grantsVia("users-key"), [[`rds.${region}.amazonaws.com`]]);
            assert.deepStrictEqual(grantsVia("cache-key"), [[`elasticache.${region}.amazonaws.com`]]);
            assert.deepStrictEqual(grantsVia("kafka-kms"), [[`kafka.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`]]);
            assert.deepStrictEqual(grantsVia("cluster-secrets-key"), ["any service"]);
            assert.deepStrictEqual(grantsVia("net-logs-key"), []);
        });

        it("let DocumentDB, ElastiCache, MSK and Secrets Manager use their keys only through their own endpoints", () => {
            const region = stackRegion(stack);
            assert.deepStrictEqual(viaServices(named(plan, KEY, "cache-key")), [`elasticache.${region}.amazonaws.com`]);
            assert.deepStrictEqual(viaServices(named(plan, KEY, "users-key")), [`rds.${region}.amazonaws.com`]);
            assert.deepStrictEqual(viaServices(named(plan, KEY, "kafka-kms")),
                [`kafka.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`, `logs.${region}.amazonaws.com`]);
            // Readers of the encrypted log groups decrypt through CloudWatch Logs only.
            assert.deepStrictEqual(viaServices(named(plan, KEY, "net-logs-key")), [`logs.${region}.amazonaws.com`]);
        });

        it("encrypt the cache with its own key instead of the AWS-managed one, and keep the key for the snapshots that outlive the cache", () => {
            const key = named(plan, KEY, "cache-key");
            const group = named(plan, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-rg");
            assert.deepStrictEqual([group.inputs.atRestEncryptionEnabled, group.inputs.kmsKeyId], [true, key.outputs.arn]);
            assert.strictEqual(key.options.retainOnDelete, true);
            assert.strictEqual(key.options.protect, projectStacks().some((s) => s.stack === stack && s.environment === "prod"));
            assert.ok(group.options.ignoreChanges.includes("kmsKeyId"), "a cache from before the project key must not be replaced");
            const source = (plan.stackOutputs.restoreSources as Record<string, { encryptionKeyArn: string; config: Record<string, string> }>).cache;
            assert.strictEqual(source.encryptionKeyArn, key.outputs.arn);
            assert.strictEqual(source.config["intergalactic:snapshots.encryptionKeys.cache"], key.outputs.arn);
        });

        it("let the EKS cluster role use the secrets key", () => {
            const role = named(plan, "aws:iam/role:Role", "cluster-cluster-role");
            const use = statementsOf(named(plan, KEY, "cluster-secrets-key")).find((s) => principals(s).includes(role.outputs.arn as string));
            assert.ok(use, "the cluster role is not in the key policy");
            for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]) assert.ok(KEY_USE_ACTIONS.includes(action) && actions(use).includes(action));
        });

        it("name the MSK broker log group under /aws/vendedlogs/, so each spin-up's group does not grow the account's log resource policy", () => {
            const group = named(plan, LOG_GROUP, "kafka-broker-logs");
            assert.strictEqual(group.inputs.name, undefined);
            assert.strictEqual(group.inputs.namePrefix, `/aws/vendedlogs/msk/${stack}-kafka-`);
            const cluster = named(plan, "aws:msk/cluster:Cluster", "kafka-msk");
            const logs = (cluster.inputs.loggingInfo as { brokerLogs: { cloudwatchLogs: { logGroup: string } } }).brokerLogs.cloudwatchLogs;
            assert.strictEqual(logs.logGroup, group.outputs.name);
            assert.match(String(group.outputs.name), /^\/aws\/vendedlogs\/msk\//);
        });

        it("encrypt every log group with a project key whose policy admits CloudWatch Logs for that group only", () => {
            const groups = ofType(plan, LOG_GROUP);
            assert.deepStrictEqual(groups.map((g) => g.name).sort(), ["cluster-control-plane-logs", "kafka-broker-logs", "net-flow-logs"]);
            const keys = ofType(plan, KEY);
            for (const group of groups) {
                const key = keys.find((k) => k.outputs.arn === group.inputs.kmsKeyId);
                assert.ok(key, `${group.name} is not encrypted with a project key (kmsKeyId ${group.inputs.kmsKeyId})`);
                const logs = statementsOf(key).find((s) => s.Principal.Service === `logs.${stackRegion(stack)}.amazonaws.com`);
                assert.ok(logs, `${key.name} does not admit CloudWatch Logs of ${stackRegion(stack)}`);
                const allowed = [logs.Condition?.ArnLike?.["kms:EncryptionContext:aws:logs:arn"] ?? []].flat();
                assert.ok(allowed.some((p) => arnLike(p, group.outputs.arn as string)), `${key.name} does not admit ${group.outputs.arn}`);
                assert.ok(!allowed.some((p) => arnLike(p, `arn:aws:logs:${stackRegion(stack)}:${ACCOUNT}:log-group:someone-else`)), `${key.name} admits any log group`);
                assert.ok(key.dependencies.length === 0 || !key.dependencies.includes(group.urn), "the key must exist before the group");
            }
        });
    });
}
