import * as assert from "assert";
import { KEY_ADMIN_ACTIONS, keyPolicy } from "./keyPolicy";

const SCOPE = { partition: "aws-cn", region: "cn-north-1", account: "210987654321", dnsSuffix: "amazonaws.com.cn" };
const statements = (use: Parameters<typeof keyPolicy>[1]) => JSON.parse(keyPolicy(SCOPE, use)).Statement;

describe("keyPolicy", () => {
    it("lets the account only administer a key nobody is said to use", () => {
        assert.deepStrictEqual(statements({}), [
            { Sid: "AdministerThroughIam", Effect: "Allow", Principal: { AWS: "arn:aws-cn:iam::210987654321:root" }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
        ]);
        assert.ok(!KEY_ADMIN_ACTIONS.some((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a)));
    });

    it("lists the administrators' actions one by one, none of which creates a grant or uses the key", () => {
        const like = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/\*/g, ".*")}$`, "i").test(action);
        for (const action of ["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"]) {
            assert.ok(!KEY_ADMIN_ACTIONS.some((a) => like(a, action)), `an administrator may ${action}`);
        }
    });

    it("lets the storing services create grants only for the resources they attach the key to, through their endpoints", () => {
        const grants = statements({ viaServices: ["rds"], logGroups: ["g"] }).filter((s: { Action: string[] }) => s.Action.includes("kms:CreateGrant"));
        assert.deepStrictEqual(grants.map((s: { Condition: unknown }) => s.Condition), [{
            StringEquals: { "kms:ViaService": ["rds.cn-north-1.amazonaws.com.cn"], "kms:CallerAccount": "210987654321" },
            Bool: { "kms:GrantIsForAWSResource": "true" },
        }]);
        const attach = statements({ attachToAwsResources: true });
        assert.deepStrictEqual(attach[1].Condition, { StringEquals: { "kms:CallerAccount": "210987654321" }, Bool: { "kms:GrantIsForAWSResource": "true" } });
        assert.ok(!statements({ roles: ["arn:aws-cn:iam::210987654321:role/eks"] })[1].Action.includes("kms:CreateGrant"));
    });

    it("names services by their regional endpoint in the partition's DNS suffix", () => {
        const [, via] = statements({ viaServices: ["elasticache"] });
        assert.deepStrictEqual(via.Condition, { StringEquals: { "kms:ViaService": ["elasticache.cn-north-1.amazonaws.com.cn"], "kms:CallerAccount": "210987654321" } });
    });

    it("admits CloudWatch Logs of the key's region for the listed log groups only, and their readers through it", () => {
        const [, readers, logs] = statements({ logGroups: ["/aws/eks/c-1/cluster", "net-flow-logs-*"] });
        assert.deepStrictEqual(readers.Condition.StringEquals["kms:ViaService"], ["logs.cn-north-1.amazonaws.com.cn"]);
        assert.deepStrictEqual(logs.Principal, { Service: "logs.cn-north-1.amazonaws.com.cn" });
        assert.deepStrictEqual(logs.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": [
            "arn:aws-cn:logs:cn-north-1:210987654321:log-group:/aws/eks/c-1/cluster", "arn:aws-cn:logs:cn-north-1:210987654321:log-group:net-flow-logs-*",
        ] } });
    });

    it("lets named roles use the key directly", () => {
        const [, roles] = statements({ roles: ["arn:aws-cn:iam::210987654321:role/eks"] });
        assert.deepStrictEqual(roles.Principal, { AWS: ["arn:aws-cn:iam::210987654321:role/eks"] });
        assert.strictEqual(roles.Condition, undefined);
    });
});
