import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, stackNames, stackPlan } from "../../engine/testing/plan";

type Statement = { Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const actions = (s: Statement) => [s.Action].flat();
const resources = (s: Statement) => [s.Resource].flat();

/** The ARN forms the controller's own listeners and rules have (kubernetes-sigs/aws-load-balancer-controller docs/examples/echo_server.md). */
const LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/k8s-cookies-abc/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/k8s-cookies-abc/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

/** IAM ARN matching: `*` matches any run of characters, `?` one. */
const arnMatches = (pattern: string, arn: string) =>
    new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+^${}()|[\]\\?]/g, "\\$&")).join(".*")}$`).test(arn);

for (const stack of stackNames("aws")) {
    describe(`the ${stack} stack's load balancer controller`, () => {
        let plan: Plan;
        let statements: Statement[];
        before(async () => {
            plan = await stackPlan(stack);
            statements = JSON.parse(named(plan, "aws:iam/policy:Policy", "cluster-lb-controller").inputs.policy as string).Statement;
        });

        it("may tag the listeners and listener rules it creates, and only when the create call marks them as the cluster's", () => {
            for (const arn of [LISTENER_ARN, RULE_ARN]) {
                const onCreate = statements.filter((s) => actions(s).includes("elasticloadbalancing:AddTags") && resources(s).some((r) => arnMatches(r, arn))
                    && (s.Condition?.StringEquals?.["elasticloadbalancing:CreateAction"] as string[] | undefined)?.includes(arn.includes("listener-rule") ? "CreateRule" : "CreateListener"));
                assert.strictEqual(onCreate.length, 1, `AddTags on ${arn} at creation`);
                assert.deepStrictEqual(onCreate[0].Condition!.Null, { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" });
            }
        });

        it("changes tags of listeners and rules only on those it owns, never their ownership tag", () => {
            const later = statements.find((s) => actions(s).includes("elasticloadbalancing:RemoveTags") && resources(s).some((r) => arnMatches(r, RULE_ARN)));
            assert.ok(later, "no tag updates on listener rules");
            assert.deepStrictEqual(later.Condition, { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false", "aws:RequestTag/elbv2.k8s.aws/cluster": "true" } });
        });

        it("fits IAM's 6,144-character limit for a managed policy (whitespace not counted)", () => {
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
            const document = named(plan, "aws:iam/policy:Policy", "cluster-lb-controller").inputs.policy as string;
            assert.ok(document.replace(/\s/g, "").length <= 6144, `${document.length} characters`);
        });

        it("grants nothing of WAF, WAFv2, Shield or Cognito, and tells the controller not to use them", () => {
            const unused = statements.flatMap(actions).filter((a) => /^(wafv2|waf-regional|waf|shield|cognito-idp):/.test(a) || a === "elasticloadbalancing:SetWebAcl");
            assert.deepStrictEqual(unused, []);
            const values = named(plan, "kubernetes:helm.sh/v3:Release", "cluster-lb-controller").inputs.values as Record<string, unknown>;
            assert.deepStrictEqual([values.enableWaf, values.enableWafv2, values.enableShield], [false, false, false]);
        });

        it("grants no write on every resource without a condition beyond what the controller's published policy does", () => {
            // The published policy's unconditioned writes: security group rules (on the workers' group), listener and rule changes, target registration.
            const allowed = new Set(["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateSecurityGroup",
                "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:ModifyListenerAttributes"]);
            const open = statements.filter((s) => !s.Condition && resources(s).includes("*"))
                .flatMap(actions).filter((a) => !/:(Describe|Get|List)/.test(a) && !allowed.has(a));
            assert.deepStrictEqual(open, []);
        });
    });
}
