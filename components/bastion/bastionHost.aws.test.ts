import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, ofType, planSnippet } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { BastionHost, BastionHostArgs } from "./bastionHost";
import { factsOfPlan, selectSubnets } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx0examplekeymaterial0000000000000000000 ops@example";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0ccccccccccccccccc"];
const PUBLIC_SUBNET = /^net-public-([abc])$/;
const NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", cidrBlock: "10.10.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }), {
    networkId: "vpc-0123456789abcdef0",
    subnetId: (name) => PUBLIC_SUBNET.test(name) ? SUBNETS["abc".indexOf(PUBLIC_SUBNET.exec(name)![1])] : `subnet-${name}`,
});
const args = (extra: Partial<BastionHostArgs> = {}): BastionHostArgs => ({
    cloud: "aws", network: NETWORK, tags: { team: "platform" }, ...extra,
});

const ASG = "aws:autoscaling/group:Group";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

describe("BastionHost on AWS", () => {
    let plan: Plan;
    let bastion: BastionHost;
    before(async () => {
        plan = await planSnippet(() => {
            bastion = new BastionHost("bastion", args());
        });
    });

    it("keeps exactly one instance in an auto scaling group over the public subnets of all zones", () => {
        const group = named(plan, ASG, "bastion-asg");
        assert.strictEqual(group.inputs.minSize, 1);
        assert.strictEqual(group.inputs.maxSize, 1);
        assert.strictEqual(group.inputs.desiredCapacity, 1);
        assert.deepStrictEqual(group.inputs.vpcZoneIdentifiers, SUBNETS);
        assert.deepStrictEqual(group.inputs.launchTemplate, { id: named(plan, LT, "bastion-lt").id, version: "1" });
    });

    it("launches the replacement before terminating the old instance", () => {
        const group = named(plan, ASG, "bastion-asg");
        assert.deepStrictEqual(group.inputs.instanceMaintenancePolicy, { minHealthyPercentage: 100, maxHealthyPercentage: 200 });
        assert.strictEqual((group.inputs.instanceRefresh as { strategy: string }).strategy, "Rolling");
    });

    it("requires IMDSv2 with a hop limit of 1", () => {
        assert.deepStrictEqual(named(plan, LT, "bastion-lt").inputs.metadataOptions, {
            httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled",
        });
    });

    it("encrypts a gp3 root volume on the AMI's root device", () => {
        assert.deepStrictEqual(named(plan, LT, "bastion-lt").inputs.blockDeviceMappings, [{
            deviceName: "/dev/xvda", ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        }]);
    });

    it("boots the latest Amazon Linux 2023 AMI on a small instance type", () => {
        const template = named(plan, LT, "bastion-lt");
        assert.strictEqual(template.inputs.imageId, "ami-0c02fb55956c7d316");
        assert.strictEqual(template.inputs.instanceType, "t3.micro");
        assert.strictEqual(template.inputs.keyName, undefined, "no key pair without a public key");
    });

    it("gives the instance a public IP and only the bastion's security group, so it reaches SSM from a public subnet", () => {
        const sg = named(plan, SG, "bastion-sg");
        assert.deepStrictEqual(named(plan, LT, "bastion-lt").inputs.networkInterfaces, [{
            deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [sg.id],
        }]);
        assert.strictEqual(sg.inputs.vpcId, "vpc-0123456789abcdef0");
        assert.strictEqual(sg.inputs.ingress, undefined, "no inline rules, so the default allow-all egress is removed");
    });

    it("opens no ingress by default and allows egress only to HTTPS anywhere and SSH inside the network", () => {
        assert.deepStrictEqual(ofType(plan, INGRESS), []);
        const egress = ofType(plan, EGRESS).map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]);
        assert.deepStrictEqual(egress.sort(), [["tcp", 22, 22, "10.10.0.0/16"], ["tcp", 443, 443, "0.0.0.0/0"]]);
    });

    it("attaches AmazonSSMManagedInstanceCore to the instance role that only EC2 can assume", () => {
        const role = named(plan, "aws:iam/role:Role", "bastion-role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        const attachment = named(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bastion-ssm");
        assert.strictEqual(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        const profile = named(plan, "aws:iam/instanceProfile:InstanceProfile", "bastion-profile");
        assert.deepStrictEqual(named(plan, LT, "bastion-lt").inputs.iamInstanceProfile, { arn: profile.outputs.arn });
    });

    it("parents every resource to the component and tags it with the user's and the component's tags", () => {
        const component = named(plan, "intergalactic:index:BastionHost", "bastion");
        for (const resource of plan.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, resource.name);
        }
        const tags = named(plan, SG, "bastion-sg").inputs.tags as Record<string, string>;
        assert.deepStrictEqual(tags, { Name: "bastion-sg", team: "platform", "intergalactic:component": "bastion", "intergalactic:tier": "public" });
    });

    it("exports the group, the security group and a Session Manager command", async () => {
        const outputs = named(plan, "intergalactic:index:BastionHost", "bastion").outputs;
        const group = named(plan, ASG, "bastion-asg");
        assert.strictEqual(outputs.autoScalingGroupName, group.outputs.name);
        assert.strictEqual(outputs.hostId, group.outputs.arn);
        assert.match(String(outputs.hostId), /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:.*:autoScalingGroupName\/bastion-asg-/);
        assert.strictEqual(outputs.securityGroupId, named(plan, SG, "bastion-sg").id);
        assert.match(String(outputs.connectionHint), /^aws ssm start-session --region us-east-1 --target \$\(aws ec2 describe-instances .*Values=bastion-asg-/);
        assert.strictEqual(outputs.publicIp, "");
        assert.strictEqual(outputs.jumpBoxId, "");
        assert.ok(bastion.connectionHint);
    });

    it("admits SSH only from the ranges given, with the key installed as the instance's key pair", async () => {
        const withSsh = await planSnippet(() => new BastionHost("bastion", args({ sshAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"], sshPublicKey: KEY })));
        const ingress = ofType(withSsh, INGRESS).map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]);
        assert.deepStrictEqual(ingress, [
            ["bastion-sg-ssh-in-203-0-113-0-24", 22, 22, "203.0.113.0/24"],
            ["bastion-sg-ssh-in-198-51-100-7-32", 22, 22, "198.51.100.7/32"],
        ]);
        const keyPair = named(withSsh, "aws:ec2/keyPair:KeyPair", "bastion-key");
        assert.strictEqual(keyPair.inputs.publicKey, KEY);
        assert.strictEqual(named(withSsh, LT, "bastion-lt").inputs.keyName, keyPair.outputs.keyName);
    });

    it("maps each size to its instance type", async () => {
        const large = await planSnippet(() => new BastionHost("bastion", args({ size: "large" })));
        assert.strictEqual(named(large, LT, "bastion-lt").inputs.instanceType, "t3.medium");
    });

    it("registers nothing but the stack for bad input", async () => {
        let error: unknown;
        const rejected = await planSnippet(() => {
            try {
                new BastionHost("bastion", args({ subnets: selectSubnets(NETWORK, { tier: "public", zones: ["us-east-1a"] }), sshAllowedCidrs: ["0.0.0.0/0"] }));
            } catch (err) {
                error = err;
            }
        });
        assert.ok(error instanceof InvalidArgumentsError);
        assert.match(error.message, /subnets: 1 subnet given, but aws needs at least 2/);
        assert.match(error.message, /sshAllowedCidrs\[0\]: "0.0.0.0\/0" opens SSH to the whole internet/);
        assert.deepStrictEqual(rejected.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });

    it("refuses the app subnets for the bastion, naming the arg, the value and the rule", () => {
        assert.throws(() => new BastionHost("bastion", args({ subnets: selectSubnets(NETWORK, { tier: "app" }) })),
            /subnets\[0\]: \{"tier":"app","zone":"us-east-1a","cidr":"10.10.0.0\/20"\} is in the app tier: the bastion belongs in the public tier/);
    });
});
